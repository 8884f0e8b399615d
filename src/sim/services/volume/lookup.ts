import { notFound } from '../../http/errors.js';
import type { SnapshotRecord, VolumeRecord } from '../../store/types/volume.js';
import type { CinderCall } from './call.js';

/** A volume of the caller's project (any project for an admin), else Cinder's 404. */
export function volumeOf(c: CinderCall, id: string | undefined): VolumeRecord {
  const v = id === undefined ? undefined : c.store.volumes.get(id);
  if (!v || (!c.isAdmin && v.projectId !== c.projectId)) throw notFound(`Volume ${id ?? ''} could not be found.`);
  return v;
}

export function snapshotOf(c: CinderCall, id: string | undefined): SnapshotRecord {
  const s = id === undefined ? undefined : c.store.snapshots.get(id);
  if (!s || (!c.isAdmin && s.projectId !== c.projectId)) throw notFound(`Snapshot ${id ?? ''} could not be found.`);
  return s;
}
