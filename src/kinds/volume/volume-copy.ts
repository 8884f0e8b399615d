import { markerFromEntries } from '../../inventory/marker.js';
import type { Cloud, Volume } from '../../openstack/index.js';
import { markerOf, sameMarker } from '../common/marker.js';
import type { DataStep } from '../image/data-step.js';
import { cinder, deleteVolume, volumeOrNull } from './cinder.js';

/** Destination statuses of a volume copy that is complete or on its way there. */
export const COPY_OK = new Set(['available', 'in-use']);
export const COPY_BUSY = new Set(['creating', 'downloading']);

/** True when the volume carries this action's marker. */
export function isOurVolume(s: DataStep, v: Volume): boolean {
  return sameMarker(markerFromEntries(v.metadata), markerOf(s.ctx));
}

/**
 * The destination copy of this volume an earlier run made: the id recorded (or planned) when
 * it carries our marker, else a volume of the planned name in the project that does
 * (complete ones first). Unmarked volumes are never ours.
 */
export async function findVolumeCopy(s: DataStep, destination: Cloud, projectId: string, name: string): Promise<Volume | undefined> {
  const volumes = cinder(s, destination, 'destination');
  const known = s.ctx.recorded.destinationId;
  if (known) {
    const v = await volumeOrNull(volumes, known);
    if (v && isOurVolume(s, v)) return v;
  }
  const named = await volumes.volumes.list({ allTenants: true, projectId, ...(name ? { name } : {}) });
  const mine = named.filter((v) => isOurVolume(s, v));
  return mine.find((v) => COPY_OK.has(v.status)) ?? mine.find((v) => COPY_BUSY.has(v.status)) ?? mine[0];
}

/**
 * The destination copy when one exists that is not failed (complete, being made, or busy
 * with something else): the data steps then have nothing to do. A failed one (`error...`)
 * is ours and useless: it is deleted so that the copy is made again.
 */
export async function usableVolumeCopy(s: DataStep, projectId: string, name: string): Promise<Volume | undefined> {
  const destination = await s.ctx.clouds.destination();
  const found = await findVolumeCopy(s, destination, projectId, name);
  if (!found) return undefined;
  if (!found.status.startsWith('error')) return found;
  await deleteVolume(s, cinder(s, destination, 'destination'), found.id);
  return undefined;
}
