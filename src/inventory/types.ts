/**
 * The Inventory: normalized, typed records of one cloud as discovery saw it, and what the
 * planner consumes (DESIGN.md §2-3). Every API difference between releases (Keystone v2.0/v3,
 * nova-network/Neutron, Glance v1/v2, Cinder v1/v2/v3, Nova microversions) is absorbed by
 * discovery: these records have one shape whatever the release.
 *
 * Conventions:
 * - ids are the cloud's own ids, as strings (nova-network's integer ids included);
 * - absent optional facts are `null` (known to be empty) or omitted (not discovered);
 * - list order carries no meaning (fingerprint() sorts), except where a field says so;
 * - secrets never appear: password hashes are only referenced (`passwordHashRefs`).
 */

/** Which cloud an inventory describes. */
export type CloudRole = 'source' | 'destination';

/**
 * The source-id marker pumphouse writes on every destination object it creates (metadata,
 * image property, description or tag, whichever the kind has; DESIGN.md §5). Discovery
 * decodes it; the planner uses it to recognise objects already (or half) migrated.
 */
export interface Marker {
  /** The id of the object in the source cloud. */
  readonly sourceId: string;
  /** The resource kind written with it (`server`, `network`...), as in plan ResourceKind. */
  readonly kind: string;
}

/** Anything that may carry a pumphouse marker. */
export interface Marked {
  readonly marker?: Marker;
}

/** Neutron objects (Mitaka+ tag extensions): the source's own tags, sorted, pumphouse's markers left out; absent when none. */
export interface Tagged {
  readonly tags?: readonly string[];
}

/**
 * What the cloud speaks. The planner branches on these, never on raw version strings.
 */
export interface CloudCapabilities {
  readonly identityApi: 'v2.0' | 'v3';
  readonly networkModel: 'nova-network' | 'neutron';
  /** nova-network manager when `networkModel` is nova-network. */
  readonly novaNetworkManager?: 'FlatDHCP' | 'VLAN' | 'Flat';
  readonly imageApi: 'v1' | 'v2';
  /** null when the cloud has no block storage service. */
  readonly volumeApi: 'v1' | 'v2' | 'v3' | null;
  /** Highest compute microversion (`2.93`); null = v2 without microversions (Havana-Juno). */
  readonly computeMicroversion: string | null;
  /** Release name when known (`havana`, `juno`, `zed`, `2025.1`). */
  readonly release?: string;
  /**
   * Keystone release (name or `YYYY.N`), used to decide whether copied `$6$` sha512_crypt
   * hashes still verify (they do up to 2024.2, not on 2025.1+; DESIGN.md §8).
   */
  readonly keystoneRelease?: string;
  /** Neutron accepts `floating_ip_address` on create (Kilo+, admin). */
  readonly floatingIpAddressOnCreate?: boolean;
  /** Neutron extensions ports carry attributes through (Neutron clouds only). */
  readonly neutron?: NeutronFeatures;
}

export interface NeutronFeatures {
  /** `allowed-address-pairs` (Havana+ with ML2/OVS). */
  readonly allowedAddressPairs: boolean;
  /** `port-security` (Kilo+, when ML2's port_security extension driver is on). */
  readonly portSecurity: boolean;
  /** `extra_dhcp_opt` (Havana+). */
  readonly extraDhcpOpts: boolean;
  /** `l3-ha`: HA (VRRP) routers (Juno+, when the L3 router plugin is on). */
  readonly l3Ha: boolean;
  /** `dvr`: distributed routers (Juno+). */
  readonly dvr: boolean;
  /** `rbac-policies`: networks shared with chosen projects (Liberty+). */
  readonly rbac: boolean;
}

/** Who discovery authenticated as: the admin apply acts as (admin membership grants). */
export interface SessionIdentity {
  readonly userId: string;
  readonly userName: string;
  readonly projectId: string;
}

// ---------------------------------------------------------------------------------------
// Identity

export interface Project extends Marked {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  /** Keystone v3 domain; null on v2.0. */
  readonly domainId: string | null;
}

export interface User extends Marked {
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly enabled: boolean;
  readonly defaultProjectId: string | null;
  readonly domainId: string | null;
}

export interface Role extends Marked {
  readonly id: string;
  readonly name: string;
}

/** A user holds a role in a project. */
export interface RoleAssignment {
  readonly userId: string;
  readonly roleId: string;
  readonly projectId: string;
}

/**
 * A user whose password hash the identity database can give. Only the fact and the scheme;
 * the hash itself is fetched at apply time through a `$secret` reference.
 */
