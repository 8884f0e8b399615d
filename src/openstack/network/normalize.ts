import type { FloatingIp, Network, Port, RbacPolicy, Router, SecurityGroup, SecurityGroupRule, Subnet } from '../types/network.js';
import { bool, isRaw, num, numOrNull, objs, str, strOrNull, strs, type Raw } from '../wire.js';

const tenantOf = (r: Raw): string => str(r['tenant_id']) ?? str(r['project_id']) ?? '';
const fixedIps = (v: unknown) => objs(v).map((f) => ({ subnetId: str(f['subnet_id']) ?? '', ipAddress: str(f['ip_address']) ?? '' }));
const routes = (v: unknown) => objs(v).map((h) => ({ destination: str(h['destination']) ?? '', nexthop: str(h['nexthop']) ?? '' }));
const optBool = (v: unknown): boolean | null => (v === undefined || v === null ? null : bool(v));

export function toNetwork(r: Raw): Network {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    status: str(r['status']) ?? '',
    adminStateUp: bool(r['admin_state_up'], true),
    shared: bool(r['shared']),
    external: bool(r['router:external']),
    tenantId: tenantOf(r),
    subnetIds: strs(r['subnets']),
    networkType: strOrNull(r['provider:network_type']),
    physicalNetwork: strOrNull(r['provider:physical_network']),
    segmentationId: numOrNull(r['provider:segmentation_id']),
    mtu: numOrNull(r['mtu']),
    portSecurityEnabled: optBool(r['port_security_enabled']),
    tags: strs(r['tags']),
  };
}

export function toSubnet(r: Raw): Subnet {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    networkId: str(r['network_id']) ?? '',
    tenantId: tenantOf(r),
    ipVersion: num(r['ip_version'], 4) === 6 ? 6 : 4,
    cidr: str(r['cidr']) ?? '',
    gatewayIp: strOrNull(r['gateway_ip']),
    allocationPools: objs(r['allocation_pools']).map((p) => ({ start: str(p['start']) ?? '', end: str(p['end']) ?? '' })),
    dnsNameservers: strs(r['dns_nameservers']),
    hostRoutes: routes(r['host_routes']),
    enableDhcp: bool(r['enable_dhcp'], true),
    ipv6RaMode: strOrNull(r['ipv6_ra_mode']),
    ipv6AddressMode: strOrNull(r['ipv6_address_mode']),
    tags: strs(r['tags']),
  };
}

export function toPort(r: Raw): Port {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    networkId: str(r['network_id']) ?? '',
    tenantId: tenantOf(r),
    macAddress: str(r['mac_address']) ?? '',
    fixedIps: fixedIps(r['fixed_ips']),
    deviceId: str(r['device_id']) ?? '',
    deviceOwner: str(r['device_owner']) ?? '',
    status: str(r['status']) ?? '',
    adminStateUp: bool(r['admin_state_up'], true),
    securityGroupIds: strs(r['security_groups']),
    bindingHostId: strOrNull(r['binding:host_id']),
    vnicType: strOrNull(r['binding:vnic_type']),
    trunk: trunkOf(r['trunk_details']),
    allowedAddressPairs: objs(r['allowed_address_pairs']).map((p) => ({ ipAddress: str(p['ip_address']) ?? '', macAddress: strOrNull(p['mac_address']) })),
    extraDhcpOpts: objs(r['extra_dhcp_opts']).map((o) => ({ optName: str(o['opt_name']) ?? '', optValue: str(o['opt_value']) ?? '', ipVersion: numOrNull(o['ip_version']) })),
    portSecurityEnabled: optBool(r['port_security_enabled']),
    tags: strs(r['tags']),
  };
}

export function toRouter(r: Raw): Router {
  const gw = r['external_gateway_info'];
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    tenantId: tenantOf(r),
    status: str(r['status']) ?? '',
    adminStateUp: bool(r['admin_state_up'], true),
    externalGateway:
      isRaw(gw) && str(gw['network_id'])
        ? { networkId: str(gw['network_id']) ?? '', enableSnat: optBool(gw['enable_snat']), externalFixedIps: fixedIps(gw['external_fixed_ips']) }
        : null,
    routes: routes(r['routes']),
    distributed: optBool(r['distributed']),
    ha: optBool(r['ha']),
    tags: strs(r['tags']),
  };
}

export function toFloatingIp(r: Raw): FloatingIp {
  return {
    id: str(r['id']) ?? '',
    floatingIpAddress: str(r['floating_ip_address']) ?? '',
    floatingNetworkId: str(r['floating_network_id']) ?? '',
    routerId: strOrNull(r['router_id']),
    portId: strOrNull(r['port_id']),
    fixedIpAddress: strOrNull(r['fixed_ip_address']),
    tenantId: tenantOf(r),
    status: strOrNull(r['status']),
    description: str(r['description']) ?? '',
    tags: strs(r['tags']),
  };
}

export function toSecurityGroupRule(r: Raw): SecurityGroupRule {
  return {
    id: str(r['id']) ?? '',
    securityGroupId: str(r['security_group_id']) ?? '',
    direction: str(r['direction']) === 'egress' ? 'egress' : 'ingress',
    ethertype: str(r['ethertype']) === 'IPv6' ? 'IPv6' : 'IPv4',
    protocol: strOrNull(r['protocol']),
    portRangeMin: numOrNull(r['port_range_min']),
    portRangeMax: numOrNull(r['port_range_max']),
    remoteIpPrefix: strOrNull(r['remote_ip_prefix']),
    remoteGroupId: strOrNull(r['remote_group_id']),
    remoteAddressGroupId: strOrNull(r['remote_address_group_id']),
    tenantId: tenantOf(r),
    description: str(r['description']) ?? '',
  };
}

function trunkOf(v: unknown): Port['trunk'] {
  if (!isRaw(v)) return null;
  const id = str(v['trunk_id']);
  return id ? { id, subports: objs(v['sub_ports']).length } : null;
}

export function toRbacPolicy(r: Raw): RbacPolicy {
  return {
    id: str(r['id']) ?? '',
    objectType: str(r['object_type']) ?? '',
    objectId: str(r['object_id']) ?? '',
    action: str(r['action']) ?? '',
    targetTenant: str(r['target_tenant']) ?? '',
    tenantId: tenantOf(r),
  };
}

export function toSecurityGroup(r: Raw): SecurityGroup {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    tenantId: tenantOf(r),
    rules: objs(r['security_group_rules']).map(toSecurityGroupRule),
    tags: strs(r['tags']),
  };
}

