import { badRequest, conflict, forbidden } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import { macFrom } from '../../store/addresses.js';
import type { NetworkRecord, PortRecord } from '../../store/types/network.js';
import {
  ADMIN_RW, bool, CREATE_ONLY, describedAttrs, list, ownerFor, policy, readOnly, REQUIRED, resourceBody, RW, tenantAttrs, text,
  type AttributeTable, type NeutronCall, type NeutronRoute,
} from './call.js';
import { ensureDefaultGroup } from './default-group.js';
import { renderContext, render } from './fields.js';
import { allocateFixedIps, fixedIpRequests, releaseFixedIps, type FixedIp } from './fixed-ips.js';
import { normalizeIp, parseCidrAny, parseIp } from './ip.js';
import { listReply } from './listing.js';
import { networkOf, notFoundOf, portOf, portVisible } from './lookup.js';
import { checkQuota } from './quotas.js';
import { sharedWith } from './rbac-records.js';
import { portFields, portSecurityOf } from './render.js';
import { attrsOf, forget, touch } from './standard-attrs.js';

/** Owners whose ports only the L3 API may delete. */
const L3_OWNERS = ['network:router_interface', 'network:router_gateway', 'network:floatingip', 'network:router_interface_distributed', 'network:router_ha_interface'];

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  return {
    ...readOnly('id', 'status', 'binding:vif_type', p.portBindingDetails ? 'binding:vif_details' : 'binding:capabilities'),
    name: RW,
    network_id: REQUIRED,
    admin_state_up: RW,
    // Admin or the network's owner (checked below); modern also lets an admin change it on an unbound port.
    mac_address: p.neutronModernApi ? RW : CREATE_ONLY,
    fixed_ips: RW,
    device_id: RW,
    device_owner: RW,
    security_groups: RW,
    allowed_address_pairs: RW,
    extra_dhcp_opts: RW,
    'binding:host_id': ADMIN_RW,
    'binding:profile': ADMIN_RW,
    ...(p.portBindingDetails ? { 'binding:vnic_type': RW } : {}),
    ...tenantAttrs(p),
    ...describedAttrs(p),
    ...(p.neutronModernApi ? { port_security_enabled: RW } : {}),
  };
}

const reply = (c: NeutronCall, status: number, port: PortRecord) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return json(status, { port: render(portFields(ctx), port, ctx) });
};

function listPorts(c: NeutronCall): SimReply {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return listReply(c, {
    collection: 'ports', urlPath: '/v2.0/ports', rows: c.store.ports.values(), visible: (p) => portVisible(c, p), fields: portFields(ctx), ctx,
    notFound: notFoundOf.port, exists: (id) => c.store.ports.has(id), tagsOf: (p) => attrsOf(c.store, 'ports', p.id, p.createdAt).tags,
  });
}

const MAC = /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/;

/** A MAC given by the caller (unique on the network: 409 `MacAddressInUse`) or a new `fa:16:3e` one. */
function macFor(c: NeutronCall, network: NetworkRecord, raw: unknown, exceptPort?: string): string {
  if (raw === undefined) {
    for (;;) {
      const mac = macFrom(c.store.rng);
      if (!c.store.ports.find((p) => p.networkId === network.id && p.macAddress === mac)) return mac;
    }
  }
  if (typeof raw !== 'string' || !MAC.test(raw)) throw badRequest(`Invalid input for mac_address. Reason: '${String(raw)}' is not a valid MAC address.`);
  const mac = raw.toLowerCase();
  if (c.store.ports.find((p) => p.networkId === network.id && p.macAddress === mac && p.id !== exceptPort)) {
    throw conflict(`Unable to complete operation for network ${network.id}. The mac address ${mac} is in use.`, 'MacAddressInUse');
  }
  return mac;
}

/** Group ids of a port: those asked (owned by the port's project), else the project's `default`. */
function groupsFor(c: NeutronCall, projectId: string, deviceOwner: string, raw: unknown): string[] {
  if (raw === undefined || raw === null) {
    if (deviceOwner.startsWith('network:')) return [];
    const g = ensureDefaultGroup(c.store, projectId);
    return g ? [g.id] : [];
  }
  return [...new Set(list('security_groups', raw).map((v) => String(v)))].map((id) => {
    const g = c.store.securityGroups.get(id);
    if (!g || (g.projectId !== projectId && !c.isAdmin)) throw notFoundOf.securityGroup(id);
    return g.id;
  });
}

/**
 * Groups asked for a port with port security off: none may be (ML2's
 * `_portsec_ext_port_create_processing`), and the project's `default` is not added.
 */
