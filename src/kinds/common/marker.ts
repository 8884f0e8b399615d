import { PumphouseError } from '../../errors/index.js';
import { isNotFound } from '../../openstack/index.js';
import type { Marker } from '../../inventory/types.js';
import type { StepContext } from '../contract.js';

/** The marker the step's destination object must carry (source id and kind, no plan id). */
export function markerOf(ctx: StepContext): Marker {
  return { sourceId: ctx.marker.sourceId, kind: ctx.marker.kind };
}

/** True when `found` is the marker of this very source object and kind. */
export function sameMarker(found: Marker | undefined, want: Marker): boolean {
  return found !== undefined && found.sourceId === want.sourceId && found.kind === want.kind;
}

/**
 * The destination already has an object where this one must go (a name Keystone or Nova
 * keeps unique) and it is not our copy: the plan said the name was free, so the plan is
 * stale for this action.
 */
export function taken(address: string, what: string, id: string, detail?: string): PumphouseError {
  return new PumphouseError(
    'PH_PRECONDITION_FAILED',
    `${address}: the destination already has ${what} (${id}) that pumphouse did not make${detail ? `: ${detail}` : ''}; plan again`,
    { address, details: { destination_id: id } },
  );
}

/** An object an adoption relies on is gone from the destination. */
export function vanished(address: string, what: string, id: string): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${address}: ${what} ${id} is no longer in the destination; plan again`, {
    address,
    details: { destination_id: id },
  });
}

/** Reads the object an adoption names; a 404 becomes "plan again". */
export async function getAdopted<T>(address: string, what: string, id: string | null | undefined, get: (id: string) => Promise<T>): Promise<T> {
  if (!id) throw vanished(address, what, '(no id in the plan)');
  try {
    return await get(id);
  } catch (err) {
    if (isNotFound(err)) throw vanished(address, what, id);
    throw err;
  }
}
