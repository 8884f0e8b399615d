import { PumphouseError } from '../../errors/index.js';
import type { Action } from '../../plan/index.js';
import { readImageFacts } from '../../transfer/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { kindHandler } from '../common/handler.js';
import { vanished } from '../common/marker.js';
import { copyImageData } from './copy-image.js';
import type { DataKindSettings } from './data-options.js';
import { afterValues, dataStep, type DataStep } from './data-step.js';
import { deleteImage, imageOrNull } from './glance.js';
import { findImageCopy, imageCloud, registerImage } from './image-record.js';

/**
 * Images (DESIGN.md §5, research §3.6). `migrate` runs `create` (register the destination
 * image with the source's attributes, custom properties and the marker; adopt a complete
 * marked copy; delete a half-made one), `transfer` (stream the bytes from the source's
 * Glance into it, md5 and sha512 checked in flight), `verify_checksum` (what the destination
 * Glance stores matches the plan's checksum and size) and `activate` (`protected` last).
 * `adopt` checks the planned destination image is there and active.
 */
export function imageKind(settings: DataKindSettings): KindHandler {
  const run = (step: (s: DataStep) => Promise<StepResult>) => (action: Action, ctx: StepContext) => step(dataStep(action, ctx, settings));
  return kindHandler('image', {
    migrate: { create: run(createStep), transfer: run(transferStep), verify_checksum: run(verifyStep), activate: run(activateStep) },
    adopt: { adopt: run(adoptStep) },
  });
}

async function createStep(s: DataStep): Promise<StepResult> {
  const a = await afterValues(s);
  const cloud = await imageCloud(s, a.optStr('owner'));
  const found = await findImageCopy(s, cloud, a.str('name'));
  if (found && (found.status === 'active' || found.status === 'queued')) {
    return { destinationId: found.id, outputs: { status: found.status } };
  }
  // Saving, killed...: an upload died half-way; Glance keeps no partial data worth keeping.
  if (found) await deleteImage(cloud, found.id);
  const image = await registerImage(s, cloud, a);
  return { destinationId: image.id, outputs: { status: image.status } };
}

async function transferStep(s: DataStep): Promise<StepResult> {
  const a = await afterValues(s);
  const cloud = await imageCloud(s, a.optStr('owner'));
  let current = await findImageCopy(s, cloud, a.str('name'));
  if (current?.status === 'active') return { destinationId: current.id, outputs: { status: 'active' } };
  if (current && current.status !== 'queued') {
    await deleteImage(cloud, current.id);
    current = undefined;
  }
  const checksum = a.optStr('checksum');
  const size = a.optNum('size');
  const { imageId, result } = await copyImageData(s, {
    source: await s.ctx.clouds.source(),
    sourceImageId: s.sourceId,
    destination: cloud,
    ...(current ? { into: current.id } : {}),
    create: async () => (await registerImage(s, cloud, a)).id,
    expected: { ...(checksum ? { md5: checksum } : {}), ...(size !== null ? { size } : {}) },
    label: 'image data',
  });
  return {
    destinationId: imageId,
    outputs: { status: 'active', md5: result.md5, sha512: result.sha512, bytes: result.bytes, transfer_attempts: result.attempts },
  };
}

async function verifyStep(s: DataStep): Promise<StepResult> {
  const a = await afterValues(s);
  const cloud = await imageCloud(s, a.optStr('owner'));
  const id = destinationIdOf(s);
  const facts = await readImageFacts(cloud, id, s.ctx.signal);
  if (!facts) throw vanished(s.address, 'image', id);
  const wrong: string[] = [];
  if (facts.status !== 'active') wrong.push(`status is ${facts.status}`);
  const checksum = a.optStr('checksum');
  if (checksum && facts.md5 !== checksum.toLowerCase()) wrong.push(`checksum is ${facts.md5 ?? 'unknown'}, the source's is ${checksum}`);
  const size = a.optNum('size');
  if (size !== null && facts.size !== size) wrong.push(`size is ${facts.size ?? 'unknown'}, the source's is ${size}`);
  const sha512 = s.ctx.recorded.outputs['sha512'];
  if (typeof sha512 === 'string' && facts.sha512 && facts.sha512 !== sha512) wrong.push('sha512 differs from the bytes sent');
  if (wrong.length > 0) {
    throw new PumphouseError('PH_TRANSFER_CHECKSUM', `${s.address}: the destination image ${id} does not hold the source's data: ${wrong.join('; ')}`, {
      address: s.address,
      source: 'cloud',
      details: { image_id: id },
    });
  }
  return { destinationId: id, outputs: { checksum: facts.md5 ?? null, size: facts.size, ...(facts.sha512 ? { sha512: facts.sha512 } : {}) } };
}

async function activateStep(s: DataStep): Promise<StepResult> {
  const a = await afterValues(s);
  const cloud = await imageCloud(s, a.optStr('owner'));
  const id = destinationIdOf(s);
  const image = await imageOrNull(cloud, id);
  if (!image) throw vanished(s.address, 'image', id);
  const wanted = a.bool('protected', false);
  if (image.protected !== wanted) await cloud.image.update(id, { protected: wanted });
  return { destinationId: id, outputs: { status: image.status, protected: wanted, visibility: image.visibility } };
}

async function adoptStep(s: DataStep): Promise<StepResult> {
  const id = destinationIdOf(s);
  const image = await imageOrNull(await s.ctx.clouds.destination(), id);
  if (!image) throw vanished(s.address, 'image', id);
  if (image.status !== 'active') {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: destination image ${id} is ${image.status}, not active; plan again`, {
      address: s.address,
      details: { destination_id: id, status: image.status },
    });
  }
  return { destinationId: id, outputs: { status: image.status, checksum: image.checksum, size: image.size } };
}

function destinationIdOf(s: DataStep): string {
  const id = s.ctx.recorded.destinationId;
  if (!id) {
    throw new PumphouseError('PH_INTERNAL', `${s.address}: step ${s.ctx.step} runs before any step recorded the destination image`, {
      address: s.address,
      source: 'internal',
    });
  }
  return id;
}
