import { badRequest, notFound } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import type { DataRef, ImageRecord } from '../../store/types/image.js';
import type { VolumeRecord, VolumeTypeRecord } from '../../store/types/volume.js';
import { rememberSums } from '../image/index.js';
import { bodyOf, modern, str, type CinderCall } from './call.js';
import { blankData, copyDelayMs, createFails, markFresh, touch } from './lifecycle.js';
import { checkQuota } from './quotas.js';
import { volumeView } from './render.js';
import { typeVisible } from './types.js';

const GIB = 1024 ** 3;

/** The type a create names (name or id; 404 otherwise), or the cloud's default: the first type. */
function typeFor(c: CinderCall, asked: unknown): VolumeTypeRecord | undefined {
  if (asked === undefined || asked === null || asked === '') return c.store.volumeTypes.values().next().value;
  const key = String(asked);
  const t = c.store.volumeTypes.get(key) ?? c.store.volumeTypes.find((x) => x.name === key);
  if (!t || !typeVisible(c, t)) throw notFound(c.store.volumeTypes.has(key) ? `Volume type ${key} could not be found.` : `Volume type with name ${key} could not be found.`);
  return t;
}

function sizeOf(c: CinderCall, raw: unknown, required: boolean): number | undefined {
  if (raw === undefined || raw === null) {
    if (required) throw badRequest(modern(c) ? "Invalid input for field/attribute size. Value: None. None is not of type 'integer', 'string'" : 'Invalid input received: Volume size must be specified');
    return undefined;
  }
  const n = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw badRequest(modern(c) ? `Invalid input for field/attribute size. Value: ${String(raw)}. ${String(raw)} is less than the minimum of 1` : `Invalid input received: Volume size '${String(raw)}' must be an integer and greater than 0`);
  }
  return n;
}

/** Glance's visibility rule as Cinder meets it when it fetches the image with the caller's token. */
function imageFor(c: CinderCall, ref: string): ImageRecord {
  const id = ref.includes('/') ? ref.replace(/\/+$/, '').split('/').at(-1)! : ref;
  const img = c.store.images.get(id);
  const visible = img && (c.isAdmin || img.visibility === 'public' || img.visibility === 'community' || img.projectId === c.projectId || img.members.some((m) => m.memberId === c.projectId));
  if (!img || !visible || img.status !== 'active') throw badRequest('Invalid image identifier or unable to access requested image.');
  return img;
}

interface Source {
  readonly data: DataRef;
  readonly size: number;
  readonly bootable: boolean;
  readonly imageMetadata: Record<string, string> | null;
  readonly snapshotId: string | null;
  readonly sourceVolId: string | null;
  readonly image: ImageRecord | null;
}

/** Where the bytes come from: a snapshot (its volume's), another volume, an image, or nothing. */
function sourceOf(c: CinderCall, b: Record<string, unknown>, id: string): Source {
  const snapId = str(b['snapshot_id']);
  const srcId = str(b['source_volid']);
  const imageRef = str(b['imageRef']) ?? str(b['image_id']);
  const asked = sizeOf(c, b['size'], !snapId && !srcId);
  if (snapId) {
    const snap = c.store.snapshots.get(snapId);
    if (!snap || (!c.isAdmin && snap.projectId !== c.projectId)) throw notFound(`Snapshot ${snapId} could not be found.`);
    if (snap.status !== 'available') throw badRequest(`Invalid snapshot: Originating snapshot status must be one of 'available' values`);
    const from = c.store.volumes.get(snap.volumeId);
    const size = asked ?? snap.size;
    if (size < snap.size) throw badRequest(`Invalid input received: Volume size '${size}'GB cannot be smaller than the snapshot size ${snap.size}GB. They must be >= original snapshot size.`);
    return { data: from?.data ?? blankData(id), size, bootable: from?.bootable ?? false, imageMetadata: from?.imageMetadata ? { ...from.imageMetadata } : null, snapshotId: snap.id, sourceVolId: null, image: null };
  }
  if (srcId) {
    const src = c.store.volumes.get(srcId);
    if (!src || (!c.isAdmin && src.projectId !== c.projectId)) throw notFound(`Volume ${srcId} could not be found.`);
    if (src.status !== 'available' && src.status !== 'in-use') throw badRequest(`Invalid volume: Unable to clone volumes that are in ${src.status} status`);
    const size = asked ?? src.size;
    if (size < src.size) throw badRequest(`Invalid input received: Volume size '${size}'GB cannot be smaller than original volume size  ${src.size}GB. They must be >= original volume size.`);
    return { data: src.data, size, bootable: src.bootable, imageMetadata: src.imageMetadata ? { ...src.imageMetadata } : null, snapshotId: null, sourceVolId: src.id, image: null };
  }
  const size = asked!;
  if (imageRef) {
    const img = imageFor(c, imageRef);
    const need = Math.ceil((img.size ?? 0) / GIB);
    if (need > size) throw badRequest(`Invalid input received: Size of specified image ${need}GB is larger than volume size ${size}GB.`);
    if (img.minDisk > size) throw badRequest(`Invalid input received: Volume size ${size}GB cannot be smaller than the image minDisk size ${img.minDisk}GB.`);
    // Cinder copies Glance's metadata (`volume_glance_metadata`): core fields and properties, as strings.
    const meta: Record<string, string> = {
      ...img.properties, image_id: img.id, image_name: img.name ?? '', checksum: img.checksum ?? '', container_format: img.containerFormat ?? '',
      disk_format: img.diskFormat ?? '', min_disk: String(img.minDisk), min_ram: String(img.minRam), size: String(img.size ?? 0),
    };
    if (modern(c)) meta['signature_verified'] = 'False';
    if (img.checksum && img.hashValue && img.size !== null) rememberSums(c.store, img.data, { md5: img.checksum, sha512: img.hashValue, size: img.size });
    return { data: img.data, size, bootable: true, imageMetadata: meta, snapshotId: null, sourceVolId: null, image: img };
  }
  return { data: blankData(id), size, bootable: false, imageMetadata: null, snapshotId: null, sourceVolId: null, image: null };
}

