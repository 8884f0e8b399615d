import { SimRandom } from '../../random.js';
import type { SimStore } from '../../store/store.js';
import type { DataRef } from '../../store/types/image.js';
import type { SnapshotRecord, VolumeRecord } from '../../store/types/volume.js';

/**
 * Records made through this API and not changed since: Cinder's row has `updated_at` NULL
 * until its first update (Zed answers a create with `"updated_at": null`). Kept beside the
 * store so the shared record types need no nullable field.
 */
const fresh = new WeakSet<object>();

export function markFresh(rec: VolumeRecord | SnapshotRecord): void {
  fresh.add(rec);
}

/** `updated_at` as Cinder shows it: null until the first change. */
export function updatedAt(rec: VolumeRecord | SnapshotRecord): string | null {
  return fresh.has(rec) ? null : rec.updatedAt;
}

/** A change to a record: its `updated_at` moves. */
export function touch(store: SimStore, rec: VolumeRecord | SnapshotRecord): void {
  fresh.delete(rec);
  rec.updatedAt = store.now();
}

/**
 * What a volume made blank through the API holds: its allocated blocks, as a thin LVM or
 * qcow2 volume has them, not `size` GiB of zeros: 64 KiB of bytes f(seed, volume id). An
 * upload of it to Glance carries exactly these bytes.
 */
export const BLANK_BYTES = 64 * 1024;

export function blankData(volumeId: string): DataRef {
  return { kind: 'generated', key: `${volumeId}/blank`, size: BLANK_BYTES };
}

/** Seeded decisions for the `volumeErrorRate` knob, one stream per store. */
const faultStreams = new WeakMap<SimStore, SimRandom>();

export function createFails(store: SimStore, rate: number): boolean {
  if (rate <= 0) return false;
  let rng = faultStreams.get(store);
  if (!rng) faultStreams.set(store, (rng = SimRandom.derive(store.seed, `${store.name}/volume-faults`)));
  return rng.next() < rate;
}

/** Real milliseconds a copy of `bytes` takes at `bytesPerSecond` (0 = unlimited), in clock units for `after`. */
export function copyDelayMs(bytes: number, bytesPerSecond: number, timeScale: number): number {
  if (bytesPerSecond <= 0 || timeScale <= 0) return 0;
  // The rate knobs are real time; clock delays get multiplied by timeScale, so divide it out.
  return ((bytes / bytesPerSecond) * 1000) / timeScale;
}
