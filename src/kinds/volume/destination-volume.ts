import { PumphouseError } from '../../errors/index.js';
import { markerEntries } from '../../inventory/marker.js';
import type { Volume } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import { createOnce } from '../common/create-once.js';
import { sendSettled } from '../common/settle.js';
import { markerOf, vanished } from '../common/marker.js';
import { afterValues, recordedString, type DataStep } from '../image/data-step.js';
import { cinder, deleteVolume, volumeOrNull, waitVolume } from './cinder.js';
import { COPY_BUSY, COPY_OK, findVolumeCopy, isOurVolume } from './volume-copy.js';

/**
 * `create_from_image`: the destination volume, made in the tenant's project (scoped token)
 * from the copied image with the source's size, name, description, type and metadata plus
 * the marker; waits until it is available and sets `bootable` as the source had it (Cinder
 * marks every volume made from an image bootable). A marked copy found complete is adopted,
 * one being made is waited for, a failed one deleted and made again.
 */
export async function createFromImage(s: DataStep): Promise<StepResult> {
  const a = await afterValues(s);
  const projectId = a.str('project_id');
  const name = a.optStr('name') ?? '';
  const destination = await s.ctx.clouds.destination();
  const scoped = await s.ctx.clouds.scoped('destination', projectId);
  const volumes = cinder(s, scoped, 'destination');
  let found = await findVolumeCopy(s, destination, projectId, name);
  if (found?.status.startsWith('error')) {
    await deleteVolume(s, cinder(s, destination, 'destination'), found.id);
    found = undefined;
  }
  let volume: Volume;
  if (found) {
    volume = found;
  } else {
    const imageId = recordedString(s, 'transfer_image_id');
    if (!imageId) {
      throw new PumphouseError('PH_INTERNAL', `${s.address}: no copied image to make the volume from (transfer recorded none)`, { address: s.address, source: 'internal' });
    }
    const description = a.optStr('description');
    const volumeType = a.optStr('volume_type');
    await s.ctx.remember({ name, image_id: imageId });
    volume = (
      await createOnce(
        async () => (await findVolumeCopy(s, destination, projectId, name)) ?? undefined,
        () =>
          volumes.volumes.create({
            size: a.num('size'),
            name,
            ...(description ? { description } : {}),
            ...(volumeType ? { volumeType } : {}),
            metadata: { ...a.stringMap('metadata'), ...markerEntries(markerOf(s.ctx)) },
            imageId,
          }),
      )
    ).value;
    await s.ctx.remember({ name, image_id: imageId, volume_id: volume.id });
  }
  if (!COPY_OK.has(volume.status)) {
    if (!COPY_BUSY.has(volume.status)) throw unexpected(s, volume);
    volume = (await waitVolume(s, volumes, volume.id, `destination volume ${volume.id} to be made from the copied image`, [...COPY_OK], s.settings.volumeTimeoutS))!;
  }
  const bootable = a.bool('bootable', false);
  if (volume.bootable !== bootable) {
    const id = volume.id;
    // Answered 5xx or cut off: the volume is read (at once and after a settle time) and the
    // flag sent again only when it is still not set (sendSettled).
    await sendSettled(
      async () => {
        await volumes.volumes.setBootable(id, bootable);
        return true;
      },
      async () => ((await volumes.volumes.get(id)).bootable === bootable ? true : undefined),
      { what: `setting bootable=${bootable} on destination volume ${id}` },
    );
  }
  return { destinationId: volume.id, outputs: { status: volume.status, size: volume.size, bootable } };
}

/** `verify`: the destination volume is there, ours, available, of the planned size and bootability. */
export async function verifyVolume(s: DataStep): Promise<StepResult> {
  const a = await afterValues(s);
  const id = s.ctx.recorded.destinationId;
  const volumes = cinder(s, await s.ctx.clouds.destination(), 'destination');
  const v = id ? await volumeOrNull(volumes, id) : null;
  if (!v || !id) throw vanished(s.address, 'volume', id ?? '(none recorded)');
  const wrong: string[] = [];
  if (!isOurVolume(s, v)) wrong.push('it lacks the pumphouse marker');
  if (!COPY_OK.has(v.status)) wrong.push(`its status is ${v.status}`);
  if (v.size !== a.num('size')) wrong.push(`its size is ${v.size} GiB, the source's ${a.num('size')} GiB`);
  if (v.bootable !== a.bool('bootable', false)) wrong.push(`bootable is ${v.bootable}`);
  if (wrong.length > 0) {
    throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: destination volume ${id} is not a complete copy: ${wrong.join('; ')}`, {
      address: s.address,
      source: 'cloud',
      details: { volume_id: id, status: v.status },
    });
  }
  return { destinationId: id, outputs: { status: v.status, size: v.size, bootable: v.bootable } };
}

/** `adopt`: the planned destination volume (marked by an earlier apply) is there and usable. */
export async function adoptVolume(s: DataStep): Promise<StepResult> {
  const id = s.ctx.recorded.destinationId;
  const volumes = cinder(s, await s.ctx.clouds.destination(), 'destination');
  const v = id ? await volumeOrNull(volumes, id) : null;
  if (!v || !id) throw vanished(s.address, 'volume', id ?? '(none planned)');
  if (!COPY_OK.has(v.status)) throw unexpected(s, v);
  return { destinationId: id, outputs: { status: v.status, size: v.size, bootable: v.bootable } };
}

function unexpected(s: DataStep, v: Volume): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: destination volume ${v.id} is ${v.status}; plan again`, {
    address: s.address,
    details: { volume_id: v.id, status: v.status },
  });
}