export interface PasswordHashRef {
  readonly userId: string;
  /** Hash scheme from the hash prefix (`$6$` = sha512_crypt, `$2b$` = bcrypt...). */
  readonly scheme: 'sha512_crypt' | 'bcrypt' | 'scrypt' | 'pbkdf2_sha512' | 'unknown';
}

// ---------------------------------------------------------------------------------------
// Tenant settings

/** Limits per service; a missing service (no Cinder, nova-network) is null. */
export interface ProjectQuotas {
  readonly projectId: string;
  readonly compute: Readonly<Record<string, number>> | null;
  readonly volume: Readonly<Record<string, number>> | null;
  readonly network: Readonly<Record<string, number>> | null;
}

export interface Flavor extends Marked {
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  readonly ramMb: number;
  readonly diskGb: number;
  readonly ephemeralGb: number;
  /** MB; legacy Nova's `""` is 0. */
  readonly swapMb: number;
  readonly rxtxFactor: number;
  readonly isPublic: boolean;
  readonly disabled: boolean;
  readonly extraSpecs: Readonly<Record<string, string>>;
  /** Project ids allowed to use a private flavor (empty for public ones). */
  readonly access: readonly string[];
}

/** A keypair belongs to a user (not a project); its name is unique per user. */
export interface Keypair extends Marked {
  readonly name: string;
  readonly userId: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly type: 'ssh' | 'x509';
}

export interface SecurityGroupRule extends Marked {
  readonly id: string;
  readonly direction: 'ingress' | 'egress';
  readonly ethertype: 'IPv4' | 'IPv6';
  /** `tcp`, `udp`, `icmp`, a number, or null for any. */
  readonly protocol: string | null;
  readonly portMin: number | null;
  readonly portMax: number | null;
  readonly remoteIpPrefix: string | null;
  /** Group-to-group rule: the referenced group's id in the same cloud. */
  readonly remoteGroupId: string | null;
  /** Admits an address group (Neutron Wallaby+); absent when not. Address groups are not migrated. */
  readonly remoteAddressGroupId?: string;
}

export interface SecurityGroup extends Marked, Tagged {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly projectId: string;
  readonly rules: readonly SecurityGroupRule[];
}

// ---------------------------------------------------------------------------------------
// Networking: Neutron

export interface Network extends Marked, Tagged {
  readonly id: string;
  readonly name: string;
  /** The source text without pumphouse's marker; absent when empty or not stored (Neutron without standard-attr-description, nova-network). */
  readonly description?: string;
  readonly projectId: string;
  readonly shared: boolean;
  /** `router:external`. */
  readonly external: boolean;
  readonly adminStateUp: boolean;
  readonly mtu: number | null;
  readonly providerNetworkType: string | null;
  readonly providerPhysicalNetwork: string | null;
  readonly providerSegmentationId: number | null;
  /** The default of its new ports (the port-security extension, Kilo+); absent where the cloud does not tell. */
  readonly portSecurityEnabled?: boolean;
}

export interface AllocationPool {
  readonly start: string;
  readonly end: string;
}

export interface Subnet extends Marked, Tagged {
  readonly id: string;
  readonly name: string;
  /** The source text without pumphouse's marker; absent when empty or not stored (Neutron without standard-attr-description, nova-network). */
  readonly description?: string;
  readonly networkId: string;
  readonly projectId: string;
  readonly cidr: string;
  readonly ipVersion: 4 | 6;
  readonly gatewayIp: string | null;
  readonly enableDhcp: boolean;
  readonly dnsNameservers: readonly string[];
  readonly allocationPools: readonly AllocationPool[];
  readonly hostRoutes: readonly { readonly destination: string; readonly nexthop: string }[];
  /** IPv6 subnets (Icehouse+): how routers advertise and hosts get addresses (`slaac`, `dhcpv6-stateful`, ...); absent when unset. */
  readonly ipv6RaMode?: string;
  readonly ipv6AddressMode?: string;
}

export interface FixedIp {
  readonly subnetId: string;
  readonly ipAddress: string;
}

export interface RouterGateway {
  readonly networkId: string;
  readonly enableSnat: boolean | null;
  readonly externalFixedIps: readonly FixedIp[];
}

export interface RouterInterface {
  readonly subnetId: string;
  readonly portId: string;
  readonly ipAddress: string;
}

