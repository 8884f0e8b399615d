import { PumphouseError, toPumphouseError } from '../../errors/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { kindHandler, type StepRun } from '../common/handler.js';
import type { DataKindSettings } from '../image/data-options.js';
import { afterValue, dataStep, recordedString, type DataStep } from '../image/data-step.js';
import { temporaryImageName } from '../image/glance.js';
import type { QuiesceBook, QuiesceMode } from '../server/quiesce.js';
import { cinder } from './cinder.js';
import { createFromImage, adoptVolume, verifyVolume } from './destination-volume.js';
import { cloneIfAttached, NOTHING_TO_COPY, uploadToImage } from './source-upload.js';
import { cleanTemporaries } from './temporaries.js';
import { copyTemporaryImage } from './temporary-copy.js';
import { usableVolumeCopy } from './volume-copy.js';

/**
 * Volumes (DESIGN.md §5, research §3.13): the data goes through Glance, streamed by
 * pumphouse. `migrate` runs `quiesce_server` (when the planner put it first: the volume of a
 * running server), `snapshot` (a clone of an attached volume), `upload_to_image` (Cinder
 * writes a temporary source image), `transfer` (into a temporary destination image),
 * `create_from_image` (the destination volume, marked), `verify` and `cleanup` (every
 * temporary of the action, earlier attempts' too). Each data step first looks for a
 * destination copy made by an earlier run and does nothing when there is one. A failure
 * after the quiesce lets the server run again (QuiesceBook). `adopt` checks the copy.
 */
export function volumeKind(settings: DataKindSettings, book: QuiesceBook): KindHandler {
  const steps: Record<string, (s: DataStep) => Promise<StepResult>> = {
    quiesce_server: (s) => quiesceServer(s, book),
    snapshot: (s) => snapshotStep(s, book),
    upload_to_image: (s) => uploadStep(s, book),
    transfer: transferStep,
    create_from_image: createFromImage,
    verify: verifyVolume,
    cleanup: cleanupStep,
  };
  const guarded = (name: string): StepRun => async (action: Action, ctx: StepContext) => {
    const s = dataStep(action, ctx, settings);
    const server = quiescedServer(action);
    try {
      const result = await steps[name]!(s);
      if (server && name === action.steps.at(-1)) await book.release(s, server, false, statusBefore(s));
      return result;
    } catch (err) {
      // Lock lost (PH_ABORTED): stop at once; the next apply finds the server quiesced and goes on.
      if (server && toPumphouseError(err).code !== 'PH_ABORTED') await book.release(s, server, true, statusBefore(s));
      throw err;
    }
  };
  const migrate: Record<string, StepRun> = {};
  for (const name of Object.keys(steps)) migrate[name] = guarded(name);
  return kindHandler('volume', { migrate, adopt: { adopt: (action, ctx) => adoptVolume(dataStep(action, ctx, settings)) } });
}

/** The source server a `quiesce_server` step of this action holds still, if it has one. */
function quiescedServer(action: Action): string | null {
  if (!action.steps.includes('quiesce_server')) return null;
  const attached = action.after?.['attached_to'];
  const first = Array.isArray(attached) ? attached[0] : undefined;
  const server = first && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>)['server'] : undefined;
  return typeof server === 'string' && server !== '' ? server : null;
}

function modeOf(action: Action): QuiesceMode {
  return action.after?.['consistency'] === 'stop' ? 'stop' : 'suspend';
}

/** The server's status before the quiesce, as journaled (done step output, or remembered). */
function statusBefore(s: DataStep): string | null {
  const v = s.ctx.recorded.outputs['status_before'] ?? s.ctx.recorded.remembered?.['status_before'];
  return typeof v === 'string' ? v : null;
}

async function quiesceServer(s: DataStep, book: QuiesceBook): Promise<StepResult> {
  const server = quiescedServer(s.action);
  if (!server) {
    throw new PumphouseError('PH_PLAN_INVALID', `${s.address}: quiesce_server needs after.attached_to[0].server`, { address: s.address, details: { field: 'after.attached_to' } });
  }
  const before = await book.quiesce(s, server, modeOf(s.action), statusBefore(s));
  return { outputs: { quiesced_server: server, status_before: before } };
}

async function projectAndName(s: DataStep): Promise<{ projectId: string; name: string }> {
  const projectId = (await afterValue(s, 'project_id')).str('project_id');
  const name = (await afterValue(s, 'name')).optStr('name') ?? '';
  return { projectId, name };
}

async function snapshotStep(s: DataStep, book: QuiesceBook): Promise<StepResult> {
  const { projectId, name } = await projectAndName(s);
  const done = await usableVolumeCopy(s, projectId, name);
  if (done) return { destinationId: done.id, outputs: { upload_from: NOTHING_TO_COPY } };
  const server = quiescedServer(s.action);
  // A failure of an earlier attempt let the server run again: hold it still before copying.
  if (server) await book.quiesce(s, server, modeOf(s.action), statusBefore(s));
  return cloneIfAttached(s, cinder(s, await s.ctx.clouds.source(), 'source'));
}

async function uploadStep(s: DataStep, book: QuiesceBook): Promise<StepResult> {
  const from = recordedString(s, 'upload_from');
  if (!from || from === NOTHING_TO_COPY) return { outputs: { source_image_id: NOTHING_TO_COPY } };
  const force = s.ctx.recorded.outputs['force_upload'] === true;
  const server = quiescedServer(s.action);
  // A forced upload reads the attached volume itself (a clone is already a point in time):
  // after a failure let the server run again, it must be held still once more.
  if (force && server) await book.quiesce(s, server, modeOf(s.action), statusBefore(s));
  return uploadToImage(s, from, force);
}

async function transferStep(s: DataStep): Promise<StepResult> {
  const sourceImage = recordedString(s, 'source_image_id');
  if (!sourceImage || sourceImage === NOTHING_TO_COPY) return { outputs: { transfer_image_id: NOTHING_TO_COPY } };
  const { projectId } = await projectAndName(s);
  const copied = await copyTemporaryImage(s, { sourceImageId: sourceImage, projectId, name: temporaryImageName('volume', s.sourceId), label: 'volume data' });
  return {
    outputs: { transfer_image_id: copied.imageId, md5: copied.md5, sha512: copied.sha512, bytes: copied.bytes, transfer_attempts: copied.attempts },
  };
}

async function cleanupStep(s: DataStep): Promise<StepResult> {
  const left = await cleanTemporaries(s);
  return { outputs: { temporaries_left: left.length } };
}