function noGroups(raw: unknown): string[] {
  if (raw !== undefined && raw !== null && list('security_groups', raw).length > 0) throw groupsNeedPortSecurity();
  return [];
}

const groupsNeedPortSecurity = () =>
  badRequest('Port security must be enabled and port must have an IP address in order to use security groups.', 'PortSecurityAndIPRequiredForSecurityGroups');

const pairsNeedPortSecurity = () =>
  conflict('Port Security must be enabled in order to have allowed address pairs on a port.', 'AddressPairAndPortSecurityRequired');

/** Neutron's VNIC_TYPES: Juno's three; Zed's whole list (baremetal from Kilo, direct-physical from Liberty, ...). */
const JUNO_VNIC_TYPES = ['normal', 'direct', 'macvtap'];
const ZED_VNIC_TYPES = ['normal', 'direct', 'macvtap', 'baremetal', 'direct-physical', 'virtio-forwarder', 'smart-nic', 'vdpa', 'accelerator-direct', 'accelerator-direct-physical', 'remote-managed'];

/** A requested `binding:vnic_type`, refused in the release's words when it is not one Neutron knows. */
function vnicTypeOf(c: NeutronCall, raw: unknown): string {
  const valid = c.profile.neutronModernApi ? ZED_VNIC_TYPES : JUNO_VNIC_TYPES;
  if (typeof raw === 'string' && valid.includes(raw)) return raw;
  // Zed's message (seen); Juno's validator names the list.
  throw badRequest(c.profile.neutronModernApi ? `Invalid input for binding:vnic_type. Reason: ${String(raw)} is not in valid_values.` : `Invalid input for binding:vnic_type. Reason: '${String(raw)}' is not in [${valid.map((v) => `'${v}'`).join(', ')}].`);
}

type DhcpOpt = NonNullable<PortRecord['extraDhcpOpts']>[number];

/**
 * The options after a create (`current` empty) or an update: each one asked replaces the one
 * of the same name and IP version, and a null value removes it (as on an update Neutron
 * does). `ip_version` (Kilo+, default 4) is an unknown key for the legacy profiles.
 */
function dhcpOptions(c: NeutronCall, current: readonly DhcpOpt[], raw: unknown): DhcpOpt[] {
  const out = [...current];
  for (const item of list('extra_dhcp_opts', raw)) {
    const r = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const keys = Object.keys(r);
    const allowed = c.profile.neutronModernApi ? ['opt_name', 'opt_value', 'ip_version'] : ['opt_name', 'opt_value'];
    if (keys.some((k) => !allowed.includes(k)) || !keys.includes('opt_name') || !keys.includes('opt_value')) {
      throw badRequest(`Invalid input for extra_dhcp_opts. Reason: Validation of dictionary's keys failed. Expected keys: ${allowed.join(', ')} Provided keys: ${keys.join(', ')}.`);
    }
    const name = r['opt_name'];
    if (typeof name !== 'string' || name === '') throw badRequest(`Invalid input for opt_name. Reason: '${String(name)}' is not a valid string.`);
    const version = r['ip_version'] === undefined ? 4 : r['ip_version'];
    if (version !== 4 && version !== 6) throw badRequest(`Invalid input for ip_version. Reason: ${String(version)} is not in [4, 6].`);
    const at = out.findIndex((o) => o.opt_name === name && o.ip_version === version);
    if (at >= 0) out.splice(at, 1);
    const value = r['opt_value'];
    if (value === null) continue;
    if (typeof value !== 'string') throw badRequest(`Invalid input for opt_value. Reason: '${String(value)}' is not a valid string.`);
    out.push({ opt_name: name, opt_value: value, ip_version: version });
  }
  return out;
}

function addressPairs(raw: unknown): PortRecord['allowedAddressPairs'] {
  return list('allowed_address_pairs', raw).map((item) => {
    const r = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const ip = r['ip_address'];
    if (typeof ip !== 'string' || (!parseIp(ip) && !parseCidrAny(ip))) throw badRequest('AllowedAddressPair must contain ip_address', 'AllowedAddressPairsMissingIP');
    const mac = r['mac_address'];
    if (mac !== undefined && (typeof mac !== 'string' || !MAC.test(mac))) throw badRequest(`Invalid input for mac_address. Reason: '${String(mac)}' is not a valid MAC address.`);
    return { ip_address: ip, ...(typeof mac === 'string' ? { mac_address: mac.toLowerCase() } : {}) };
  });
}

