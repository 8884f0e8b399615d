import { conflict, notFound, notImplemented, SimHttpError } from '../../../http/errors.js';
import { empty, json, type SimReply } from '../../../http/reply.js';
import { AddressPool, intToIp, ipToInt, parseCidr } from '../../../store/addresses.js';
import { addNovaNetwork } from '../../../store/bootstrap.js';
import type { NetworkRecord, NovaNetworkRecord } from '../../../store/types/network.js';
import { sharedWith } from '../../network/rbac-records.js';
import { bodyOf, requireAdmin, str, truthy, type NovaCall, type NovaRoute } from '../context.js';
import { gate } from './availability.js';

/** The os-networks view: the common fields for everyone, the DB row's other columns for admins (Juno adds extended-networks). */
function view(c: NovaCall, n: NovaNetworkRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: n.id, cidr: n.cidr, netmask: n.netmask, gateway: n.gateway, broadcast: n.broadcast, dns1: n.dns1, dns2: n.dns2,
    cidr_v6: n.cidrV6, gateway_v6: null, label: n.label, netmask_v6: null,
  };
  if (!c.auth.isAdmin) return out;
  const created = n.createdAt.replace('Z', '.000000');
  Object.assign(out, {
    created_at: created, updated_at: null, deleted_at: null, deleted: false, injected: false, bridge: n.bridge, vlan: n.vlan,
    vpn_public_address: n.vlan !== null ? n.gateway : null, vpn_public_port: n.vlan !== null ? 1000 + n.vlan : null, vpn_private_address: n.vlan !== null ? intToIp(ipToInt(n.gateway) + 1) : null,
    dhcp_start: n.dhcpStart, project_id: n.projectId, host: n.host, bridge_interface: n.bridgeInterface, multi_host: n.multiHost, priority: n.priority, rxtx_base: null,
  });
  if (c.profile.novaExtendedNetworks) Object.assign(out, { mtu: n.mtu, dhcp_server: n.gateway, enable_dhcp: n.enableDhcp, share_address: n.shareAddress });
  return out;
}

/** A Neutron network as Nova's proxy renders it: id and label, the nova-network columns empty. */
function neutronView(c: NovaCall, n: NetworkRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: n.id, cidr: null, netmask: null, gateway: null, broadcast: null, dns1: null, dns2: null, cidr_v6: null, gateway_v6: null, label: n.name, netmask_v6: null };
  if (c.auth.isAdmin) Object.assign(out, { project_id: n.projectId, bridge: null, vlan: null, multi_host: null, host: null, dhcp_start: null });
  return out;
}

/** Networks the caller sees: all for an admin, the project's and the shared (project-less) ones otherwise. */
function visible(c: NovaCall): NovaNetworkRecord[] {
  return c.store.novaNetworks.filter((n) => c.auth.isAdmin || n.projectId === null || n.projectId === c.projectId);
}

function networkOf(c: NovaCall): NovaNetworkRecord {
  const id = c.req.params['id']!;
  const n = c.store.novaNetworks.get(id);
  if (!n || !visible(c).includes(n)) throw notFound('Network not found');
  return n;
}

function list(c: NovaCall): SimReply {
  gate(c, 'proxy');
  if (c.profile.neutron) return json(200, { networks: c.store.networks.filter((n) => c.auth.isAdmin || n.projectId === c.projectId || sharedWith(c.store, n, c.projectId)).map((n) => neutronView(c, n)) });
  return json(200, { networks: visible(c).map((n) => view(c, n)) });
}

function show(c: NovaCall): SimReply {
  gate(c, 'proxy');
  if (c.profile.neutron) {
    const n = c.store.networks.get(c.req.params['id']!);
    if (!n || (!c.auth.isAdmin && n.projectId !== c.projectId && !sharedWith(c.store, n, c.projectId))) throw notFound('Network not found');
    return json(200, { network: neutronView(c, n) });
  }
  return json(200, { network: view(c, networkOf(c)) });
}

/**
 * `POST /os-networks` (admin): one network of the CIDR's size. A missing label or CIDR is a
 * 422 on Havana/Icehouse and a 400 on Juno; an overlapping CIDR a 409. VLAN mode takes `vlan`
 * or `vlan_start` (else the next free tag from 100) and its bridge `br<vlan>`.
 */
