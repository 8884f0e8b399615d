import { PumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud, type Volume, type VolumeClient } from '../../openstack/index.js';
import type { DataStep } from '../image/data-step.js';

/** The cloud's Cinder, or PH_CATALOG_MISSING naming the action. */
export function cinder(s: DataStep, cloud: Cloud, side: 'source' | 'destination'): VolumeClient {
  if (cloud.volume) return cloud.volume;
  throw new PumphouseError('PH_CATALOG_MISSING', `${s.address}: the ${side} cloud has no block storage (Cinder) endpoint`, {
    address: s.address,
    source: 'cloud',
  });
}

/** The volume, or null when Cinder no longer has it. */
export async function volumeOrNull(volumes: VolumeClient, id: string): Promise<Volume | null> {
  try {
    const v = await volumes.volumes.get(id);
    return v.status === 'deleted' ? null : v;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Volumes in a state Cinder will not leave by itself except by finishing. */
const BUSY = new Set(['creating', 'downloading', 'uploading', 'attaching', 'detaching', 'deleting', 'backing-up', 'restoring-backup', 'extending', 'retyping', 'maintenance', 'reserved']);

/**
 * Waits until the volume reaches one of `want`. A status starting with `error` (or any
 * settled status not wanted) is PH_CLOUD_OBJECT_FAILED naming `what`; `gone` when the volume
 * vanished (null answers when `want` includes 'deleted').
 */
export async function waitVolume(s: DataStep, volumes: VolumeClient, id: string, what: string, want: readonly string[], timeoutS: number): Promise<Volume | null> {
  return s.ctx.wait(
    what,
    async () => {
      const v = await volumeOrNull(volumes, id);
      if (v === null) {
        if (want.includes('deleted')) return { done: true, value: null };
        throw failed(s, what, id, 'deleted');
      }
      if (want.includes(v.status)) return { done: true, value: v };
      if (BUSY.has(v.status)) return { done: false, status: v.status };
      throw failed(s, what, id, v.status);
    },
    { timeoutS, intervalMs: s.settings.pollIntervalMs },
  );
}

function failed(s: DataStep, what: string, id: string, status: string): PumphouseError {
  return new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: ${what} (volume ${id}) ended with status ${status}`, {
    address: s.address,
    source: 'cloud',
    details: { volume_id: id, status },
  });
}

/**
 * Deletes a volume and waits until it is gone. One already gone is fine; one still being
 * made is waited for first (Cinder refuses to delete a `creating` volume).
 */
export async function deleteVolume(s: DataStep, volumes: VolumeClient, id: string): Promise<void> {
  const v = await volumeOrNull(volumes, id);
  if (!v) return;
  if (BUSY.has(v.status) && v.status !== 'deleting') {
    await s.ctx.wait(
      `volume ${id} to settle before it is deleted`,
      async () => {
        const now = await volumeOrNull(volumes, id);
        return !now || !BUSY.has(now.status) ? { done: true, value: undefined } : { done: false, status: now.status };
      },
      { timeoutS: s.settings.volumeTimeoutS, intervalMs: s.settings.pollIntervalMs },
    );
  }
  if (v.status !== 'deleting') {
    try {
      await volumes.volumes.delete(id);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  await waitVolume(s, volumes, id, `deletion of volume ${id}`, ['deleted'], s.settings.volumeTimeoutS);
}
