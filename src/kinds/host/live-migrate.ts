import { PumphouseError } from '../../errors/index.js';
import { isAmbiguous, isCloudHttpError, isNotFound, type Cloud, type Server } from '../../openstack/index.js';
import type { StepContext, StepResult } from '../contract.js';
import { capacityError, otherComputeHosts, roomElsewhere, saysNoValidHost } from './capacity.js';
import { serversOnHost } from './host-names.js';
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
 * on another host with no task running. Idempotent: servers already elsewhere are skipped and
 * a server found migrating is waited for, never migrated twice. Servers live migration
 * cannot move (stopped, suspended, ERROR) fail the step after the others moved
 * (PH_PRECONDITION_FAILED naming them); no room anywhere is PH_CAPACITY naming the server.
 */
export async function liveMigrateAll(e: Evacuation): Promise<StepResult> {
  const cloud = await e.ctx.clouds.source();
  const servers = await serversOnHost(cloud, e.host);
  const stuck = servers.filter((s) => ['stuck', 'error'].includes(serverPosition(s, e.host).kind));
  const movable = servers.filter((s) => !stuck.includes(s) && serverPosition(s, e.host).kind !== 'elsewhere');
  if (movable.some((s) => serverPosition(s, e.host).kind !== 'migrating')) {
    const targets = otherComputeHosts(await cloud.compute.services.list({ binary: 'nova-compute' }), e.host);
    if (targets.length === 0) throw capacityError(e.address, movable[0]!, e.host, 'no other nova-compute host is enabled and up');
  }
  const moved = await inPool(movable, e.settings.migrationsAtOnce, (s) => moveServer(e, cloud, s));
  if (stuck.length > 0) {
    const list = stuck.map((s) => `${s.name} (${s.id}, ${s.status})`).join(', ');
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `${e.address}: host ${e.host} keeps ${stuck.length} server(s) live migration cannot move: ${list}; start, cold-migrate or delete them, then apply again`,
      { address: e.address, details: { host: e.host, servers: stuck.map((s) => s.id) } },
    );
  }
  return {
    outputs: {
      host: e.host,
      migrated: moved.filter((m) => m !== null).length,
      moved_to: moved.filter((m): m is string => m !== null).join(','),
    },
  };
}

/** Moves one server (or waits for its running migration); answers `id:host` once elsewhere, null when it vanished. */
async function moveServer(e: Evacuation, cloud: Cloud, initial: Server): Promise<string | null> {
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
    try {
      await cloud.compute.servers.liveMigrate(server.id, { host: null, blockMigration: choices[i]! });
      return;
    } catch (err) {
      if (isCloudHttpError(err, 400, 409) && saysNoValidHost(err.cloudMessage)) throw capacityError(e.address, server, e.host, err.cloudMessage);
      const storage = isCloudHttpError(err, 400) && /shared storage|local storage|block migrat/i.test(err.cloudMessage);
      if (storage && i + 1 < choices.length) continue;
      // Lost answer, or a conflict: an earlier request (or someone else) may have started it.
      if (isAmbiguous(err) || isCloudHttpError(err, 409)) {
        const now = serverPosition(await serverOrNull(cloud, server.id), e.host);
        if (now.kind === 'migrating' || now.kind === 'elsewhere' || now.kind === 'gone') return;
      }
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

/** Polls until the server is on another host with no task; a rollback or ERROR fails. */
async function waitMoved(e: Evacuation, cloud: Cloud, initial: Server): Promise<string | null> {
  const label = `${initial.name} (${initial.id})`;
  return e.ctx.wait(
    `live migration of server ${label} off host ${e.host}`,
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
          return { done: false, status: describeServer(s!) };
        case 'movable':
          // Back on the host with no task after a migration was accepted: Nova rolled it back.
          throw await rolledBack(e, cloud, s!);
        case 'error':
          throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${e.address}: server ${label} went into ERROR while live-migrating off host ${e.host}: ${p.message}`, {
            address: e.address,
            details: { server_id: initial.id, host: e.host },
          });
        case 'stuck':
          throw unmovable(e, s!, `became ${p.status} while live-migrating`);
      }
    },
    waitOptions(e.settings, e.timeouts.liveMigrationS),
  );
}

/** Why Nova put the server back: PH_CAPACITY when no other host has room for it. */
async function rolledBack(e: Evacuation, cloud: Cloud, server: Server): Promise<PumphouseError> {
  if (saysNoValidHost(server.fault?.message)) return capacityError(e.address, server, e.host, server.fault!.message);
  const room = await roomElsewhere(cloud, e.host, server).catch(() => 'unknown' as const);
  if (room === 'none') return capacityError(e.address, server, e.host, 'Nova rolled the live migration back and no other enabled host has room for its flavor');
  return new PumphouseError(
    'PH_CLOUD_OBJECT_FAILED',
    `${e.address}: Nova rolled back the live migration of server ${server.name} (${server.id}) off host ${e.host}; it is ${server.status} there again` +
      ` (see \`openstack server event list ${server.id}\` for the reason)`,
    { address: e.address, details: { server_id: server.id, host: e.host, room } },
  );
}

function unmovable(e: Evacuation, server: Server, what: string): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${e.address}: server ${server.name} (${server.id}) on host ${e.host} ${what}: live migration cannot move it`, {
    address: e.address,
    details: { server_id: server.id, host: e.host, status: server.status },
  });
}

async function serverOrNull(cloud: Cloud, id: string): Promise<Server | null> {
  try {
    return await cloud.compute.servers.get(id);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
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
