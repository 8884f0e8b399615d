import { FuelConnection, type CallOptions, type FuelClientOptions } from './connection.js';
import type { FuelCredentials } from './credentials.js';
import { FuelTransportError } from './errors.js';
import {
  diskToWire,
  interfaceToWire,
  toCluster,
  toDisk,
  toInterface,
  toNetworkConfiguration,
  toNode,
  toRelease,
  toTask,
  toVersion,
} from './normalize.js';
import type { FuelCluster, FuelDisk, FuelInterface, FuelNetworkConfiguration, FuelNode, FuelRelease, FuelTask, FuelVersion } from './types.js';
import { pickNodeByMacs, pickNodeByName } from './node-match.js';
import { waitForNode, waitForRediscovery, waitForTask, type NodeWaitOptions, type TaskWaitOptions } from './waits.js';
import { WireShapeError, asArray } from './wire-read.js';

/** Fields of `PUT /api/nodes/{id}` the client sets. Absent fields are left alone. */
export interface FuelNodeUpdate {
  /** null removes the node from its environment (only from a non-null one to null: Nailgun refuses a direct move). */
  readonly clusterId?: number | null;
  readonly pendingRoles?: readonly string[];
  readonly pendingAddition?: boolean;
  readonly pendingDeletion?: boolean;
  readonly name?: string;
}

/** Options of every call: an AbortSignal to stop waiting. */
export interface FuelCallOptions {
  readonly signal?: AbortSignal;
}

/**
 * Typed Nailgun calls (legacy-apis.md §6.3) over one connection to a Fuel master.
 * Reads are retried on transient failures; calls that start work (assignment, changes,
 * provision, deploy) are sent once.
 */
export class FuelClient {
  /** `host:port` of the master, for messages. */
  readonly master: string;

  constructor(
    readonly connection: FuelConnection,
    /** What `GET /api/version` said when the client was opened. */
    readonly version: FuelVersion,
  ) {
    this.master = connection.master;
  }

  /** Calls sent so far (retries and logins included). */
  get callCount(): number {
    return this.connection.callCount;
  }

  async releases(o: FuelCallOptions = {}): Promise<FuelRelease[]> {
    return this.list('/api/releases', toRelease, o);
  }

  async release(id: number, o: FuelCallOptions = {}): Promise<FuelRelease> {
    return this.one(`/api/releases/${id}`, toRelease, o);
  }

  /** Every environment (Nailgun lists are never paginated). */
  async clusters(o: FuelCallOptions = {}): Promise<FuelCluster[]> {
    return this.list('/api/clusters', toCluster, o);
  }

  async cluster(id: number, o: FuelCallOptions = {}): Promise<FuelCluster> {
    return this.one(`/api/clusters/${id}`, toCluster, o);
  }

  /** The environment with this exact name, or undefined. */
  async clusterByName(name: string, o: FuelCallOptions = {}): Promise<FuelCluster | undefined> {
    return (await this.clusters(o)).find((c) => c.name === name);
  }

  /**
   * Nodes, all or filtered: `clusterId: n` for one environment, `clusterId: null` for the
   * unassigned ones (`?cluster_id=` with an empty value).
   */
  async nodes(filter: { readonly clusterId?: number | null } & FuelCallOptions = {}): Promise<FuelNode[]> {
    const query = filter.clusterId === undefined ? undefined : { cluster_id: filter.clusterId === null ? '' : String(filter.clusterId) };
    return this.list('/api/nodes', toNode, { ...filter, ...(query ? { query } : {}) });
  }

  async node(id: number, o: FuelCallOptions = {}): Promise<FuelNode> {
    return this.one(`/api/nodes/${id}`, toNode, o);
  }

  /** `PUT /api/nodes/{id}` with the given fields; returns the updated node. */
  async updateNode(id: number, update: FuelNodeUpdate, o: FuelCallOptions = {}): Promise<FuelNode> {
    const body: Record<string, unknown> = {};
    if (update.clusterId !== undefined) body.cluster_id = update.clusterId;
    if (update.pendingRoles !== undefined) body.pending_roles = [...update.pendingRoles];
    if (update.pendingAddition !== undefined) body.pending_addition = update.pendingAddition;
    if (update.pendingDeletion !== undefined) body.pending_deletion = update.pendingDeletion;
    if (update.name !== undefined) body.name = update.name;
    return this.one(`/api/nodes/${id}`, toNode, { ...o, method: 'PUT', body, idempotent: true });
  }

