import type { Subnet, SubnetInput } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted, markerOf } from '../common/marker.js';
import { NeutronMarks } from './neutron-marked.js';
import { createDescription, neutronOf, projectScope, tagCopy } from './neutron.js';

/**
 * Subnets with the source's CIDR, gateway (null: none), DHCP, DNS servers, allocation pools,
 * host routes and IPv6 modes, so that kept fixed IPs fall where they were. An empty pool list is not
 * sent: Neutron would read it as "no pools" rather than "the whole range".
 */
export const subnetKind: KindHandler = kindHandler('subnet', {
  create: { create: createSubnet },
  adopt: { adopt: adoptSubnet },
});

/** The create request `after` describes (pure; exported for tests). */
export function subnetInput(a: AfterValues): SubnetInput {
  const projectId = a.optStr('project_id');
  const ipVersion = a.optNum('ip_version');
  const pools = a.objects('allocation_pools').map((p) => ({ start: p.str('start'), end: p.str('end') }));
  const raMode = a.optStr('ipv6_ra_mode');
  const addressMode = a.optStr('ipv6_address_mode');
  return {
    networkId: a.str('network_id'),
    cidr: a.str('cidr'),
    name: a.optStr('name') ?? '',
    gatewayIp: a.optStr('gateway_ip'),
    enableDhcp: a.bool('enable_dhcp', true),
    dnsNameservers: a.list('dns_nameservers').filter((d): d is string => typeof d === 'string'),
    hostRoutes: a.objects('host_routes').map((r) => ({ destination: r.str('destination'), nexthop: r.str('nexthop') })),
    ...(ipVersion === 4 || ipVersion === 6 ? { ipVersion } : {}),
    ...(pools.length > 0 ? { allocationPools: pools } : {}),
    ...(projectId ? { tenantId: projectId } : {}),
    ...(raMode ? { ipv6RaMode: raMode } : {}),
    ...(addressMode ? { ipv6AddressMode: addressMode } : {}),
  };
}

async function createSubnet(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { cloud, net } = await neutronOf(ctx, action.address);
  const marks = new NeutronMarks(net);
  const marker = markerOf(ctx);
  const input = subnetInput(a);
  const { value } = await createOnce(
    () => marks.find('subnets', net.subnets, marker, { ...projectScope(cloud, a.optStr('project_id')), network_id: input.networkId }),
    () => net.subnets.create({ ...input, ...createDescription(ctx, action.address, marks, a.optStr('description'), marker) }),
  );
  await tagCopy(ctx, action.address, marks, 'subnets', value, marker, a.strings('tags'));
  return { destinationId: value.id, outputs: outputsOf(value) };
}

async function adoptSubnet(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net } = await neutronOf(ctx, action.address);
  const s = await getAdopted(action.address, 'subnet', ctx.recorded.destinationId ?? action.destination?.id, (id) => net.subnets.get(id));
  return { destinationId: s.id, outputs: outputsOf(s) };
}

function outputsOf(s: Subnet): { name: string; cidr: string; gateway_ip: string | null } {
  return { name: s.name, cidr: s.cidr, gateway_ip: s.gatewayIp };
}
