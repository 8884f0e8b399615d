import { PumphouseError } from '../errors/index.js';
import type { FuelClient } from './client.js';
import { FuelTaskError } from './errors.js';
import { hasMacs } from './node-match.js';
import { sleep } from './retry.js';
import type { FuelNode, FuelTask } from './types.js';

export interface WaitOptions {
  readonly signal?: AbortSignal;
  /** Give up after this long (PH_TIMEOUT). */
  readonly timeoutMs?: number;
  /** Time between polls. Default 1 s, as fuelclient and the original tool. */
  readonly intervalMs?: number;
}

export interface TaskWaitOptions extends WaitOptions {
  /** Called on the first poll and whenever status or progress changes. */
  readonly onProgress?: (task: FuelTask) => void;
}

export interface NodeWaitOptions extends WaitOptions {
  /** Poll only this environment's nodes (null: unassigned ones). */
  readonly clusterId?: number | null;
  /** What is awaited, for the timeout message, e.g. `node with MACs ...`. */
  readonly what?: string;
  /** Called after every poll with the nodes seen (for progress reporting). */
  readonly onPoll?: (nodes: readonly FuelNode[]) => void;
}

const DEFAULT_TASK_TIMEOUT_MS = 4 * 3_600_000;
/** The original tool's rediscovery limit was 360 s; real masters need more on slow hardware. */
const DEFAULT_NODE_TIMEOUT_MS = 1_800_000;

/**
 * Polls `GET /api/tasks/{id}` until the task is `ready` (resolves with it) or `error`
 * (throws FuelTaskError with Nailgun's message). PH_TIMEOUT after `timeoutMs`, PH_ABORTED
 * when the signal fires.
 */
export async function waitForTask(client: FuelClient, taskId: number, o: TaskWaitOptions = {}): Promise<FuelTask> {
  const started = Date.now();
  const timeoutMs = o.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  let last: { status: string; progress: number } | undefined;
  for (;;) {
    const task = await client.task(taskId, o.signal ? { signal: o.signal } : {});
    if (!last || last.status !== task.status || last.progress !== task.progress) {
      last = { status: task.status, progress: task.progress };
      o.onProgress?.(task);
    }
    if (task.status === 'ready') return task;
    if (task.status === 'error') throw new FuelTaskError(client.master, task);
    if (Date.now() - started >= timeoutMs) {
      throw new PumphouseError(
        'PH_TIMEOUT',
        `Fuel master ${client.master}: task ${task.id} (${task.name}) still ${task.status} at ${task.progress}% after ${Math.round(timeoutMs / 1000)} s`,
        { details: { master: client.master, task_id: task.id, task_name: task.name, progress: task.progress, timeout_ms: timeoutMs } },
      );
    }
    await pause(client, o);
  }
}

/**
 * Polls the node list until `predicate` holds for a node and returns that node. PH_TIMEOUT
 * after `timeoutMs`, PH_ABORTED when the signal fires.
 */
export async function waitForNode(client: FuelClient, predicate: (node: FuelNode) => boolean, o: NodeWaitOptions = {}): Promise<FuelNode> {
  const started = Date.now();
  const timeoutMs = o.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS;
  for (;;) {
    const nodes = await client.nodes({ ...(o.clusterId === undefined ? {} : { clusterId: o.clusterId }), ...(o.signal ? { signal: o.signal } : {}) });
    o.onPoll?.(nodes);
    const hit = nodes.find(predicate);
    if (hit) return hit;
    if (Date.now() - started >= timeoutMs) {
      throw new PumphouseError('PH_TIMEOUT', `Fuel master ${client.master}: no ${o.what ?? 'matching node'} after ${Math.round(timeoutMs / 1000)} s`, {
        details: { master: client.master, what: o.what ?? 'node', timeout_ms: timeoutMs },
      });
    }
    await pause(client, o);
  }
}

/**
 * Waits for a removed machine to boot into bootstrap and register again: a node with
 * exactly these MACs in `discover`, outside any environment. It has a new id.
 */
export async function waitForRediscovery(client: FuelClient, macs: readonly string[], o: NodeWaitOptions = {}): Promise<FuelNode> {
  return waitForNode(client, (n) => n.status === 'discover' && n.clusterId === null && hasMacs(n, macs), {
    what: `rediscovered node with MACs ${[...macs].join(', ')}`,
    ...o,
  });
}

async function pause(client: FuelClient, o: WaitOptions): Promise<void> {
  try {
    await sleep(o.intervalMs ?? 1_000, o.signal);
  } catch {
    throw new PumphouseError('PH_ABORTED', `Fuel master ${client.master}: wait aborted`, { details: { master: client.master } });
  }
}
