import { badRequest, notFound } from '../../http/errors.js';
import { empty, json } from '../../http/reply.js';
import { serviceState } from '../../store/hosts.js';
import type { SimStore } from '../../store/store.js';
import type { HypervisorRecord, MigrationRecord, ServerRecord, VmState } from '../../store/types/compute.js';
import { checkState, type ServerAction } from './actions.js';
import { requireAdmin, str, truthy, type NovaCall } from './context.js';
import { rebindNics } from './nics.js';
import { computeServiceOf, pickHost, refusal, usageByHost, EMPTY_USAGE } from './scheduler.js';
import { computeState } from './state.js';
import { moveAttachments } from './volumes.js';

const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

/** A target host chosen for a move, or why there is none. */
type Target = { readonly ok: true; readonly hyper: HypervisorRecord } | { readonly ok: false; readonly message: string };

function chooseTarget(store: SimStore, s: ServerRecord, host: string | null, volumeBacked: boolean, bypassScheduler: boolean): Target {
  const flavor = store.flavors.get(s.flavorId);
  const usage = usageByHost(store);
  if (host !== null) {
    const hyper = store.hypervisors.find((h) => h.host === host);
    if (!hyper) return { ok: false, message: `Compute host ${host} could not be found.` };
    const why = refusal(store, hyper, flavor, usage.get(host) ?? EMPTY_USAGE, volumeBacked, bypassScheduler);
    if (why) return { ok: false, message: why.startsWith('Compute service') ? why : `Migration pre-check error: Unable to migrate ${s.id} to ${host}: ${why}` };
    return { ok: true, hyper };
  }
  const hyper = pickHost(store, { flavor, exclude: s.host ? [s.host] : [], volumeBacked }, usage);
  return hyper ? { ok: true, hyper } : { ok: false, message: NO_VALID_HOST };
}

function newMigration(store: SimStore, s: ServerRecord, type: string, dest: string | null, status: string): MigrationRecord {
  const now = store.now();
  return store.migrations.insert({ id: store.ids.next('migration'), uuid: store.ids.uuid(), instanceUuid: s.id, sourceCompute: s.host ?? '', destCompute: dest, status, type, createdAt: now, updatedAt: now });
}

function setStatus(store: SimStore, m: MigrationRecord, status: string): void {
  m.status = status;
  m.updatedAt = store.now();
}

/** Gives up a move: the server stays where it was, ACTIVE (or its former state), with an instance fault. */
function rollBack(store: SimStore, s: ServerRecord, m: MigrationRecord, message: string, vmState: VmState): void {
  setStatus(store, m, 'error');
  s.vmState = vmState;
  s.taskState = null;
  s.updatedAt = store.now();
  s.fault = { code: 400, message, created: store.now() };
}

function land(store: SimStore, s: ServerRecord, hyper: HypervisorRecord): void {
  s.host = hyper.host;
  s.hypervisorHostname = hyper.hostname;
  s.availabilityZone = computeServiceOf(store, hyper.host)?.zone ?? s.availabilityZone;
  s.updatedAt = store.now();
  rebindNics(store, s);
  moveAttachments(store, s);
  computeState(store).index.invalidate();
}

/** The target is still fit at the end of the move (it may have gone down meanwhile). */
function stillFit(store: SimStore, hyper: HypervisorRecord): string | undefined {
  if (store.hypervisors.get(hyper.id) !== hyper) return `Compute host ${hyper.host} could not be found.`;
  const svc = computeServiceOf(store, hyper.host);
  if (!svc || serviceState(svc) === 'down') return `Compute service of ${hyper.host} is unavailable at this time.`;
  return undefined;
}

/** A move under way: its migration record, the server's state before it, and the target (null: it rolls back). */
interface Move {
  readonly m: MigrationRecord;
  readonly before: VmState;
  readonly hyper: HypervisorRecord | null;
}

/**
 * What every move does once its target is chosen: a refused target is a 400 where Nova checks
 * synchronously (Havana–Juno), else the migration record (`type`, first `status`, to the target
 * or the host asked for) and the server's first `task`; without a target, the conductor's
 * rollback after `actionMs`.
 */
function startMove(c: NovaCall, s: ServerRecord, target: Target, move: { readonly asked: string | null; readonly type: string; readonly status: string; readonly task: string }): Move {
  const { store, cloud, profile } = c;
  if (!target.ok && !profile.novaMoveChecksAsync) throw badRequest(target.message);
  const before = s.vmState;
  const m = newMigration(store, s, move.type, target.ok ? target.hyper.host : move.asked, move.status);
  s.taskState = move.task;
  s.updatedAt = store.now();
  if (target.ok) return { m, before, hyper: target.hyper };
  const message = target.message;
  cloud.clock.after(cloud.knobs.actionMs, () => {
    if (store.servers.get(s.id) === s) rollBack(store, s, m, message, before);
  });
  return { m, before, hyper: null };
}

/** The end of a move: back where it was when the target went away meanwhile, else on the target. True when it landed. */
function arrive(store: SimStore, s: ServerRecord, move: Move, hyper: HypervisorRecord): boolean {
  const why = stillFit(store, hyper);
  if (why) {
    rollBack(store, s, move.m, why, move.before);
    return false;
  }
  land(store, s, hyper);
  return true;
}

