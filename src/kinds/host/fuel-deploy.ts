import { emit } from '../../events/index.js';
import { FuelHttpError, FuelTaskError, type FuelClient, type FuelTask } from '../../fuel/index.js';
import type { StepContext } from '../contract.js';
import { sendSettled } from '../common/settle.js';
import type { Reassignment } from './reassignment.js';
import { waitOptions } from './settings.js';

/** One deployment of an environment that a step needs (removal in the source, addition in the destination). */
export interface DeployRequest {
  readonly clusterId: number;
  /** For messages: `removal of node 5 from environment 1`. */
  readonly what: string;
  /** The remembered key holding the task id (`source_task_id`, `deploy_task_id`). */
  readonly key: string;
  readonly timeoutS: number;
  /** The node's own status, for the progress text (null when it has no row, e.g. being removed). */
  readonly nodeStatus: () => Promise<string | null>;
}

/** The newest `deploy` supertask of the environment still running, if any. */
export async function runningDeploy(fuel: FuelClient, clusterId: number): Promise<FuelTask | undefined> {
  const tasks = await fuel.tasks({ clusterId });
  return tasks.filter((t) => t.clusterId === clusterId && t.name === 'deploy' && t.status === 'running').sort((a, b) => b.id - a.id)[0];
}

/**
 * Deploys the environment's pending changes ONCE and waits for the task: a `deploy` task
 * already running there (ours from before a crash, or one that includes our change) is
 * waited for instead of starting a second deployment (Nailgun refuses a second one anyway,
 * with an HTTP 500). The task id is remembered before the wait, so that a resumed step
 * (resolveDeployPending) knows which task it was. Answers the finished task and whether this
 * call started it.
 */
export async function deployOnce(r: Reassignment, req: DeployRequest): Promise<{ readonly task: FuelTask; readonly started: boolean }> {
  let task = await runningDeploy(r.fuel, req.clusterId);
  let started = false;
  if (task) {
    emit(r.ctx.reporter, 'log', 'info', `${r.address}: Fuel task ${task.id} already deploys environment ${req.clusterId}; waiting for it instead of starting another`, {
      text: `adopted Fuel task ${task.id}`,
    });
  } else {
    await r.ctx.remember({ [req.key]: 'starting' });
    try {
      // A lost answer (5xx, connection cut): the running deploy task is looked for at once
      // and after a settle time; the deployment is asked for again only when none runs
      // (sendSettled). Nailgun refuses a second deployment with a 500, found the same way.
      const sent = await sendSettled(() => r.fuel.deployChanges(req.clusterId), () => runningDeploy(r.fuel, req.clusterId), {
        what: `the deployment of Fuel environment ${req.clusterId}`,
      });
      task = sent.value;
      started = sent.sent;
    } catch (err) {
      // Any other failure may also hide a started task: look before reporting it.
      const maybe = await runningDeploy(r.fuel, req.clusterId).catch(() => undefined);
      if (!maybe) throw err;
      task = maybe;
    }
  }
  await r.ctx.remember({ [req.key]: task.id });
  return { task: await waitTask(r, task, req), started };
}

/** Polls the task, reporting `deploy running 42% (node provisioning 30%)` through `wait` events. */
async function waitTask(r: Reassignment, first: FuelTask, req: DeployRequest): Promise<FuelTask> {
  return r.ctx.wait(
    `Fuel ${req.what} (task ${first.id})`,
    async () => {
      const task = await r.fuel.task(first.id);
      if (task.status === 'ready') return { done: true, value: task };
      if (task.status === 'error') {
        // Reported once: a later apply of the plan (resolveDeployPending) then deploys again.
        await r.ctx.remember({ [req.key]: task.id, [`${req.key}_failure_reported`]: true });
        throw new FuelTaskError(r.fuel.master, task);
      }
      const node = await req.nodeStatus().catch(() => null);
      return { done: false, status: `${task.name} ${task.status} ${task.progress}%${node ? ` (node ${node})` : ''}` };
    },
    waitOptions(r.settings, req.timeoutS),
  );
}

/**
 * resolvePending of a step that deploys: after a crash, a remembered task that ended in
 * error while nobody watched is reported (PH_FUEL_TASK_FAILED) instead of being silently
 * deployed again; once reported, the next apply redoes the step, which then deploys again.
 * A running or finished task is left to the step, which adopts it (`redo` runs it again;
 * its own checks find the running task or the finished state).
 */
export async function resolveDeployPending(ctx: StepContext, fuel: FuelClient, key: string): Promise<'redo'> {
  const remembered = ctx.recorded.remembered ?? {};
  const id = remembered[key];
  if (typeof id !== 'number' || remembered[`${key}_failure_reported`] === true) return 'redo';
  let task: FuelTask;
  try {
    task = await fuel.task(id);
  } catch (err) {
    // Nailgun drops an environment's finished deploy tasks when the next deploy starts.
    if (err instanceof FuelHttpError && err.status === 404) return 'redo';
    throw err;
  }
  if (task.status === 'error') {
    await ctx.remember({ [key]: id, [`${key}_failure_reported`]: true });
    throw new FuelTaskError(fuel.master, task);
  }
  return 'redo';
}
