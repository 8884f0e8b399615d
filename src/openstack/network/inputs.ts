/**
 * What callers give to create or update Neutron objects. `tenantId` creates for another
 * project (admin). Attributes left undefined are not sent: legacy Neutron rejects
 * attributes it does not know (e.g. `description` before Mitaka).
 */
export interface NetworkInput {
  readonly name: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  readonly shared?: boolean;
  readonly external?: boolean;
  readonly tenantId?: string;
  readonly networkType?: string;
  readonly physicalNetwork?: string;
  readonly segmentationId?: number;
  readonly mtu?: number;
  /** The port-security extension (Kilo+): an older Neutron answers 400 to the attribute. */
  readonly portSecurityEnabled?: boolean;
}

export interface SubnetInput {
  readonly networkId: string;
  readonly cidr: string;
  /** Default: from the CIDR. */
  readonly ipVersion?: 4 | 6;
  readonly name?: string;
  readonly description?: string;
  /** null: no gateway. */
  readonly gatewayIp?: string | null;
  readonly allocationPools?: readonly { readonly start: string; readonly end: string }[];
  readonly dnsNameservers?: readonly string[];
  readonly hostRoutes?: readonly { readonly destination: string; readonly nexthop: string }[];
  readonly enableDhcp?: boolean;
  readonly tenantId?: string;
  readonly ipv6RaMode?: string;
  readonly ipv6AddressMode?: string;
}

export interface PortInput {
  readonly networkId: string;
  readonly name?: string;
  readonly description?: string;
  /** Keep a MAC (admin or network owner). */
  readonly macAddress?: string;
  readonly fixedIps?: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
  readonly deviceId?: string;
  readonly deviceOwner?: string;
  readonly securityGroupIds?: readonly string[];
  readonly adminStateUp?: boolean;
  readonly tenantId?: string;
  readonly allowedAddressPairs?: readonly { readonly ipAddress: string; readonly macAddress?: string }[];
  readonly bindingHostId?: string;
  /** `binding:vnic_type` (Juno+): how the port binds (`direct`: an SR-IOV virtual function). */
  readonly vnicType?: string;
  /** The port-security extension (Kilo+). Off needs no security groups and no address pairs. */
  readonly portSecurityEnabled?: boolean;
  /** `ipVersion` only where the Neutron has it (Kilo+): an older one refuses the key. */
  readonly extraDhcpOpts?: readonly { readonly optName: string; readonly optValue: string; readonly ipVersion?: number }[];
}

export interface RouterGatewayInput {
  readonly networkId: string;
  readonly enableSnat?: boolean;
  readonly externalFixedIps?: readonly { readonly subnetId?: string; readonly ipAddress?: string }[];
}

export interface RouterInput {
  readonly name: string;
  readonly description?: string;
  readonly adminStateUp?: boolean;
  readonly tenantId?: string;
  readonly externalGateway?: RouterGatewayInput;
  readonly distributed?: boolean;
  readonly ha?: boolean;
  readonly routes?: readonly { readonly destination: string; readonly nexthop: string }[];
}

export interface FloatingIpInput {
  readonly floatingNetworkId: string;
  /** A specific address: Kilo+ and admin only. */
  readonly floatingIpAddress?: string;
  readonly portId?: string;
  readonly fixedIpAddress?: string;
  readonly tenantId?: string;
  readonly description?: string;
}

export interface RbacPolicyInput {
  readonly objectType: string;
  readonly objectId: string;
  readonly action: string;
  readonly targetTenant: string;
  /** The policy's owner (admin only; default the caller's project): who may remove the share. */
  readonly tenantId?: string;
}

export interface SecurityGroupInput {
  readonly name: string;
  readonly description?: string;
  readonly tenantId?: string;
}

export interface SecurityGroupRuleInput {
  readonly securityGroupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly ethertype?: 'IPv4' | 'IPv6';
  readonly protocol?: string | null;
  readonly portRangeMin?: number | null;
  readonly portRangeMax?: number | null;
  readonly remoteIpPrefix?: string | null;
  readonly remoteGroupId?: string | null;
  readonly tenantId?: string;
  readonly description?: string;
}

type Pairs = ReadonlyArray<readonly [string, string]>;

/** Copies defined fields under their wire names. */
export function wire(input: object, names: Pairs): Record<string, unknown> {
  const src = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [from, to] of names) if (src[from] !== undefined) out[to] = src[from];
  return out;
}

const fixed = (v: readonly { readonly subnetId?: string; readonly ipAddress?: string }[] | undefined) =>
  v?.map((f) => ({ ...(f.subnetId ? { subnet_id: f.subnetId } : {}), ...(f.ipAddress ? { ip_address: f.ipAddress } : {}) }));

export function networkBody(n: Partial<NetworkInput>): Record<string, unknown> {
  return wire(n, [
    ['name', 'name'],
    ['description', 'description'],
    ['adminStateUp', 'admin_state_up'],
    ['shared', 'shared'],
    ['external', 'router:external'],
    ['tenantId', 'tenant_id'],
    ['networkType', 'provider:network_type'],
    ['physicalNetwork', 'provider:physical_network'],
    ['segmentationId', 'provider:segmentation_id'],
    ['mtu', 'mtu'],
    ['portSecurityEnabled', 'port_security_enabled'],
  ]);
}

