import { badRequest, forbidden, notFound, SimHttpError } from '../../../http/errors.js';
import { empty, json, type SimReply } from '../../../http/reply.js';
import { intToIp, ipToInt, parseCidr } from '../../../store/addresses.js';
import type { SimStore } from '../../../store/store.js';
import type { FloatingIpRecord, NovaFloatingIpRecord } from '../../../store/types/network.js';
import type { ServerAction } from '../actions.js';
import { refreshAddresses } from '../addresses.js';
import { requireAdmin, str, type NovaCall, type NovaRoute } from '../context.js';
import { limitsOf, usageOf } from '../quota-usage.js';
import { gate } from './availability.js';

/** Nova's `default_floating_pool`. */
const DEFAULT_POOL = 'nova';

function novaView(f: NovaFloatingIpRecord): Record<string, unknown> {
  return { id: f.id, ip: f.address, pool: f.pool, fixed_ip: f.fixedAddress, instance_id: f.instanceUuid };
}

function neutronView(store: SimStore, f: FloatingIpRecord): Record<string, unknown> {
  const port = f.portId ? store.ports.get(f.portId) : undefined;
  return { id: f.id, ip: f.address, pool: store.networks.get(f.floatingNetworkId)?.name ?? f.floatingNetworkId, fixed_ip: f.fixedIpAddress, instance_id: port?.deviceId || null };
}

function list(c: NovaCall): SimReply {
  gate(c, 'proxy');
  const { store } = c;
  if (store.profile.neutron) return json(200, { floating_ips: store.floatingIps.filter((f) => f.projectId === c.projectId).map((f) => neutronView(store, f)) });
  return json(200, { floating_ips: store.novaFloatingIps.filter((f) => f.projectId === c.projectId).sort((a, b) => a.id - b.id).map(novaView) });
}

function show(c: NovaCall): SimReply {
  gate(c, 'proxy');
  const id = c.req.params['id']!;
  const { store } = c;
  if (store.profile.neutron) {
    const f = store.floatingIps.get(id);
    if (!f || f.projectId !== c.projectId) throw notFound(`Floating IP not found for ID ${id}`);
    return json(200, { floating_ip: neutronView(store, f) });
  }
  const f = store.novaFloatingIps.get(Number(id));
  if (!f || f.projectId !== c.projectId) throw notFound(`Floating ip not found for id ${id}`);
  return json(200, { floating_ip: novaView(f) });
}

/**
 * `POST /os-floating-ips` with an unwrapped, optional `{"pool"}` (default `nova`): the lowest
 * free address of the pool goes to the token's project (404 `No more floating ips in pool`
 * when none is left, 403 over quota). Neutron clouds: the pool is an external network name.
 */
async function allocate(c: NovaCall): Promise<SimReply> {
  gate(c, 'proxy');
  const b = await c.req.json<Record<string, unknown>>(true);
  const pool = str(b['pool']) ?? DEFAULT_POOL;
  const { store } = c;
  const limit = limitsOf(store, c.projectId)['floating_ips'] ?? 10;
  if (limit >= 0 && (usageOf(store, c.projectId)['floating_ips'] ?? 0) >= limit) throw forbidden('Maximum number of floating ips exceeded');
  if (store.profile.neutron) {
    const net = store.networks.find((n) => n.external && (n.name === pool || n.id === pool));
    if (!net) throw notFound('Floating IP pool not found.');
    let address: string | undefined;
    for (const sub of net.subnets) if ((address = store.pools.get(sub)?.allocate())) break;
    if (!address) throw notFound(`No more floating ips in pool ${pool}.`);
    const f = store.floatingIps.insert({
      id: store.ids.uuid(), address, floatingNetworkId: net.id, routerId: null, portId: null, fixedIpAddress: null, projectId: c.projectId, status: 'DOWN', description: '', createdAt: store.now(),
    });
    return json(200, { floating_ip: neutronView(store, f) });
  }
  let free: NovaFloatingIpRecord | undefined;
  for (const f of store.novaFloatingIps.values()) if (f.pool === pool && f.projectId === null && f.fixedAddress === null && (!free || f.id < free.id)) free = f;
  if (!free) throw notFound(`No more floating ips in pool ${pool}.`);
  free.projectId = c.projectId;
  store.pools.get(`floating:${pool}`)?.take(free.address);
  return json(200, { floating_ip: novaView(free) });
}

