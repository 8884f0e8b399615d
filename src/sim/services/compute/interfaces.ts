import { notFound, notImplemented } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { PortRecord } from '../../store/types/network.js';
import { refreshAddresses } from './addresses.js';
import { bodyOf, str, type NovaCall, type NovaRoute } from './context.js';
import { serverOf } from './lookup.js';
import { checkNics, plugNics } from './nics.js';

function view(c: NovaCall, p: PortRecord): Record<string, unknown> {
  return {
    port_state: p.status,
    fixed_ips: p.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
    port_id: p.id,
    net_id: p.networkId,
    mac_addr: p.macAddress,
    ...(c.mv >= 70 ? { tag: null } : {}),
  };
}

function neutronOnly(c: NovaCall): void {
  if (!c.profile.neutron) throw notImplemented('Network driver does not support this function.');
}

const portsOf = (c: NovaCall, serverId: string) => c.store.ports.filter((p) => p.deviceId === serverId && p.deviceOwner.startsWith('compute:'));

function list(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  neutronOnly(c);
  return json(200, { interfaceAttachments: portsOf(c, s.id).map((p) => view(c, p)) });
}

function show(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  neutronOnly(c);
  const p = portsOf(c, s.id).find((x) => x.id === c.req.params['port']);
  if (!p) throw notFound(`Port ${c.req.params['port']} is not attached`);
  return json(200, { interfaceAttachment: view(c, p) });
}

/** Attaches a port (given, or made on `net_id`) to the server. */
async function attach(c: NovaCall): Promise<SimReply> {
  const s = serverOf(c, c.req.params['id']);
  neutronOnly(c);
  const b = await bodyOf(c, 'interfaceAttachment');
  const portId = str(b['port_id']);
  const netId = str(b['net_id']);
  const fixed = Array.isArray(b['fixed_ips']) ? str((b['fixed_ips'][0] as Record<string, unknown> | undefined)?.['ip_address']) : undefined;
  const nics = checkNics(c.store, s.projectId, c.auth.isAdmin, [portId ? { port: portId } : { uuid: netId, ...(fixed ? { fixed_ip: fixed } : {}) }]);
  const before = new Set(portsOf(c, s.id).map((p) => p.id));
  const groups = c.store.securityGroups.filter((g) => g.projectId === s.projectId && s.securityGroups.includes(g.name)).map((g) => g.id);
  plugNics(c.store, s, nics, groups);
  refreshAddresses(c.store, s);
  const added = portsOf(c, s.id).find((p) => !before.has(p.id))!;
  return json(200, { interfaceAttachment: view(c, added) });
}

function detach(c: NovaCall): SimReply {
  const s = serverOf(c, c.req.params['id']);
  neutronOnly(c);
  const p = portsOf(c, s.id).find((x) => x.id === c.req.params['port']);
  if (!p) throw notFound(`Port ${c.req.params['port']} is not attached`);
  if (s.ports.includes(p.id)) {
    for (const ip of p.fixedIps) c.store.pools.get(ip.subnetId)?.release(ip.ipAddress);
    c.store.ports.delete(p.id);
    s.ports = s.ports.filter((id) => id !== p.id);
  } else {
    Object.assign(p, { deviceId: '', deviceOwner: '', bindingHostId: '', status: 'DOWN' });
  }
  refreshAddresses(c.store, s);
  return empty(202);
}

/** os-interface: the server's Neutron ports (nova-network answers 501, as its driver did). */
export function interfaceRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/servers/{id}/os-interface', auth: 'token', handler: list },
    { method: 'POST', path: '/servers/{id}/os-interface', auth: 'token', handler: attach },
    { method: 'GET', path: '/servers/{id}/os-interface/{port}', auth: 'token', handler: show },
    { method: 'DELETE', path: '/servers/{id}/os-interface/{port}', auth: 'token', handler: detach },
  ];
}
