import { badRequest } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import type { VolumeRecord } from '../../store/types/volume.js';
import { activate, insertImage, stillThere, sumsOf } from '../image/index.js';
import { boolParam, cinderTime, modern, str, type CinderCall } from './call.js';
import { copyDelayMs, touch } from './lifecycle.js';

const DISK_FORMATS_LEGACY = ['raw', 'qcow2', 'vmdk', 'vdi', 'vhd'];
const DISK_FORMATS_MODERN = [...DISK_FORMATS_LEGACY, 'vhdx', 'ploop'];
/** Glance metadata keys Cinder never copies onto the new image (they describe the old one). */
const NOT_COPIED = new Set(['image_id', 'image_name', 'checksum', 'container_format', 'disk_format', 'min_disk', 'min_ram', 'size', 'signature_verified']);

/** The legacy answer names the type as the row (a dict) or null. */
function typeRow(c: CinderCall, v: VolumeRecord): Record<string, unknown> | null {
  const t = v.volumeTypeId === null ? undefined : c.store.volumeTypes.get(v.volumeTypeId);
  if (!t) return null;
  const now = cinderTime(v.createdAt);
  return {
    created_at: now, updated_at: now, deleted_at: null, deleted: false, id: t.id, name: t.name, description: t.description, ...(modern(c) ? { is_public: t.isPublic, qos_specs_id: null } : {}),
    extra_specs: { ...t.extraSpecs },
  };
}

/**
 * `os-volume_upload_image` (legacy-apis.md §4): a Glance image in this cloud's store (owner the
 * volume's project) is made `queued`, then `saving` while the volume's bytes are copied (the
 * `volumeRateBps` knob), and `active` after `imageSaveMs` holding the SAME DataRef as the
 * volume, so its checksum is the volume's. The volume shows `uploading` and goes back to its
 * status. An `in-use` volume needs `force`. 202 `{"os-volume_upload_image": {...}}`.
 */
export async function uploadToImage(c: CinderCall, v: VolumeRecord, arg: Record<string, unknown>): Promise<SimReply> {
  const imageName = str(arg['image_name']);
  if (!imageName) throw badRequest('No image_name was specified in request.');
  const force = arg['force'] === undefined ? false : boolParam(arg['force'], 'force');
  if (v.status === 'in-use' && !force) throw badRequest(modern(c) ? 'Invalid volume: Volume status is in-use.' : 'Invalid volume: Volume status must be available or in-use.');
  if (v.status !== 'available' && v.status !== 'in-use') throw badRequest(`Invalid volume: Volume status must be available/in-use.`);
  const diskFormat = str(arg['disk_format']) ?? 'raw';
  const allowed = modern(c) ? DISK_FORMATS_MODERN : DISK_FORMATS_LEGACY;
  if (!allowed.includes(diskFormat)) throw badRequest(`Invalid disk-format '${diskFormat}' is specified. Allowed disk-formats are ${allowed.join(', ')}.`);
  const containerFormat = str(arg['container_format']) ?? 'bare';
  const visibility = modern(c) && c.mv >= 1 && str(arg['visibility']) ? (str(arg['visibility']) as 'public' | 'private' | 'shared' | 'community') : c.profile.glanceSharedVisibility ? 'shared' : 'private';
  const isProtected = modern(c) && c.mv >= 1 && arg['protected'] !== undefined ? boolParam(arg['protected'], 'protected') : false;
  // Checksums first (once per data: remembered), so the clock alone decides when the image is active.
  const sums = await sumsOf(c.store, v.data);
  const properties = Object.fromEntries(Object.entries(v.imageMetadata ?? {}).filter(([k]) => !NOT_COPIED.has(k)));
  const image = insertImage(c.store, { name: imageName, projectId: v.projectId, visibility, diskFormat, containerFormat, protected: isProtected, properties, minDisk: v.imageMetadata ? Number(v.imageMetadata['min_disk'] ?? 0) : 0 });
  const before = v.status;
  v.status = 'uploading';
  touch(c.store, v);
  image.status = 'saving';
  const { clock, knobs } = c.cloud;
  clock.after(knobs.imageSaveMs + copyDelayMs(sums.size, knobs.volumeRateBps, clock.timeScale), () => {
    if (c.store.volumes.get(v.id) === v && v.status === 'uploading') {
      v.status = v.attachments.length > 0 ? 'in-use' : before === 'in-use' ? 'available' : before;
      touch(c.store, v);
    }
    if (stillThere(c.store, image)) activate(c.store, image, v.data, sums);
  });
  const answer: Record<string, unknown> = {
    id: v.id, updated_at: cinderTime(v.updatedAt), status: 'uploading', display_description: v.description, size: v.size, volume_type: typeRow(c, v),
    image_id: image.id, container_format: containerFormat, disk_format: diskFormat, image_name: imageName,
  };
  if (modern(c)) Object.assign(answer, { protected: isProtected, visibility });
  return json(202, { 'os-volume_upload_image': answer });
}
