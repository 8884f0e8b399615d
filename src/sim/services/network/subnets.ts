import { badRequest, conflict } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { SimStore } from '../../store/store.js';
import type { SubnetRecord } from '../../store/types/network.js';
import { newPool, resetPool } from './addresses.js';
import {
  bool, CREATE_ONLY, describedAttrs, int, invalidInput, list, ownerFor, readOnly, REQUIRED, resourceBody, RO, RW, tenantAttrs, text,
  type AttributeTable, type NeutronCall, type NeutronRoute,
} from './call.js';
import { addDhcpAddress, removeDhcpAddress } from './dhcp.js';
import { renderContext, render } from './fields.js';
import { formatIp, inCidr, ipValue, overlaps, parseCidrAny, parseIp, type ParsedCidr } from './ip.js';
import { listReply } from './listing.js';
import { networkOf, notFoundOf, requireOwner, subnetOf, subnetVisible } from './lookup.js';
import { checkQuota } from './quotas.js';
import { subnetFields } from './render.js';
import { attrsOf, forget, touch } from './standard-attrs.js';

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  const modes: AttributeTable =
    p.ipv6Modes === 'settable' ? { ipv6_ra_mode: CREATE_ONLY, ipv6_address_mode: CREATE_ONLY } : p.ipv6Modes === 'read-only' ? readOnly('ipv6_ra_mode', 'ipv6_address_mode') : {};
  return {
    ...readOnly('id'),
    name: RW,
    network_id: REQUIRED,
    ip_version: REQUIRED,
    // Modern Neutron can take the CIDR from a subnet pool instead; this simulator has none.
    cidr: p.neutronModernApi ? CREATE_ONLY : REQUIRED,
    gateway_ip: RW,
    allocation_pools: p.neutronModernApi ? RW : CREATE_ONLY,
    dns_nameservers: RW,
    host_routes: RW,
    enable_dhcp: RW,
    ...modes,
    ...tenantAttrs(p),
    ...describedAttrs(p),
    ...(p.neutronModernApi ? { subnetpool_id: CREATE_ONLY, prefixlen: CREATE_ONLY, use_default_subnetpool: CREATE_ONLY, service_types: RW, segment_id: RW } : {}),
    ...(p.neutronModernApi ? {} : { shared: RO }),
  };
}

const reply = (c: NeutronCall, status: number, s: SubnetRecord) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return json(status, { subnet: render(subnetFields(ctx), s, ctx) });
};

function listSubnets(c: NeutronCall): SimReply {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return listReply(c, {
    collection: 'subnets', urlPath: '/v2.0/subnets', rows: c.store.subnets.values(), visible: (s) => subnetVisible(c, s), fields: subnetFields(ctx), ctx,
    notFound: notFoundOf.subnet, exists: (id) => c.store.subnets.has(id), tagsOf: (s) => attrsOf(c.store, 'subnets', s.id, s.createdAt).tags,
  });
}

type Pool = { start: string; end: string };

/** The whole usable range minus the gateway (what Neutron gives when no pools are asked for). */
function defaultPools(cidr: ParsedCidr, gateway: string | null): Pool[] {
  const v = cidr.version;
  // IPv4 skips the network and broadcast addresses; IPv6 only the subnet-router anycast one.
  const first = cidr.network + 1n;
  const last = v === 4 && cidr.prefix < 31 ? cidr.last - 1n : cidr.last;
  const gw = gateway === null ? undefined : ipValue(gateway);
  const ranges: Array<[bigint, bigint]> = [];
  if (gw === undefined || gw < first || gw > last) ranges.push([first, last]);
  else {
    if (gw > first) ranges.push([first, gw - 1n]);
    if (gw < last) ranges.push([gw + 1n, last]);
  }
  return ranges.filter(([a, b]) => a <= b).map(([a, b]) => ({ start: formatIp(v, a), end: formatIp(v, b) }));
}

