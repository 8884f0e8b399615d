import { PumphouseError } from '../../errors/index.js';
import type { Image } from '../../openstack/index.js';
import { copyImageData } from '../image/copy-image.js';
import type { DataStep } from '../image/data-step.js';
import { copyableProperties, deleteImage, imageOrNull, imagesNamed } from '../image/glance.js';
import { recordedTemporary, recordTemporary } from './temporaries.js';

export interface TemporaryCopy {
  /** The temporary source image (a volume upload, a server snapshot). */
  readonly sourceImageId: string;
  /** Destination project the copy is made in (and visible to). */
  readonly projectId: string;
  /** Name of the destination image. */
  readonly name: string;
  readonly label: string;
}

export interface CopiedTemporary {
  readonly imageId: string;
  readonly md5: string | null;
  readonly sha512: string | null;
  readonly bytes: number | null;
  /** Transfer attempts; 0 when an earlier run's copy was reused. */
  readonly attempts: number;
}

/**
 * Copies a temporary source image into a temporary destination image made in `projectId`
 * (scoped token: the project owns it, so a volume or server of that project can use it),
 * recorded as the action's `destination-image` temporary before it is made. The copy an
 * earlier run finished (active, same md5 as the source) is reused; a partial one deleted.
 * The destination image keeps the source's disk/container format, min disk/RAM and custom
 * properties (hw_*...), minus what described the source instance or volume.
 */
export async function copyTemporaryImage(s: DataStep, c: TemporaryCopy): Promise<CopiedTemporary> {
  const src = await s.ctx.clouds.source();
  const dst = await s.ctx.clouds.scoped('destination', c.projectId);
  const from = await imageOrNull(src, c.sourceImageId);
  if (!from || from.status !== 'active') {
    throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: the temporary source image ${c.sourceImageId} is ${from?.status ?? 'gone'}`, {
      address: s.address,
      source: 'cloud',
      details: { image_id: c.sourceImageId },
    });
  }
  const earlier = recordedTemporary(s, 'destination-image');
  if (earlier?.resource_id) {
    const image = await imageOrNull(dst, earlier.resource_id);
    if (image && image.status === 'active' && image.checksum !== null && image.checksum === from.checksum) {
      return { imageId: image.id, md5: image.checksum, sha512: null, bytes: image.size, attempts: 0 };
    }
    if (image) await deleteImage(dst, image.id);
  } else if (earlier) {
    // Recorded before it was made, id never recorded (crash): an orphan only the name finds.
    for (const orphan of await imagesNamed(dst, c.name)) await deleteImage(dst, orphan.id);
  }
  const create = async (): Promise<string> => {
    const record = (id: string | null) =>
      recordTemporary(s, { key: 'destination-image', kind: 'image', cloud: 'destination', resourceId: id, projectId: c.projectId, details: { name: c.name } });
    // The transfer makes a new image after each failed attempt, a failed create included: one
    // answered 5xx or cut off may have made it. Look before making another (the name is ours,
    // one per source object): take an empty one, drop one an upload half-filled.
    for (const left of await imagesNamed(dst, c.name)) {
      if (left.status !== 'queued') {
        await deleteImage(dst, left.id);
        continue;
      }
      await record(left.id);
      return left.id;
    }
    await record(null);
    const image = await dst.image.create(imageInput(from, c.name, s.settings.volumeDiskFormat));
    await record(image.id);
    return image.id;
  };
  const { imageId, result } = await copyImageData(s, {
    source: src,
    sourceImageId: from.id,
    destination: dst,
    create,
    expected: { ...(from.checksum ? { md5: from.checksum } : {}), ...(from.size !== null ? { size: from.size } : {}) },
    label: c.label,
  });
  return { imageId, md5: result.md5, sha512: result.sha512, bytes: result.bytes, attempts: result.attempts };
}

function imageInput(from: Image, name: string, fallbackFormat: string) {
  return {
    name,
    diskFormat: from.diskFormat ?? fallbackFormat,
    containerFormat: from.containerFormat ?? 'bare',
    minDisk: from.minDisk,
    minRam: from.minRam,
    properties: copyableProperties(from.properties, true),
  };
}