async function create(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-networks:create');
  gate(c, 'nova-network-only');
  const b = await bodyOf(c, 'network');
  const bad = (message: string) => new SimHttpError(c.profile.novaNetworkCreateErrorStatus, message, 'HTTPBadRequest');
  const label = str(b['label']);
  if (!label) throw bad('Network label is required');
  const cidr = str(b['cidr']);
  if (!cidr && !str(b['cidr_v6'])) throw bad('cidr or cidr_v6 is required');
  if (!cidr) throw bad('IPv6-only networks are not simulated');
  let parsed;
  try {
    parsed = parseCidr(cidr);
  } catch {
    throw bad(`Invalid CIDR: ${cidr}`);
  }
  const normalized = `${intToIp(parsed.network)}/${parsed.prefix}`;
  for (const other of c.store.novaNetworks.values()) {
    const o = parseCidr(other.cidr);
    if (parsed.network <= o.last + 1 && o.network <= parsed.last + 1) throw conflict(`Requested cidr (${normalized}) conflicts with existing cidr (${other.cidr})`);
  }
  const { store } = c;
  let vlan: number | null = null;
  if (store.profile.network === 'nova-network:vlan') {
    const asked = Number(b['vlan'] ?? b['vlan_start'] ?? NaN);
    const used = new Set(store.novaNetworks.filter((n) => n.vlan !== null).map((n) => n.vlan));
    if (Number.isInteger(asked)) {
      if (asked < 1 || asked > 4094) throw bad(`Invalid VLAN: ${asked}`);
      if (used.has(asked)) throw conflict(`Unable to create a network: VLAN ${asked} is already in use.`);
      vlan = asked;
    } else {
      vlan = 100;
      while (used.has(vlan)) vlan++;
    }
  }
  const projectId = str(b['project_id']) || null;
  const n = addNovaNetwork(store, { label, cidr: normalized, projectId, vlan });
  const gateway = str(b['gateway']);
  if (gateway && gateway !== n.gateway) {
    store.pools.get(n.id)?.release(gateway);
    n.gateway = gateway;
    store.pools.get(n.id)?.take(gateway);
  }
  const start = str(b['allowed_start']);
  const end = str(b['allowed_end']);
  if (start || end) store.pools.set(n.id, AddressPool.fromRange(start ?? intToIp(parsed.first + 2), end ?? intToIp(parsed.last)));
  if (str(b['bridge'])) n.bridge = str(b['bridge'])!;
  if (str(b['bridge_interface'])) n.bridgeInterface = str(b['bridge_interface'])!;
  if (b['multi_host'] !== undefined) n.multiHost = truthy(b['multi_host']);
  if (b['dns1'] !== undefined) n.dns1 = str(b['dns1']) ?? null;
  if (b['dns2'] !== undefined) n.dns2 = str(b['dns2']) ?? null;
  if (b['priority'] !== undefined) n.priority = Number(b['priority']);
  if (c.profile.novaExtendedNetworks) {
    if (b['mtu'] !== undefined) n.mtu = Number(b['mtu']);
    if (b['enable_dhcp'] !== undefined) n.enableDhcp = truthy(b['enable_dhcp']);
    if (b['share_address'] !== undefined) n.shareAddress = truthy(b['share_address']);
  }
  return json(200, { network: view(c, n) });
}

/** `DELETE /os-networks/{id}`: 409 while a project holds it or servers use it (Nova's NetworkInUse), else 202. */
function remove(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-networks:delete');
  gate(c, 'nova-network-only');
  const n = networkOf(c);
  const { store } = c;
  if (n.projectId !== null || store.fixedIps.find((f) => f.networkId === n.id && f.allocated)) throw conflict(`Network ${n.id} is still in use.`);
  for (const f of store.fixedIps.filter((x) => x.networkId === n.id)) store.fixedIps.delete(f.id);
  store.pools.delete(n.id);
  store.novaNetworks.delete(n.id);
  return empty(202);
}

/** `POST /os-networks/add {"id"}`: VLAN mode gives the caller's project a network (a given one, or any free one). */
async function add(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-networks:add');
  gate(c, 'nova-network-only');
  if (c.store.profile.network !== 'nova-network:vlan') throw notImplemented('VLAN support must be enabled');
  const b = await c.req.json<Record<string, unknown>>(true);
  const id = str(b['id']);
  const n = id ? c.store.novaNetworks.get(id) : c.store.novaNetworks.find((x) => x.projectId === null);
  if (!n) throw notFound(id ? 'Network not found' : 'No more available networks.');
  n.projectId = c.projectId;
  return empty(202);
}

/** `POST /os-networks/{id}/action`: disassociate (host and project), disassociate_host/_project, associate_host. */
async function action(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-networks:disassociate');
  gate(c, 'nova-network-only');
  const n = networkOf(c);
  const body = await c.req.json<Record<string, unknown>>();
  if ('associate_host' in body) {
    n.host = str(body['associate_host']) ?? null;
    return empty(202);
  }
  const project = 'disassociate' in body || 'disassociate_project' in body;
  const host = 'disassociate' in body || 'disassociate_host' in body;
  if (!project && !host) throw new SimHttpError(400, `There is no such action: ${Object.keys(body).join(', ')}`);
  // FlatManager cannot disassociate a network (its networks belong to nobody).
  if (c.store.profile.network !== 'nova-network:vlan' && project) throw notImplemented('Disassociate network is not implemented by the configured Network API');
  if (project) n.projectId = null;
  if (host) n.host = null;
  return empty(202);
}

/** os-tenant-networks: the project's and shared networks as `{id, cidr, label}`. */
function tenantList(c: NovaCall): SimReply {
  gate(c, 'proxy');
  if (c.profile.neutron) {
    const nets = c.store.networks.filter((n) => !n.external && (n.projectId === c.projectId || sharedWith(c.store, n, c.projectId)));
    return json(200, { networks: nets.map((n) => ({ id: n.id, cidr: c.store.subnets.get(n.subnets[0] ?? '')?.cidr ?? 'None', label: n.name })) });
  }
  const nets = c.store.novaNetworks.filter((n) => n.projectId === null || n.projectId === c.projectId);
  return json(200, { networks: nets.map((n) => ({ id: n.id, cidr: n.cidr, label: n.label })) });
}

/** os-networks (admin writes) and os-tenant-networks (legacy-apis.md §2.7). */
export function networkRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-networks', auth: 'token', handler: list },
    { method: 'POST', path: '/os-networks', auth: 'token', handler: create },
    { method: 'POST', path: '/os-networks/add', auth: 'token', handler: add },
    { method: 'GET', path: '/os-networks/{id}', auth: 'token', handler: show },
    { method: 'DELETE', path: '/os-networks/{id}', auth: 'token', handler: remove },
    { method: 'POST', path: '/os-networks/{id}/action', auth: 'token', handler: action },
    { method: 'GET', path: '/os-tenant-networks', auth: 'token', handler: tenantList },
  ];
}
