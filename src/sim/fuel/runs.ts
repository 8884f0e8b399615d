import { DNS_DOMAIN, hostnameOf, type SimCluster, type SimNode, type SimTask } from './model.js';
import type { FuelWorld } from './world.js';

export type PhaseKind = 'deletion' | 'provision' | 'deployment';

interface Phase {
  readonly kind: PhaseKind;
  readonly task: SimTask;
  readonly nodeIds: readonly number[];
  readonly durationMs: number;
}

interface Run {
  readonly cluster: SimCluster;
  /** The `deploy` supertask of a deploy of changes; undefined for provision/deploy of selected nodes. */
  readonly supertask: SimTask | undefined;
  readonly phases: readonly Phase[];
}

const WEIGHTS: Record<PhaseKind, number> = { deletion: 0.4, provision: 0.4, deployment: 1 };
const TASK_NAMES: Record<PhaseKind, string> = { deletion: 'node_deletion', provision: 'provision', deployment: 'deployment' };
const FAILURE_OF: Record<PhaseKind, 'deletion' | 'provision' | 'deploy'> = { deletion: 'deletion', provision: 'provision', deployment: 'deploy' };

/** True while a task of this environment runs (Nailgun's lock on deployment tasks). */
export function clusterBusy(world: FuelWorld, clusterId: number): boolean {
  return [...world.tasks.values()].some((t) => t.clusterId === clusterId && t.parentId === null && t.status === 'running');
}

/**
 * Starts a run: a `deploy` supertask with node_deletion, provision and deployment subtasks
 * (deploy of changes), or one provision/deployment task (selected nodes). Phases run one
 * after the other, as Astute does. Returns the task the API answers with.
 */
export function startRun(world: FuelWorld, cluster: SimCluster, plan: { deletion?: number[]; provision?: number[]; deployment?: number[] }, supertask: boolean): SimTask {
  const now = world.now();
  const top = supertask ? world.newTask({ name: 'deploy', clusterId: cluster.id, parentId: null, weight: 1 }) : undefined;
  const d = world.durations;
  const phases: Phase[] = [];
  for (const kind of ['deletion', 'provision', 'deployment'] as const) {
    const ids = plan[kind];
    if (!ids || ids.length === 0) continue;
    const task = world.newTask({ name: TASK_NAMES[kind], clusterId: cluster.id, parentId: top?.id ?? null, weight: WEIGHTS[kind] });
    phases.push({ kind, task, nodeIds: ids, durationMs: kind === 'deletion' ? d.removeMs : kind === 'provision' ? d.provisionMs : d.deployMs });
  }
  // Nailgun names every node it is about to provision or deploy node-<id> right away.
  for (const id of [...(plan.provision ?? []), ...(plan.deployment ?? [])]) {
    const node = world.nodes.get(id);
    if (node) node.fqdn = `node-${node.id}.${DNS_DOMAIN}`;
  }
  for (const id of plan.provision ?? []) {
    const node = world.nodes.get(id);
    if (node) Object.assign(node, { status: 'provisioning', progress: 0, errorType: null });
  }
  cluster.status = 'deployment';
  const run: Run = { cluster, supertask: top, phases };
  beginPhase(world, run, 0, now);
  return top ?? (phases[0] as Phase).task;
}

function beginPhase(world: FuelWorld, run: Run, index: number, at: number): void {
  const phase = run.phases[index];
  if (!phase) return;
  phase.task.running = { startedAt: at, durationMs: phase.durationMs };
  for (const id of phase.nodeIds) {
    const node = world.nodes.get(id);
    if (!node) continue;
    world.nodeTask.set(id, phase.task);
    if (phase.kind === 'deployment') Object.assign(node, { status: 'deploying', progress: 0, errorType: null });
    if (phase.kind === 'provision') Object.assign(node, { status: 'provisioning', progress: 0, errorType: null });
    if (phase.kind === 'deletion' && world.dialect.fuelVersion === '7.0') node.status = 'removing';
  }
  world.scheduler.at(at + phase.durationMs, (end) => endPhase(world, run, index, end));
}

function endPhase(world: FuelWorld, run: Run, index: number, at: number): void {
  const phase = run.phases[index] as Phase;
  const failed: SimNode[] = [];
  const done: SimNode[] = [];
  for (const id of phase.nodeIds) {
    world.nodeTask.delete(id);
    const node = world.nodes.get(id);
    if (!node) continue;
    if (node.machine.failNext === FAILURE_OF[phase.kind]) {
      node.machine.failNext = undefined;
      failed.push(node);
    } else {
      done.push(node);
    }
  }
  for (const node of done) succeed(world, run.cluster, phase.kind, node, at);
  for (const node of failed) Object.assign(node, { status: 'error', errorType: FAILURE_OF[phase.kind], progress: 100, pendingDeletion: false });
  phase.task.running = undefined;
  phase.task.progress = 100;
  if (failed.length > 0) {
    const names = failed.map((n) => `'${n.name}'`).join('\n');
    const message =
      phase.kind === 'deletion'
        ? `Failed to remove ${failed.length} node(s): ${failed.map((n) => n.name).join(', ')}`
        : `${phase.kind === 'provision' ? 'Provision' : 'Deployment'} has failed. Check these nodes:\n${names}`;
    finish(phase.task, 'error', message);
    for (const rest of run.phases.slice(index + 1)) finish(rest.task, 'error', message);
    if (run.supertask) finish(run.supertask, 'error', message);
    run.cluster.status = 'error';
    return;
  }
  const message =
    phase.kind === 'deletion'
      ? `Successfully removed ${done.length} node(s). No errors occurred`
      : `${phase.kind === 'provision' ? 'Provision' : 'Deployment'} of environment '${run.cluster.name}' is done`;
  finish(phase.task, 'ready', message);
  if (index + 1 < run.phases.length) {
    beginPhase(world, run, index + 1, at);
    return;
  }
  if (run.supertask) finish(run.supertask, 'ready', message);
  const members = [...world.nodes.values()].filter((n) => n.clusterId === run.cluster.id);
  run.cluster.status = members.some((n) => n.status === 'ready') ? 'operational' : 'new';
  if (run.supertask) run.cluster.changes = [];
}

function finish(task: SimTask, status: 'ready' | 'error', message: string): void {
  task.status = status;
  task.progress = 100;
  task.message = message;
  task.running = undefined;
}

function succeed(world: FuelWorld, cluster: SimCluster, kind: PhaseKind, node: SimNode, at: number): void {
  if (kind === 'provision') {
    Object.assign(node, { status: 'provisioned', progress: 100 });
    return;
  }
  if (kind === 'deployment') {
    node.roles = [...new Set([...node.roles, ...node.pendingRoles])].sort();
    Object.assign(node, { status: 'ready', progress: 100, pendingRoles: [], pendingAddition: false });
    if (node.roles.includes('compute')) cluster.hooks?.addComputeHost(hostnameOf(node));
    return;
  }
  // Deletion: Astute wiped the node; Nailgun deletes its row. The machine reboots into
  // bootstrap and its agent registers it again later, as a new node.
  world.nodes.delete(node.id);
  if (node.roles.includes('compute')) cluster.hooks?.removeComputeHost(hostnameOf(node));
  world.scheduler.at(at + world.durations.rediscoverMs, () => {
    world.register(node.machine, 'bootstrap');
  });
}
