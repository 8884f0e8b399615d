import type { Readable } from 'node:stream';
import { checksums, generatedStream } from '../../store/data.js';
import type { SimStore } from '../../store/store.js';
import type { DataRef, ImageRecord } from '../../store/types/image.js';

/** MD5 + sha512 of some data and its length. */
export interface DataSums {
  readonly md5: string;
  readonly sha512: string;
  readonly size: number;
}

/** Checksums by data identity, per store: a 1 GiB generated volume is hashed once, not per upload. */
const SUMS = new WeakMap<SimStore, Map<string, DataSums>>();

function keyOf(ref: DataRef): string | undefined {
  if (ref.kind === 'generated') return `g\u0000${ref.key}\u0000${ref.size}`;
  if (ref.kind === 'blob') return `b\u0000${ref.blobId}`;
  return undefined;
}

function memo(store: SimStore): Map<string, DataSums> {
  let m = SUMS.get(store);
  if (!m) SUMS.set(store, (m = new Map()));
  return m;
}

/** Records checksums already known (an upload just computed them, an image carries them). */
export function rememberSums(store: SimStore, ref: DataRef, sums: DataSums): void {
  const k = keyOf(ref);
  if (k !== undefined) memo(store).set(k, sums);
}

/** The bytes of a ref, not rate-limited (for hashing; clients read through `cloud.readData`). */
function rawStream(store: SimStore, ref: DataRef): Readable {
  if (ref.kind === 'generated') return generatedStream(store.seed, ref.key, ref.size);
  if (ref.kind === 'blob') return store.blobs.read(ref.blobId);
  return generatedStream(store.seed, '', 0);
}

/** Checksums of a ref: remembered, or computed once by streaming the bytes. */
export async function sumsOf(store: SimStore, ref: DataRef): Promise<DataSums> {
  const k = keyOf(ref);
  const known = k !== undefined ? memo(store).get(k) : undefined;
  if (known) return known;
  const sums = await checksums(rawStream(store, ref));
  if (k !== undefined) memo(store).set(k, sums);
  return sums;
}

/**
 * Gives an uploaded blob back once nothing refers to it any more. Images and volumes share
 * refs (a volume made from an image holds the image's bytes, an upload of the volume holds
 * them again), so a blob goes only when no image and no volume still points at it.
 */
export function releaseData(store: SimStore, ref: DataRef): void {
  if (ref.kind !== 'blob') return;
  const holds = (d: DataRef) => d.kind === 'blob' && d.blobId === ref.blobId;
  if (store.images.find((i) => holds(i.data)) || store.volumes.find((v) => holds(v.data))) return;
  store.blobs.release(ref);
  const k = keyOf(ref);
  if (k !== undefined) memo(store).delete(k);
}

/** Fields a new image record needs; the rest take Glance's defaults. */
export interface NewImage {
  readonly id?: string;
  readonly name: string | null;
  readonly projectId: string | null;
  readonly visibility: ImageRecord['visibility'];
  readonly diskFormat?: string | null;
  readonly containerFormat?: string | null;
  readonly minRam?: number;
  readonly minDisk?: number;
  readonly protected?: boolean;
  readonly properties?: Record<string, string>;
  readonly tags?: string[];
}

/** Inserts a `queued` image without data (v1/v2 create, Cinder's upload-to-image). */
export function insertImage(store: SimStore, n: NewImage): ImageRecord {
  const now = store.now();
  return store.images.insert({
    id: n.id ?? store.ids.uuid(), name: n.name, projectId: n.projectId, status: 'queued', visibility: n.visibility, protected: n.protected ?? false,
    diskFormat: n.diskFormat ?? null, containerFormat: n.containerFormat ?? null, size: null, virtualSize: null, checksum: null, hashValue: null,
    minRam: n.minRam ?? 0, minDisk: n.minDisk ?? 0, createdAt: now, updatedAt: now, properties: n.properties ?? {}, tags: n.tags ?? [], members: [],
    data: { kind: 'none' },
  });
}

/** Puts data into an image and makes it `active` (the end of an upload or of a copy). */
export function activate(store: SimStore, image: ImageRecord, ref: DataRef, sums: DataSums): void {
  rememberSums(store, ref, sums);
  image.data = ref;
  image.size = sums.size;
  image.checksum = sums.md5;
  image.hashValue = sums.sha512;
  // Zed's format inspector gives raw (and iso) images their own size; legacy uploads leave it unset.
  image.virtualSize = store.profile.glanceMultihash && (image.diskFormat === 'raw' || image.diskFormat === 'iso') ? sums.size : image.virtualSize;
  image.status = 'active';
  image.updatedAt = store.now();
}

/** The image is still the one in the store (not deleted meanwhile). */
export function stillThere(store: SimStore, image: ImageRecord): boolean {
  return store.images.get(image.id) === image && image.status !== 'deleted';
}
