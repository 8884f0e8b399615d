import { badRequest, conflict, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { FloatingIpRecord, NetworkRecord, SubnetRecord } from '../../store/types/network.js';
import { claimAddress, nextAddress, releaseAddress } from './addresses.js';
import {
  badResource, describedAttrs, ownerFor, readOnly, REQUIRED, resourceBody, RW, tenantAttrs, text,
  type AttributeTable, type NeutronCall, type NeutronRoute,
} from './call.js';
import { renderContext, render } from './fields.js';
import { inCidr, normalizeIp, parseCidrAny, parseIp } from './ip.js';
import { listReply } from './listing.js';
import { floatingIpOf, notFoundOf, ownerVisible, requireOwner } from './lookup.js';
import { checkQuota } from './quotas.js';
import { floatingIpFields } from './render.js';
import { interfacePortsOf } from './router-interfaces.js';
import { attrsOf, forget, touch } from './standard-attrs.js';

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  return {
    ...readOnly('id', 'status', 'router_id'),
    floating_network_id: REQUIRED,
    // Kilo+ lets an admin choose the address; before, l3.py had allow_post False.
    floating_ip_address: p.floatingIpAddressChoice ? { post: true, put: false, admin: true } : { post: false, put: false },
    port_id: RW,
    fixed_ip_address: RW,
    ...tenantAttrs(p),
    ...describedAttrs(p),
    ...(p.neutronModernApi ? { subnet_id: { post: true, put: false }, ...readOnly('port_details') } : {}),
  };
}

const reply = (c: NeutronCall, status: number, f: FloatingIpRecord) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return json(status, { floatingip: render(floatingIpFields(ctx), f, ctx) });
};

function listFloatingIps(c: NeutronCall): SimReply {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return listReply(c, {
    collection: 'floatingips', urlPath: '/v2.0/floatingips', rows: c.store.floatingIps.values(), visible: (f) => ownerVisible(c, f), fields: floatingIpFields(ctx), ctx,
    notFound: notFoundOf.floatingip, exists: (id) => c.store.floatingIps.has(id), tagsOf: (f) => attrsOf(c.store, 'floatingips', f.id, f.createdAt).tags,
  });
}

const v4Subnets = (c: NeutronCall, n: NetworkRecord): SubnetRecord[] =>
  n.subnets.map((id) => c.store.subnets.get(id)).filter((s): s is SubnetRecord => s !== undefined && s.ipVersion === 4);

function subnetHolding(c: NeutronCall, n: NetworkRecord, ip: string): SubnetRecord | undefined {
  return v4Subnets(c, n).find((s) => {
    const cidr = parseCidrAny(s.cidr);
    return cidr !== undefined && inCidr(cidr, ip);
  });
}

