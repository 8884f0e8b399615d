/** Compute (Nova) records, normalized over v2, v2.1 and the microversions Pumphouse uses. */
export interface Flavor {
  readonly id: string;
  readonly name: string;
  readonly vcpus: number;
  readonly ramMb: number;
  readonly diskGb: number;
  readonly ephemeralGb: number;
  /** Legacy Nova sends "" for no swap: 0 here. */
  readonly swapMb: number;
  readonly rxtxFactor: number;
  readonly isPublic: boolean;
  readonly disabled: boolean;
  /** Extra specs (fetched per flavor on clouds below microversion 2.61). */
  readonly extraSpecs: Readonly<Record<string, string>>;
}

export interface FlavorInput {
  readonly name: string;
  /** Keep the source id (Nova honours a given id). */
  readonly id?: string;
  readonly vcpus: number;
  readonly ramMb: number;
  readonly diskGb: number;
  readonly ephemeralGb?: number;
  readonly swapMb?: number;
  readonly rxtxFactor?: number;
  readonly isPublic?: boolean;
}

export interface Keypair {
  readonly name: string;
  readonly publicKey: string;
  readonly fingerprint: string;
  /** Owner; null where the cloud does not say (legacy list answers). */
  readonly userId: string | null;
  /** `ssh` or `x509` (microversion 2.2+); null when the cloud does not say. */
  readonly type: string | null;
}

export interface ServerAddress {
  readonly addr: string;
  readonly version: 4 | 6;
  readonly type: 'fixed' | 'floating';
  readonly mac: string | null;
}

export interface Server {
  readonly id: string;
  readonly name: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly status: string;
  readonly vmState: string | null;
  readonly taskState: string | null;
  readonly powerState: number | null;
  /** `OS-EXT-SRV-ATTR:host` (admin only; null otherwise). */
  readonly host: string | null;
  readonly hypervisorHostname: string | null;
  readonly instanceName: string | null;
  readonly availabilityZone: string | null;
  readonly flavorId: string;
  /** null for a server booted from a volume (legacy sends ""). */
  readonly imageId: string | null;
  readonly keyName: string | null;
  /**
   * Booted with a config drive (`config_drive`: "True", or "" for none, in every release; Nova
   * stores what a create's true became). Guests of networks without a metadata route read
   * their network and keys from it.
   */
  readonly configDrive: boolean;
  /** Security group names, each once. */
  readonly securityGroups: readonly string[];
  /** Network label -> addresses. */
  readonly addresses: Readonly<Record<string, readonly ServerAddress[]>>;
  readonly metadata: Readonly<Record<string, string>>;
  /** Ids of attached volumes. */
  readonly volumesAttached: readonly string[];
  readonly created: string;
  readonly updated: string | null;
  readonly fault: { readonly code: number; readonly message: string } | null;
}

export interface ServerNetworkRequest {
  readonly uuid?: string;
  readonly port?: string;
  readonly fixedIp?: string;
}

export interface BlockDevice {
  readonly bootIndex: number | null;
  readonly uuid?: string;
  readonly sourceType: 'image' | 'volume' | 'snapshot' | 'blank';
  readonly destinationType: 'volume' | 'local';
  readonly volumeSizeGb?: number;
  readonly deleteOnTermination?: boolean;
  readonly deviceName?: string;
}

export interface ServerInput {
  readonly name: string;
  readonly flavorId: string;
  /** Omit (or null) to boot from a volume through blockDevices. */
  readonly imageId?: string | null;
  readonly keyName?: string;
  readonly availabilityZone?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly securityGroups?: readonly string[];
  readonly networks?: readonly ServerNetworkRequest[];
  readonly blockDevices?: readonly BlockDevice[];
  /** Base64 user data. */
  readonly userData?: string;
  readonly configDrive?: boolean;
  readonly serverGroupId?: string;
}

export interface ServerFilter {
  /** Every project's servers (admin). */
  readonly allTenants?: boolean;
  readonly projectId?: string;
  readonly host?: string;
  readonly status?: string;
  readonly name?: string;
}

export interface Hypervisor {
  readonly id: string;
  readonly hostname: string;
  /** `up`/`down` (Juno+); null before. */
  readonly state: string | null;
  /** `enabled`/`disabled` (Juno+); null before. */
  readonly status: string | null;
  /** The nova-compute service host (`service.host`). */
  readonly servicehost: string | null;
  readonly hypervisorType: string | null;
  readonly vcpus: number | null;
  readonly vcpusUsed: number | null;
  readonly memoryMb: number | null;
  readonly memoryMbUsed: number | null;
  readonly localGb: number | null;
  readonly localGbUsed: number | null;
  readonly runningVms: number | null;
}

export interface ComputeService {
  /** null on Havana (no service ids there). */
  readonly id: string | null;
  readonly binary: string;
  readonly host: string;
  readonly zone: string;
  readonly status: 'enabled' | 'disabled' | string;
  readonly state: 'up' | 'down' | string;
  readonly disabledReason: string | null;
  readonly forcedDown: boolean | null;
  readonly updatedAt: string | null;
}

export interface AvailabilityZone {
  readonly name: string;
  readonly available: boolean;
  /** host -> binary -> state; null unless listed in detail (admin). */
  readonly hosts: Readonly<Record<string, Readonly<Record<string, { readonly available: boolean; readonly active: boolean }>>>> | null;
}

export interface ServerGroup {
  readonly id: string;
  readonly name: string;
  /** `affinity`, `anti-affinity`, `soft-*`; the 2.64 single `policy` becomes a one-item list. */
  readonly policies: readonly string[];
  readonly members: readonly string[];
  readonly projectId: string | null;
  readonly userId: string | null;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ServerVolumeAttachment {
  readonly id: string;
  readonly serverId: string;
  readonly volumeId: string;
  readonly device: string | null;
}

export interface Migration {
  readonly id: string;
  readonly serverId: string;
  readonly sourceCompute: string | null;
  readonly destCompute: string | null;
  readonly status: string;
  /** `live-migration`, `migration`, `resize`, `evacuation` (Liberty+); null before. */
  readonly type: string | null;
  readonly createdAt: string | null;
}
