/** Networking (Neutron v2.0) records. `tenantId` is `tenant_id` (or modern `project_id`). */
export interface Network {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly status: string;
  readonly adminStateUp: boolean;
  readonly shared: boolean;
  /** `router:external`. */
  readonly external: boolean;
  readonly tenantId: string;
  readonly subnetIds: readonly string[];
  /** Provider attributes are admin-only; null when hidden. */
  readonly networkType: string | null;
  readonly physicalNetwork: string | null;
  readonly segmentationId: number | null;
  readonly mtu: number | null;
  /** The default for its new ports (the port-security extension, Kilo+); null without it. */
  readonly portSecurityEnabled: boolean | null;
  readonly tags: readonly string[];
}

export interface AllocationPool {
  readonly start: string;
  readonly end: string;
}

export interface HostRoute {
  readonly destination: string;
  readonly nexthop: string;
}

export interface Subnet {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly networkId: string;
  readonly tenantId: string;
  readonly ipVersion: 4 | 6;
  readonly cidr: string;
  /** null means no gateway. */
  readonly gatewayIp: string | null;
  readonly allocationPools: readonly AllocationPool[];
  readonly dnsNameservers: readonly string[];
  readonly hostRoutes: readonly HostRoute[];
  readonly enableDhcp: boolean;
  readonly ipv6RaMode: string | null;
  readonly ipv6AddressMode: string | null;
  readonly tags: readonly string[];
}

export interface FixedIp {
  readonly subnetId: string;
  readonly ipAddress: string;
}

export interface Port {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly networkId: string;
  readonly tenantId: string;
  readonly macAddress: string;
  readonly fixedIps: readonly FixedIp[];
  readonly deviceId: string;
  /** `network:router_interface`, `compute:nova`, ... */
  readonly deviceOwner: string;
  readonly status: string;
  readonly adminStateUp: boolean;
  readonly securityGroupIds: readonly string[];
  readonly bindingHostId: string | null;
  /** `binding:vnic_type` (Juno+): `normal` (OVS/Linux bridge), `direct`/`macvtap`/`direct-physical` (SR-IOV), ...; null where the cloud does not say. */
  readonly vnicType: string | null;
  /** `trunk_details` (Newton+ trunk-details): the trunk this port is the parent of and how many subports it has; null when none. */
  readonly trunk: { readonly id: string; readonly subports: number } | null;
  readonly allowedAddressPairs: readonly { readonly ipAddress: string; readonly macAddress: string | null }[];
  /** DHCP options the port's DHCP answers carry (extra_dhcp_opt, Havana+): PXE boot, DNS search... */
  readonly extraDhcpOpts: readonly DhcpOption[];
  /** Anti-spoofing and security groups applied (the port-security extension, Kilo+); null without it. */
  readonly portSecurityEnabled: boolean | null;
  readonly tags: readonly string[];
}

export interface DhcpOption {
  readonly optName: string;
  readonly optValue: string;
  /** 4 or 6 (Kilo+); null where the release does not tell (Havana-Juno: IPv4). */
  readonly ipVersion: number | null;
}

export interface RouterGateway {
  readonly networkId: string;
  /** null where the ext-gw-mode extension is absent. */
  readonly enableSnat: boolean | null;
  /** Juno+; empty before. */
  readonly externalFixedIps: readonly FixedIp[];
}

export interface Router {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tenantId: string;
  readonly status: string;
  readonly adminStateUp: boolean;
  readonly externalGateway: RouterGateway | null;
  readonly routes: readonly HostRoute[];
  readonly distributed: boolean | null;
  readonly ha: boolean | null;
  readonly tags: readonly string[];
}

export interface FloatingIp {
  readonly id: string;
  readonly floatingIpAddress: string;
  readonly floatingNetworkId: string;
  readonly routerId: string | null;
  readonly portId: string | null;
  readonly fixedIpAddress: string | null;
  readonly tenantId: string;
  /** Icehouse+; null on Havana. */
  readonly status: string | null;
  readonly description: string;
  readonly tags: readonly string[];
}

export interface SecurityGroupRule {
  readonly id: string;
  readonly securityGroupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly ethertype: 'IPv4' | 'IPv6';
  readonly protocol: string | null;
  readonly portRangeMin: number | null;
  readonly portRangeMax: number | null;
  readonly remoteIpPrefix: string | null;
  readonly remoteGroupId: string | null;
  /** The address-group extension (Wallaby+); null without it or when unset. */
  readonly remoteAddressGroupId: string | null;
  readonly tenantId: string;
  readonly description: string;
}

/**
 * A Neutron RBAC policy (Liberty+, extension `rbac-policies`): `object_type` `network`
 * (`access_as_shared`, `access_as_external`), and on later releases QoS policies, security
 * groups (Stein), address scopes, subnet pools, address groups. `target_tenant` `*` is what
 * `shared: true` / `router:external: true` make.
 */
export interface RbacPolicy {
  readonly id: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly action: string;
  readonly targetTenant: string;
  /** The policy's owner (who made it; the object's owner or an admin). */
  readonly tenantId: string;
}

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tenantId: string;
  readonly rules: readonly SecurityGroupRule[];
  readonly tags: readonly string[];
}
