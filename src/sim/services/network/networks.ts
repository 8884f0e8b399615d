import { conflict } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { NetworkRecord } from '../../store/types/network.js';
import {
  ADMIN_CREATE, ADMIN_RW, bool, CREATE_ONLY, describedAttrs, int, invalidInput, ownerFor, readOnly, resourceBody, RW, tenantAttrs, text,
  type AttributeTable, type NeutronCall, type NeutronRoute,
} from './call.js';
import { ensureDefaultGroup } from './default-group.js';
import { renderContext, render } from './fields.js';
import { listReply } from './listing.js';
import { networkOf, networkVisible, notFoundOf, requireOwner } from './lookup.js';
import { checkQuota } from './quotas.js';
import { checkUnshare } from './rbac-in-use.js';
import { dropPolicies, policiesFromFlags } from './rbac-records.js';
import { networkFields } from './render.js';
import { attrsOf, forget, touch } from './standard-attrs.js';
import { deleteSubnetRecord } from './subnets.js';

type NetworkType = NetworkRecord['networkType'];
const TYPES: readonly NetworkType[] = ['gre', 'vlan', 'flat', 'local', 'vxlan'];
const PROVIDER = ['provider:network_type', 'provider:physical_network', 'provider:segmentation_id'] as const;

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  return {
    ...readOnly('id', 'status', 'subnets'),
    name: RW,
    admin_state_up: RW,
    shared: ADMIN_RW,
    'router:external': ADMIN_RW,
    // Updating them is refused by the plugin (below), not by the API layer.
    'provider:network_type': ADMIN_RW,
    'provider:physical_network': ADMIN_RW,
    'provider:segmentation_id': ADMIN_RW,
    ...tenantAttrs(p),
    ...describedAttrs(p),
    ...(p.neutronModernApi ? { mtu: RW, port_security_enabled: RW, availability_zone_hints: CREATE_ONLY, is_default: ADMIN_CREATE } : {}),
  };
}

const reply = (c: NeutronCall, status: number, n: NetworkRecord, created = false) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin, c.projectId);
  return json(status, { network: render(networkFields(ctx, { created }), n, ctx) });
};

function list(c: NeutronCall): SimReply {
  const ctx = renderContext(c.store, c.profile, c.isAdmin, c.projectId);
  return listReply(c, {
    collection: 'networks', urlPath: '/v2.0/networks', rows: c.store.networks.values(), visible: (n) => networkVisible(c, n), fields: networkFields(ctx), ctx,
    notFound: notFoundOf.network, exists: (id) => c.store.networks.has(id), tagsOf: (n) => attrsOf(c.store, 'networks', n.id, n.createdAt).tags,
  });
}

/** The tenant network type of the cloud's ML2 (the testbed's vxlan; Fuel OVS+GRE on legacy) and its MTU. */
const tenantType = (c: NeutronCall): NetworkType => (c.profile.neutronModernApi ? 'vxlan' : 'gre');
const mtuOf = (t: NetworkType) => (t === 'vxlan' ? 1450 : t === 'gre' ? 1458 : 1500);

/** Provider attributes of a create: checked like ML2's type drivers, segment ids allocated lowest-free. */
function segment(c: NeutronCall, b: Record<string, unknown>): Pick<NetworkRecord, 'networkType' | 'physicalNetwork' | 'segmentationId'> {
  const givenType = b['provider:network_type'];
  const type = (givenType === undefined ? tenantType(c) : text('provider:network_type', givenType)) as NetworkType;
  if (!TYPES.includes(type)) throw invalidInput(`network_type value '${type}' not supported`);
  const physnet = b['provider:physical_network'] === undefined || b['provider:physical_network'] === null ? null : text('provider:physical_network', b['provider:physical_network']);
  const rawSeg = b['provider:segmentation_id'];
  let seg = rawSeg === undefined || rawSeg === null ? null : int('provider:segmentation_id', rawSeg);
  const same = c.store.networks.filter((n) => n.networkType === type);
  if (type === 'flat' || type === 'local') {
    if (seg !== null) throw invalidInput(`segmentation_id specified for ${type} network`);
    if (type === 'flat') {
      if (physnet === null) throw invalidInput('physical_network required for flat provider network');
      if (same.some((n) => n.physicalNetwork === physnet)) throw conflict(`Unable to create the flat network. Physical network ${physnet} is in use.`, 'FlatNetworkInUse');
    }
    return { networkType: type, physicalNetwork: physnet, segmentationId: null };
  }
  if (type === 'vlan') {
    if (physnet === null) throw invalidInput('physical_network required for VLAN provider network');
    if (seg === null) seg = lowestFree(same.filter((n) => n.physicalNetwork === physnet), 1);
    if (seg < 1 || seg > 4094) throw invalidInput(`segmentation_id out of range (1 through 4094)`);
    if (same.some((n) => n.physicalNetwork === physnet && n.segmentationId === seg)) throw conflict(`Unable to create the network. The VLAN ${seg} on physical network ${physnet} is in use.`, 'VlanIdInUse');
    return { networkType: type, physicalNetwork: physnet, segmentationId: seg };
  }
  if (physnet !== null) throw invalidInput(`provider:physical_network specified for ${type.toUpperCase()} network`);
  if (seg === null) seg = lowestFree(same, 1);
  if (same.some((n) => n.segmentationId === seg)) throw conflict(`Unable to create the network. The tunnel ID ${seg} is in use.`, 'TunnelIdInUse');
  return { networkType: type, physicalNetwork: null, segmentationId: seg };
}