export function subnetBody(s: Partial<SubnetInput>): Record<string, unknown> {
  // Neutron requires ip_version on create; the CIDR says which.
  const ipVersion = s.ipVersion ?? (s.cidr === undefined ? undefined : s.cidr.includes(':') ? 6 : 4);
  return {
    ...(ipVersion !== undefined ? { ip_version: ipVersion } : {}),
    ...wire(s, [
      ['networkId', 'network_id'],
      ['cidr', 'cidr'],
      ['name', 'name'],
      ['description', 'description'],
      ['gatewayIp', 'gateway_ip'],
      ['allocationPools', 'allocation_pools'],
      ['dnsNameservers', 'dns_nameservers'],
      ['enableDhcp', 'enable_dhcp'],
      ['tenantId', 'tenant_id'],
      ['ipv6RaMode', 'ipv6_ra_mode'],
      ['ipv6AddressMode', 'ipv6_address_mode'],
    ]),
    ...(s.hostRoutes ? { host_routes: s.hostRoutes } : {}),
  };
}

export function portBody(p: Partial<PortInput>): Record<string, unknown> {
  return {
    ...wire(p, [
      ['networkId', 'network_id'],
      ['name', 'name'],
      ['description', 'description'],
      ['macAddress', 'mac_address'],
      ['deviceId', 'device_id'],
      ['deviceOwner', 'device_owner'],
      ['securityGroupIds', 'security_groups'],
      ['adminStateUp', 'admin_state_up'],
      ['tenantId', 'tenant_id'],
      ['bindingHostId', 'binding:host_id'],
      ['vnicType', 'binding:vnic_type'],
      ['portSecurityEnabled', 'port_security_enabled'],
    ]),
    ...(p.fixedIps ? { fixed_ips: fixed(p.fixedIps) } : {}),
    ...(p.allowedAddressPairs ? { allowed_address_pairs: p.allowedAddressPairs.map((a) => ({ ip_address: a.ipAddress, ...(a.macAddress ? { mac_address: a.macAddress } : {}) })) } : {}),
    ...(p.extraDhcpOpts
      ? { extra_dhcp_opts: p.extraDhcpOpts.map((o) => ({ opt_name: o.optName, opt_value: o.optValue, ...(o.ipVersion !== undefined ? { ip_version: o.ipVersion } : {}) })) }
      : {}),
  };
}

export function gatewayBody(g: RouterGatewayInput): Record<string, unknown> {
  return {
    network_id: g.networkId,
    ...(g.enableSnat !== undefined ? { enable_snat: g.enableSnat } : {}),
    ...(g.externalFixedIps ? { external_fixed_ips: fixed(g.externalFixedIps) } : {}),
  };
}

export function routerBody(r: Partial<RouterInput>): Record<string, unknown> {
  return {
    ...wire(r, [
      ['name', 'name'],
      ['description', 'description'],
      ['adminStateUp', 'admin_state_up'],
      ['tenantId', 'tenant_id'],
      ['distributed', 'distributed'],
      ['ha', 'ha'],
      ['routes', 'routes'],
    ]),
    ...(r.externalGateway ? { external_gateway_info: gatewayBody(r.externalGateway) } : {}),
  };
}

export function floatingIpBody(f: Partial<FloatingIpInput>): Record<string, unknown> {
  return wire(f, [
    ['floatingNetworkId', 'floating_network_id'],
    ['floatingIpAddress', 'floating_ip_address'],
    ['portId', 'port_id'],
    ['fixedIpAddress', 'fixed_ip_address'],
    ['tenantId', 'tenant_id'],
    ['description', 'description'],
  ]);
}

export function rbacPolicyBody(p: Partial<RbacPolicyInput>): Record<string, unknown> {
  return wire(p, [
    ['objectType', 'object_type'],
    ['objectId', 'object_id'],
    ['action', 'action'],
    ['targetTenant', 'target_tenant'],
    ['tenantId', 'tenant_id'],
  ]);
}

export function securityGroupBody(g: Partial<SecurityGroupInput>): Record<string, unknown> {
  return wire(g, [
    ['name', 'name'],
    ['description', 'description'],
    ['tenantId', 'tenant_id'],
  ]);
}

export function ruleBody(r: SecurityGroupRuleInput): Record<string, unknown> {
  return wire({ ethertype: 'IPv4', ...r }, [
    ['securityGroupId', 'security_group_id'],
    ['direction', 'direction'],
    ['ethertype', 'ethertype'],
    ['protocol', 'protocol'],
    ['portRangeMin', 'port_range_min'],
    ['portRangeMax', 'port_range_max'],
    ['remoteIpPrefix', 'remote_ip_prefix'],
    ['remoteGroupId', 'remote_group_id'],
    ['tenantId', 'tenant_id'],
    ['description', 'description'],
  ]);
}
