import { PumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud, type Server } from '../../openstack/index.js';
import type { WaitPoll } from '../contract.js';
import { capacityError, roomElsewhere, saysNoValidHost } from './capacity.js';
import type { Evacuation } from './live-migrate.js';
import { describeServer, serverPosition } from './server-position.js';
import { waitOptions } from './settings.js';

/** How one kind of move reads the positions live and cold migration take differently. */
export interface MoveWait {
  /** `live migration` or `cold migration`, for the wait and the errors. */
  readonly move: string;
  /** Where a server rolled back by Nova sits: `movable` after a live, `stopped` after a cold migration. */
  readonly rolledBackAs: 'movable' | 'stopped';
  /** How errors word "meanwhile": `while live-migrating`, `during its cold migration`. */
  readonly during: string;
  /** A server in VERIFY_RESIZE on another host: moved (live), or confirmed and waited for (cold). */
  unconfirmed(server: Server, host: string | null): Promise<WaitPoll<string | null>>;
}

/**
 * Polls (e.ctx.wait, the live-migration timeout) until the server is off the host with no
 * task: answers `<id>:<new host>`, or null when it was deleted meanwhile. Moves in progress
 * are waited for; a rollback, ERROR, or a server stopped or started under the move fails.
 */
export async function waitOffHost(e: Evacuation, cloud: Cloud, initial: Server, how: MoveWait): Promise<string | null> {
  return e.ctx.wait(
    `${how.move} of server ${initial.name} (${initial.id}) off host ${e.host}`,
    async () => {
      const s = await serverOrNull(cloud, initial.id);
      const p = serverPosition(s, e.host);
      switch (p.kind) {
        case 'gone':
          return { done: true, value: null };
        case 'elsewhere':
          return { done: true, value: `${initial.id}:${p.host ?? ''}` };
        case 'migrating':
        case 'busy':
        case 'resizing':
          return { done: false, status: describeServer(s!) };
        case 'unconfirmed':
          return how.unconfirmed(s!, p.host);
        case 'movable':
        case 'stopped':
          // Back on the host with no task after Nova accepted the move: rolled back. The
          // other of the two: someone stopped or started it meanwhile.
          if (p.kind === how.rolledBackAs) throw await rolledBack(e, cloud, s!, how.move);
          throw unmovable(e, s!, p.kind === 'movable' ? `was started (${s!.status}) ${how.during}` : `was stopped ${how.during}`);
        case 'error':
          throw wentError(e, s!, how.move, p.message);
        case 'stuck':
          throw unmovable(e, s!, `became ${p.status} ${how.during}`);
      }
    },
    waitOptions(e.settings, e.timeouts.liveMigrationS),
  );
}

/** The server now, or null when it was deleted. */
export async function serverOrNull(cloud: Cloud, id: string): Promise<Server | null> {
  try {
    return await cloud.compute.servers.get(id);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * Why Nova put the server back on the host after accepting a move (`live migration` or `cold
 * migration`): PH_CAPACITY when no other host has room for it, else PH_CLOUD_OBJECT_FAILED
 * pointing at the server's events.
 */
export async function rolledBack(e: Evacuation, cloud: Cloud, server: Server, move: string): Promise<PumphouseError> {
  if (saysNoValidHost(server.fault?.message)) return capacityError(e.address, server, e.host, server.fault!.message);
  const room = await roomElsewhere(cloud, e.host, server).catch(() => 'unknown' as const);
  if (room === 'none') return capacityError(e.address, server, e.host, `Nova rolled the ${move} back and no other enabled host has room for its flavor`);
  return new PumphouseError(
    'PH_CLOUD_OBJECT_FAILED',
    `${e.address}: Nova rolled back the ${move} of server ${server.name} (${server.id}) off host ${e.host}; it is ${server.status} there again` +
      ` (see \`openstack server event list ${server.id}\` for the reason)`,
    { address: e.address, details: { server_id: server.id, host: e.host, room } },
  );
}

/** PH_PRECONDITION_FAILED: the server is in a state no move of ours takes. */
export function unmovable(e: Evacuation, server: Server, what: string): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${e.address}: server ${server.name} (${server.id}) on host ${e.host} ${what}: neither live nor cold migration can move it`, {
    address: e.address,
    details: { server_id: server.id, host: e.host, status: server.status },
  });
}

/** PH_CLOUD_OBJECT_FAILED: the server went into ERROR while it moved. */
export function wentError(e: Evacuation, server: Server, move: string, message: string): PumphouseError {
  return new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${e.address}: server ${server.name} (${server.id}) went into ERROR during its ${move} off host ${e.host}: ${message}`, {
    address: e.address,
    details: { server_id: server.id, host: e.host },
  });
}