/** Setting a MAC or an address needs admin or the network's owner (`admin_or_network_owner`). */
function checkOwnerOnly(c: NeutronCall, network: NetworkRecord, b: Record<string, unknown>, verb: 'create' | 'update'): void {
  if (c.isAdmin || network.projectId === c.projectId) return;
  if (b['mac_address'] !== undefined) throw policy(`${verb}_port`, 'mac_address');
  if (Array.isArray(b['fixed_ips']) && b['fixed_ips'].some((f) => typeof f === 'object' && f !== null && 'ip_address' in f)) throw policy(`${verb}_port`, 'fixed_ips:ip_address');
}

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'port', attributes(c), 'create');
  const network = networkOf(c, String(b['network_id']));
  const projectId = ownerFor(c, b);
  // Neutron's `_validate_network_tenant_ownership`: another project's network takes a port
  // only when shared with the caller; one it merely sees (external) is a 403, as on Zed.
  if (!c.isAdmin && network.projectId !== projectId && !sharedWith(c.store, network, c.projectId)) {
    throw forbidden(`Tenant ${projectId} not allowed to create port on this network`, 'HTTPForbidden');
  }
  checkOwnerOnly(c, network, b, 'create');
  const deviceOwner = b['device_owner'] === undefined ? '' : text('device_owner', b['device_owner']);
  const mac = macFor(c, network, b['mac_address']);
  const portSecurity = b['port_security_enabled'] === undefined ? (network.portSecurityEnabled ?? true) : bool('port_security_enabled', b['port_security_enabled']);
  const groups = portSecurity ? groupsFor(c, projectId, deviceOwner, b['security_groups']) : noGroups(b['security_groups']);
  const pairs = b['allowed_address_pairs'] === undefined || b['allowed_address_pairs'] === null ? [] : addressPairs(b['allowed_address_pairs']);
  if (!portSecurity && pairs.length > 0) throw pairsNeedPortSecurity();
  const dhcp = b['extra_dhcp_opts'] === undefined || b['extra_dhcp_opts'] === null ? [] : dhcpOptions(c, [], b['extra_dhcp_opts']);
  const vnicType = b['binding:vnic_type'] === undefined ? 'normal' : vnicTypeOf(c, b['binding:vnic_type']);
  checkQuota(c, 'port', projectId);
  const fixedIps = allocateFixedIps(c.store, network, b['fixed_ips'] === undefined ? undefined : fixedIpRequests(b['fixed_ips']));
  const port = c.store.ports.insert({
    id: c.store.ids.uuid(),
    name: b['name'] === undefined ? '' : text('name', b['name']),
    networkId: network.id,
    projectId,
    macAddress: mac,
    fixedIps,
    deviceId: b['device_id'] === undefined ? '' : text('device_id', b['device_id']),
    deviceOwner,
    status: 'DOWN',
    adminStateUp: b['admin_state_up'] === undefined ? true : bool('admin_state_up', b['admin_state_up']),
    securityGroups: groups,
    bindingHostId: b['binding:host_id'] === undefined ? '' : text('binding:host_id', b['binding:host_id']),
    allowedAddressPairs: pairs,
    description: b['description'] === undefined ? '' : text('description', b['description']),
    // Neutron fixes it at creation (the network's value unless asked): a later change of the
    // network's default leaves the port as it is.
    ...(c.profile.neutronModernApi ? { portSecurityEnabled: portSecurity } : {}),
    ...(dhcp.length > 0 ? { extraDhcpOpts: dhcp } : {}),
    ...(vnicType !== 'normal' ? { vnicType } : {}),
    createdAt: c.store.now(),
  });
  return reply(c, 201, port);
}

/** New addresses for a port: those it keeps stay, the others are released, new ones taken. */
function reassign(c: NeutronCall, port: PortRecord, network: NetworkRecord, raw: unknown): FixedIp[] {
  const wanted = fixedIpRequests(raw);
  const current = port.fixedIps;
  const keep = (r: { subnetId?: string; ipAddress?: string }) =>
    current.find((f) => r.ipAddress !== undefined && normalizeIp(r.ipAddress) === normalizeIp(f.ipAddress) && (r.subnetId === undefined || r.subnetId === f.subnetId));
  const fresh = allocateFixedIps(c.store, network, wanted.filter((r) => !keep(r)));
  const kept = wanted.map(keep).filter((f): f is FixedIp => f !== undefined);
  releaseFixedIps(c.store, current.filter((f) => !kept.includes(f)));
  return [...kept, ...fresh];
}