/** An address on the external network: the one asked for (409 when held) or the next free one. */
function takeAddress(c: NeutronCall, n: NetworkRecord, wanted: unknown, subnetId: unknown): string {
  if (wanted !== undefined) {
    const ip = typeof wanted === 'string' && parseIp(wanted)?.version === 4 ? normalizeIp(wanted) : undefined;
    if (!ip) throw badRequest(`Invalid input for floating_ip_address. Reason: '${String(wanted)}' is not a valid IP address.`);
    const s = subnetHolding(c, n, ip);
    if (!s) throw badRequest(`IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, 'InvalidIpForNetwork');
    return claimAddress(c.store, s, ip);
  }
  const subnets = v4Subnets(c, n).filter((s) => subnetId === undefined || s.id === subnetId);
  for (const s of subnets) {
    const ip = nextAddress(c.store, s);
    if (ip !== undefined) return ip;
  }
  throw conflict(`No more IP addresses available on network ${n.id}.`, 'IpAddressGenerationFailure');
}

function giveBack(c: NeutronCall, f: FloatingIpRecord): void {
  const n = c.store.networks.get(f.floatingNetworkId);
  const s = n ? subnetHolding(c, n, f.address) : undefined;
  if (s) releaseAddress(c.store, s.id, f.address);
}

/**
 * Points a floating IP at a port (and one of its IPv4 addresses), as l3_db does: the port
 * belongs to the floating IP's project (unless an admin asks), the address is the port's, and a
 * router must join the port's subnet to the floating IP's network, with its gateway there:
 * 404 `ExternalGatewayForFloatingIPNotFound` otherwise (DESIGN §8: gateway and interface first).
 */
function associate(c: NeutronCall, f: Pick<FloatingIpRecord, 'id' | 'address' | 'floatingNetworkId' | 'projectId'>, portId: string, fixedRaw: unknown): { portId: string; fixedIpAddress: string; routerId: string } {
  const port = c.store.ports.get(portId);
  if (!port) throw notFoundOf.port(portId);
  if (!c.isAdmin && port.projectId !== f.projectId) {
    throw badResource('floatingip', `Cannot create floating IP and bind it to Port ${portId}, since that port is owned by a different tenant.`);
  }
  const v4 = port.fixedIps.filter((x) => parseIp(x.ipAddress)?.version === 4);
  let fixed: { subnetId: string; ipAddress: string } | undefined;
  if (fixedRaw !== undefined && fixedRaw !== null) {
    const want = typeof fixedRaw === 'string' ? normalizeIp(fixedRaw) : String(fixedRaw);
    fixed = v4.find((x) => x.ipAddress === want);
    if (!fixed) throw badResource('floatingip', `Port ${portId} does not have fixed ip ${want}.`);
  } else {
    if (v4.length === 0) throw badResource('floatingip', `Cannot add floating IP to port ${portId} that has no fixed IPv4 addresses`);
    if (v4.length > 1) throw badResource('floatingip', `Port ${portId} has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP`);
    fixed = v4[0];
  }
  if (!fixed) throw new Error('unreachable: a fixed IP was chosen');
  const subnetId = fixed.subnetId;
  const router = c.store.routers.find((r) => r.gateway?.networkId === f.floatingNetworkId && interfacePortsOf(c.store, r.id).some((p) => p.fixedIps.some((x) => x.subnetId === subnetId)));
  if (!router) {
    throw notFound(
      `External network ${f.floatingNetworkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`,
      'ExternalGatewayForFloatingIPNotFound',
    );
  }
  const other = c.store.floatingIps.find((x) => x.id !== f.id && x.portId === portId && x.fixedIpAddress === fixed.ipAddress && x.floatingNetworkId === f.floatingNetworkId);
  if (other) {
    throw conflict(
      `Cannot associate floating IP ${f.address} (${f.id}) with port ${portId} using fixed IP ${fixed.ipAddress}, as that fixed IP already has a floating IP on external network ${f.floatingNetworkId}.`,
      'FloatingIPPortAlreadyAssociated',
    );
  }
  return { portId, fixedIpAddress: fixed.ipAddress, routerId: router.id };
}

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'floatingip', attributes(c), 'create');
  const networkId = String(b['floating_network_id']);
  const network = c.store.networks.get(networkId);
  if (!network) throw notFoundOf.network(networkId);
  if (!network.external) throw badResource('floatingip', `Network ${networkId} is not a valid external network.`);
  const projectId = ownerFor(c, b);
  checkQuota(c, 'floatingip', projectId);
  const id = c.store.ids.uuid();
  const address = takeAddress(c, network, b['floating_ip_address'], b['subnet_id']);
  let assoc: ReturnType<typeof associate> | undefined;
  try {
    const portId = b['port_id'];
    if (typeof portId === 'string') assoc = associate(c, { id, address, floatingNetworkId: network.id, projectId }, portId, b['fixed_ip_address']);
  } catch (err) {
    const s = subnetHolding(c, network, address);
    if (s) releaseAddress(c.store, s.id, address);
    throw err;
  }
  const f = c.store.floatingIps.insert({
    id, address, floatingNetworkId: network.id, routerId: assoc?.routerId ?? null, portId: assoc?.portId ?? null, fixedIpAddress: assoc?.fixedIpAddress ?? null,
    projectId, status: assoc ? 'ACTIVE' : 'DOWN', description: b['description'] === undefined ? '' : text('description', b['description']), createdAt: c.store.now(),
  });
  return reply(c, 201, f);
}

async function update(c: NeutronCall): Promise<SimReply> {
  const f = floatingIpOf(c, c.req.params['id']);
  requireOwner(c, f, 'update_floatingip');
  const b = await resourceBody(c, 'floatingip', attributes(c), 'update');
  const portId = 'port_id' in b ? b['port_id'] : f.portId;
  if (portId === null || portId === undefined) {
    if ('port_id' in b || 'fixed_ip_address' in b) Object.assign(f, { portId: null, fixedIpAddress: null, routerId: null, status: 'DOWN' as const });
  } else if ('port_id' in b || 'fixed_ip_address' in b) {
    const a = associate(c, f, String(portId), b['fixed_ip_address']);
    Object.assign(f, { ...a, status: 'ACTIVE' as const });
  }
  if (b['description'] !== undefined) f.description = text('description', b['description']);
  touch(c.store, 'floatingips', f.id, f.createdAt);
  return reply(c, 200, f);
}

function remove(c: NeutronCall): SimReply {
  const f = floatingIpOf(c, c.req.params['id']);
  requireOwner(c, f, 'delete_floatingip');
  giveBack(c, f);
  c.store.floatingIps.delete(f.id);
  forget(c.store, f.id);
  return empty(204);
}

export function floatingIpRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/floatingips', handler: listFloatingIps },
    { method: 'POST', path: '/floatingips', handler: create },
    { method: 'GET', path: '/floatingips/{id}', handler: (c) => reply(c, 200, floatingIpOf(c, c.req.params['id'])) },
    { method: 'PUT', path: '/floatingips/{id}', handler: update },
    { method: 'DELETE', path: '/floatingips/{id}', handler: remove },
  ];
}
