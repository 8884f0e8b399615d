import { PumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud, type Image } from '../../openstack/index.js';
import { readImageFacts, type ImageFacts } from '../../transfer/index.js';
import type { DataStep } from './data-step.js';

/**
 * Property set on the temporary images pumphouse makes in the source (server snapshots,
 * volume uploads), so that discovery and an operator can tell them from the tenant's own.
 */
export const TEMPORARY_PROPERTY = 'pumphouse_temporary';

/** Name of a temporary image: deterministic, so that a run after a crash finds it by name. */
export function temporaryImageName(what: 'snapshot' | 'volume', sourceId: string): string {
  return `pumphouse-${what}-${sourceId}`;
}

// Glance owns these (or refuses them on create): never copied as custom properties.
const RESERVED = new Set(['os_hash_algo', 'os_hash_value', 'os_hidden', 'stores', 'direct_url', 'locations', 'virtual_size']);

// What Nova and Cinder write about the source copy (its instance, user, project, block
// devices, the image a volume came from): wrong on a destination image, and Cinder refuses
// to make a volume from an image whose properties repeat the keys it records itself
// ("Glance metadata cannot be updated, key signature_verified exists": seen on Zed).
const SOURCE_ONLY = new Set([
  'signature_verified',
  'image_id',
  'image_name',
  'instance_uuid',
  'base_image_ref',
  'user_id',
  'owner_id',
  'owner_user_name',
  'owner_project_name',
  'boot_roles',
  'image_location',
  'image_state',
  'old_vm_state',
  'block_device_mapping',
  'bdm_v2',
  'root_device_name',
]);

/**
 * The custom properties of a source image worth carrying to a destination copy: Glance's
 * own fields, its reserved `os_glance_*` namespace and pumphouse's markers are left out;
 * with `snapshot`, so is what Nova/Cinder recorded about the source instance and volume.
 */
export function copyableProperties(properties: Readonly<Record<string, string>>, snapshot: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(properties)) {
    if (RESERVED.has(k) || k.startsWith('os_glance') || k.startsWith('pumphouse_')) continue;
    if (snapshot && SOURCE_ONLY.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Images named exactly `name` (Glance's name filter is exact). */
export async function imagesNamed(cloud: Cloud, name: string): Promise<Image[]> {
  return (await cloud.image.list({ name })).filter((i) => i.name === name && i.status !== 'deleted' && i.status !== 'pending_delete');
}

/** The image, or null when Glance no longer has it. */
export async function imageOrNull(cloud: Cloud, id: string): Promise<Image | null> {
  try {
    const image = await cloud.image.get(id);
    return image.status === 'deleted' || image.status === 'pending_delete' ? null : image;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Deletes an image; one already gone is fine. */
export async function deleteImage(cloud: Cloud, id: string): Promise<void> {
  try {
    await cloud.image.delete(id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Statuses in which Glance (or Nova, Cinder) is still filling an image. */
export const IMAGE_FILLING = new Set(['queued', 'saving', 'uploading', 'importing']);

/**
 * Waits until the image is `active` and answers its facts (size, md5, sha512). A `killed`
 * or vanished image is PH_CLOUD_OBJECT_FAILED naming `what`; too long is PH_TIMEOUT.
 * `queued` counts as still filling: use it only for images something else is filling
 * (a snapshot, a Cinder upload), never for an image pumphouse must upload into.
 */
export async function waitImageActive(s: DataStep, cloud: Cloud, id: string, what: string, timeoutS: number): Promise<ImageFacts> {
  return s.ctx.wait(
    what,
    async () => {
      const facts = await readImageFacts(cloud, id, s.ctx.signal);
      if (facts?.status === 'active') return { done: true, value: facts };
      if (facts === null || !IMAGE_FILLING.has(facts.status)) {
        throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: ${what} (image ${id}) ended ${facts ? `with status ${facts.status}` : 'deleted'}`, {
          address: s.address,
          source: 'cloud',
          details: { image_id: id, status: facts?.status ?? null },
        });
      }
      return { done: false, status: facts.status };
    },
    { timeoutS, intervalMs: s.settings.pollIntervalMs },
  );
}
