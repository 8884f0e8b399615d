import { conflict, notFound } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import { macFrom } from '../../store/addresses.js';
import type { SimStore } from '../../store/store.js';
import type { PortRecord, RouterRecord, SubnetRecord } from '../../store/types/network.js';
import { badResource, type NeutronCall, type NeutronRoute } from './call.js';
import { claimAddress } from './addresses.js';
import { releaseFixedIps } from './fixed-ips.js';
import { inCidr, overlaps, parseCidrAny } from './ip.js';
import { portOf, requireOwner, routerOf, subnetOf } from './lookup.js';
import { forget, touch } from './standard-attrs.js';

/** The router's interface ports (device_owner `network:router_interface`). */
export function interfacePortsOf(store: SimStore, routerId: string): PortRecord[] {
  return store.ports.filter((p) => p.deviceId === routerId && p.deviceOwner === 'network:router_interface');
}

/** `{"subnet_id"}` or `{"port_id"}`: exactly one (400 otherwise, in l3_db's words). */
async function target(c: NeutronCall): Promise<{ readonly subnetId?: string; readonly portId?: string }> {
  const b = await c.req.json<Record<string, unknown>>(true);
  const subnetId = typeof b['subnet_id'] === 'string' ? b['subnet_id'] : undefined;
  const portId = typeof b['port_id'] === 'string' ? b['port_id'] : undefined;
  if (subnetId === undefined && portId === undefined) throw badResource('router', 'Either subnet_id or port_id must be specified');
  return { ...(subnetId !== undefined ? { subnetId } : {}), ...(portId !== undefined ? { portId } : {}) };
}

/** What add/remove_router_interface answer: `{id, tenant_id, port_id, subnet_id}` (+ network_id, subnet_ids modern). */
function answer(c: NeutronCall, router: RouterRecord, port: PortRecord, subnetId: string): SimReply {
  const body: Record<string, unknown> = { id: router.id, tenant_id: router.projectId, port_id: port.id };
  if (c.profile.neutronModernApi) body['network_id'] = port.networkId;
  body['subnet_id'] = subnetId;
  if (c.profile.neutronModernApi) body['subnet_ids'] = port.fixedIps.map((f) => f.subnetId);
  return json(200, body);
}

/** Refuses a second interface on the same subnet, or one whose CIDR overlaps another interface's. */
function checkNewSubnet(c: NeutronCall, router: RouterRecord, subnet: SubnetRecord): void {
  const dot = c.profile.neutronModernApi ? '.' : '';
  const cidr = parseCidrAny(subnet.cidr);
  for (const p of interfacePortsOf(c.store, router.id)) {
    for (const f of p.fixedIps) {
      if (f.subnetId === subnet.id) throw badResource('router', `Router already has a port on subnet ${subnet.id}${dot}`);
      const other = c.store.subnets.get(f.subnetId);
      const oc = other ? parseCidrAny(other.cidr) : undefined;
      if (other && oc && cidr && overlaps(oc, cidr)) {
        throw badResource('router', `Cidr ${subnet.cidr} of subnet ${subnet.id} overlaps with cidr ${other.cidr} of subnet ${other.id}`);
      }
    }
  }
}