function metadataOf(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Invalid input received: metadata must be a dict');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k.length === 0 || k.length > 255) throw badRequest('Invalid input received: Metadata property key blank or greater than 255 characters');
    out[k] = String(v);
  }
  return out;
}

/**
 * `POST /volumes` (legacy-apis.md §4): v1 200, v2/v3 202, `creating`; `available` after
 * `volumeCreateMs` (or `error`, by the `volumeErrorRate` knob). From an image the volume goes
 * through `downloading`, holds the image's bytes (the same DataRef, so an upload gives them back
 * identically) and turns bootable with `volume_image_metadata`; from a snapshot or a volume it
 * holds theirs. Quotas (volumes, gigabytes, per type) are checked first (413).
 */
export async function createVolume(c: CinderCall): Promise<SimReply> {
  const b = await bodyOf(c, 'volume');
  const id = c.store.ids.uuid();
  const type = typeFor(c, b['volume_type']);
  const az = str(b['availability_zone']) ?? 'nova';
  if (az !== 'nova') throw badRequest(`Invalid input received: Availability zone '${az}' is invalid.`);
  const src = sourceOf(c, b, id);
  const metadata = metadataOf(b['metadata']);
  checkQuota(c, c.projectId, { volumes: 1, gigabytes: src.size, ...(type ? { [`volumes_${type.name}`]: 1, [`gigabytes_${type.name}`]: src.size } : {}) });
  const now = c.store.now();
  const description = b['description'] !== undefined ? b['description'] : b['display_description'];
  const v: VolumeRecord = c.store.volumes.insert({
    id, name: str(b['name']) ?? str(b['display_name']) ?? null, description: description === undefined || description === null ? null : String(description),
    projectId: c.projectId, userId: c.auth.userId, size: src.size, status: 'creating', attachStatus: 'detached', attachments: [], volumeTypeId: type?.id ?? null,
    availabilityZone: az, bootable: false, snapshotId: src.snapshotId, sourceVolId: src.sourceVolId, imageMetadata: null, metadata, host: `${c.store.name}-controller@lvm#LVM`,
    migrationStatus: null, encrypted: false, multiattach: false, createdAt: now, updatedAt: now, data: { kind: 'none' },
  });
  markFresh(v);
  const answer = json(c.version === 1 ? 200 : 202, { volume: volumeView(c, v, false) });
  schedule(c, v, src);
  return answer;
}

function schedule(c: CinderCall, v: VolumeRecord, src: Source): void {
  const { clock, knobs } = c.cloud;
  const fails = createFails(c.store, knobs.volumeErrorRate);
  const finish = () => {
    if (c.store.volumes.get(v.id) !== v || v.status === 'deleting') return;
    if (fails) v.status = 'error';
    else Object.assign(v, { status: 'available', data: src.data, bootable: src.bootable, imageMetadata: src.imageMetadata });
    touch(c.store, v);
  };
  if (!src.image) {
    clock.after(knobs.volumeCreateMs, finish);
    return;
  }
  // From an image: `downloading` while the bytes are copied (the `volumeRateBps` knob), then done.
  clock.after(knobs.volumeCreateMs / 2, () => {
    if (c.store.volumes.get(v.id) !== v || v.status !== 'creating') return;
    v.status = 'downloading';
    touch(c.store, v);
    clock.after(knobs.volumeCreateMs / 2 + copyDelayMs(src.data.kind === 'none' ? 0 : src.data.size, c.cloud.knobs.volumeRateBps, clock.timeScale), finish);
  });
}