/**
 * `os-migrateLive` (admin; legacy-apis.md §2.1, §2.2). v2 and below 2.25 need `host`,
 * `block_migration` and `disk_over_commit`; 2.25+ takes `block_migration: "auto"` and refuses
 * disk_over_commit. ACTIVE or PAUSED with no task, else 409. The server shows MIGRATING and,
 * after `migrationMs`, is on the target with task_state none. A target that is unknown (400),
 * down, disabled or full, or no valid host for `host: null`: a 400 on Havana–Juno; on modern
 * a 202, then ACTIVE on the old host with an instance fault and an `error` migration.
 */
export const liveMigrate: ServerAction = (c, s, arg) => {
  requireAdmin(c, 'os_compute_api:os-migrate-server:migrate_live');
  const a = (arg ?? {}) as Record<string, unknown>;
  const modern = c.microversions && c.mv >= 25;
  const required = modern ? ['host', 'block_migration'] : ['host', 'block_migration', 'disk_over_commit'];
  const missing = required.filter((k) => !(k in a));
  if (missing.length > 0) {
    throw badRequest(c.microversions ? `Invalid input for field/attribute os-migrateLive. Value: ${JSON.stringify(a)}. '${missing[0]}' is a required property` : 'host, block_migration and disk_over_commit must be specified for live migration.');
  }
  if (modern && 'disk_over_commit' in a) throw badRequest("Invalid input for field/attribute os-migrateLive. Additional properties are not allowed ('disk_over_commit' was unexpected)");
  const block = a['block_migration'];
  const blockOk = typeof block === 'boolean' || (modern && block === 'auto') || (!c.microversions && typeof block === 'string' && /^(true|false|1|0|yes|no)$/i.test(block));
  if (!blockOk) throw badRequest(`Invalid input for field/attribute block_migration. Value: ${JSON.stringify(block)}.`);
  const host = a['host'] === null ? null : str(a['host']);
  if (host === undefined) throw badRequest('Invalid input for field/attribute host.');
  checkState(s, 'os-migrateLive', ['active', 'paused']);
  const { store, cloud, profile } = c;
  if (host !== null && !store.hypervisors.find((h) => h.host === host)) throw badRequest(`Compute host ${host} could not be found.`);
  // Havana–Juno's conductor checked a named target itself (up, memory) without the scheduler's
  // filters; a modern one asks the scheduler, which also refuses a disabled host.
  let target = chooseTarget(store, s, host, s.imageId === '', !profile.novaMoveChecksAsync);
  if (target.ok && target.hyper.host === s.host) target = { ok: false, message: `Unable to migrate instance (${s.id}) to current host (${s.host}).` };
  const move = startMove(c, s, target, { asked: host, type: 'live-migration', status: 'queued', task: 'migrating' });
  const { m, hyper } = move;
  if (!hyper) return empty(202);
  setStatus(store, m, 'preparing');
  cloud.clock.after(cloud.knobs.migrationMs * 0.2, () => setStatus(store, m, 'running'));
  cloud.clock.after(cloud.knobs.migrationMs, () => {
    if (store.servers.get(s.id) !== s || s.taskState !== 'migrating') return;
    if (!arrive(store, s, move, hyper)) return;
    s.taskState = null;
    setStatus(store, m, 'completed');
  });
  return empty(202);
};

/**
 * `evacuate` (admin): rebuilds a server of a dead host elsewhere. The source's nova-compute
 * must be down (or forced down), else 400 `Compute service of <host> is still in use.`
 * Havana/Icehouse require `host` (Juno+ may let the scheduler pick); below 2.14
 * `onSharedStorage` is required and the answer carries `adminPass` when not on shared
 * storage. The server shows REBUILD and lands on the target after `migrationMs` (a stopped
 * server stays stopped, an errored one comes back ACTIVE).
 */