async function update(c: NeutronCall): Promise<SimReply> {
  const port = portOf(c, c.req.params['id']);
  const network = networkOf(c, port.networkId);
  if (!c.isAdmin && port.projectId !== c.projectId && network.projectId !== c.projectId) throw policy('update_port');
  const b = await resourceBody(c, 'port', attributes(c), 'update');
  checkOwnerOnly(c, network, b, 'update');
  if (b['mac_address'] !== undefined) {
    if (!c.isAdmin) throw policy('update_port', 'mac_address');
    if (port.bindingHostId !== '') throw conflict(`Unable to complete operation on port ${port.id}, port is already bound, port type: ovs, old_mac ${port.macAddress}, new_mac ${String(b['mac_address'])}.`, 'PortBound');
  }
  const mac = b['mac_address'] === undefined ? port.macAddress : macFor(c, network, b['mac_address'], port.id);
  const groups = b['security_groups'] === undefined ? port.securityGroups : groupsFor(c, port.projectId, port.deviceOwner, b['security_groups'] ?? []);
  const pairs = b['allowed_address_pairs'] === undefined ? port.allowedAddressPairs : addressPairs(b['allowed_address_pairs'] ?? []);
  const portSecurity = b['port_security_enabled'] === undefined ? portSecurityOf(network, port) : bool('port_security_enabled', b['port_security_enabled']);
  if (!portSecurity && groups.length > 0) {
    if (b['security_groups'] !== undefined && b['security_groups'] !== null) throw groupsNeedPortSecurity();
    throw conflict('Port has security group associated. Cannot disable port security or ip address until security group is removed', 'PortSecurityPortHasSecurityGroup');
  }
  if (!portSecurity && pairs.length > 0) throw pairsNeedPortSecurity();
  if (b['port_security_enabled'] !== undefined) port.portSecurityEnabled = portSecurity;
  if (b['extra_dhcp_opts'] !== undefined && b['extra_dhcp_opts'] !== null) port.extraDhcpOpts = dhcpOptions(c, port.extraDhcpOpts ?? [], b['extra_dhcp_opts']);
  if (b['fixed_ips'] !== undefined) port.fixedIps = reassign(c, port, network, b['fixed_ips']);
  port.macAddress = mac;
  port.securityGroups = groups;
  port.allowedAddressPairs = pairs;
  if (b['name'] !== undefined) port.name = text('name', b['name']);
  if (b['description'] !== undefined) port.description = text('description', b['description']);
  if (b['admin_state_up'] !== undefined) port.adminStateUp = bool('admin_state_up', b['admin_state_up']);
  if (b['device_id'] !== undefined) port.deviceId = text('device_id', b['device_id']);
  if (b['device_owner'] !== undefined) port.deviceOwner = text('device_owner', b['device_owner']);
  if (b['binding:host_id'] !== undefined) port.bindingHostId = text('binding:host_id', b['binding:host_id'] ?? '');
  if (b['binding:vnic_type'] !== undefined) {
    const v = vnicTypeOf(c, b['binding:vnic_type']);
    if (v === 'normal') delete port.vnicType;
    else port.vnicType = v;
  }
  touch(c.store, 'ports', port.id, port.createdAt);
  return reply(c, 200, port);
}

/**
 * Deletes a port, gives its addresses back and detaches floating IPs from it. Router and
 * floating IP ports belong to the L3 API: 409 `L3PortInUse`.
 */
function remove(c: NeutronCall): SimReply {
  const port = portOf(c, c.req.params['id']);
  if (!c.isAdmin && port.projectId !== c.projectId && c.store.networks.get(port.networkId)?.projectId !== c.projectId) throw policy('delete_port');
  if (L3_OWNERS.includes(port.deviceOwner)) {
    throw conflict(`Port ${port.id} cannot be deleted directly via the port API: has device owner ${port.deviceOwner}.`, 'L3PortInUse');
  }
  deletePortRecord(c, port);
  return empty(204);
}

/** Drops a port: addresses back to their pools, floating IPs on it detached. */
export function deletePortRecord(c: NeutronCall, port: PortRecord): void {
  for (const f of c.store.floatingIps.values()) {
    if (f.portId !== port.id) continue;
    Object.assign(f, { portId: null, fixedIpAddress: null, routerId: null, status: 'DOWN' as const });
    touch(c.store, 'floatingips', f.id, f.createdAt);
  }
  releaseFixedIps(c.store, port.fixedIps);
  c.store.ports.delete(port.id);
  forget(c.store, port.id);
}

export function portRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/ports', handler: listPorts },
    { method: 'POST', path: '/ports', handler: create },
    { method: 'GET', path: '/ports/{id}', handler: (c) => reply(c, 200, portOf(c, c.req.params['id'])) },
    { method: 'PUT', path: '/ports/{id}', handler: update },
    { method: 'DELETE', path: '/ports/{id}', handler: remove },
  ];
}

