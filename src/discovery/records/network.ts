import type * as os from '../../openstack/index.js';
import type { AddressPair, DhcpOption, FloatingIp, Network, Port, RbacPolicy, Router, RouterInterface, SecurityGroup, SecurityGroupRule, Subnet } from '../../inventory/index.js';
import { descriptionField, descriptionMarker, markerField, neutronMarker, tagsField } from './marks.js';
import { NO_POOL, type StringPool } from './string-pool.js';
import { byCodeUnits } from '../../json/code-unit-order.js';

/** Neutron records. Router interfaces and floating IPs' servers come from the port list. */

export function toNetwork(n: os.Network): Network {
  const { marker, description } = neutronMarker(n.tags, n.description, 'network');
  return {
    id: n.id,
    name: n.name,
    projectId: n.tenantId,
    shared: n.shared,
    external: n.external,
    adminStateUp: n.adminStateUp,
    mtu: n.mtu,
    providerNetworkType: n.networkType,
    providerPhysicalNetwork: n.physicalNetwork,
    providerSegmentationId: n.segmentationId,
    ...portSecurityField(n.portSecurityEnabled),
    ...descriptionField(description),
    ...tagsField(n.tags),
    ...markerField(marker),
  };
}

export function toSubnet(s: os.Subnet): Subnet {
  const { marker, description } = neutronMarker(s.tags, s.description, 'subnet');
  return {
    id: s.id,
    name: s.name,
    networkId: s.networkId,
    projectId: s.tenantId,
    cidr: s.cidr,
    ipVersion: s.ipVersion,
    gatewayIp: s.gatewayIp,
    enableDhcp: s.enableDhcp,
    dnsNameservers: [...s.dnsNameservers],
    allocationPools: s.allocationPools.map((p) => ({ start: p.start, end: p.end })),
    hostRoutes: s.hostRoutes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
    ...(s.ipv6RaMode ? { ipv6RaMode: s.ipv6RaMode } : {}),
    ...(s.ipv6AddressMode ? { ipv6AddressMode: s.ipv6AddressMode } : {}),
    ...descriptionField(description),
    ...tagsField(s.tags),
    ...markerField(marker),
  };
}

/** Device owners of a router's ports on its internal subnets (legacy, DVR, HA). */
const INTERFACE_OWNERS = new Set(['network:router_interface', 'network:router_interface_distributed', 'network:ha_router_replicated_interface']);

export function isRouterInterface(p: os.Port): boolean {
  return INTERFACE_OWNERS.has(p.deviceOwner);
}

/** `ports`: the router's interface ports (device_id = router id). */
export function toRouter(r: os.Router, ports: readonly os.Port[]): Router {
  const { marker, description } = neutronMarker(r.tags, r.description, 'router');
  const interfaces: RouterInterface[] = [];
  for (const p of ports) for (const ip of p.fixedIps) interfaces.push({ subnetId: ip.subnetId, portId: p.id, ipAddress: ip.ipAddress });
  const gw = r.externalGateway;
  return {
    id: r.id,
    name: r.name,
    projectId: r.tenantId,
    adminStateUp: r.adminStateUp,
    gateway: gw ? { networkId: gw.networkId, enableSnat: gw.enableSnat, externalFixedIps: gw.externalFixedIps.map((f) => ({ subnetId: f.subnetId, ipAddress: f.ipAddress })) } : null,
    interfaces,
    routes: r.routes.map((x) => ({ destination: x.destination, nexthop: x.nexthop })),
    ...(r.ha === true ? { ha: true as const } : {}),
    ...(r.distributed === true ? { distributed: true as const } : {}),
    ...descriptionField(description),
    ...tagsField(r.tags),
    ...markerField(marker),
  };
}

/**
 * The port attributes discovery reads (toPort, isRouterInterface, toFloatingIp's server, the
 * routers' interfaces), by wire name: the survey asks Neutron's port list for these alone
 * (`fields=`, repeated), about a third fewer bytes than whole ports on Juno (bindings,
 * status). A field a mapper starts to read must be added here. Both `tenant_id` and
 * `project_id` (modern), `description`/`tags` (Mitaka+) and `port_security_enabled` (Kilo+):
 * a release ignores names it does not have.
 */
export const PORT_FIELDS: readonly string[] = [
  'id', 'name', 'description', 'network_id', 'tenant_id', 'project_id', 'mac_address', 'fixed_ips',
  'device_id', 'device_owner', 'admin_state_up', 'security_groups', 'tags',
  'allowed_address_pairs', 'port_security_enabled', 'extra_dhcp_opts', 'binding:vnic_type', 'trunk_details',
];

