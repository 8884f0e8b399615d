import { makeMachine, type Machine } from './hardware.js';
import {
  ADMIN_NETWORK,
  defaultNodeName,
  type ComputeHostHooks,
  type SimCluster,
  type SimNetwork,
  type SimNode,
  type SimRelease,
  type SimTask,
} from './model.js';
import { hex } from './prng.js';
import { Scheduler } from './scheduler.js';
import { defaultVolumes } from './volumes.js';

/** Simulated durations, already multiplied by the time scale. */
export interface Durations {
  readonly provisionMs: number;
  readonly deployMs: number;
  readonly removeMs: number;
  readonly rediscoverMs: number;
}

/** Wire details that changed between Fuel releases. */
export interface Dialect {
  /** `6.0`: no `hostname` field, nodes keep their status while removed. `7.0`: `hostname`, status `removing`. */
  readonly fuelVersion: '6.0' | '7.0';
}

/**
 * The whole state of the simulated Fuel master: releases, environments, nodes, tasks, the
 * machines behind the nodes, and the id counters (Nailgun never reuses an id).
 */
export class FuelWorld {
  readonly releases: SimRelease[] = [];
  readonly clusters = new Map<number, SimCluster>();
  readonly nodes = new Map<number, SimNode>();
  readonly tasks = new Map<number, SimTask>();
  /** Which running task a node is in (its progress follows the task's). */
  readonly nodeTask = new Map<number, SimTask>();
  readonly scheduler: Scheduler;
  private readonly macs = new Set<string>();
  private nextNodeId = 1;
  private nextNicId = 1;
  private nextTaskId = 1;
  private nextClusterId = 1;
  private nextNetworkId = ADMIN_NETWORK.id + 1;
  private nextGroupId = 1;

  constructor(
    readonly random: () => number,
    readonly durations: Durations,
    readonly dialect: Dialect,
    now: () => number,
  ) {
    this.scheduler = new Scheduler(now);
  }

  now(): number {
    return this.scheduler.now();
  }

  newMachine(): Machine {
    return makeMachine(this.random, this.macs);
  }

  uuid(): string {
    const h = hex(this.random, 16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  addCluster(init: { name: string; release: SimRelease; mode: 'multinode' | 'ha_compact'; netProvider: 'nova_network' | 'neutron'; hooks: ComputeHostHooks | undefined }): SimCluster {
    const id = this.nextClusterId++;
    const groupId = this.nextGroupId++;
    const net = (name: string, cidr: string, vlanStart: number | null, gateway: string | null): SimNetwork => ({ id: this.nextNetworkId++, name, cidr, vlanStart, groupId, gateway });
    const networks = [
      net('public', `172.16.${id - 1}.0/24`, null, `172.16.${id - 1}.1`),
      net('management', '192.168.0.0/24', 101, null),
      net('storage', '192.168.1.0/24', 102, null),
      init.netProvider === 'neutron' ? net('private', '192.168.111.0/24', null, null) : net('fixed', '10.0.0.0/16', 103, null),
    ];
    const cluster: SimCluster = { id, name: init.name, releaseId: init.release.id, mode: init.mode, netProvider: init.netProvider, groupId, networks, status: 'new', changes: [], hooks: init.hooks };
    this.clusters.set(id, cluster);
    return cluster;
  }

  /**
   * A machine (re-)registers through the bootstrap agent: a NEW node record in `discover`,
   * outside any environment, with new NIC record ids and default volumes.
   */
  register(machine: Machine, fqdn: string): SimNode {
    const id = this.nextNodeId++;
    const nicIds = new Map(machine.nics.map((n) => [n.name, this.nextNicId++] as const));
    const node: SimNode = {
      id,
      machine,
      name: defaultNodeName(machine.nics[0]?.mac ?? ''),
      fqdn,
      ip: `10.20.${Math.floor((id + 2) / 256)}.${(id + 2) % 256}`,
      status: 'discover',
      online: true,
      clusterId: null,
      groupId: null,
      roles: [],
      pendingRoles: [],
      pendingAddition: false,
      pendingDeletion: false,
      progress: 0,
      errorType: null,
      nicIds,
      networks: new Map(machine.nics.map((n) => [n.name, []])),
      bonds: [],
      volumes: defaultVolumes(machine.disks, []),
    };
    this.nodes.set(id, node);
    return node;
  }

  /**
   * Puts a node into an environment as Nailgun's add_into_cluster does: node group, the
   * default network assignment (every network on some NIC), a pending `interfaces` change.
   */
  addIntoCluster(node: SimNode, cluster: SimCluster): void {
    node.clusterId = cluster.id;
    node.groupId = cluster.groupId;
    const admin = node.machine.nics[0]?.name ?? 'eth0';
    const second = node.machine.nics[1]?.name ?? admin;
    node.networks = new Map(node.machine.nics.map((n) => [n.name, []]));
    node.bonds = [];
    // Nailgun's default: untagged networks one per NIC, tagged ones with the admin network.
    node.networks.set(admin, [ADMIN_NETWORK.id, ...cluster.networks.filter((n) => n.vlanStart !== null || n.name === 'private').map((n) => n.id)]);
    node.networks.set(second, cluster.networks.filter((n) => n.vlanStart === null && n.name !== 'private').map((n) => n.id));
    this.addChange(cluster, 'interfaces', node.id);
  }

  /** Nailgun's remove_from_cluster: roles, networks, group and name go back to defaults. */
  removeFromCluster(node: SimNode): void {
    const cluster = node.clusterId === null ? undefined : this.clusters.get(node.clusterId);
    if (cluster) cluster.changes = cluster.changes.filter((c) => c.nodeId !== node.id);
    node.clusterId = null;
    node.groupId = null;
    node.roles = [];
    node.pendingRoles = [];
    node.pendingAddition = false;
    node.pendingDeletion = false;
    node.networks = new Map(node.machine.nics.map((n) => [n.name, []]));
    node.bonds = [];
    node.name = defaultNodeName(node.machine.nics[0]?.mac ?? '');
    node.volumes = defaultVolumes(node.machine.disks, []);
  }

  addChange(cluster: SimCluster, name: string, nodeId: number | null): void {
    if (!cluster.changes.some((c) => c.name === name && c.nodeId === nodeId)) cluster.changes.push({ name, nodeId });
  }

  newTask(init: { name: string; clusterId: number | null; parentId: number | null; weight: number }): SimTask {
    const task: SimTask = { id: this.nextTaskId++, uuid: this.uuid(), ...init, status: 'running', progress: 0, message: null };
    this.tasks.set(task.id, task);
    return task;
  }

  /** Progress of a task now: from the clock while it runs, the weighted mean of its subtasks for a supertask. */
  taskProgress(task: SimTask, now: number = this.now()): number {
    if (task.status !== 'running') return task.progress;
    const subtasks = [...this.tasks.values()].filter((t) => t.parentId === task.id);
    if (subtasks.length > 0) {
      const total = subtasks.reduce((s, t) => s + t.weight, 0);
      return Math.floor(subtasks.reduce((s, t) => s + t.weight * this.taskProgress(t, now), 0) / total);
    }
    if (!task.running) return 0;
    return Math.min(99, Math.floor(((now - task.running.startedAt) / Math.max(1, task.running.durationMs)) * 100));
  }

  /** Network groups of a node's environment plus the admin network, by id. */
  networksOf(node: SimNode): Map<number, SimNetwork> {
    const cluster = node.clusterId === null ? undefined : this.clusters.get(node.clusterId);
    return new Map([ADMIN_NETWORK, ...(cluster?.networks ?? [])].map((n) => [n.id, n]));
  }
}