export interface Router extends Marked, Tagged {
  readonly id: string;
  readonly name: string;
  /** The source text without pumphouse's marker; absent when empty or not stored (Neutron without standard-attr-description, nova-network). */
  readonly description?: string;
  readonly projectId: string;
  readonly adminStateUp: boolean;
  readonly gateway: RouterGateway | null;
  readonly interfaces: readonly RouterInterface[];
  readonly routes: readonly { readonly destination: string; readonly nexthop: string }[];
  /** HA (VRRP across network nodes); absent when not, or where the cloud does not tell (admin-only, Juno+). */
  readonly ha?: true;
  /** Distributed (DVR); absent when not, or where the cloud does not tell (admin-only, Juno+). */
  readonly distributed?: true;
}

export interface Port extends Marked, Tagged {
  readonly id: string;
  readonly name: string;
  /** The source text without pumphouse's marker; absent when empty or not stored (Neutron without standard-attr-description, nova-network). */
  readonly description?: string;
  readonly networkId: string;
  readonly projectId: string;
  readonly macAddress: string;
  readonly fixedIps: readonly FixedIp[];
  /** `compute:nova`, `network:router_interface`, `network:dhcp`, ... */
  readonly deviceOwner: string;
  readonly deviceId: string;
  readonly securityGroupIds: readonly string[];
  readonly adminStateUp: boolean;
  /** Extra addresses (a VIP, a CIDR) the port may send from; absent when none. The MAC is absent where it is the port's own. */
  readonly allowedAddressPairs?: readonly AddressPair[];
  /** Off: no anti-spoofing, no groups (the port-security extension, Kilo+); absent where the cloud does not tell. */
  readonly portSecurityEnabled?: boolean;
  /** Options its DHCP answers carry (PXE boot, DNS search...); absent when none. */
  readonly extraDhcpOpts?: readonly DhcpOption[];
  /** `binding:vnic_type` when not `normal` (SR-IOV `direct`, `macvtap`, ...; Juno+); absent for normal ports. */
  readonly vnicType?: string;
  /** The trunk this port is the parent of (a VLAN-aware VM's NIC; Newton+); absent otherwise. */
  readonly trunk?: { readonly id: string; readonly subports: number };
}

export interface AddressPair {
  readonly ipAddress: string;
  readonly macAddress?: string;
}

export interface DhcpOption {
  readonly name: string;
  readonly value: string;
  /** 4 or 6; absent where the source does not tell (Havana-Juno: IPv4 only). */
  readonly ipVersion?: number;
}

/**
 * A Neutron RBAC policy: `objectType`'s object `objectId` opened to `targetProject` (`*`:
 * everyone, which is what a network's `shared` / `router:external` flag makes).
 */
export interface RbacPolicy {
  readonly id: string;
  /** `network`; later releases also `qos_policy`, `security_group`, `address_scope`, `subnetpool`, `address_group`. */
  readonly objectType: string;
  readonly objectId: string;
  /** `access_as_shared` or `access_as_external`. */
  readonly action: string;
  readonly targetProject: string;
  /** Who made the policy. */
  readonly projectId: string;
}

export interface FloatingIp extends Marked, Tagged {
  readonly id: string;
  readonly address: string;
  /** The source text without pumphouse's marker; absent when empty or not stored (Neutron without standard-attr-description, nova-network). */
  readonly description?: string;
  readonly projectId: string;
  readonly externalNetworkId: string;
  readonly portId: string | null;
  readonly fixedIpAddress: string | null;
  readonly routerId: string | null;
  /** Server owning `portId`, resolved by discovery when known. */
  readonly serverId: string | null;
}

// ---------------------------------------------------------------------------------------
// Networking: nova-network (source clouds only)

export interface NovaNetwork {
  readonly id: string;
  readonly label: string;
  readonly cidr: string;
  readonly cidrV6: string | null;
  readonly gateway: string | null;
  readonly netmask: string | null;
  readonly broadcast: string | null;
  readonly dhcpStart: string | null;
  readonly dns: readonly string[];
  /** VLAN tag (VlanManager); null for flat networks. */
  readonly vlan: number | null;
  readonly bridge: string | null;
  readonly bridgeInterface: string | null;
  readonly multiHost: boolean;
  /** Owning project (VLAN mode); null = shared by every project (FlatDHCP). */
  readonly projectId: string | null;
}

export interface NovaFloatingIp {
  readonly address: string;
  readonly pool: string;
  readonly interface: string | null;
  /** Allocated to this project; null = free in the pool. */
  readonly projectId: string | null;
  readonly serverId: string | null;
  readonly fixedIpAddress: string | null;
}

// ---------------------------------------------------------------------------------------
// Data and compute