export function toPort(p: os.Port, pool: StringPool = NO_POOL): Port {
  const { marker, description } = neutronMarker(p.tags, p.description, 'port');
  return {
    id: p.id,
    name: p.name,
    networkId: pool.of(p.networkId),
    projectId: pool.of(p.tenantId),
    macAddress: p.macAddress,
    fixedIps: p.fixedIps.map((f) => ({ subnetId: pool.of(f.subnetId), ipAddress: f.ipAddress })),
    deviceOwner: pool.few(p.deviceOwner),
    deviceId: pool.of(p.deviceId),
    securityGroupIds: pool.all(p.securityGroupIds),
    adminStateUp: p.adminStateUp,
    ...addressPairsField(p),
    ...portSecurityField(p.portSecurityEnabled),
    ...dhcpOptionsField(p),
    // Only when not `normal`: 120,000 ordinary ports keep their records (and plan text) as they were.
    ...(p.vnicType && p.vnicType !== 'normal' ? { vnicType: pool.few(p.vnicType) } : {}),
    ...(p.trunk ? { trunk: { id: p.trunk.id, subports: p.trunk.subports } } : {}),
    ...descriptionField(description),
    ...tagsField(p.tags),
    ...markerField(marker),
  };
}

/** `{ portSecurityEnabled }` as the cloud tells it; `{}` where it does not (no extension). */
function portSecurityField(enabled: boolean | null): { readonly portSecurityEnabled?: boolean } {
  return enabled === null ? {} : { portSecurityEnabled: enabled };
}

/**
 * `{ allowedAddressPairs }` when the port has any, sorted: Neutron keeps them as a set and
 * lists them in no fixed order (a real Zed answered two pairs in the reverse of their
 * creation). It shows a pair made without a MAC with the port's own: that MAC is left out,
 * so the pair follows the copy's MAC when the destination gives it a new one.
 */
function addressPairsField(p: os.Port): { readonly allowedAddressPairs?: readonly AddressPair[] } {
  if (p.allowedAddressPairs.length === 0) return {};
  const pairs = p.allowedAddressPairs.map((a): AddressPair =>
    a.macAddress !== null && a.macAddress !== p.macAddress ? { ipAddress: a.ipAddress, macAddress: a.macAddress } : { ipAddress: a.ipAddress },
  );
  return { allowedAddressPairs: pairs.sort((a, b) => byCodeUnits(a.ipAddress, b.ipAddress) || byCodeUnits(a.macAddress ?? '', b.macAddress ?? '')) };
}

/** `{ extraDhcpOpts }` when the port has any, sorted (name, IP version): Neutron keeps them by name and version. */
function dhcpOptionsField(p: os.Port): { readonly extraDhcpOpts?: readonly DhcpOption[] } {
  if (p.extraDhcpOpts.length === 0) return {};
  const opts = p.extraDhcpOpts.map((o): DhcpOption => (o.ipVersion === null ? { name: o.optName, value: o.optValue } : { name: o.optName, value: o.optValue, ipVersion: o.ipVersion }));
  return { extraDhcpOpts: opts.sort((a, b) => byCodeUnits(a.name, b.name) || (a.ipVersion ?? 4) - (b.ipVersion ?? 4)) };
}

export function toRbacPolicy(r: os.RbacPolicy): RbacPolicy {
  return { id: r.id, objectType: r.objectType, objectId: r.objectId, action: r.action, targetProject: r.targetTenant, projectId: r.tenantId };
}

/** `portsById`: to name the server behind an associated floating IP. */
export function toFloatingIp(f: os.FloatingIp, portsById: ReadonlyMap<string, os.Port>, pool: StringPool = NO_POOL): FloatingIp {
  const { marker, description } = neutronMarker(f.tags, f.description, 'floating_ip');
  const port = f.portId ? portsById.get(f.portId) : undefined;
  const serverId = port && port.deviceOwner.startsWith('compute:') && port.deviceId ? port.deviceId : null;
  return {
    id: f.id,
    address: f.floatingIpAddress,
    projectId: pool.of(f.tenantId),
    externalNetworkId: pool.of(f.floatingNetworkId),
    // The port's own id string: port ids are not pooled (nothing else names them).
    portId: port ? port.id : f.portId,
    fixedIpAddress: f.fixedIpAddress,
    routerId: pool.maybe(f.routerId),
    serverId: pool.maybe(serverId),
    ...descriptionField(description),
    ...tagsField(f.tags),
    ...markerField(marker),
  };
}

export function toSecurityGroup(g: os.SecurityGroup, pool: StringPool = NO_POOL): SecurityGroup {
  const { marker, description } = neutronMarker(g.tags, g.description, 'security_group');
  return {
    id: pool.of(g.id),
    name: pool.few(g.name),
    description,
    projectId: pool.of(g.tenantId),
    rules: g.rules.map((r) => toRule(r, pool)),
    ...tagsField(g.tags),
    ...markerField(marker),
  };
}

function toRule(r: os.SecurityGroupRule, pool: StringPool): SecurityGroupRule {
  const { marker } = descriptionMarker(r.description, 'security_group_rule');
  return {
    id: r.id,
    direction: pool.few(r.direction),
    ethertype: pool.few(r.ethertype),
    protocol: r.protocol === null ? null : pool.few(r.protocol.toLowerCase()),
    portMin: r.portRangeMin,
    portMax: r.portRangeMax,
    remoteIpPrefix: pool.few(r.remoteIpPrefix),
    remoteGroupId: pool.maybe(r.remoteGroupId),
    ...(r.remoteAddressGroupId ? { remoteAddressGroupId: r.remoteAddressGroupId } : {}),
    ...markerField(marker),
  };
}
