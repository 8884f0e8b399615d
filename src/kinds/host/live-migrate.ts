import { PumphouseError } from '../../errors/index.js';
import { isCloudHttpError, type Cloud, type Server } from '../../openstack/index.js';
import type { StepContext, StepResult } from '../contract.js';
import { sendSettled } from '../common/settle.js';
import { capacityError, otherComputeHosts, saysNoValidHost } from './capacity.js';
import { coldMove, ColdMoves, unconfirmedOffHost } from './cold-migrate.js';
import { serversOnHost } from './host-names.js';
import { serverOrNull, unmovable, waitOffHost } from './move-outcome.js';
import { describeServer, serverPosition } from './server-position.js';
import { waitOptions, type HostSettings, type HostTimeouts } from './settings.js';

/** What one evacuation needs besides the step context. */
export interface Evacuation {
  readonly address: string;
  readonly host: string;
  readonly ctx: StepContext;
  readonly settings: HostSettings;
  readonly timeouts: HostTimeouts;
}

/**
 * `live_migrate`: moves every server still on the host (read now, all projects, exact host)
 * to hosts the scheduler picks, at most `migrationsAtOnce` at a time, and waits until each is
 * on another host with no task running: ACTIVE and PAUSED ones by live migration, SHUTOFF
 * ones by cold migration (confirmed, left SHUTOFF on the new host: cold-migrate.ts).
 * Idempotent: servers already elsewhere are skipped, a server found migrating is waited for
 * and one left in VERIFY_RESIZE by an earlier run is confirmed, never moved twice. Servers
 * neither move takes (suspended, shelved, ERROR) fail the step after the others moved
 * (PH_PRECONDITION_FAILED naming them); no room anywhere is PH_CAPACITY naming the server.
 */
export async function liveMigrateAll(e: Evacuation): Promise<StepResult> {
  const cloud = await e.ctx.clouds.source();
  const moves = new ColdMoves(e.ctx);
  const servers = await serversOnHost(cloud, e.host);
  const stuck = servers.filter((s) => ['stuck', 'error'].includes(serverPosition(s, e.host).kind));
  const movable = servers.filter((s) => !stuck.includes(s) && serverPosition(s, e.host).kind !== 'elsewhere');
  const onHost = new Set(movable.map((s) => s.id));
  const unconfirmed = (await unconfirmedOffHost(e, cloud, moves)).filter((s) => !onHost.has(s.id));
  if (movable.some((s) => ['movable', 'stopped', 'busy'].includes(serverPosition(s, e.host).kind))) {
    const targets = otherComputeHosts(await cloud.compute.services.list({ binary: 'nova-compute' }), e.host);
    if (targets.length === 0) throw capacityError(e.address, movable[0]!, e.host, 'no other nova-compute host is enabled and up');
  }
  const work = [...unconfirmed, ...movable];
  const moved = await inPool(work, e.settings.migrationsAtOnce, (s) => moveServer(e, cloud, s, moves));
  if (stuck.length > 0) {
    const list = stuck.map((s) => `${s.name} (${s.id}, ${s.status})`).join(', ');
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `${e.address}: host ${e.host} keeps ${stuck.length} server(s) neither live nor cold migration can move: ${list}; start, stop or delete them, then apply again`,
      { address: e.address, details: { host: e.host, servers: stuck.map((s) => s.id) } },
    );
  }
  const cold = new Set([...moves.remembered(), ...unconfirmed.map((s) => s.id)]);
  const done = work.flatMap((s, i) => (moved[i] ? [{ id: s.id, to: moved[i]! }] : []));
  return {
    outputs: {
      host: e.host,
      migrated: done.filter((d) => !cold.has(d.id)).length,
      cold_migrated: done.filter((d) => cold.has(d.id)).length,
      moved_to: done.map((d) => d.to).join(','),
    },
  };
}

