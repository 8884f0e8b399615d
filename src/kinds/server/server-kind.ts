import { PumphouseError, toPumphouseError } from '../../errors/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { kindHandler, type StepRun } from '../common/handler.js';
import { vanished } from '../common/marker.js';
import type { DataKindSettings } from '../image/data-options.js';
import { afterValue, dataStep, recordedString, type DataStep } from '../image/data-step.js';
import { temporaryImageName } from '../image/glance.js';
import { copyTemporaryImage } from '../volume/temporary-copy.js';
import { attachVolumes, checkFloatingIps } from './attach.js';
import type { KeypairLocks } from './boot-keypair.js';
import { bootServer, NO_IMAGE } from './boot.js';
import type { QuiesceBook, QuiesceMode } from './quiesce.js';
import { findServerCopy, serverOrNull } from './server-copy.js';
import { snapshotServer } from './snapshot.js';
import { verifyServer } from './verify.js';

/**
 * Servers (DESIGN.md §5, §8; research §3.14). `migrate` runs, as the planner chose:
 * `quiesce` (stop or suspend a running source per the manifest's consistency; `live`
 * snapshots it running), `snapshot` and `transfer` (not for boot-from-volume servers: their
 * volumes are migrated instead), `boot`, `attach_volumes`, `floating_ip` (a check) and
 * `verify`, which also deletes the temporaries. Each step looks for what an earlier run made
 * (marker, recorded temporaries) first. A failure lets a source server that was running run
 * again (QuiesceBook); after success the source stays quiesced: the destination copy is the
 * one that runs, and source_after decides what becomes of the source. `adopt` checks the copy.
 */
export function serverKind(settings: DataKindSettings, book: QuiesceBook, locks: KeypairLocks): KindHandler {
  const steps: Record<string, (s: DataStep) => Promise<StepResult>> = {
    quiesce: (s) => quiesceStep(s, book),
    snapshot: (s) => snapshotStep(s, book),
    transfer: transferStep,
    boot: (s) => bootServer(s, locks),
    attach_volumes: attachVolumes,
    floating_ip: checkFloatingIps,
    verify: verifyServer,
  };
  const guarded = (name: string): StepRun => async (action: Action, ctx: StepContext) => {
    const s = dataStep(action, ctx, settings);
    const quiesced = action.steps.includes('quiesce');
    try {
      const result = await steps[name]!(s);
      if (quiesced && name === action.steps.at(-1)) await book.release(s, s.sourceId, false, statusBefore(s));
      return result;
    } catch (err) {
      // Lock lost (PH_ABORTED): stop at once; the next apply finds the server quiesced and goes on.
      if (quiesced && toPumphouseError(err).code !== 'PH_ABORTED') await book.release(s, s.sourceId, true, statusBefore(s));
      throw err;
    }
  };
  const migrate: Record<string, StepRun> = {};
  for (const name of Object.keys(steps)) migrate[name] = guarded(name);
  return kindHandler('server', { migrate, adopt: { adopt: (action, ctx) => adoptServer(dataStep(action, ctx, settings)) } });
}

function modeOf(action: Action): QuiesceMode {
  return action.after?.['consistency'] === 'stop' ? 'stop' : 'suspend';
}

/**
 * The source server's status before anything quiesced it: the plan's source precondition
 * (the status it was planned on), or its `source_status` when its volumes quiesce it first
 * (the precondition cannot pin a status they change), else what the quiesce step journaled.
 */
export function statusBefore(s: DataStep): string | null {
  const ref = `nova/servers/${encodeURIComponent(s.sourceId)}`;
  const planned = s.action.preconditions.find((p) => p.cloud === 'source' && p.ref === ref && p.must === 'match');
  const status = planned?.must === 'match' ? planned.fields['status'] : undefined;
  if (typeof status === 'string') return status;
  const plannedStatus = s.action.after?.['source_status'];
  if (typeof plannedStatus === 'string') return plannedStatus;
  const v = s.ctx.recorded.outputs['status_before'] ?? s.ctx.recorded.remembered?.['status_before'];
  return typeof v === 'string' ? v : null;
}

async function quiesceStep(s: DataStep, book: QuiesceBook): Promise<StepResult> {
  const before = await book.quiesce(s, s.sourceId, modeOf(s.action), statusBefore(s));
  return { outputs: { status_before: before } };
}

/** The destination server when an earlier run booted it: the data steps then skip. */
async function bootedAlready(s: DataStep): Promise<string | undefined> {
  const projectId = (await afterValue(s, 'project_id')).str('project_id');
  const name = (await afterValue(s, 'name')).str('name');
  const found = await findServerCopy(s, await s.ctx.clouds.destination(), projectId, name);
  return found && found.status !== 'ERROR' ? found.id : undefined;
}

async function snapshotStep(s: DataStep, book: QuiesceBook): Promise<StepResult> {
  const booted = await bootedAlready(s);
  if (booted) return { destinationId: booted, outputs: { snapshot_image_id: NO_IMAGE } };
  // After a failure let the server run again, a resumed run holds it still once more.
  if (s.action.steps.includes('quiesce')) await book.quiesce(s, s.sourceId, modeOf(s.action), statusBefore(s));
  return snapshotServer(s);
}

async function transferStep(s: DataStep): Promise<StepResult> {
  const snapshot = recordedString(s, 'snapshot_image_id');
  if (!snapshot || snapshot === NO_IMAGE) return { outputs: { boot_image_id: NO_IMAGE } };
  const projectId = (await afterValue(s, 'project_id')).str('project_id');
  const copied = await copyTemporaryImage(s, { sourceImageId: snapshot, projectId, name: temporaryImageName('snapshot', s.sourceId), label: 'snapshot data' });
  return { outputs: { boot_image_id: copied.imageId, md5: copied.md5, sha512: copied.sha512, bytes: copied.bytes, transfer_attempts: copied.attempts } };
}

async function adoptServer(s: DataStep): Promise<StepResult> {
  const id = s.ctx.recorded.destinationId;
  const sv = id ? await serverOrNull(await s.ctx.clouds.destination(), id) : null;
  if (!sv || !id) throw vanished(s.address, 'server', id ?? '(none planned)');
  if (sv.status !== 'ACTIVE' && sv.status !== 'SHUTOFF') {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: destination server ${id} is ${sv.status}; plan again`, {
      address: s.address,
      details: { server_id: id, status: sv.status },
    });
  }
  return { destinationId: id, outputs: { status: sv.status } };
}
