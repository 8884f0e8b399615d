import type { Server } from '../../openstack/index.js';
import { sameHost } from './host-names.js';

/**
 * Where a server stands relative to the host being emptied, read from one GET (by host and
 * state: Havana–Juno do not list live migrations in /os-migrations, legacy-apis.md §2.2).
 *
 * - `gone`: deleted meanwhile; nothing to move.
 * - `elsewhere`: on another host and not migrating: moved (by us or anyone).
 * - `migrating`: a live migration is running (ours from an earlier run, or someone's): wait
 *   for it, never start a second one.
 * - `busy`: another task runs (snapshot, reboot...): wait for it to end first.
 * - `movable`: ACTIVE or PAUSED on the host with no task: Nova live-migrates only those.
 * - `stopped`: SHUTOFF on the host with no task: live migration cannot move it, a cold
 *   migration (`migrate`, then `confirmResize`) can, and leaves it SHUTOFF.
 * - `resizing`: a cold migration or resize runs (task `resize_*`, wherever the host is): wait.
 * - `unconfirmed`: VERIFY_RESIZE on another host: moved by a cold migration that waits for
 *   `confirmResize` (the old host keeps its copy until then).
 * - `error`: ERROR; Nova refuses to move it.
 * - `stuck`: on the host in a state neither move takes (SUSPENDED, SHELVED, VERIFY_RESIZE of
 *   a resize to the same host...).
 */
export type ServerPosition =
  | { readonly kind: 'gone' }
  | { readonly kind: 'elsewhere'; readonly host: string | null; readonly status: string }
  | { readonly kind: 'migrating'; readonly status: string }
  | { readonly kind: 'busy'; readonly task: string }
  | { readonly kind: 'movable'; readonly status: string }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'resizing'; readonly task: string }
  | { readonly kind: 'unconfirmed'; readonly host: string | null }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'stuck'; readonly status: string };

/** Statuses Nova live-migrates (vm_state active or paused). */
export const LIVE_MIGRATABLE: readonly string[] = ['ACTIVE', 'PAUSED'];

export function serverPosition(server: Server | null, host: string): ServerPosition {
  if (!server || server.status === 'DELETED' || server.status === 'SOFT_DELETED') return { kind: 'gone' };
  if (server.status === 'ERROR') return { kind: 'error', message: server.fault?.message ?? 'no fault recorded' };
  // The host field changes at the end of a live migration, before the task state clears.
  if (server.taskState === 'migrating' || server.status === 'MIGRATING') return { kind: 'migrating', status: server.status };
  // A cold migration's host changes at its end too; REVERT_RESIZE runs resize_reverting.
  if (server.taskState?.startsWith('resize_')) return { kind: 'resizing', task: server.taskState };
  if (server.status === 'VERIFY_RESIZE') return sameHost(server.host, host) ? { kind: 'stuck', status: server.status } : { kind: 'unconfirmed', host: server.host };
  if (!sameHost(server.host, host)) return { kind: 'elsewhere', host: server.host, status: server.status };
  if (server.taskState !== null) return { kind: 'busy', task: server.taskState };
  if (LIVE_MIGRATABLE.includes(server.status)) return { kind: 'movable', status: server.status };
  if (server.status === 'SHUTOFF') return { kind: 'stopped' };
  return { kind: 'stuck', status: server.status };
}

/** A short status for `wait` events: `MIGRATING (migrating) on node-3`. */
export function describeServer(server: Server): string {
  return `${server.status}${server.taskState ? ` (${server.taskState})` : ''} on ${server.host ?? 'no host'}`;
}
