/**
 * Normalized records of the Nailgun API (Fuel 5.x/6.0, tolerant of 7.0+). Field names are
 * ours (camelCase); the wire names are in the comments where they differ.
 */

/** `consts.NODE_STATUSES` of Fuel 6.0, plus `removing` (7.0+) and `stopped` (8.0+). */
export type FuelNodeStatus = 'discover' | 'provisioning' | 'provisioned' | 'deploying' | 'ready' | 'error' | 'removing' | 'stopped';

/** A network group assigned to a NIC. Ids are per environment: never carry them across environments. */
export interface FuelNetworkRef {
  readonly id: number;
  readonly name: string;
}

/** A NIC as the bootstrap agent reported it in `meta.interfaces`. */
export interface FuelNic {
  readonly name: string;
  /** Lower case, colon separated. */
  readonly mac: string;
}

export interface FuelNode {
  readonly id: number;
  /** Display name (`Untitled (ab:cd)` until someone renames it). */
  readonly name: string;
  /**
   * Host name: the wire `hostname` where Nailgun has one (7.0+), else the first label of `fqdn`.
   * Nailgun sets `fqdn` to `node-<id>.<domain>` when it prepares provisioning, so it changes
   * with the id after a node is rediscovered.
   */
  readonly hostname: string;
  readonly fqdn: string;
  /** MAC of the admin (PXE) interface, lower case. */
  readonly mac: string;
  /** Every interface MAC of `meta.interfaces` (and `mac`): lower case, unique, sorted. A node keeps it across rediscovery. */
  readonly macs: readonly string[];
  readonly nics: readonly FuelNic[];
  readonly ip: string | null;
  readonly status: FuelNodeStatus;
  readonly online: boolean;
  /** Wire `cluster`; null for an unassigned node. */
  readonly clusterId: number | null;
  readonly roles: readonly string[];
  readonly pendingRoles: readonly string[];
  readonly pendingAddition: boolean;
  readonly pendingDeletion: boolean;
  /** 0..100 while provisioning or deploying. */
  readonly progress: number;
  readonly errorType: 'deploy' | 'provision' | 'deletion' | null;
  readonly groupId: number | null;
  readonly manufacturer: string | null;
  readonly platformName: string | null;
}

/** Wire `status` of an environment. */
export type FuelClusterStatus = 'new' | 'deployment' | 'stopped' | 'operational' | 'error' | 'remove' | 'update' | 'update_error';

export interface FuelCluster {
  readonly id: number;
  readonly name: string;
  /** `multinode`, `ha_compact`, `ha_full`. */
  readonly mode: string;
  readonly status: FuelClusterStatus;
  readonly netProvider: 'nova_network' | 'neutron';
  readonly releaseId: number;
  readonly pendingReleaseId: number | null;
  readonly fuelVersion: string | null;
  /** Pending changes (`networks`, `attributes`, `disks`, `interfaces`), per node where Nailgun says so. */
  readonly changes: readonly { readonly name: string; readonly nodeId: number | null }[];
}

export type FuelTaskStatus = 'running' | 'ready' | 'error';

export interface FuelTask {
  readonly id: number;
  readonly uuid: string;
  /** `deploy` (the supertask of a deploy), `provision`, `deployment`, `node_deletion`, `check_networks`... */
  readonly name: string;
  /** Wire `cluster`. */
  readonly clusterId: number | null;
  readonly status: FuelTaskStatus;
  readonly progress: number;
  readonly message: string | null;
  readonly result: unknown;
}

export interface FuelRelease {
  readonly id: number;
  readonly name: string;
  /** e.g. `2014.2-6.0`. */
  readonly version: string;
  readonly operatingSystem: string;
  readonly state: string | null;
  readonly roles: readonly string[];
  readonly isDeployable: boolean;
}

/** A NIC or bond of `GET /api/nodes/{id}/interfaces`. */
export interface FuelInterface {
  /** NIC record id (not stable across rediscovery); undefined for bonds. */
  readonly id: number | undefined;
  readonly type: 'ether' | 'bond';
  readonly name: string;
  readonly mac: string | null;
  readonly state: string | null;
  readonly currentSpeed: number | null;
  readonly maxSpeed: number | null;
  readonly assignedNetworks: readonly FuelNetworkRef[];
  /** Bonds only. */
  readonly mode?: string;
  /** Bonds only: names of the slave NICs. */
  readonly slaves?: readonly string[];
}

/** A disk of `GET /api/nodes/{id}/disks` (sizes in MiB). */
export interface FuelDisk {
  /** e.g. `disk/by-path/pci-0000:00:1f.2-scsi-0:0:0:0`. */
  readonly id: string;
  /** e.g. `sda`. */
  readonly name: string;
  /** Space left for volumes after the service partitions. */
  readonly size: number;
  readonly volumes: readonly { readonly name: string; readonly size: number }[];
  readonly extra: readonly string[];
}

/** A network group of `GET /api/clusters/{id}/network_configuration/{provider}`. */
export interface FuelNetworkGroup {
  readonly id: number;
  /** `public`, `management`, `storage`, `fixed` (nova-network), `private` (Neutron), `fuelweb_admin`. */
  readonly name: string;
  readonly groupId: number | null;
  readonly cidr: string | null;
  readonly vlanStart: number | null;
}

export interface FuelNetworkConfiguration {
  readonly networks: readonly FuelNetworkGroup[];
  /** `networking_parameters` as sent (differs between nova_network and neutron). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** `GET /api/version`. */
export interface FuelVersion {
  /** Fuel release, e.g. `6.0`. */
  readonly release: string;
  /** False on Fuel 5.0 (no Keystone on the master). */
  readonly authRequired: boolean;
}