/** Allocation pools as asked, checked against the CIDR, each other and the gateway. */
function checkedPools(raw: unknown, cidr: ParsedCidr, gateway: string | null): Pool[] {
  const pools = list('allocation_pools', raw).map((p) => {
    const r = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
    const start = typeof r['start'] === 'string' ? r['start'] : '';
    const end = typeof r['end'] === 'string' ? r['end'] : '';
    if (!parseIp(start) || !parseIp(end)) throw invalidInput(`Invalid data format for IP pool: '${JSON.stringify(p)}'`);
    return { start, end };
  });
  for (const p of pools) {
    if (!inCidr(cidr, p.start) || !inCidr(cidr, p.end)) throw badRequest(`The allocation pool ${p.start}-${p.end} spans beyond the subnet cidr ${cidr.text}.`, 'OutOfBoundsAllocationPool');
    if (ipValue(p.start) > ipValue(p.end)) throw badRequest(`The allocation pool ${p.start}-${p.end} is not valid.`, 'InvalidAllocationPool');
  }
  for (let i = 0; i < pools.length; i++) {
    for (let j = i + 1; j < pools.length; j++) {
      const [a, b] = [pools[i]!, pools[j]!];
      if (ipValue(a.start) <= ipValue(b.end) && ipValue(b.start) <= ipValue(a.end)) {
        throw conflict(`Found overlapping allocation pools: ${a.start}-${a.end} and ${b.start}-${b.end} for subnet ${cidr.text}.`, 'OverlappingAllocationPools');
      }
    }
  }
  if (gateway !== null) {
    const gw = ipValue(gateway);
    const hit = pools.find((p) => gw >= ipValue(p.start) && gw <= ipValue(p.end));
    if (hit) throw conflict(`Gateway ip ${gateway} conflicts with allocation pool ${hit.start}-${hit.end}.`, 'GatewayConflictWithAllocationPools');
  }
  return pools;
}

function gatewayOf(raw: unknown, cidr: ParsedCidr, modern: boolean): string | null {
  if (raw === null) return null;
  if (raw === undefined) {
    // Zed's default IPv6 gateway is the subnet-router anycast address itself; older releases took ::1.
    return formatIp(cidr.version, cidr.version === 6 && modern ? cidr.network : cidr.network + 1n);
  }
  const gw = typeof raw === 'string' ? parseIp(raw) : undefined;
  if (!gw || gw.version !== cidr.version) throw invalidInput(`'${String(raw)}' is not a valid IP address`);
  const text = formatIp(gw.version, gw.value);
  // Legacy force_gateway_on_subnet (default True) wants it inside; no release takes the network or broadcast address.
  if (!modern && !inCidr(cidr, text)) throw invalidInput('Gateway is not valid on subnet');
  if (cidr.version === 4 && (gw.value === cidr.network || gw.value === cidr.last) && cidr.prefix < 31) throw invalidInput('Gateway is not valid on subnet');
  return text;
}

function nameservers(raw: unknown): string[] {
  const out = list('dns_nameservers', raw).map((v) => {
    if (typeof v !== 'string' || !parseIp(v)) throw invalidInput(`'${String(v)}' is not a valid nameserver. '${String(v)}' is not a valid IP address`);
    return v;
  });
  const dup = out.find((v, i) => out.indexOf(v) !== i);
  if (dup) throw invalidInput(`Duplicate nameserver '${dup}'`);
  return out;
}

function hostRoutes(raw: unknown): Array<{ destination: string; nexthop: string }> {
  return list('host_routes', raw).map((h) => {
    const r = (typeof h === 'object' && h !== null ? h : {}) as Record<string, unknown>;
    const destination = r['destination'];
    const nexthop = r['nexthop'];
    if (typeof destination !== 'string' || !parseCidrAny(destination) || typeof nexthop !== 'string' || !parseIp(nexthop)) {
      throw invalidInput(`Invalid data format for hostroute: '${JSON.stringify(h)}'`);
    }
    return { destination, nexthop };
  });
}

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'subnet', attributes(c), 'create');
  const network = networkOf(c, typeof b['network_id'] === 'string' ? b['network_id'] : String(b['network_id']));
  requireOwner(c, network, 'create_subnet');
  const projectId = ownerFor(c, b);
  const version = int('ip_version', b['ip_version']);
  if (version !== 4 && version !== 6) throw badRequest(`Invalid input for ip_version. Reason: ${version} is not in [4, 6].`);
  if (b['cidr'] === undefined) throw badRequest('Bad subnets request: a subnetpool must be specified in the absence of a cidr.', 'BadRequest');
  const cidr = typeof b['cidr'] === 'string' ? parseCidrAny(b['cidr']) : undefined;
  if (!cidr) throw invalidInput(`${String(b['cidr'])} is not in a CIDR format`);
  if (cidr.version !== version) throw invalidInput(`Cidr ${cidr.text} does not match ip_version ${version}`);
  for (const other of network.subnets.map((id) => c.store.subnets.get(id))) {
    const oc = other ? parseCidrAny(other.cidr) : undefined;
    if (oc && overlaps(oc, cidr)) throw invalidInput(`Requested subnet with cidr: ${cidr.text} for network: ${network.id} overlaps with another subnet`);
  }
  const gateway = gatewayOf(b['gateway_ip'], cidr, c.profile.neutronModernApi);
  const id = c.store.ids.uuid();
  const pools = b['allocation_pools'] === undefined ? defaultPools(cidr, gateway) : checkedPools(b['allocation_pools'], cidr, gateway);
  const ra = b['ipv6_ra_mode'];
  const am = b['ipv6_address_mode'];
  checkQuota(c, 'subnet', projectId);
  const s = c.store.subnets.insert({
    id,
    name: b['name'] === undefined ? '' : text('name', b['name']),
    networkId: network.id,
    projectId,
    ipVersion: version,
    cidr: cidr.text,
    gatewayIp: gateway,
    allocationPools: pools,
    dnsNameservers: b['dns_nameservers'] === undefined || b['dns_nameservers'] === null ? [] : nameservers(b['dns_nameservers']),
    hostRoutes: b['host_routes'] === undefined || b['host_routes'] === null ? [] : hostRoutes(b['host_routes']),
    enableDhcp: b['enable_dhcp'] === undefined ? true : bool('enable_dhcp', b['enable_dhcp']),
    ipv6RaMode: typeof ra === 'string' ? ra : null,
    ipv6AddressMode: typeof am === 'string' ? am : null,
    description: b['description'] === undefined ? '' : text('description', b['description']),
    createdAt: c.store.now(),
  });
  network.subnets.push(s.id);
  if (version === 4 && pools.length > 0) c.store.pools.set(s.id, newPool(pools));
  if (s.enableDhcp) addDhcpAddress(c.store, network, s);
  return reply(c, 201, s);
}