export interface Image extends Marked {
  readonly id: string;
  readonly name: string;
  readonly visibility: 'public' | 'private' | 'shared' | 'community';
  readonly owner: string | null;
  /** md5 hex as Glance reports it; null while not active. */
  readonly checksum: string | null;
  readonly sizeBytes: number | null;
  /** `active`, `queued`, `saving`, `killed`, `deleted`, ... */
  readonly status: string;
  readonly diskFormat: string | null;
  readonly containerFormat: string | null;
  readonly minDiskGb: number;
  readonly minRamMb: number;
  readonly protected: boolean;
  /**
   * Custom properties, values as strings (v2 non-string values JSON-encoded). Snapshots carry
   * `image_type=snapshot`, `instance_uuid`; boot-from-volume snapshots `block_device_mapping`.
   */
  readonly properties: Readonly<Record<string, string>>;
  /** Glance v2 tags, sorted (Glance keeps a set); absent when none. */
  readonly tags?: readonly string[];
}

export interface VolumeAttachment {
  readonly serverId: string;
  /** `/dev/vdb`; null when Cinder does not say. */
  readonly device: string | null;
}

export interface Volume extends Marked {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly projectId: string;
  readonly sizeGb: number;
  readonly volumeType: string | null;
  readonly bootable: boolean;
  /** `available`, `in-use`, `error`, ... */
  readonly status: string;
  readonly availabilityZone: string | null;
  readonly attachments: readonly VolumeAttachment[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Image the volume was made from (`volume_image_metadata.image_id`). */
  readonly sourceImageId: string | null;
  /** Present when Cinder encrypts it (its key is in the cloud's key manager); absent otherwise. */
  readonly encrypted?: true;
}

/** A Cinder snapshot: a volume's restore point. */
export interface VolumeSnapshot {
  readonly id: string;
  readonly name: string;
  readonly volumeId: string;
}

/** A Nova server group: a scheduling rule over its members. */
export interface ServerGroup {
  readonly id: string;
  readonly name: string;
  /** `affinity`, `anti-affinity`, `soft-affinity`, `soft-anti-affinity`. */
  readonly policy: string;
  /** Server ids. */
  readonly members: readonly string[];
  /**
   * The group's project: Nova's `project_id` (2.13+), else that of its first member it knows
   * (Nova at 2.1 does not say); null for an empty group Nova gave no project for.
   */
  readonly projectId: string | null;
}

/** One address of a server NIC, as Nova reports it under `addresses[<network name>]`. */
export interface ServerAddress {
  /** Network label (nova-network) or name (Neutron). */
  readonly networkName: string;
  readonly macAddress: string | null;
  readonly ipAddress: string;
  readonly type: 'fixed' | 'floating';
  readonly version: 4 | 6;
}

export interface Server extends Marked {
  readonly id: string;
  readonly name: string;
  readonly projectId: string;
  readonly userId: string;
  /** Nova status: ACTIVE, SHUTOFF, SUSPENDED, PAUSED, ERROR, ... */
  readonly status: string;
  /** Compute service host (`OS-EXT-SRV-ATTR:host`); null when not scheduled. */
  readonly host: string | null;
  readonly hypervisorHostname: string | null;
  /** null when only the embedded flavor is known (Nova 2.47+). */
  readonly flavorId: string | null;
  readonly flavorName: string | null;
  /** null for a boot-from-volume server. */
  readonly imageId: string | null;
  readonly keyName: string | null;
  /** Booted with a config drive; absent when not (most servers: records stay small). */
  readonly configDrive?: true;
  readonly securityGroupNames: readonly string[];
  readonly addresses: readonly ServerAddress[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Attached volume ids in attachment order. */
  readonly attachedVolumeIds: readonly string[];
  readonly availabilityZone: string | null;
}

/** A grant the plan leaves behind, with its holder's name (a group's, or a user's). */
export interface OtherGrant {
  readonly holder: 'user' | 'group';
  readonly holderId: string;
  /** The group's or user's name; its id where the cloud did not tell. */
  readonly holderName: string;
  readonly roleId: string;
  readonly scope: 'project' | 'domain';
  readonly scopeId: string;
  readonly inherited: boolean;
}

// ---------------------------------------------------------------------------------------
// Hosts

export interface Hypervisor {
  readonly id: string;
  readonly hypervisorHostname: string;
  /** Compute service host name (what servers' `host` and Fuel's hostname use). */
  readonly host: string;
  readonly state: 'up' | 'down' | null;
  readonly status: 'enabled' | 'disabled' | null;
  readonly runningVms: number;
  readonly vcpus: number;
  readonly vcpusUsed: number;
  readonly memoryMb: number;
  readonly memoryMbUsed: number;
  readonly localGb: number;
  readonly localGbUsed: number;
}

export interface ComputeService {
  /** null on Havana (no service ids). */
  readonly id: string | null;
  readonly binary: string;
  readonly host: string;
  readonly zone: string;
  readonly status: 'enabled' | 'disabled';
  readonly state: 'up' | 'down';
  readonly disabledReason: string | null;
}

export interface AvailabilityZone {
  readonly name: string;
  readonly available: boolean;
  readonly hosts: readonly string[];
}

// ---------------------------------------------------------------------------------------

/** What discovery observed of one OpenStack cloud. */
export interface Inventory {
  readonly cloud: CloudRole;
  readonly capabilities: CloudCapabilities;
  /** The identity discovery used; absent when unknown (fixtures). */
  readonly session?: SessionIdentity;
  /** Discovery bookkeeping; excluded from fingerprint(). */
  readonly observed?: { readonly at: string; readonly calls: number };

