/** nova-network (legacy-apis.md §2.7) and Neutron (§5) records. */

export interface NovaNetworkRecord {
  /** uuid (os-networks `id`). */
  readonly id: string;
  /** Nova's integer DB id. */
  readonly dbId: number;
  label: string;
  cidr: string;
  netmask: string;
  gateway: string;
  broadcast: string;
  dns1: string | null;
  dns2: string | null;
  cidrV6: string | null;
  vlan: number | null;
  bridge: string;
  bridgeInterface: string | null;
  /** Owner in VLAN mode; null for a FlatDHCP network shared by all. */
  projectId: string | null;
  host: string | null;
  multiHost: boolean;
  dhcpStart: string;
  priority: number | null;
  mtu: number | null;
  enableDhcp: boolean;
  shareAddress: boolean;
  createdAt: string;
}

export interface FixedIpRecord {
  /** The address itself. */
  readonly id: string;
  readonly dbId: number;
  networkId: string;
  instanceUuid: string | null;
  mac: string | null;
  allocated: boolean;
  reserved: boolean;
  host: string | null;
}

export interface NovaFloatingIpRecord {
  readonly id: number;
  address: string;
  pool: string;
  interface: string;
  projectId: string | null;
  fixedAddress: string | null;
  instanceUuid: string | null;
  host: string | null;
  autoAssigned: boolean;
}

export interface NovaSecurityGroupRule {
  readonly id: number;
  parentGroupId: number;
  ipProtocol: string | null;
  fromPort: number | null;
  toPort: number | null;
  cidr: string | null;
  /** Source group id (group rules). */
  groupId: number | null;
}

export interface NovaSecurityGroupRecord {
  readonly id: number;
  name: string;
  description: string;
  projectId: string;
  userId: string;
  rules: NovaSecurityGroupRule[];
}

export interface NetworkRecord {
  readonly id: string;
  name: string;
  projectId: string;
  adminStateUp: boolean;
  status: string;
  shared: boolean;
  external: boolean;
  networkType: 'gre' | 'vlan' | 'flat' | 'local' | 'vxlan';
  physicalNetwork: string | null;
  segmentationId: number | null;
  subnets: string[];
  mtu: number;
  description: string;
  /** Set through the port-security extension (modern); absent is on, Neutron's default. */
  portSecurityEnabled?: boolean;
  createdAt: string;
}

export interface SubnetRecord {
  readonly id: string;
  name: string;
  networkId: string;
  projectId: string;
  ipVersion: 4 | 6;
  cidr: string;
  gatewayIp: string | null;
  allocationPools: Array<{ start: string; end: string }>;
  dnsNameservers: string[];
  hostRoutes: Array<{ destination: string; nexthop: string }>;
  enableDhcp: boolean;
  ipv6RaMode: string | null;
  ipv6AddressMode: string | null;
  description: string;
  createdAt: string;
}

export interface PortRecord {
  readonly id: string;
  name: string;
  networkId: string;
  projectId: string;
  macAddress: string;
  fixedIps: Array<{ subnetId: string; ipAddress: string }>;
  deviceId: string;
  deviceOwner: string;
  status: string;
  adminStateUp: boolean;
  securityGroups: string[];
  bindingHostId: string;
  allowedAddressPairs: Array<{ ip_address: string; mac_address?: string }>;
  description: string;
  /** Set through the port-security extension (modern); absent is the network's value. */
  portSecurityEnabled?: boolean;
  /** The extra_dhcp_opt extension's options, by (name, IP version); absent is none. */
  extraDhcpOpts?: Array<{ opt_name: string; opt_value: string; ip_version: 4 | 6 }>;
  /** `binding:vnic_type` (Juno+) when not `normal`. */
  vnicType?: string;
  createdAt: string;
}

export interface RouterRecord {
  readonly id: string;
  name: string;
  projectId: string;
  adminStateUp: boolean;
  status: string;
  gateway: { networkId: string; enableSnat: boolean; externalFixedIps: Array<{ subnetId: string; ipAddress: string }> } | null;
  routes: Array<{ destination: string; nexthop: string }>;
  distributed: boolean;
  ha: boolean;
  description: string;
  createdAt: string;
}

export interface FloatingIpRecord {
  readonly id: string;
  address: string;
  floatingNetworkId: string;
  routerId: string | null;
  portId: string | null;
  fixedIpAddress: string | null;
  projectId: string;
  status: 'ACTIVE' | 'DOWN' | 'ERROR';
  description: string;
  createdAt: string;
}

/**
 * A Neutron RBAC policy (Liberty+, `rbac-policies`): who else may use an object. Only networks
 * are simulated. A network's `shared` and `router:external` flags stay on its record (Nova and
 * the legacy profiles read them); the `*` policies that mirror them are kept in step by the
 * Neutron module (services/network/rbac-records.ts).
 */
export interface RbacPolicyRecord {
  readonly id: string;
  readonly objectType: 'network';
  readonly objectId: string;
  readonly action: 'access_as_shared' | 'access_as_external';
  /** A project id (not checked against Keystone, as Neutron does not) or `*`. */
  targetTenant: string;
  /** The policy's owner: who made it, or the network's owner for the ones Neutron makes. */
  readonly projectId: string;
}

export interface SecurityGroupRecord {
  readonly id: string;
  name: string;
  description: string;
  projectId: string;
  createdAt: string;
}

export interface SecurityGroupRuleRecord {
  readonly id: string;
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
  projectId: string;
  /** null on the rules Neutron makes itself (a new group's egress rules, the default group's), as Zed shows them. */
  description: string | null;
}
