import type { ServerRecord, VmState } from '../../store/types/compute.js';

/**
 * Nova's `_STATE_MAP` (`nova/api/openstack/common.py`): the API status of a vm_state, by
 * task_state; `default` applies to any task_state not listed (a snapshot keeps ACTIVE).
 */
const STATE_MAP: Readonly<Record<VmState, Readonly<Record<string, string>>>> = {
  building: { default: 'BUILD' },
  active: {
    default: 'ACTIVE',
    rebooting: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    updating_password: 'PASSWORD',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
    migrating: 'MIGRATING',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
  },
  stopped: {
    default: 'SHUTOFF',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
  },
  resized: { default: 'VERIFY_RESIZE', resize_reverting: 'REVERT_RESIZE' },
  paused: { default: 'PAUSED', migrating: 'MIGRATING' },
  suspended: { default: 'SUSPENDED' },
  rescued: { default: 'RESCUE' },
  error: { default: 'ERROR', rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD', rebuild_spawning: 'REBUILD' },
  deleted: { default: 'DELETED' },
  'soft-delete': { default: 'SOFT_DELETED' },
  shelved: { default: 'SHELVED' },
  shelved_offloaded: { default: 'SHELVED_OFFLOADED' },
};

/** The API status of a server (legacy-apis.md §2.2). */
export function statusOf(s: Pick<ServerRecord, 'vmState' | 'taskState'>): string {
  const m = STATE_MAP[s.vmState];
  if (!m) return 'UNKNOWN';
  return (s.taskState !== null ? m[s.taskState] : undefined) ?? m['default'] ?? 'UNKNOWN';
}

/**
 * A `status=` list filter as Nova applies it (`task_and_vm_state_from_status`): the vm_states
 * whose map yields the status, and the task_states that must match too, unless the status is
 * the vm_state's default (then any task_state passes: `ACTIVE` also finds a MIGRATING server).
 */
export function statusFilter(status: string): (s: Pick<ServerRecord, 'vmState' | 'taskState'>) => boolean {
  const wanted = status.toUpperCase();
  const vm = new Set<string>();
  const tasks = new Set<string>();
  let anyTask = false;
  for (const [state, map] of Object.entries(STATE_MAP)) {
    for (const [task, mapped] of Object.entries(map)) {
      if (mapped !== wanted) continue;
      vm.add(state);
      if (task === 'default') anyTask = true;
      else tasks.add(task);
    }
  }
  return (s) => vm.has(s.vmState) && (anyTask || (s.taskState !== null && tasks.has(s.taskState)));
}

/** Power states Nova reports (`nova/compute/power_state.py`). */
export const POWER = { nostate: 0, running: 1, paused: 3, shutdown: 4, crashed: 6, suspended: 7 } as const;

/** Statuses that carry `progress` in the server view. */
export const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);