  readonly projects: readonly Project[];
  readonly users: readonly User[];
  readonly roles: readonly Role[];
  readonly roleAssignments: readonly RoleAssignment[];
  readonly passwordHashRefs: readonly PasswordHashRef[];
  readonly quotas: readonly ProjectQuotas[];

  readonly flavors: readonly Flavor[];
  readonly keypairs: readonly Keypair[];
  readonly securityGroups: readonly SecurityGroup[];

  readonly networks: readonly Network[];
  readonly subnets: readonly Subnet[];
  readonly routers: readonly Router[];
  readonly ports: readonly Port[];
  readonly floatingIps: readonly FloatingIp[];
  /** Neutron RBAC policies (Liberty+); absent where the cloud has none to say (no extension, nova-network, older fixtures). */
  readonly rbacPolicies?: readonly RbacPolicy[];
  readonly novaNetworks: readonly NovaNetwork[];
  readonly novaFloatingIps: readonly NovaFloatingIp[];

  readonly images: readonly Image[];
  readonly volumes: readonly Volume[];
  /** Names of the volume types; absent when not observed (fixtures made before they were read). */
  readonly volumeTypes?: readonly string[];
  /** Cinder snapshots of the volumes (restore points); absent when not observed. */
  readonly volumeSnapshots?: readonly VolumeSnapshot[];
  readonly servers: readonly Server[];
  /** Nova server groups (Icehouse+); absent when not observed (fixtures made before they were read). */
  readonly serverGroups?: readonly ServerGroup[];
  /**
   * Keystone v3 grants pumphouse does not migrate (a group's role on a project or domain, a
   * user's on a domain, inherited ones); absent when there are none or they were not read.
   */
  readonly otherGrants?: readonly OtherGrant[];

  readonly hypervisors: readonly Hypervisor[];
  readonly computeServices: readonly ComputeService[];
  readonly availabilityZones: readonly AvailabilityZone[];
}

// ---------------------------------------------------------------------------------------
// Fuel

export interface FuelEnvironment {
  readonly id: number;
  readonly name: string;
  /** Release name or id as Nailgun reports it. */
  readonly release: string;
  /** `new`, `operational`, `deployment`, `error`, ... */
  readonly status: string;
}

export interface FuelNode {
  /** Changes when a node is removed and rediscovered: match nodes by `macs`. */
  readonly id: number;
  /** Nailgun `hostname` (7.0+) or the short name from `fqdn`. */
  readonly hostname: string;
  /** `discover`, `provisioning`, `provisioned`, `deploying`, `ready`, `error`, `removing`. */
  readonly status: string;
  readonly online: boolean;
  readonly clusterId: number | null;
  readonly roles: readonly string[];
  readonly pendingRoles: readonly string[];
  /** Lower-case MACs of every interface (`meta.interfaces[].mac`). */
  readonly macs: readonly string[];
}

/**
 * A node's disks and NIC-to-network mapping, by name (what a reassigned node copies from a
 * template node of the destination environment). Network names, not ids: ids are per
 * environment.
 */
export interface FuelNodeLayout {
  readonly interfaces: readonly {
    readonly name: string;
    readonly assignedNetworks: readonly string[];
    readonly bond?: { readonly mode: string; readonly slaves: readonly string[] };
  }[];
  readonly disks: readonly { readonly name: string; readonly size?: number; readonly volumes: readonly { readonly name: string; readonly size: number }[] }[];
}

/** What discovery observed of the Fuel master. */
export interface FuelInventory {
  readonly observed?: { readonly at: string; readonly calls: number };
  readonly environments: readonly FuelEnvironment[];
  readonly nodes: readonly FuelNode[];
  /** Layouts of the nodes the manifest's hosts copy (by node id); absent when none was read. */
  readonly layouts?: Readonly<Record<string, FuelNodeLayout>>;
}
