import { badRequest } from '../../http/errors.js';
import { empty, type SimReply } from '../../http/reply.js';
import type { ServerRecord, VmState } from '../../store/types/compute.js';
import { requireAdmin, stateConflict, str, type NovaCall } from './context.js';
import { serverOf } from './lookup.js';
import { POWER } from './status.js';

/** A server action handler: the server (already visible to the caller) and the action's value. */
export type ServerAction = (c: NovaCall, server: ServerRecord, arg: unknown) => SimReply | Promise<SimReply>;

interface Transition {
  /** The name in Nova's 409 message (`Cannot 'stop' instance ...`). */
  readonly name: string;
  readonly from: readonly VmState[];
  readonly task: string;
  readonly to: VmState;
  readonly power: number;
}

/** Power actions: allowed vm_states (task_state must be None), the task while it runs, the result. */
const TRANSITIONS: Readonly<Record<string, Transition>> = {
  'os-stop': { name: 'stop', from: ['active', 'rescued', 'error'], task: 'powering-off', to: 'stopped', power: POWER.shutdown },
  'os-start': { name: 'start', from: ['stopped'], task: 'powering-on', to: 'active', power: POWER.running },
  suspend: { name: 'suspend', from: ['active'], task: 'suspending', to: 'suspended', power: POWER.suspended },
  resume: { name: 'resume', from: ['suspended'], task: 'resuming', to: 'active', power: POWER.running },
  pause: { name: 'pause', from: ['active'], task: 'pausing', to: 'paused', power: POWER.paused },
  unpause: { name: 'unpause', from: ['paused'], task: 'unpausing', to: 'active', power: POWER.running },
};

/** Throws Nova's 409 unless the server is in one of `vmStates` with no task running. */
export function checkState(server: ServerRecord, action: string, vmStates: readonly VmState[]): void {
  if (!vmStates.includes(server.vmState)) throw stateConflict(action, server.id, 'vm_state', server.vmState);
  if (server.taskState !== null) throw stateConflict(action, server.id, 'task_state', server.taskState);
}

function transition(t: Transition): ServerAction {
  return (c, s) => {
    checkState(s, t.name, t.from);
    s.taskState = t.task;
    s.updatedAt = c.store.now();
    c.cloud.clock.after(c.cloud.knobs.actionMs, () => {
      if (c.store.servers.get(s.id) !== s || s.taskState !== t.task) return;
      s.vmState = t.to;
      s.powerState = t.power;
      s.taskState = null;
      s.updatedAt = c.store.now();
    });
    return empty(202);
  };
}

const reboot: ServerAction = (c, s, arg) => {
  const type = str((arg as Record<string, unknown> | null)?.['type'])?.toUpperCase();
  if (type !== 'SOFT' && type !== 'HARD') throw badRequest('Missing argument type for reboot');
  checkState(s, 'reboot', type === 'HARD' ? ['active', 'stopped', 'paused', 'suspended', 'error'] : ['active']);
  return transition({ name: 'reboot', from: [s.vmState], task: type === 'HARD' ? 'rebooting_hard' : 'rebooting', to: 'active', power: POWER.running })(c, s, arg);
};

const resetState: ServerAction = (c, s, arg) => {
  requireAdmin(c, 'os_compute_api:os-admin-actions:reset_state');
  const state = str((arg as Record<string, unknown> | null)?.['state']);
  if (state !== 'active' && state !== 'error') throw badRequest(`Desired state must be specified. Valid states are: active, error`);
  s.vmState = state;
  s.taskState = null;
  s.updatedAt = c.store.now();
  return empty(202);
};

const noop: ServerAction = () => empty(202);

/** Actions handled here; createImage, migrations and networking actions are added by index.ts. */
export const BASIC_ACTIONS: Readonly<Record<string, ServerAction>> = {
  ...Object.fromEntries(Object.entries(TRANSITIONS).map(([k, t]) => [k, transition(t)])),
  reboot,
  'os-resetState': resetState,
  lock: noop,
  unlock: noop,
};

/** `POST /servers/{id}/action`: one key names the action (400 for an unknown one). */
export function serverActions(actions: Readonly<Record<string, ServerAction>>): (c: NovaCall) => Promise<SimReply> {
  return async (c) => {
    const s = serverOf(c, c.req.params['id']);
    const body = await c.req.json<Record<string, unknown>>();
    const keys = Object.keys(body);
    const name = keys[0];
    const action = name !== undefined ? actions[name] : undefined;
    if (keys.length !== 1 || !action) throw badRequest(`There is no such action: ${keys.join(', ') || '(none)'}`);
    return action(c, s, body[name!]);
  };
}