function release(c: NovaCall): SimReply {
  gate(c, 'proxy');
  const id = c.req.params['id']!;
  const { store } = c;
  if (store.profile.neutron) {
    const f = store.floatingIps.get(id);
    if (!f || f.projectId !== c.projectId) throw notFound(`Floating IP not found for ID ${id}`);
    const net = store.networks.get(f.floatingNetworkId);
    for (const sub of net?.subnets ?? []) store.pools.get(sub)?.release(f.address);
    store.floatingIps.delete(f.id);
    return empty(202);
  }
  const f = store.novaFloatingIps.get(Number(id));
  if (!f || f.projectId !== c.projectId) throw notFound(`Floating ip not found for id ${id}`);
  const server = f.instanceUuid ? store.servers.get(f.instanceUuid) : undefined;
  Object.assign(f, { projectId: null, fixedAddress: null, instanceUuid: null, host: null, autoAssigned: false });
  store.pools.get(`floating:${f.pool}`)?.release(f.address);
  if (server) refreshAddresses(store, server);
  return empty(202);
}

function pools(c: NovaCall): SimReply {
  gate(c, 'proxy');
  const { store } = c;
  const names = store.profile.neutron ? store.networks.filter((n) => n.external).map((n) => n.name) : [...new Set([...store.novaFloatingIps.values()].map((f) => f.pool))].sort();
  return json(200, { floating_ip_pools: names.map((name) => ({ name })) });
}

// ---- os-floating-ips-bulk (admin, nova-network only)

function bulkView(store: SimStore, f: NovaFloatingIpRecord): Record<string, unknown> {
  return { address: f.address, pool: f.pool, interface: f.interface, project_id: f.projectId, instance_uuid: f.instanceUuid, fixed_ip: f.fixedAddress };
}

function bulkList(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-floating-ips-bulk');
  gate(c, 'nova-network-only');
  const host = c.req.params['host'];
  const rows = c.store.novaFloatingIps.filter((f) => host === undefined || f.host === host).sort((a, b) => a.id - b.id);
  return json(200, { floating_ip_info: rows.map((f) => bulkView(c.store, f)) });
}

/** The addresses of `ip_range`: one address, or the hosts of a CIDR (netaddr's `iter_hosts`). */
function rangeOf(range: string): string[] {
  if (!range.includes('/')) return [range];
  const c = parseCidr(range);
  if (c.prefix >= 31) return Array.from({ length: 2 ** (32 - c.prefix) }, (_, i) => intToIp(c.network + i));
  if (c.last - c.first > 65535) throw badRequest(`/${c.prefix} is too large.`);
  return Array.from({ length: c.last - c.first + 1 }, (_, i) => intToIp(c.first + i));
}

async function bulkCreate(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-floating-ips-bulk');
  gate(c, 'nova-network-only');
  const b = (await c.req.json<Record<string, unknown>>())['floating_ips_bulk_create'] as Record<string, unknown> | undefined;
  const range = str(b?.['ip_range']);
  if (!range) throw badRequest('Invalid request body: ip_range is required');
  let addresses: string[];
  try {
    addresses = rangeOf(range);
    for (const a of addresses) ipToInt(a);
  } catch (err) {
    if (err instanceof SimHttpError) throw err;
    throw badRequest(`${range} is not a valid IP network`);
  }
  const pool = str(b?.['pool']) ?? DEFAULT_POOL;
  const iface = str(b?.['interface']) ?? 'eth0';
  const { store } = c;
  const existing = new Set([...store.novaFloatingIps.values()].map((f) => f.address));
  const dup = addresses.find((a) => existing.has(a));
  if (dup) throw badRequest(`Floating ip ${dup} already exists.`);
  for (const address of addresses) {
    store.novaFloatingIps.insert({ id: store.ids.next('floating_ip'), address, pool, interface: iface, projectId: null, fixedAddress: null, instanceUuid: null, host: null, autoAssigned: false });
  }
  return json(200, { floating_ips_bulk_create: { ip_range: range, pool, interface: iface } });
}

async function bulkDelete(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-floating-ips-bulk');
  gate(c, 'nova-network-only');
  const range = str((await c.req.json<Record<string, unknown>>())['ip_range']);
  if (!range) throw badRequest('Invalid request body: ip_range is required');
  const wanted = new Set(rangeOf(range));
  for (const f of c.store.novaFloatingIps.filter((x) => wanted.has(x.address))) {
    c.store.pools.get(`floating:${f.pool}`)?.release(f.address);
    c.store.novaFloatingIps.delete(f.id);
  }
  return json(200, { floating_ips_bulk_delete: range });
}

// ---- server actions

/**
 * `addFloatingIp {"address", "fixed_address"?}`: nova-network checks that the caller's
 * project owns the address (an ADMIN skips that check, so an unallocated bulk address can be
 * attached directly: legacy-apis.md §2.7); Neutron clouds associate the floating IP with the
 * server's port. Gone from microversion 2.44.
 */
