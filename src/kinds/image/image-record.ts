import { markerEntries, markerFromEntries } from '../../inventory/marker.js';
import type { Cloud, Image, ImageVisibility } from '../../openstack/index.js';
import type { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { markerOf, sameMarker } from '../common/marker.js';
import type { DataStep } from './data-step.js';
import { copyableProperties, imageOrNull, imagesNamed } from './glance.js';

/**
 * The cloud an image copy is made with: a private image goes into its tenant's project
 * through a token scoped to it (Glance v2 before Mitaka refuses `owner` on create, and the
 * scoped token makes the project the owner on every release); a public one is made by the
 * admin.
 */
export async function imageCloud(s: DataStep, owner: string | null): Promise<Cloud> {
  return owner ? s.ctx.clouds.scoped('destination', owner) : s.ctx.clouds.destination();
}

/** True when `image` carries this action's marker. */
export function isOurImage(s: DataStep, image: Image): boolean {
  return sameMarker(markerFromEntries(image.properties), markerOf(s.ctx));
}

/**
 * The destination copy an earlier run made: the id this action recorded (or the planned one)
 * if that image carries our marker, else an image of the planned name that does (an active
 * one first). Never an image without our marker: those are not ours to reuse or delete.
 */
export async function findImageCopy(s: DataStep, cloud: Cloud, name: string): Promise<Image | undefined> {
  const known = s.ctx.recorded.destinationId;
  if (known) {
    const image = await imageOrNull(cloud, known);
    if (image && isOurImage(s, image)) return image;
  }
  const mine = (await imagesNamed(cloud, name)).filter((i) => isOurImage(s, i));
  return mine.find((i) => i.status === 'active') ?? mine[0];
}

const VISIBILITIES = new Set<string>(['public', 'private', 'shared', 'community']);

/**
 * Registers the destination image (`queued`, no data) with the source's attributes, its
 * custom properties, the destination kernel/ramdisk ids and the marker. `protected` is set
 * by `activate`, after the data: a protected image could not be discarded by a retried
 * transfer. Adopts a marked image made by a create whose answer was lost.
 */
export async function registerImage(s: DataStep, cloud: Cloud, a: AfterValues): Promise<Image> {
  const name = a.str('name');
  const visibility = a.optStr('visibility');
  const properties: Record<string, string> = {
    ...copyableProperties(a.stringMap('properties'), false),
    ...markerEntries(markerOf(s.ctx)),
  };
  const kernel = a.optStr('kernel_id');
  const ramdisk = a.optStr('ramdisk_id');
  if (kernel) properties['kernel_id'] = kernel;
  if (ramdisk) properties['ramdisk_id'] = ramdisk;
  const tags = a.strings('tags');
  await s.ctx.remember({ name });
  const made = await createOnce(
    async () => (await imagesNamed(cloud, name)).find((i) => isOurImage(s, i) && i.status === 'queued'),
    () =>
      cloud.image.create({
        name,
        diskFormat: a.optStr('disk_format') ?? 'raw',
        containerFormat: a.optStr('container_format') ?? 'bare',
        ...(visibility && VISIBILITIES.has(visibility) ? { visibility: visibility as ImageVisibility } : {}),
        minDisk: a.optNum('min_disk') ?? 0,
        minRam: a.optNum('min_ram') ?? 0,
        protected: false,
        properties,
        ...(tags.length > 0 ? { tags } : {}),
      }),
  );
  await s.ctx.remember({ name, image_id: made.value.id });
  return made.value;
}