  /**
   * `POST /api/clusters/{id}/assignment/`: puts unassigned nodes into the environment with
   * pending roles (`pending_addition`). Nailgun answers 400 if a node is unknown, already in
   * an environment, or a role is invalid for the release; 404 for an unknown environment.
   */
  async assign(clusterId: number, nodes: readonly { readonly id: number; readonly roles: readonly string[] }[], o: FuelCallOptions = {}): Promise<void> {
    await this.connection.call('POST', `/api/clusters/${clusterId}/assignment/`, { ...o, body: nodes.map((n) => ({ id: n.id, roles: [...n.roles] })) });
  }

  /**
   * `POST /api/clusters/{id}/unassignment/`: a node in `discover` leaves at once; any other
   * gets `pending_deletion` and is removed (and later rediscovered with a new id) by the next
   * deploy of changes.
   */
  async unassign(clusterId: number, nodeIds: readonly number[], o: FuelCallOptions = {}): Promise<void> {
    await this.connection.call('POST', `/api/clusters/${clusterId}/unassignment/`, { ...o, body: nodeIds.map((id) => ({ id })) });
  }

  async interfaces(nodeId: number, o: FuelCallOptions = {}): Promise<FuelInterface[]> {
    return this.list(`/api/nodes/${nodeId}/interfaces`, (raw) => toInterface(raw, nodeId), o);
  }

  /** `PUT /api/nodes/{id}/interfaces` with the whole list (every network of the node must stay assigned). */
  async setInterfaces(nodeId: number, interfaces: readonly FuelInterface[], o: FuelCallOptions = {}): Promise<FuelInterface[]> {
    return this.list(`/api/nodes/${nodeId}/interfaces`, (raw) => toInterface(raw, nodeId), {
      ...o,
      method: 'PUT',
      body: interfaces.map(interfaceToWire),
      idempotent: true,
    });
  }

  async disks(nodeId: number, o: FuelCallOptions = {}): Promise<FuelDisk[]> {
    return this.list(`/api/nodes/${nodeId}/disks`, (raw) => toDisk(raw, nodeId), o);
  }

  /** `PUT /api/nodes/{id}/disks` with the whole list (disks by their own `id`). */
  async setDisks(nodeId: number, disks: readonly FuelDisk[], o: FuelCallOptions = {}): Promise<FuelDisk[]> {
    return this.list(`/api/nodes/${nodeId}/disks`, (raw) => toDisk(raw, nodeId), { ...o, method: 'PUT', body: disks.map(diskToWire), idempotent: true });
  }

  /** Network groups of an environment (their ids are what `assigned_networks` needs). */
  async networkConfiguration(cluster: Pick<FuelCluster, 'id' | 'netProvider'>, o: FuelCallOptions = {}): Promise<FuelNetworkConfiguration> {
    return this.one(`/api/clusters/${cluster.id}/network_configuration/${cluster.netProvider}`, toNetworkConfiguration, o);
  }

  /**
   * `PUT /api/clusters/{id}/changes`: removes pending-deletion nodes, then provisions and
   * deploys pending-addition ones. Returns the `deploy` supertask (HTTP 202). Never retried.
   */
  async deployChanges(clusterId: number, o: FuelCallOptions = {}): Promise<FuelTask> {
    return this.one(`/api/clusters/${clusterId}/changes`, toTask, { ...o, method: 'PUT', body: {}, idempotent: false });
  }

  /** `PUT /api/clusters/{id}/provision/?nodes=...`: installs the OS only. */
  async provision(clusterId: number, nodeIds: readonly number[], o: FuelCallOptions = {}): Promise<FuelTask> {
    return this.one(`/api/clusters/${clusterId}/provision/`, toTask, { ...o, method: 'PUT', body: {}, query: { nodes: nodeIds.join(',') }, idempotent: false });
  }