/** Moves one server (or waits for its running migration); answers `id:host` once elsewhere, null when it vanished. */
async function moveServer(e: Evacuation, cloud: Cloud, initial: Server, moves: ColdMoves): Promise<string | null> {
  let server: Server | null = initial;
  let position = serverPosition(server, e.host);
  if (position.kind === 'busy') {
    server = await e.ctx.wait(
      `server ${initial.name} (${initial.id}) to finish ${position.task}`,
      async () => {
        const s = await serverOrNull(cloud, initial.id);
        return serverPosition(s, e.host).kind === 'busy' ? { done: false, status: describeServer(s!) } : { done: true, value: s };
      },
      waitOptions(e.settings, e.timeouts.serverSettleS),
    );
    position = serverPosition(server, e.host);
  }
  if (position.kind === 'gone') return null;
  if (position.kind === 'elsewhere') return `${initial.id}:${position.host ?? ''}`;
  if (position.kind === 'stopped' || position.kind === 'resizing' || position.kind === 'unconfirmed') {
    if (position.kind === 'stopped') {
      // Live migration cannot take a stopped server: a cold migration moves it, still SHUTOFF.
      const targets = otherComputeHosts(await cloud.compute.services.list({ binary: 'nova-compute' }), e.host);
      if (targets.length === 0) throw capacityError(e.address, server!, e.host, 'no other nova-compute host is enabled and up');
    }
    return coldMove(e, cloud, server!, moves);
  }
  if (position.kind === 'movable') await submit(e, cloud, server!);
  else if (position.kind !== 'migrating') throw unmovable(e, server!, position.kind === 'error' ? `is ERROR (${position.message})` : `is ${server!.status}`);
  return waitMoved(e, cloud, initial);
}

/** Sends the live migration; the scheduler picks the target (`host: null`). */
async function submit(e: Evacuation, cloud: Cloud, server: Server): Promise<void> {
  const modern = cloud.compute.supports('2.25');
  // Modern Nova decides block vs shared storage itself; legacy Nova needs to be told.
  const choices: readonly (boolean | 'auto')[] = modern ? ['auto'] : legacyBlockChoices(e.settings.legacyBlockMigration, server);
  for (let i = 0; i < choices.length; i++) {
    const started = async () => (['migrating', 'elsewhere', 'gone'].includes(serverPosition(await serverOrNull(cloud, server.id), e.host).kind) ? true : undefined);
    try {
      // A lost answer: the server is read at once and after a settle time, and the migration
      // asked for again only when it still sits on the host (sendSettled).
      await sendSettled(
        async () => {
          await cloud.compute.servers.liveMigrate(server.id, { host: null, blockMigration: choices[i]! });
          return true;
        },
        started,
        { what: `the live migration of server ${server.id}` },
      );
      return;
    } catch (err) {
      if (isCloudHttpError(err, 400, 409) && saysNoValidHost(err.cloudMessage)) throw capacityError(e.address, server, e.host, err.cloudMessage);
      const storage = isCloudHttpError(err, 400) && /shared storage|local storage|block migrat/i.test(err.cloudMessage);
      if (storage && i + 1 < choices.length) continue;
      // A conflict: an earlier run's request (or someone else) may have started it.
      if (isCloudHttpError(err, 409) && (await started())) return;
      throw err;
    }
  }
}

/**
 * Legacy block migration: true for a server with a local root disk, false for a volume-backed
 * one (its disk is already shared), then the other value if Nova refuses the first for a
 * storage reason; a fixed boolean when the operator set one.
 */
export function legacyBlockChoices(setting: 'auto' | boolean, server: Pick<Server, 'imageId'>): boolean[] {
  if (setting !== 'auto') return [setting];
  const first = server.imageId !== null;
  return [first, !first];
}

/** Polls until the server is on another host with no task (VERIFY_RESIZE elsewhere counts); a rollback or ERROR fails. */
function waitMoved(e: Evacuation, cloud: Cloud, initial: Server): Promise<string | null> {
  return waitOffHost(e, cloud, initial, {
    move: 'live migration',
    rolledBackAs: 'movable',
    during: 'while live-migrating',
    unconfirmed: async (_s, host) => ({ done: true, value: `${initial.id}:${host ?? ''}` }),
  });
}

/**
 * Runs `work` over `items`, at most `limit` at once. After the first failure nothing new
 * starts; the running ones finish, then the first error is thrown.
 */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { err: unknown } | null = null;
  const runner = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]!);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  if (failure !== null) throw (failure as { err: unknown }).err;
  return results;
}