function lowestFree(nets: readonly NetworkRecord[], from: number): number {
  const used = new Set(nets.map((n) => n.segmentationId));
  let s = from;
  while (used.has(s)) s++;
  return s;
}

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'network', attributes(c), 'create');
  const projectId = ownerFor(c, b);
  const seg = segment(c, b);
  checkQuota(c, 'network', projectId);
  ensureDefaultGroup(c.store, projectId);
  const n = c.store.networks.insert({
    id: c.store.ids.uuid(),
    name: b['name'] === undefined ? '' : text('name', b['name']),
    projectId,
    adminStateUp: b['admin_state_up'] === undefined ? true : bool('admin_state_up', b['admin_state_up']),
    status: 'ACTIVE',
    shared: b['shared'] === undefined ? false : bool('shared', b['shared']),
    external: b['router:external'] === undefined ? false : bool('router:external', b['router:external']),
    ...seg,
    subnets: [],
    mtu: b['mtu'] === undefined ? mtuOf(seg.networkType) : int('mtu', b['mtu']),
    description: b['description'] === undefined ? '' : text('description', b['description']),
    ...(b['port_security_enabled'] === undefined ? {} : { portSecurityEnabled: bool('port_security_enabled', b['port_security_enabled']) }),
    createdAt: c.store.now(),
  });
  if (c.profile.neutronRbac) policiesFromFlags(c.store, n, []);
  return reply(c, 201, n, true);
}

async function update(c: NeutronCall): Promise<SimReply> {
  const n = networkOf(c, c.req.params['id']);
  requireOwner(c, n, 'update_network');
  const b = await resourceBody(c, 'network', attributes(c), 'update');
  const provider = PROVIDER.filter((k) => k in b);
  if (provider.length > 0) {
    throw invalidInput(c.profile.neutronModernApi ? `Plugin does not support updating the following provider network attributes: ${provider.join(', ')}` : 'Plugin does not support updating provider attributes');
  }
  const shared = b['shared'] === undefined ? undefined : bool('shared', b['shared']);
  if (n.shared && shared === false) checkUnshare(c.store, n);
  if (b['name'] !== undefined) n.name = text('name', b['name']);
  if (b['admin_state_up'] !== undefined) n.adminStateUp = bool('admin_state_up', b['admin_state_up']);
  if (shared !== undefined) n.shared = shared;
  if (b['router:external'] !== undefined) n.external = bool('router:external', b['router:external']);
  if (c.profile.neutronRbac) policiesFromFlags(c.store, n);
  if (b['description'] !== undefined) n.description = text('description', b['description']);
  if (b['mtu'] !== undefined) n.mtu = int('mtu', b['mtu']);
  if (b['port_security_enabled'] !== undefined) n.portSecurityEnabled = bool('port_security_enabled', b['port_security_enabled']);
  touch(c.store, 'networks', n.id, n.createdAt);
  return reply(c, 200, n);
}

/**
 * Deletes a network with its subnets and DHCP ports. Any other port (a server's, a router's,
 * one made to keep an address) or a floating IP on it makes it a 409 `NetworkInUse`.
 */
function remove(c: NeutronCall): SimReply {
  const n = networkOf(c, c.req.params['id']);
  requireOwner(c, n, 'delete_network');
  const ports = c.store.ports.filter((p) => p.networkId === n.id);
  const busy = ports.filter((p) => p.deviceOwner !== 'network:dhcp');
  const fips = c.store.floatingIps.filter((f) => f.floatingNetworkId === n.id);
  if (busy.length > 0 || fips.length > 0) {
    const ids = [...busy.map((p) => p.id), ...fips.map((f) => f.id)].join(',');
    const msg = c.profile.neutronModernApi
      ? `Unable to complete operation on network ${n.id}. There are one or more ports still in use on the network, id for these ports is: ${ids}.`
      : `Unable to complete operation on network ${n.id}. There are one or more ports still in use on the network.`;
    throw conflict(msg, 'NetworkInUse');
  }
  for (const p of ports) {
    c.store.ports.delete(p.id);
    forget(c.store, p.id);
  }
  for (const s of [...n.subnets]) {
    const sub = c.store.subnets.get(s);
    if (sub) deleteSubnetRecord(c.store, sub);
  }
  c.store.networks.delete(n.id);
  dropPolicies(c.store, n.id);
  forget(c.store, n.id);
  return empty(204);
}

function show(c: NeutronCall): SimReply {
  return reply(c, 200, networkOf(c, c.req.params['id']));
}

export function networkRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/networks', handler: list },
    { method: 'POST', path: '/networks', handler: create },
    { method: 'GET', path: '/networks/{id}', handler: show },
    { method: 'PUT', path: '/networks/{id}', handler: update },
    { method: 'DELETE', path: '/networks/{id}', handler: remove },
  ];
}
