import { PumphouseError } from '../../errors/index.js';
import type { Server, Servers } from '../../openstack/index.js';
import type { DataStep } from '../image/data-step.js';
import { sendSettled } from '../common/settle.js';

/**
 * Power-state changes of a server, each waited for until Nova has finished (status reached,
 * no task running). On the source these are the only ways pumphouse touches a server
 * besides snapshotting and (source_after) deleting it.
 */
export type PowerChange = 'stop' | 'suspend' | 'start' | 'resume' | 'unpause';

const TARGET: Readonly<Record<PowerChange, string>> = {
  stop: 'SHUTOFF',
  suspend: 'SUSPENDED',
  start: 'ACTIVE',
  resume: 'ACTIVE',
  unpause: 'ACTIVE',
};

/** Nova's task states while each change runs. */
const UNDER_WAY: Readonly<Record<PowerChange, string>> = {
  stop: 'powering-off',
  suspend: 'suspending',
  start: 'powering-on',
  resume: 'resuming',
  unpause: 'unpausing',
};

/**
 * Sends `change` to the server (of `side`) and waits until it is done. An action answered
 * 5xx or cut off is never sent again blind: the server is read (at once, then after a settle
 * time) and the change counts as sent when the server is in the target status or in the
 * change's task state; only a server still as it was gets it again (`sendSettled`), and a 409
 * to that second send (the first arrived late: "instance in task_state powering-off") is
 * looked up the same way.
 */
export async function changePower(s: DataStep, servers: Servers, id: string, change: PowerChange, timeoutS: number, side = 'source'): Promise<Server> {
  await sendSettled(
    async () => {
      await servers[change](id);
      return true;
    },
    async () => {
      const sv = await servers.get(id);
      return sv.status === TARGET[change] || sv.taskState === UNDER_WAY[change] ? true : undefined;
    },
    { what: `the ${change} of ${side} server ${id}` },
  );
  const verb = change === 'stop' ? 'stop' : change === 'suspend' ? 'suspend' : 'run';
  return waitServer(s, servers, id, `${side} server ${id} to ${verb}`, [TARGET[change]], timeoutS);
}

/**
 * Waits until the server is in one of `want` with no task running. ERROR is
 * PH_CLOUD_OBJECT_FAILED with Nova's fault message; a vanished server too.
 */
export async function waitServer(s: DataStep, servers: Servers, id: string, what: string, want: readonly string[], timeoutS: number): Promise<Server> {
  return s.ctx.wait(
    what,
    async () => {
      const sv = await servers.get(id);
      if (want.includes(sv.status) && !sv.taskState) return { done: true, value: sv };
      if (sv.status === 'ERROR' && !want.includes('ERROR')) {
        const fault = sv.fault ? `: ${sv.fault.message}` : '';
        throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: ${what}: server ${id} went into ERROR${fault}`, {
          address: s.address,
          source: 'cloud',
          details: { server_id: id, status: sv.status, fault: sv.fault?.message ?? null },
        });
      }
      return { done: false, status: sv.taskState ? `${sv.status}/${sv.taskState}` : sv.status };
    },
    { timeoutS, intervalMs: s.settings.pollIntervalMs },
  );
}

/** Waits until no task runs on the server (a stop, snapshot or migration in progress). */
export async function waitSettled(s: DataStep, servers: Servers, id: string, timeoutS: number): Promise<Server> {
  return s.ctx.wait(
    `source server ${id} to finish its current task`,
    async () => {
      const sv = await servers.get(id);
      return sv.taskState ? { done: false, status: `${sv.status}/${sv.taskState}` } : { done: true, value: sv };
    },
    { timeoutS, intervalMs: s.settings.pollIntervalMs },
  );
}