async function add(c: NeutronCall): Promise<SimReply> {
  const router = routerOf(c, c.req.params['id']);
  requireOwner(c, router, 'add_router_interface');
  const t = await target(c);
  if (t.portId !== undefined && t.subnetId !== undefined) throw badResource('router', 'Cannot specify both subnet-id and port-id');
  if (t.portId !== undefined) {
    const port = portOf(c, t.portId);
    if (port.deviceId !== '') {
      throw conflict(`Unable to complete operation on port ${port.id} for network ${port.networkId}. Port already has an attached device ${port.deviceId}.`, 'PortInUse');
    }
    const first = port.fixedIps[0];
    if (!first) throw badResource('router', 'Router port must have at least one fixed IP');
    for (const f of port.fixedIps) {
      const s = c.store.subnets.get(f.subnetId);
      if (s) checkNewSubnet(c, router, s);
    }
    Object.assign(port, { deviceId: router.id, deviceOwner: 'network:router_interface', status: 'ACTIVE', securityGroups: [] });
    touch(c.store, 'ports', port.id, port.createdAt);
    touch(c.store, 'routers', router.id, router.createdAt);
    return answer(c, router, port, first.subnetId);
  }
  const subnet = subnetOf(c, t.subnetId);
  if (subnet.gatewayIp === null) throw badResource('router', 'Subnet for router interface must have a gateway IP');
  checkNewSubnet(c, router, subnet);
  const ip = claimAddress(c.store, subnet, subnet.gatewayIp);
  const port = c.store.ports.insert({
    id: c.store.ids.uuid(), name: '', networkId: subnet.networkId, projectId: subnet.projectId, macAddress: macFrom(c.store.rng),
    fixedIps: [{ subnetId: subnet.id, ipAddress: ip }], deviceId: router.id, deviceOwner: 'network:router_interface', status: 'ACTIVE',
    adminStateUp: true, securityGroups: [], bindingHostId: '', allowedAddressPairs: [], description: '', createdAt: c.store.now(),
  });
  touch(c.store, 'routers', router.id, router.createdAt);
  return answer(c, router, port, subnet.id);
}

/**
 * Takes an interface off: by subnet (404 `RouterInterfaceNotFoundForSubnet`) or by port
 * (404 `RouterInterfaceNotFound`). The port is deleted, unless other subnets' addresses stay
 * on it. Floating IPs reaching their ports through it, or a static route whose next hop is on
 * the subnet, make it a 409.
 */
async function removeInterface(c: NeutronCall): Promise<SimReply> {
  const router = routerOf(c, c.req.params['id']);
  requireOwner(c, router, 'remove_router_interface');
  const t = await target(c);
  const ports = interfacePortsOf(c.store, router.id);
  let port: PortRecord | undefined;
  let subnetIds: string[];
  if (t.portId !== undefined) {
    port = ports.find((p) => p.id === t.portId);
    if (!port) throw notFound(`Router ${router.id} does not have an interface with id ${t.portId}`, 'RouterInterfaceNotFound');
    subnetIds = port.fixedIps.map((f) => f.subnetId);
  } else {
    const subnetId = t.subnetId ?? '';
    subnetOf(c, subnetId);
    port = ports.find((p) => p.fixedIps.some((f) => f.subnetId === subnetId));
    if (!port) throw notFound(`Router ${router.id} has no interface on subnet ${subnetId}`, 'RouterInterfaceNotFoundForSubnet');
    subnetIds = [subnetId];
  }
  for (const subnetId of subnetIds) {
    const cidr = parseCidrAny(c.store.subnets.get(subnetId)?.cidr ?? '');
    const used = c.store.floatingIps.find((f) => f.routerId === router.id && f.fixedIpAddress !== null && cidr !== undefined && inCidr(cidr, f.fixedIpAddress));
    if (used) {
      throw conflict(`Router interface for subnet ${subnetId} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`, 'RouterInterfaceInUseByFloatingIP');
    }
    // extraroute: a route's next hop must stay on a plugged subnet.
    if (cidr !== undefined && router.routes.some((r) => inCidr(cidr, r.nexthop))) {
      throw conflict(`Router interface for subnet ${subnetId} on router ${router.id} cannot be deleted, as it is required by one or more routes.`, 'RouterInterfaceInUseByRoute');
    }
  }
  const reply = answer(c, router, port, subnetIds[0] ?? '');
  const leaving = port.fixedIps.filter((f) => subnetIds.includes(f.subnetId));
  releaseFixedIps(c.store, leaving);
  port.fixedIps = port.fixedIps.filter((f) => !subnetIds.includes(f.subnetId));
  if (port.fixedIps.length === 0 || t.portId !== undefined) {
    releaseFixedIps(c.store, port.fixedIps);
    c.store.ports.delete(port.id);
    forget(c.store, port.id);
  }
  touch(c.store, 'routers', router.id, router.createdAt);
  return reply;
}

export function routerInterfaceRoutes(): NeutronRoute[] {
  return [
    { method: 'PUT', path: '/routers/{id}/add_router_interface', handler: add },
    { method: 'PUT', path: '/routers/{id}/remove_router_interface', handler: removeInterface },
  ];
}

