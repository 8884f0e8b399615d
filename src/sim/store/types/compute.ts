/** Nova records (legacy-apis.md §2). Statuses are stored as Nova stores them: vm_state + task_state. */

export interface FlavorRecord {
  /** Nova flavor ids are strings (`"1"`, or a uuid). */
  readonly id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  swap: number;
  ephemeral: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  /** Projects granted a private flavor (os-flavor-access). */
  access: string[];
}

export interface KeypairRecord {
  /** Internal key `<userId>/<name>`: keypairs belong to users, names are unique per user. */
  readonly id: string;
  readonly dbId: number;
  name: string;
  userId: string;
  publicKey: string;
  fingerprint: string;
  type: 'ssh' | 'x509';
  createdAt: string;
}

export type VmState =
  | 'building' | 'active' | 'stopped' | 'paused' | 'suspended' | 'rescued' | 'resized'
  | 'soft-delete' | 'deleted' | 'error' | 'shelved' | 'shelved_offloaded';

/** One address of a server, as the `addresses` map renders it under `network`. */
export interface ServerAddress {
  /** Network label (nova-network) or name (Neutron). */
  readonly network: string;
  readonly addr: string;
  readonly type: 'fixed' | 'floating';
  readonly mac: string;
  readonly version: 4 | 6;
}

export interface ServerFault {
  readonly code: number;
  readonly message: string;
  readonly created: string;
  readonly details?: string;
}

export interface ServerRecord {
  readonly id: string;
  name: string;
  projectId: string;
  userId: string;
  vmState: VmState;
  taskState: string | null;
  /** 0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED. */
  powerState: number;
  flavorId: string;
  /** Empty string for a server booted from a volume (as Nova renders it). */
  imageId: string;
  keyName: string | null;
  /** Compute host (`OS-EXT-SRV-ATTR:host`); null before scheduling. */
  host: string | null;
  hypervisorHostname: string | null;
  availabilityZone: string;
  instanceName: string;
  createdAt: string;
  updatedAt: string;
  launchedAt: string | null;
  metadata: Record<string, string>;
  /** Security group names. */
  securityGroups: string[];
  addresses: ServerAddress[];
  /** Attached volume ids. */
  volumes: string[];
  /** Neutron ports Nova made for this server (deleted with it). */
  ports: string[];
  configDrive: string;
  progress: number | null;
  fault: ServerFault | null;
  accessIPv4: string;
  accessIPv6: string;
  diskConfig: 'AUTO' | 'MANUAL';
  /** Server group id (scheduler hint). */
  serverGroupId: string | null;
  /** Modern microversion fields. */
  description: string | null;
  tags: string[];
}

export interface HypervisorRecord {
  readonly id: number;
  /** Modern (2.53+) uuid id. */
  readonly uuid: string;
  hostname: string;
  host: string;
  serviceId: number;
  hostIp: string;
  type: string;
  version: number;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  cpuInfo: string;
}

export interface ComputeServiceRecord {
  readonly id: number;
  readonly uuid: string;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  /** Heartbeat state as reported. `forcedDown` also makes it down. */
  state: 'up' | 'down';
  forcedDown: boolean;
  disabledReason: string | null;
  updatedAt: string;
}

export interface AggregateRecord {
  readonly id: number;
  readonly uuid: string;
  name: string;
  availabilityZone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
  createdAt: string;
}

export interface ServerGroupRecord {
  readonly id: string;
  name: string;
  projectId: string;
  userId: string;
  policies: string[];
  members: string[];
  metadata: Record<string, string>;
}

export interface MigrationRecord {
  readonly id: number;
  readonly uuid: string;
  instanceUuid: string;
  sourceCompute: string;
  destCompute: string | null;
  status: string;
  /** `live-migration`, `migration`, `resize`, `evacuation` (modern `migration_type`). */
  type: string;
  createdAt: string;
  updatedAt: string;
}

/** Quota limits of one project for one service (`compute`, `volume`, `network`), by key. */
export interface QuotaRecord {
  /** `<service>/<projectId>`. */
  readonly id: string;
  readonly service: 'compute' | 'volume' | 'network';
  readonly projectId: string;
  limits: Record<string, number>;
}
