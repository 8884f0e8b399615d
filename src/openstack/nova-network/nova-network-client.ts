import { list, member } from '../session/response.js';
import type { NovaApi } from '../compute/nova-api.js';
import type {
  NovaFixedIp,
  NovaFloatingIp,
  NovaFloatingIpBulk,
  NovaNetwork,
  NovaNetworkInput,
  NovaSecurityGroup,
  NovaSecurityGroupRule,
  NovaSecurityGroupRuleInput,
} from '../types/nova-network.js';
import { isRaw, str } from '../wire.js';
import { toNovaFixedIp, toNovaFloatingIp, toNovaFloatingIpBulk, toNovaNetwork, toNovaSecurityGroup, toNovaSecurityGroupRule } from './normalize.js';

const enc = encodeURIComponent;

/**
 * nova-network's APIs on the compute endpoint (legacy-apis.md §2.7), for clouds without
 * Neutron. Lists are not paginated by Nova. Admin unless noted; per-project calls
 * (floatingIps, securityGroups.create) act in the session's project: use a scoped session.
 */
export class NovaNetworkClient {
  constructor(private readonly api: NovaApi) {}

  readonly networks = {
    list: async (): Promise<NovaNetwork[]> => list(await this.api.get('/os-networks'), 'networks').filter(isRaw).map(toNovaNetwork),
    get: async (id: string): Promise<NovaNetwork> => toNovaNetwork(member(await this.api.get(`/os-networks/${enc(id)}`), 'network')),
    /** Creates one network (num_networks=1, size = the CIDR). Not retried. */
    create: async (input: NovaNetworkInput): Promise<NovaNetwork> => toNovaNetwork(member(await this.api.post('/os-networks', { network: networkBody(input) }), 'network')),
    delete: async (id: string): Promise<void> => void (await this.api.delete(`/os-networks/${enc(id)}`)),
    /** VlanManager: gives the session's project a network (a given one, or any free one). */
    associateWithProject: async (id: string | null): Promise<void> => void (await this.api.post('/os-networks/add', { id }, { idempotent: true })),
    /** Releases a network from its project and/or host. */
    disassociate: async (id: string, what: 'all' | 'host' | 'project' = 'all'): Promise<void> => {
      const action = what === 'all' ? 'disassociate' : `disassociate_${what}`;
      await this.api.post(`/os-networks/${enc(id)}/action`, { [action]: null }, { idempotent: true });
    },
  };

  /** Floating IPs allocated to the session's project. */
  readonly floatingIps = {
    list: async (): Promise<NovaFloatingIp[]> => list(await this.api.get('/os-floating-ips'), 'floating_ips').filter(isRaw).map(toNovaFloatingIp),
    /** Allocates a random address from a pool (the body is not wrapped). Not retried. */
    allocate: async (pool?: string): Promise<NovaFloatingIp> =>
      toNovaFloatingIp(member(await this.api.post('/os-floating-ips', pool ? { pool } : {}), 'floating_ip')),
    release: async (id: string): Promise<void> => void (await this.api.delete(`/os-floating-ips/${enc(id)}`)),
  };

  /** Admin, all projects: the only way to create a specific floating address. */
  readonly floatingIpsBulk = {
    list: async (host?: string): Promise<NovaFloatingIpBulk[]> =>
      list(await this.api.get(host ? `/os-floating-ips-bulk/${enc(host)}` : '/os-floating-ips-bulk'), 'floating_ip_info').filter(isRaw).map(toNovaFloatingIpBulk),
    /** Adds an address or CIDR range to a pool. */
    create: async (range: { readonly ipRange: string; readonly pool?: string; readonly interface?: string }): Promise<void> =>
      void (await this.api.post('/os-floating-ips-bulk', {
        floating_ips_bulk_create: { ip_range: range.ipRange, ...(range.pool ? { pool: range.pool } : {}), ...(range.interface ? { interface: range.interface } : {}) },
      })),
    delete: async (ipRange: string): Promise<void> => void (await this.api.put('/os-floating-ips-bulk/delete', { ip_range: ipRange })),
  };

