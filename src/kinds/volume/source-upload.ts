import { emit } from '../../events/index.js';
import { PumphouseError, toPumphouseError } from '../../errors/index.js';
import { isCloudHttpError, type Volume, type VolumeClient } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import type { DataStep } from '../image/data-step.js';
import { deleteImage, imageOrNull, imagesNamed, IMAGE_FILLING, TEMPORARY_PROPERTY, temporaryImageName, waitImageActive } from '../image/glance.js';
import { cinder, deleteVolume, volumeOrNull, waitVolume } from './cinder.js';
import { recordedTemporary, recordTemporary } from './temporaries.js';
import { sendSettled } from '../common/settle.js';

/** Output of `snapshot` when the destination copy already exists: the data steps skip. */
export const NOTHING_TO_COPY = 'none';

/**
 * `snapshot`: a point-in-time source to upload. An `available` volume is uploaded as it is.
 * An `in-use` one is cloned (a temporary source volume, recorded before it is made) while
 * its server is quiesced, because Cinder refuses to upload an attached volume unless the
 * operator enabled `enable_force_upload`. Drivers that cannot clone an attached volume
 * (NFS/remotefs: "Invalid source volume state") leave the clone in error: it is deleted
 * and `upload_to_image` asks for a forced upload instead.
 */