export const addFloatingIp: ServerAction = (c, s, arg) => {
  if (c.mv >= 44) throw notFound('The resource could not be found.');
  const a = (arg ?? {}) as Record<string, unknown>;
  const address = str(a['address']);
  if (!address) throw badRequest('Address not specified');
  const fixedWanted = str(a['fixed_address']);
  const { store } = c;
  if (store.profile.neutron) {
    const f = store.floatingIps.find((x) => x.address === address && (c.auth.isAdmin || x.projectId === c.projectId));
    if (!f) throw notFound(`floating IP not found`);
    const ports = store.ports.filter((p) => p.deviceId === s.id && p.deviceOwner.startsWith('compute:'));
    const port = ports.find((p) => fixedWanted === undefined || p.fixedIps.some((x) => x.ipAddress === fixedWanted));
    const fixed = port?.fixedIps.find((x) => fixedWanted === undefined || x.ipAddress === fixedWanted);
    if (!port || !fixed) throw badRequest(fixedWanted ? 'Specified fixed address not assigned to instance' : 'No nw_info cache associated with instance');
    const router = store.routers.find((r) => store.ports.find((p) => p.deviceId === r.id && p.deviceOwner === 'network:router_interface' && p.fixedIps.some((x) => x.subnetId === fixed.subnetId)) !== undefined);
    if (!router || router.gateway?.networkId !== f.floatingNetworkId) throw badRequest(`External network ${f.floatingNetworkId} is not reachable from subnet ${fixed.subnetId}.`);
    Object.assign(f, { portId: port.id, fixedIpAddress: fixed.ipAddress, routerId: router.id, status: 'ACTIVE' });
    refreshAddresses(store, s);
    return empty(202);
  }
  const f = store.novaFloatingIps.find((x) => x.address === address);
  if (!f || (!c.auth.isAdmin && f.projectId !== c.projectId)) throw notFound(`floating ip not found`);
  const fixedRows = store.fixedIps.filter((x) => x.instanceUuid === s.id && x.allocated);
  if (fixedRows.length === 0) throw badRequest('No fixed ips associated to instance');
  const fixed = fixedWanted === undefined ? fixedRows[0]! : fixedRows.find((x) => x.id === fixedWanted);
  if (!fixed) throw badRequest('Specified fixed address not assigned to instance');
  if (f.fixedAddress !== null && f.instanceUuid !== s.id) throw badRequest('floating ip is already associated');
  Object.assign(f, { fixedAddress: fixed.id, instanceUuid: s.id, host: s.host });
  refreshAddresses(store, s);
  return empty(202);
};

/** `removeFloatingIp {"address"}`: 422 (legacy) / 409 (v2.1) when it is not on this server. */
export const removeFloatingIp: ServerAction = (c, s, arg) => {
  if (c.mv >= 44) throw notFound('The resource could not be found.');
  const address = str(((arg ?? {}) as Record<string, unknown>)['address']);
  if (!address) throw badRequest('Address not specified');
  const { store } = c;
  const notHere = () => new SimHttpError(c.root === 'v2' ? 422 : 409, `Floating IP ${address} is not associated with instance ${s.id}.`);
  if (store.profile.neutron) {
    const f = store.floatingIps.find((x) => x.address === address && (c.auth.isAdmin || x.projectId === c.projectId));
    if (!f) throw notFound('floating IP not found');
    const port = f.portId ? store.ports.get(f.portId) : undefined;
    if (!port || port.deviceId !== s.id) throw notHere();
    Object.assign(f, { portId: null, fixedIpAddress: null, routerId: null, status: 'DOWN' });
    refreshAddresses(store, s);
    return empty(202);
  }
  const f = store.novaFloatingIps.find((x) => x.address === address);
  if (!f || (!c.auth.isAdmin && f.projectId !== c.projectId)) throw notFound('floating ip not found');
  if (f.instanceUuid !== s.id) throw notHere();
  Object.assign(f, { fixedAddress: null, instanceUuid: null, host: null });
  refreshAddresses(store, s);
  return empty(202);
};

/** os-floating-ips, os-floating-ip-pools, os-floating-ips-bulk (legacy-apis.md §2.7). */
export function floatingIpRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-floating-ips', auth: 'token', handler: list },
    { method: 'POST', path: '/os-floating-ips', auth: 'token', handler: allocate },
    { method: 'GET', path: '/os-floating-ips/{id}', auth: 'token', handler: show },
    { method: 'DELETE', path: '/os-floating-ips/{id}', auth: 'token', handler: release },
    { method: 'GET', path: '/os-floating-ip-pools', auth: 'token', handler: pools },
    { method: 'GET', path: '/os-floating-ips-bulk', auth: 'token', handler: bulkList },
    { method: 'POST', path: '/os-floating-ips-bulk', auth: 'token', handler: bulkCreate },
    { method: 'PUT', path: '/os-floating-ips-bulk/delete', auth: 'token', handler: bulkDelete },
    { method: 'GET', path: '/os-floating-ips-bulk/{host}', auth: 'token', handler: bulkList },
  ];
}