  /** `PUT /api/clusters/{id}/deploy/?nodes=...`: deploys provisioned nodes. */
  async deploy(clusterId: number, nodeIds: readonly number[], o: FuelCallOptions = {}): Promise<FuelTask> {
    return this.one(`/api/clusters/${clusterId}/deploy/`, toTask, { ...o, method: 'PUT', body: {}, query: { nodes: nodeIds.join(',') }, idempotent: false });
  }

  async tasks(filter: { readonly clusterId?: number } & FuelCallOptions = {}): Promise<FuelTask[]> {
    const query = filter.clusterId === undefined ? undefined : { cluster_id: String(filter.clusterId) };
    return this.list('/api/tasks', toTask, { ...filter, ...(query ? { query } : {}) });
  }

  async task(id: number, o: FuelCallOptions = {}): Promise<FuelTask> {
    return this.one(`/api/tasks/${id}`, toTask, o);
  }

  /**
   * The node whose hostname or fqdn is exactly `hostname` (see nodeHasName: never a prefix
   * match), optionally within one environment; undefined if none. Two matches throw
   * PH_PRECONDITION_FAILED.
   */
  async findNodeByHostname(hostname: string, filter: { readonly clusterId?: number | null } & FuelCallOptions = {}): Promise<FuelNode | undefined> {
    return pickNodeByName(await this.nodes(filter), hostname, this.master);
  }

  /** The node with exactly this MAC set (a rediscovered machine has a new id but the same MACs), or undefined. */
  async findNodeByMacs(macs: readonly string[], filter: { readonly clusterId?: number | null } & FuelCallOptions = {}): Promise<FuelNode | undefined> {
    return pickNodeByMacs(await this.nodes(filter), macs, this.master);
  }

  /** Polls a task until `ready` (resolves) or `error` (throws FuelTaskError); see waits.ts. */
  async waitForTask(taskId: number, o: TaskWaitOptions = {}): Promise<FuelTask> {
    return waitForTask(this, taskId, o);
  }

  /** Polls the nodes until one satisfies `predicate`; see waits.ts. */
  async waitForNode(predicate: (node: FuelNode) => boolean, o: NodeWaitOptions = {}): Promise<FuelNode> {
    return waitForNode(this, predicate, o);
  }

  /** Waits for the machine with these MACs to register again in `discover` (under a new id). */
  async waitForRediscovery(macs: readonly string[], o: NodeWaitOptions = {}): Promise<FuelNode> {
    return waitForRediscovery(this, macs, o);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async one<T>(path: string, read: (raw: unknown) => T, o: CallOptions & { method?: string }): Promise<T> {
    const method = o.method ?? 'GET';
    const raw = await this.connection.call(method, path, o);
    return this.shaped(method, path, () => read(raw));
  }

  private async list<T>(path: string, read: (raw: unknown) => T, o: CallOptions & { method?: string }): Promise<T[]> {
    const method = o.method ?? 'GET';
    const raw = await this.connection.call(method, path, o);
    return this.shaped(method, path, () => asArray(raw, path).map(read));
  }

  private shaped<T>(method: string, path: string, read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof WireShapeError)) throw err;
      throw new FuelTransportError('PH_CLOUD_BAD_RESPONSE', `unexpected answer: ${err.message}`, { master: this.master, service: 'nailgun', method, path, ambiguous: false, cause: err });
    }
  }
}

/**
 * Opens a client: asks `GET /api/version` (public) whether the master wants a Keystone
 * token (Fuel 5.1+) and logs in lazily on the first call that needs one. The password stays
 * in memory and never appears in errors.
 */
export async function openFuel(credentials: FuelCredentials, options: FuelClientOptions & FuelCallOptions = {}): Promise<FuelClient> {
  const connection = new FuelConnection(credentials, options);
  try {
    connection.authRequired = false;
    const raw = await connection.call('GET', '/api/version', options.signal ? { signal: options.signal } : {});
    let version: FuelVersion;
    try {
      version = toVersion(raw);
    } catch (err) {
      if (!(err instanceof WireShapeError)) throw err;
      throw new FuelTransportError('PH_CLOUD_BAD_RESPONSE', `unexpected answer: ${err.message}`, { master: connection.master, service: 'nailgun', method: 'GET', path: '/api/version', ambiguous: false, cause: err });
    }
    connection.authRequired = version.authRequired;
    return new FuelClient(connection, version);
  } catch (err) {
    await connection.close();
    throw err;
  }
}