  async floatingIpPools(): Promise<string[]> {
    return list(await this.api.get('/os-floating-ip-pools'), 'floating_ip_pools')
      .filter(isRaw)
      .map((p) => str(p['name']) ?? '')
      .filter((n) => n !== '');
  }

  readonly securityGroups = {
    /** The session project's groups, or every project's with `allTenants` (admin). */
    list: async (opts: { readonly allTenants?: boolean } = {}): Promise<NovaSecurityGroup[]> =>
      list(await this.api.get('/os-security-groups', { all_tenants: opts.allTenants ? 1 : undefined }), 'security_groups').filter(isRaw).map(toNovaSecurityGroup),
    get: async (id: string): Promise<NovaSecurityGroup> => toNovaSecurityGroup(member(await this.api.get(`/os-security-groups/${enc(id)}`), 'security_group')),
    /** Creates a group in the session's project. Not retried. */
    create: async (name: string, description: string): Promise<NovaSecurityGroup> =>
      toNovaSecurityGroup(member(await this.api.post('/os-security-groups', { security_group: { name, description } }), 'security_group')),
    delete: async (id: string): Promise<void> => void (await this.api.delete(`/os-security-groups/${enc(id)}`)),
    createRule: async (rule: NovaSecurityGroupRuleInput): Promise<NovaSecurityGroupRule> => {
      const body: Record<string, unknown> = { parent_group_id: rule.parentGroupId, ip_protocol: rule.ipProtocol, from_port: rule.fromPort, to_port: rule.toPort };
      if (rule.cidr) body['cidr'] = rule.cidr;
      if (rule.groupId) body['group_id'] = rule.groupId;
      return toNovaSecurityGroupRule(member(await this.api.post('/os-security-group-rules', { security_group_rule: body }), 'security_group_rule'));
    },
    deleteRule: async (id: string): Promise<void> => void (await this.api.delete(`/os-security-group-rules/${enc(id)}`)),
  };

  readonly fixedIps = {
    get: async (address: string): Promise<NovaFixedIp> => toNovaFixedIp(member(await this.api.get(`/os-fixed-ips/${enc(address)}`), 'fixed_ip')),
    reserve: async (address: string): Promise<void> => void (await this.api.post(`/os-fixed-ips/${enc(address)}/action`, { reserve: null }, { idempotent: true })),
    unreserve: async (address: string): Promise<void> => void (await this.api.post(`/os-fixed-ips/${enc(address)}/action`, { unreserve: null }, { idempotent: true })),
  };
}

function networkBody(n: NovaNetworkInput): Record<string, unknown> {
  const map: ReadonlyArray<[keyof NovaNetworkInput, string]> = [
    ['label', 'label'],
    ['cidr', 'cidr'],
    ['cidrV6', 'cidr_v6'],
    ['projectId', 'project_id'],
    ['vlan', 'vlan'],
    ['vlanStart', 'vlan_start'],
    ['bridge', 'bridge'],
    ['bridgeInterface', 'bridge_interface'],
    ['multiHost', 'multi_host'],
    ['dns1', 'dns1'],
    ['dns2', 'dns2'],
    ['gateway', 'gateway'],
    ['fixedCidr', 'fixed_cidr'],
    ['priority', 'priority'],
    ['mtu', 'mtu'],
    ['enableDhcp', 'enable_dhcp'],
    ['dhcpServer', 'dhcp_server'],
    ['shareAddress', 'share_address'],
    ['allowedStart', 'allowed_start'],
    ['allowedEnd', 'allowed_end'],
  ];
  const out: Record<string, unknown> = {};
  for (const [from, to] of map) if (n[from] !== undefined) out[to] = n[from];
  return out;
}
