import { ensureVersionSuffix } from '../http/url.js';
import { ServiceApi } from '../service-api.js';
import { list, member } from '../session/response.js';
import type { Session } from '../session/session.js';
import type { FloatingIp, Network, Port, RbacPolicy, Router, SecurityGroup, SecurityGroupRule, Subnet } from '../types/network.js';
import type { QuotaSet } from '../types/quota.js';
import { toQuotaSet } from '../compute/normalize.js';
import { unsupported } from '../unsupported.js';
import { isRaw, str } from '../wire.js';
import { NeutronCollection } from './collection.js';
import {
  floatingIpBody,
  gatewayBody,
  networkBody,
  portBody,
  rbacPolicyBody,
  routerBody,
  ruleBody,
  securityGroupBody,
  subnetBody,
  type FloatingIpInput,
  type NetworkInput,
  type PortInput,
  type RbacPolicyInput,
  type RouterGatewayInput,
  type RouterInput,
  type SecurityGroupInput,
  type SecurityGroupRuleInput,
  type SubnetInput,
} from './inputs.js';
import { toFloatingIp, toNetwork, toPort, toRbacPolicy, toRouter, toSecurityGroup, toSecurityGroupRule, toSubnet } from './normalize.js';

const enc = encodeURIComponent;

/** Which collections take tags, by extension alias (tag: Mitaka networks; tag-ext: Newton; standard-attr-tag: Queens+). */
const TAGGABLE: Readonly<Record<string, readonly string[]>> = {
  'standard-attr-tag': ['networks', 'subnets', 'ports', 'routers', 'floatingips', 'security-groups', 'subnetpools', 'trunks', 'policies'],
  'tag-ext': ['networks', 'subnets', 'ports', 'routers', 'subnetpools'],
  tag: ['networks'],
};

export type TaggableCollection = 'networks' | 'subnets' | 'ports' | 'routers' | 'floatingips' | 'security-groups';

export interface RouterInterface {
  readonly routerId: string;
  readonly portId: string;
  readonly subnetId: string;
}

class Routers extends NeutronCollection<Router, RouterInput> {
  /** Sets (or with null, clears) the router's external gateway. */
  async setGateway(id: string, gateway: RouterGatewayInput | null): Promise<Router> {
    const res = await this.api.put(`/routers/${enc(id)}`, { router: { external_gateway_info: gateway ? gatewayBody(gateway) : {} } });
    return toRouter(member(res, 'router'));
  }

  /** Plugs a subnet (or an existing port) into the router (200). Not retried. */
  async addInterface(id: string, target: { readonly subnetId: string } | { readonly portId: string }): Promise<RouterInterface> {
    const res = await this.api.put(`/routers/${enc(id)}/add_router_interface`, 'subnetId' in target ? { subnet_id: target.subnetId } : { port_id: target.portId }, { idempotent: false });
    return toInterface(res.data);
  }

  async removeInterface(id: string, target: { readonly subnetId: string } | { readonly portId: string }): Promise<void> {
    await this.api.put(`/routers/${enc(id)}/remove_router_interface`, 'subnetId' in target ? { subnet_id: target.subnetId } : { port_id: target.portId });
  }
}

class FloatingIps extends NeutronCollection<FloatingIp, FloatingIpInput> {
  /** Points the address at a port (and fixed IP), or with null detaches it. */
  async associate(id: string, portId: string | null, fixedIpAddress?: string): Promise<FloatingIp> {
    const res = await this.api.put(`/floatingips/${enc(id)}`, { floatingip: { port_id: portId, ...(fixedIpAddress ? { fixed_ip_address: fixedIpAddress } : {}) } });
    return toFloatingIp(member(res, 'floatingip'));
  }
}

/** Neutron v2.0 (legacy-apis.md §5). Build with NetworkClient.open() to know the extensions. */
export class NetworkClient {
  readonly networks: NeutronCollection<Network, NetworkInput>;
  readonly subnets: NeutronCollection<Subnet, SubnetInput>;
  readonly ports: NeutronCollection<Port, PortInput>;
  readonly routers: Routers;
  readonly floatingIps: FloatingIps;
  readonly securityGroups: NeutronCollection<SecurityGroup, SecurityGroupInput>;
  readonly securityGroupRules: NeutronCollection<SecurityGroupRule, SecurityGroupRuleInput>;
  /** RBAC policies (Liberty+: `hasRbac`). A duplicate create is 409 `DuplicateRbacPolicy`. */
  readonly rbacPolicies: NeutronCollection<RbacPolicy, RbacPolicyInput>;
  private readonly api: ServiceApi;

