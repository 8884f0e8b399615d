import type { Machine } from './hardware.js';

export type SimNodeStatus = 'discover' | 'provisioning' | 'provisioned' | 'deploying' | 'ready' | 'error' | 'removing';

/** What an environment calls when its compute hosts come and go (wired to a simulated cloud). */
export interface ComputeHostHooks {
  addComputeHost(name: string): void;
  removeComputeHost(name: string): void;
}

export interface SimRelease {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly operatingSystem: 'CentOS' | 'Ubuntu';
  readonly roles: readonly string[];
  /** Roles that cannot share a node (release `roles_metadata[*].conflicts`). */
  readonly conflicts: Readonly<Record<string, readonly string[]>>;
}

export interface SimNetwork {
  readonly id: number;
  readonly name: string;
  readonly cidr: string;
  readonly vlanStart: number | null;
  readonly groupId: number | null;
  readonly gateway: string | null;
}

export interface SimCluster {
  readonly id: number;
  readonly name: string;
  readonly releaseId: number;
  readonly mode: 'multinode' | 'ha_compact';
  readonly netProvider: 'nova_network' | 'neutron';
  /** The default node group of the environment (Fuel 6.0). */
  readonly groupId: number;
  /** Networks of the environment; the admin network is shared and not listed here. */
  readonly networks: readonly SimNetwork[];
  status: 'new' | 'deployment' | 'operational' | 'error' | 'stopped';
  changes: { name: string; nodeId: number | null }[];
  readonly hooks: ComputeHostHooks | undefined;
}

export interface SimBond {
  readonly name: string;
  readonly mode: string;
  readonly slaves: readonly string[];
  networks: number[];
}

export interface SimNode {
  readonly id: number;
  readonly machine: Machine;
  name: string;
  fqdn: string;
  readonly ip: string;
  status: SimNodeStatus;
  online: boolean;
  clusterId: number | null;
  groupId: number | null;
  roles: string[];
  pendingRoles: string[];
  pendingAddition: boolean;
  pendingDeletion: boolean;
  progress: number;
  errorType: 'provision' | 'deploy' | 'deletion' | null;
  /** NIC record ids: new ones each time the machine registers. */
  readonly nicIds: ReadonlyMap<string, number>;
  /** Network ids per NIC name. */
  networks: Map<string, number[]>;
  bonds: SimBond[];
  /** Volumes per disk name (MiB). */
  volumes: Map<string, { name: string; size: number }[]>;
}

export type SimTaskStatus = 'running' | 'ready' | 'error';

export interface SimTask {
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly clusterId: number | null;
  status: SimTaskStatus;
  /** Final progress once finished; while running it is computed from the clock. */
  progress: number;
  message: string | null;
  readonly parentId: number | null;
  /** Weight in the parent's progress (Nailgun: deletion 0.4, provision 0.4, deployment 1). */
  readonly weight: number;
  /** Set while the task runs: when it started and how long it takes. */
  running?: { readonly startedAt: number; readonly durationMs: number };
}

/** The shared admin (PXE) network of the master. */
export const ADMIN_NETWORK: SimNetwork = { id: 1, name: 'fuelweb_admin', cidr: '10.20.0.0/24', vlanStart: null, groupId: null, gateway: null };

export const DNS_DOMAIN = 'domain.tld';

/** Nailgun's default node name: `Untitled (` + the last 5 characters of the MAC + `)`. */
export function defaultNodeName(mac: string): string {
  return `Untitled (${mac.slice(-5).toLowerCase()})`;
}

/** Short host name: the first label of the fqdn. */
export function hostnameOf(node: Pick<SimNode, 'fqdn'>): string {
  const dot = node.fqdn.indexOf('.');
  return dot < 0 ? node.fqdn : node.fqdn.slice(0, dot);
}