export async function cloneIfAttached(s: DataStep, source: VolumeClient): Promise<StepResult> {
  const volume = await source.volumes.get(s.sourceId);
  if (volume.status === 'available') return { outputs: { upload_from: volume.id, force_upload: false } };
  if (volume.status !== 'in-use') {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: source volume ${volume.id} is ${volume.status}; only available or in-use volumes are copied`, {
      address: s.address,
      details: { volume_id: volume.id, status: volume.status },
    });
  }
  const name = `pumphouse-clone-${volume.id}`;
  const clone = (await reusableClone(s, source, name)) ?? (await makeClone(s, source, volume, name));
  try {
    const ready = await waitVolume(s, source, clone, `the clone of source volume ${volume.id}`, ['available'], s.settings.volumeTimeoutS);
    return { outputs: { upload_from: ready!.id, force_upload: false } };
  } catch (err) {
    if (toPumphouseError(err).code !== 'PH_CLOUD_OBJECT_FAILED') throw err;
    await deleteVolume(s, source, clone);
    await s.ctx.temporaries.cleaned('source-clone');
    emit(s.ctx.reporter, 'log', 'info', `${s.address}: the source Cinder could not clone the attached volume ${volume.id}; it is uploaded in place (forced)`, {
      text: 'clone failed, forced upload',
    });
    return { outputs: { upload_from: volume.id, force_upload: true } };
  }
}

async function reusableClone(s: DataStep, source: VolumeClient, name: string): Promise<string | undefined> {
  const t = recordedTemporary(s, 'source-clone');
  if (!t) return undefined;
  const ids = t.resource_id ? [t.resource_id] : (await source.volumes.list({ allTenants: true, name })).filter((v) => v.name === name).map((v) => v.id);
  for (const id of ids) {
    const v = await volumeOrNull(source, id);
    if (v && !v.status.startsWith('error')) {
      await recordTemporary(s, { key: 'source-clone', kind: 'volume', cloud: 'source', resourceId: v.id, details: { name } });
      return v.id;
    }
    if (v) await deleteVolume(s, source, id);
  }
  await s.ctx.temporaries.cleaned('source-clone');
  return undefined;
}

async function makeClone(s: DataStep, source: VolumeClient, volume: Volume, name: string): Promise<string> {
  await recordTemporary(s, { key: 'source-clone', kind: 'volume', cloud: 'source', resourceId: null, details: { name } });
  // A create answered 5xx or cut off: the clone is looked up by its name, at once and after a
  // settle time, and asked for again only when not found (sendSettled).
  const { value: id } = await sendSettled(
    async () => (await source.volumes.create({ size: volume.size, name, sourceVolumeId: volume.id, ...(volume.volumeType ? { volumeType: volume.volumeType } : {}) })).id,
    async () => (await source.volumes.list({ allTenants: true, name })).find((v) => v.name === name)?.id,
    { what: `the clone of source volume ${volume.id}` },
  );
  await recordTemporary(s, { key: 'source-clone', kind: 'volume', cloud: 'source', resourceId: id, details: { name } });
  return id;
}

/**
 * `upload_to_image`: Cinder copies the volume (or its clone) into a temporary source image
 * (`os-volume_upload_image`), recorded before it is asked for and found by name after a
 * crash; waits until the image is active. Answers its id, md5 and size.
 */
export async function uploadToImage(s: DataStep, from: string, force: boolean): Promise<StepResult> {
  const src = await s.ctx.clouds.source();
  const volumes = cinder(s, src, 'source');
  const name = temporaryImageName('volume', s.sourceId);
  let id = await reusableUpload(s, name);
  if (!id) {
    await recordTemporary(s, { key: 'source-image', kind: 'image', cloud: 'source', resourceId: null, details: { name } });
    id = await askCinder(s, volumes, from, name, force);
    await recordTemporary(s, { key: 'source-image', kind: 'image', cloud: 'source', resourceId: id, details: { name } });
    // Best effort: discovery and operators tell pumphouse's temporaries from tenant images by it.
    await src.image.update(id, { properties: { [TEMPORARY_PROPERTY]: '1' } }).catch(() => undefined);
  }
  const facts = await waitImageActive(s, src, id, `Cinder's upload of volume ${from} into image ${id}`, s.settings.volumeTimeoutS);
  // The volume goes back to available/in-use after the image: a clone must settle before cleanup deletes it.
  await waitVolume(s, volumes, from, `source volume ${from} to finish its upload`, ['available', 'in-use'], s.settings.volumeTimeoutS);
  return { outputs: { source_image_id: id, source_md5: facts.md5 ?? null, source_bytes: facts.size } };
}

async function reusableUpload(s: DataStep, name: string): Promise<string | undefined> {
  const src = await s.ctx.clouds.source();
  const t = recordedTemporary(s, 'source-image');
  if (!t) return undefined;
  const candidates = t.resource_id ? [await imageOrNull(src, t.resource_id)] : await imagesNamed(src, name);
  for (const image of candidates) {
    if (!image) continue;
    if (image.status === 'active' || IMAGE_FILLING.has(image.status)) {
      await recordTemporary(s, { key: 'source-image', kind: 'image', cloud: 'source', resourceId: image.id, details: { name } });
      return image.id;
    }
    await deleteImage(src, image.id);
  }
  await s.ctx.temporaries.cleaned('source-image');
  return undefined;
}

async function askCinder(s: DataStep, volumes: VolumeClient, from: string, name: string, force: boolean): Promise<string> {
  try {
    // A lost answer: the volume (its upload task) then Glance are read for the image named
    // after it, at once and after a settle time; asked for again only when not found.
    return (
      await sendSettled(
        () => volumes.volumes.uploadToImage(from, { imageName: name, force, diskFormat: s.settings.volumeDiskFormat, containerFormat: 'bare' }),
        async () => {
          await volumes.volumes.get(from);
          return (await imagesNamed(await s.ctx.clouds.source(), name))[0]?.id;
        },
        { what: `the upload of source volume ${from} to an image` },
      )
    ).value;
  } catch (err) {
    if (force && isCloudHttpError(err) && err.status === 400) {
      throw new PumphouseError(
        'PH_CLOUD_UNSUPPORTED',
        `${s.address}: the source Cinder can neither clone the attached volume ${from} nor upload it while attached (${err.cloudMessage ?? 'refused'}); set enable_force_upload = true in its cinder.conf, or detach the volume, then apply again`,
        { address: s.address, source: 'cloud', cause: err, details: { volume_id: from } },
      );
    }
    throw err;
  }
}