  constructor(
    session: Session,
    /** Extension aliases the cloud announced (`GET /v2.0/extensions`). */
    readonly extensions: ReadonlySet<string>,
  ) {
    this.api = new ServiceApi(session, 'network', () => ensureVersionSuffix(session.endpoint('network'), 'v2.0'));
    this.networks = new NeutronCollection(this.api, 'networks', 'network', toNetwork, networkBody);
    this.subnets = new NeutronCollection(this.api, 'subnets', 'subnet', toSubnet, subnetBody);
    this.ports = new NeutronCollection(this.api, 'ports', 'port', toPort, portBody);
    this.routers = new Routers(this.api, 'routers', 'router', toRouter, routerBody);
    this.floatingIps = new FloatingIps(this.api, 'floatingips', 'floatingip', toFloatingIp, floatingIpBody);
    this.securityGroups = new NeutronCollection(this.api, 'security-groups', 'security_group', toSecurityGroup, securityGroupBody);
    this.securityGroupRules = new NeutronCollection(this.api, 'security-group-rules', 'security_group_rule', toSecurityGroupRule, (r) => ruleBody(r as SecurityGroupRuleInput));
    this.rbacPolicies = new NeutronCollection(this.api, 'rbac-policies', 'rbac_policy', toRbacPolicy, rbacPolicyBody);
  }

  /** True when the cloud has RBAC policies (`rbac-policies`, Liberty+). */
  get hasRbac(): boolean {
    return this.extensions.has('rbac-policies');
  }

  /** Reads the extension list (one call) and builds the client. */
  static async open(session: Session): Promise<NetworkClient> {
    const res = await session.request({ service: 'network', method: 'GET', url: `${ensureVersionSuffix(session.endpoint('network'), 'v2.0')}/extensions` });
    const aliases = list(res, 'extensions').filter(isRaw).map((e) => str(e['alias']) ?? '');
    return new NetworkClient(session, new Set(aliases.filter((a) => a !== '')));
  }

  /** True when the cloud can tag objects of this collection. */
  supportsTags(collection: TaggableCollection): boolean {
    return Object.entries(TAGGABLE).some(([alias, colls]) => this.extensions.has(alias) && colls.includes(collection));
  }

  /** Replaces every tag of an object; PH_CLOUD_UNSUPPORTED where tags are not supported. */
  async setTags(collection: TaggableCollection, id: string, tags: readonly string[]): Promise<void> {
    this.requireTags(collection);
    await this.api.put(`/${collection}/${enc(id)}/tags`, { tags });
  }

  async addTag(collection: TaggableCollection, id: string, tag: string): Promise<void> {
    this.requireTags(collection);
    await this.api.put(`/${collection}/${enc(id)}/tags/${enc(tag)}`, undefined);
  }

  async removeTag(collection: TaggableCollection, id: string, tag: string): Promise<void> {
    this.requireTags(collection);
    await this.api.delete(`/${collection}/${enc(id)}/tags/${enc(tag)}`);
  }

  readonly quotas = {
    get: async (projectId: string): Promise<QuotaSet> => toQuotaSet(member(await this.api.get(`/quotas/${enc(projectId)}`), 'quota')),
    /**
     * `GET /quotas` (admin): every project that has limits of its own, each with all its
     * limits (defaults filled in); projects on the defaults are absent. One call, no paging.
     */
    list: async (): Promise<{ readonly projectId: string; readonly quota: QuotaSet }[]> =>
      list(await this.api.get('/quotas'), 'quotas')
        .filter(isRaw)
        .map((q) => {
          const { project_id: projectId, tenant_id: tenantId, ...limits } = q;
          return { projectId: str(projectId) ?? str(tenantId) ?? '', quota: toQuotaSet(limits) };
        })
        .filter((q) => q.projectId !== ''),
    update: async (projectId: string, limits: QuotaSet): Promise<QuotaSet> => toQuotaSet(member(await this.api.put(`/quotas/${enc(projectId)}`, { quota: limits }), 'quota')),
    reset: async (projectId: string): Promise<void> => void (await this.api.delete(`/quotas/${enc(projectId)}`)),
  };

  private requireTags(collection: TaggableCollection): void {
    if (!this.supportsTags(collection)) throw unsupported(this.api.session.name, 'network', `tags on ${collection}`, 'the standard-attr-tag (or tag-ext) extension');
  }
}

function toInterface(data: unknown): RouterInterface {
  const r = isRaw(data) ? data : {};
  return { routerId: str(r['id']) ?? '', portId: str(r['port_id']) ?? '', subnetId: str(r['subnet_id']) ?? '' };
}