export const evacuate: ServerAction = (c, s, arg) => {
  requireAdmin(c, 'os_compute_api:os-evacuate');
  const a = (arg ?? {}) as Record<string, unknown>;
  const { store, cloud, profile } = c;
  const legacyBody = !c.microversions || c.mv < 14;
  if (legacyBody && !('onSharedStorage' in a)) throw badRequest(c.microversions ? "Invalid input for field/attribute evacuate. 'onSharedStorage' is a required property" : 'onSharedStorage must be specified.');
  if (!legacyBody && 'onSharedStorage' in a) throw badRequest("Invalid input for field/attribute evacuate. Additional properties are not allowed ('onSharedStorage' was unexpected)");
  const host = str(a['host']) ?? null;
  if (host === null && !profile.novaEvacuateFindHost) throw badRequest('host must be specified.');
  // Juno's evacuate also takes ERROR servers (as every later release does).
  checkState(s, 'evacuate', profile.novaEvacuateFindHost ? ['active', 'stopped', 'error'] : ['active', 'stopped']);
  const source = s.host ? computeServiceOf(store, s.host) : undefined;
  if (source && serviceState(source) === 'up') throw badRequest(`Compute service of ${s.host} is still in use.`);
  if (host !== null) {
    if (!store.hypervisors.find((h) => h.host === host)) throw notFound(`Compute host ${host} could not be found.`);
    if (host === s.host && profile.novaEvacuateFindHost) throw badRequest("The target host can't be the same one.");
  }
  const target = chooseTarget(store, s, host, s.imageId === '', !profile.novaMoveChecksAsync);
  const move = startMove(c, s, target, { asked: host, type: 'evacuation', status: 'accepted', task: 'rebuilding' });
  const { m, before, hyper } = move;
  if (hyper) {
    const ms = cloud.knobs.migrationMs;
    cloud.clock.after(ms * 0.3, () => {
      if (s.taskState === 'rebuilding') s.taskState = 'rebuild_block_device_mapping';
      setStatus(store, m, 'pre-migrating');
    });
    cloud.clock.after(ms * 0.6, () => {
      if (s.taskState === 'rebuild_block_device_mapping') s.taskState = 'rebuild_spawning';
    });
    cloud.clock.after(ms, () => {
      if (store.servers.get(s.id) !== s || !arrive(store, s, move, hyper)) return;
      s.vmState = before === 'stopped' ? 'stopped' : 'active';
      s.powerState = before === 'stopped' ? 4 : 1;
      s.taskState = null;
      setStatus(store, m, 'done');
    });
  }
  if (!legacyBody || truthy(a['onSharedStorage'])) return empty(200);
  const pass = str(a['adminPass']) ?? computeState(store).adminPass.get(s.id) ?? store.rng.string(12);
  return json(200, { adminPass: pass });
};

/**
 * `migrate` (admin): a cold migration, the only move for a stopped server. ACTIVE or SHUTOFF
 * with no task, else 409. A `host` is accepted from 2.56 (400 below, as Nova's schema does);
 * the scheduler always checks it. The server shows RESIZE (resize_prep, resize_migrating,
 * resize_migrated, resize_finish) and after `migrationMs` is VERIFY_RESIZE on the target with a
 * `finished` migration of type `migration` (listed on every release), until confirmResize.
 * No valid host: a 400 on Havana–Juno; on modern a 202, then the former state on the old host
 * with an instance fault and an `error` migration.
 */
export const coldMigrate: ServerAction = (c, s, arg) => {
  requireAdmin(c, 'os_compute_api:os-migrate-server:migrate');
  const a = arg === null || arg === undefined ? {} : (arg as Record<string, unknown>);
  if (typeof a !== 'object' || Array.isArray(a)) throw badRequest(`Invalid input for field/attribute migrate. Value: ${JSON.stringify(arg)}.`);
  if ('host' in a && !(c.microversions && c.mv >= 56)) throw badRequest("Invalid input for field/attribute migrate. Additional properties are not allowed ('host' was unexpected)");
  const host = a['host'] === undefined || a['host'] === null ? null : (str(a['host']) ?? null);
  checkState(s, 'migrate', ['active', 'stopped']);
  const { store, cloud } = c;
  if (host !== null && !store.hypervisors.find((h) => h.host === host)) throw badRequest(`Compute host ${host} could not be found.`);
  let target = chooseTarget(store, s, host, s.imageId === '', false);
  if (target.ok && target.hyper.host === s.host) target = { ok: false, message: NO_VALID_HOST };
  const move = startMove(c, s, target, { asked: host, type: 'migration', status: 'pre-migrating', task: 'resize_prep' });
  const { m, hyper } = move;
  if (!hyper) return empty(202);
  const ms = cloud.knobs.migrationMs;
  const step = (at: number, task: string, status: string) =>
    cloud.clock.after(ms * at, () => {
      if (store.servers.get(s.id) !== s || s.taskState === null || !s.taskState.startsWith('resize_')) return;
      s.taskState = task;
      setStatus(store, m, status);
    });
  step(0.25, 'resize_migrating', 'migrating');
  step(0.5, 'resize_migrated', 'post-migrating');
  step(0.75, 'resize_finish', 'post-migrating');
  cloud.clock.after(ms, () => {
    if (store.servers.get(s.id) !== s || s.taskState !== 'resize_finish') return;
    if (!arrive(store, s, move, hyper)) return;
    s.vmState = 'resized';
    s.taskState = null;
    setStatus(store, m, 'finished');
  });
  return empty(202);
};

/**
 * `confirmResize`: ends a resize or cold migration waiting in VERIFY_RESIZE (409 otherwise);
 * the server goes back to SHUTOFF when it is powered off, else ACTIVE, and the migration is
 * `confirmed`. 204.
 */
export const confirmResize: ServerAction = (c, s) => {
  checkState(s, 'confirmResize', ['resized']);
  const { store } = c;
  const m = [...store.migrations.values()].find((x) => x.instanceUuid === s.id && x.status === 'finished');
  if (!m) throw badRequest('Instance has not been resized.');
  setStatus(store, m, 'confirmed');
  s.vmState = s.powerState === 4 ? 'stopped' : 'active';
  s.updatedAt = store.now();
  return empty(204);
};