async function update(c: NeutronCall): Promise<SimReply> {
  const s = subnetOf(c, c.req.params['id']);
  requireOwner(c, s, 'update_subnet');
  const b = await resourceBody(c, 'subnet', attributes(c), 'update');
  const cidr = parseCidrAny(s.cidr);
  if (!cidr) throw new Error(`subnet ${s.id} has a bad CIDR ${s.cidr}`);
  const gateway = b['gateway_ip'] === undefined ? s.gatewayIp : gatewayOf(b['gateway_ip'] ?? null, cidr, c.profile.neutronModernApi);
  const pools = b['allocation_pools'] === undefined ? s.allocationPools : checkedPools(b['allocation_pools'], cidr, gateway);
  if (b['allocation_pools'] === undefined && gateway !== null && gateway !== s.gatewayIp) checkedPools(s.allocationPools, cidr, gateway);
  if (b['name'] !== undefined) s.name = text('name', b['name']);
  if (b['description'] !== undefined) s.description = text('description', b['description']);
  if (b['dns_nameservers'] !== undefined) s.dnsNameservers = b['dns_nameservers'] === null ? [] : nameservers(b['dns_nameservers']);
  if (b['host_routes'] !== undefined) s.hostRoutes = b['host_routes'] === null ? [] : hostRoutes(b['host_routes']);
  s.gatewayIp = gateway;
  if (pools !== s.allocationPools) {
    s.allocationPools = pools;
    if (s.ipVersion === 4) resetPool(c.store, s);
  }
  if (b['enable_dhcp'] !== undefined) {
    const dhcp = bool('enable_dhcp', b['enable_dhcp']);
    const network = c.store.networks.get(s.networkId);
    if (dhcp && !s.enableDhcp && network) addDhcpAddress(c.store, network, s);
    if (!dhcp && s.enableDhcp) removeDhcpAddress(c.store, s);
    s.enableDhcp = dhcp;
  }
  touch(c.store, 'subnets', s.id, s.createdAt);
  return reply(c, 200, s);
}

/** Drops a subnet record with its pool, DHCP address and place in its network (no checks). */
export function deleteSubnetRecord(store: SimStore, s: SubnetRecord): void {
  removeDhcpAddress(store, s);
  const network = store.networks.get(s.networkId);
  if (network) network.subnets = network.subnets.filter((id) => id !== s.id);
  store.pools.delete(s.id);
  store.subnets.delete(s.id);
  forget(store, s.id);
}

/** 409 `SubnetInUse` while any port other than the DHCP one holds an address on it. */
function remove(c: NeutronCall): SimReply {
  const s = subnetOf(c, c.req.params['id']);
  requireOwner(c, s, 'delete_subnet');
  const busy = c.store.ports.find((p) => p.networkId === s.networkId && p.deviceOwner !== 'network:dhcp' && p.fixedIps.some((f) => f.subnetId === s.id));
  const cidr = parseCidrAny(s.cidr);
  const fip = cidr && c.store.floatingIps.find((f) => f.floatingNetworkId === s.networkId && inCidr(cidr, f.address));
  if (busy || fip) throw conflict(`Unable to complete operation on subnet ${s.id}: One or more ports have an IP allocation from this subnet.`, 'SubnetInUse');
  deleteSubnetRecord(c.store, s);
  return empty(204);
}

export function subnetRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/subnets', handler: listSubnets },
    { method: 'POST', path: '/subnets', handler: create },
    { method: 'GET', path: '/subnets/{id}', handler: (c) => reply(c, 200, subnetOf(c, c.req.params['id'])) },
    { method: 'PUT', path: '/subnets/{id}', handler: update },
    { method: 'DELETE', path: '/subnets/{id}', handler: remove },
  ];
}
