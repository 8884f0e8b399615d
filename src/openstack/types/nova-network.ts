/** nova-network records (legacy clouds without Neutron). Integer ids become strings. */
export interface NovaNetwork {
  /** The network uuid. */
  readonly id: string;
  readonly label: string;
  readonly cidr: string | null;
  readonly cidrV6: string | null;
  readonly gateway: string | null;
  readonly gatewayV6: string | null;
  readonly netmask: string | null;
  readonly broadcast: string | null;
  readonly dns1: string | null;
  readonly dns2: string | null;
  /** VlanManager; null for FlatDHCP. */
  readonly vlan: number | null;
  readonly bridge: string | null;
  readonly bridgeInterface: string | null;
  /** Owning project in VLAN mode; null for shared flat networks. */
  readonly projectId: string | null;
  readonly host: string | null;
  readonly multiHost: boolean | null;
  readonly dhcpStart: string | null;
  readonly mtu: number | null;
  readonly enableDhcp: boolean | null;
}

export interface NovaNetworkInput {
  readonly label: string;
  readonly cidr?: string;
  readonly cidrV6?: string;
  readonly projectId?: string;
  readonly vlan?: number;
  readonly vlanStart?: number;
  readonly bridge?: string;
  readonly bridgeInterface?: string;
  readonly multiHost?: boolean;
  readonly dns1?: string;
  readonly dns2?: string;
  readonly gateway?: string;
  readonly fixedCidr?: string;
  readonly priority?: number;
  readonly mtu?: number;
  readonly enableDhcp?: boolean;
  readonly dhcpServer?: string;
  readonly shareAddress?: boolean;
  readonly allowedStart?: string;
  readonly allowedEnd?: string;
}

/** A floating IP allocated to the caller's project (`os-floating-ips`). */
export interface NovaFloatingIp {
  readonly id: string;
  readonly ip: string;
  readonly pool: string | null;
  readonly fixedIp: string | null;
  readonly instanceId: string | null;
}

/** One address of the admin-wide list (`os-floating-ips-bulk`). */
export interface NovaFloatingIpBulk {
  readonly address: string;
  readonly pool: string | null;
  readonly interface: string | null;
  readonly projectId: string | null;
  readonly instanceUuid: string | null;
}

export interface NovaSecurityGroupRule {
  readonly id: string;
  readonly parentGroupId: string;
  readonly ipProtocol: string | null;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  readonly cidr: string | null;
  /** Source group (by name, in the rule's tenant); null for CIDR rules. */
  readonly group: { readonly name: string; readonly tenantId: string | null } | null;
}

export interface NovaSecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tenantId: string;
  readonly rules: readonly NovaSecurityGroupRule[];
}

export interface NovaSecurityGroupRuleInput {
  readonly parentGroupId: string;
  readonly ipProtocol: 'tcp' | 'udp' | 'icmp' | string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: string;
  readonly groupId?: string;
}

export interface NovaFixedIp {
  readonly address: string;
  readonly cidr: string | null;
  readonly hostname: string | null;
  readonly host: string | null;
  /** Juno+; null before. */
  readonly reserved: boolean | null;
}
