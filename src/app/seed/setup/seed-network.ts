import { PumphouseError } from '../../../errors/index.js';
import type { Cloud } from '../../../openstack/index.js';
import type { NetworkClient, TaggableCollection } from '../../../openstack/network/network-client.js';
import type { SecurityGroupRule } from '../../../openstack/types/network.js';
import { SETUP_TAG, setupDescription } from '../marks.js';
import type { SeedContext } from './seed-context.js';
import type { TenantSpec } from './spec.js';

/** Where the tenant's servers boot, and what their floating IP comes from. */
export interface SeededNetwork {
  readonly networkId: string;
  readonly securityGroup: string;
  /** Neutron: the external network floating IPs come from; undefined when there is none. */
  readonly externalNetworkId?: string;
}

/** The tenant's network in the source's own model: Neutron (network, subnet, router, group) or nova-network. */
export function seedNetwork(ctx: SeedContext, t: TenantSpec, projectId: string, scoped: Cloud): Promise<SeededNetwork> {
  return ctx.cloud.network ? seedNeutron(ctx, ctx.cloud.network, t, projectId) : seedNovaNetwork(ctx, t, projectId, scoped);
}

/**
 * Neutron: network, subnet (10.42.<n>.0/24), a router on the first external network with an
 * interface on the subnet (no external network: no router, no floating IP, a warning), and a
 * security group with ICMP and TCP 80 open. Made by the admin with `tenant_id`; marked by the
 * `pumphouse_setup=1` tag where the collection takes tags, and the description where Neutron
 * has descriptions. Anything already in the tenant's project under that name is adopted: the
 * project is setup's own, so only an interrupted setup can have put it there.
 */
async function seedNeutron(ctx: SeedContext, net: NetworkClient, t: TenantSpec, projectId: string): Promise<SeededNetwork> {
  const described = net.extensions.has('standard-attr-description');
  const description = described ? { description: setupDescription('pumphouse test object') } : {};
  const mark = async (collection: TaggableCollection, id: string): Promise<void> => {
    if (net.supportsTags(collection)) await net.addTag(collection, id, SETUP_TAG);
  };
  const inProject = <T extends { readonly id: string }>(found: readonly T[]) => (found[0] ? { value: found[0], ours: true } : undefined);

  const network = await ctx.once('network', t.network.name, async () => inProject(await net.networks.list({ name: t.network.name, tenant_id: projectId })), async () => {
    const made = await net.networks.create({ name: t.network.name, tenantId: projectId, ...description });
    await mark('networks', made.id);
    return made;
  });
  const subnetName = `${t.network.name}-subnet`;
  const subnet = await ctx.once('subnet', subnetName, async () => inProject(await net.subnets.list({ network_id: network.id, cidr: t.network.cidr })), async () => {
    const made = await net.subnets.create({ networkId: network.id, cidr: t.network.cidr, ipVersion: 4, name: subnetName, tenantId: projectId, ...description });
    await mark('subnets', made.id);
    return made;
  });
  const external = (await net.networks.list({ 'router:external': true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
  if (!external) {
    ctx.warn(`the source has no external network: tenant ${t.name} gets no router and no floating IP`);
  } else {
    const router = await ctx.once('router', t.router, async () => inProject(await net.routers.list({ name: t.router, tenant_id: projectId })), async () => {
      const made = await net.routers.create({ name: t.router, tenantId: projectId, externalGateway: { networkId: external.id }, ...description });
      await mark('routers', made.id);
      return made;
    });
    const plugged = await net.ports.list({ device_id: router.id, network_id: network.id });
    if (plugged.length === 0) await net.routers.addInterface(router.id, { subnetId: subnet.id });
  }
  const group = await ctx.once('security_group', t.securityGroup, async () => inProject(await net.securityGroups.list({ name: t.securityGroup, tenant_id: projectId })), async () => {
    const made = await net.securityGroups.create({ name: t.securityGroup, tenantId: projectId, description: setupDescription('pumphouse test group') });
    await mark('security-groups', made.id);
    return made;
  });
  const rules = (await net.securityGroups.get(group.id)).rules;
  for (const want of WEB_RULES) {
    if (rules.some((r) => sameRule(r, want))) continue;
    await net.securityGroupRules.create({ securityGroupId: group.id, direction: 'ingress', ethertype: 'IPv4', ...want, remoteIpPrefix: '0.0.0.0/0', tenantId: projectId });
  }
  return { networkId: network.id, securityGroup: t.securityGroup, ...(external ? { externalNetworkId: external.id } : {}) };
}

/** The original's test rules: ICMP and HTTP from anywhere. */
const WEB_RULES = [
  { protocol: 'icmp', portRangeMin: null, portRangeMax: null },
  { protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 },
] as const;

function sameRule(r: SecurityGroupRule, want: (typeof WEB_RULES)[number]): boolean {
  return r.direction === 'ingress' && r.protocol === want.protocol && r.portRangeMin === want.portRangeMin && r.portRangeMax === want.portRangeMax && r.remoteIpPrefix === '0.0.0.0/0';
}

/**
 * nova-network: VlanManager clouds get a network of the tenant's own (label, 10.42.<n>.0/24,
 * the project; a VLAN tag is chosen by Nova); FlatDHCP clouds boot on their shared network,
 * since a FlatDHCP network given to a project cannot be released again. The security group is
 * made inside the tenant (nova-network groups belong to the token's project), marked in its
 * description.
 */
async function seedNovaNetwork(ctx: SeedContext, t: TenantSpec, projectId: string, scoped: Cloud): Promise<SeededNetwork> {
  const nn = ctx.cloud.novaNetwork;
  const scopedNn = scoped.novaNetwork;
  if (!nn || !scopedNn) throw new PumphouseError('PH_CATALOG_MISSING', 'the source cloud has neither Neutron nor nova-network: setup cannot give the test servers a network');
  const networks = await nn.networks.list();
  const vlan = networks.some((n) => n.vlan !== null);
  let networkId: string;
  if (vlan) {
    const network = await ctx.once(
      'network',
      t.network.name,
      async () => {
        const mine = networks.find((n) => n.projectId === projectId);
        return mine ? { value: mine, ours: true } : undefined;
      },
      () => nn.networks.create({ label: t.network.name, cidr: t.network.cidr, projectId }),
    );
    networkId = network.id;
  } else {
    const shared = networks.filter((n) => n.projectId === null).sort((a, b) => (a.label < b.label ? -1 : 1))[0];
    if (!shared) {
      throw new PumphouseError('PH_PRECONDITION_FAILED', 'the nova-network source has no shared (FlatDHCP) network for the test servers; create one (nova network-create) and run setup again');
    }
    networkId = shared.id;
  }
  const groups = await scopedNn.securityGroups.list();
  const group = await ctx.once(
    'security_group',
    t.securityGroup,
    async () => {
      const g = groups.find((x) => x.name === t.securityGroup);
      return g ? { value: g, ours: true } : undefined;
    },
    () => scopedNn.securityGroups.create(t.securityGroup, setupDescription('pumphouse test group')),
  );
  for (const want of WEB_RULES) {
    const from = want.portRangeMin ?? -1;
    const to = want.portRangeMax ?? -1;
    if (group.rules.some((r) => r.ipProtocol === want.protocol && (r.fromPort ?? -1) === from && (r.toPort ?? -1) === to && r.cidr === '0.0.0.0/0')) continue;
    await scopedNn.securityGroups.createRule({ parentGroupId: group.id, ipProtocol: want.protocol, fromPort: from, toPort: to, cidr: '0.0.0.0/0' });
  }
  return { networkId, securityGroup: t.securityGroup };
}
