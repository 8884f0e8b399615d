import { randomUUID } from 'node:crypto';
import { indexedObject } from './fold.js';
import { toolVersion } from '../package-info.js';
import { STATE_FORMAT_VERSION, type StateFile, type StateObject } from './types.js';

/** A new, empty state with a fresh lineage and serial 0 (nothing has been written yet). */
export function emptyState(lineage: string = randomUUID()): StateFile {
  return {
    version: STATE_FORMAT_VERSION,
    pumphouse_version: toolVersion(),
    lineage,
    serial: 0,
    objects: [],
    temporaries: [],
    history: [],
  };
}

/**
 * The object recorded at `address`, or undefined. O(1) on a state a StateFold keeps (the
 * store's `current`, what load() and applyRecords() return), a scan otherwise.
 */
export function findObject(state: StateFile, address: string): StateObject | undefined {
  const indexed = indexedObject(state.objects, address);
  return indexed === null ? state.objects.find((o) => o.address === address) : indexed;
}

/**
 * The object of `kind` made from source object `sourceId`. When several match (a deleted
 * copy and a new one), the one not `deleted` wins.
 */
export function findBySourceId(state: StateFile, kind: string, sourceId: string): StateObject | undefined {
  let found: StateObject | undefined;
  for (const o of state.objects) {
    if (o.kind !== kind || o.source_id !== sourceId) continue;
    if (o.status !== 'deleted') return o;
    found ??= o;
  }
  return found;
}

/** A copy of `state` with `object` replacing the one at the same address, or appended. */
export function upsertObject(state: StateFile, object: StateObject): StateFile {
  const i = state.objects.findIndex((o) => o.address === object.address);
  const objects = i < 0 ? [...state.objects, object] : state.objects.map((o, j) => (j === i ? object : o));
  return { ...state, objects };
}

/** A copy of `state` without the objects at `addresses`, and the objects removed. */
export function removeObjects(state: StateFile, addresses: readonly string[]): { readonly state: StateFile; readonly removed: readonly StateObject[] } {
  const wanted = new Set(addresses);
  const removed = state.objects.filter((o) => wanted.has(o.address));
  return { state: { ...state, objects: state.objects.filter((o) => !wanted.has(o.address)) }, removed };
}

/** kind -> (source id -> destination id). */
export type IdMap = ReadonlyMap<string, ReadonlyMap<string, string>>;

/**
 * The source -> destination id map per kind, from `ready` objects only: a pending or
 * tainted copy is not something a dependent may point at (ids cannot be kept on a modern
 * Keystone, so every reference goes through this map).
 */
export function idMap(state: StateFile): IdMap {
  const out = new Map<string, Map<string, string>>();
  for (const o of state.objects) {
    if (o.status !== 'ready' || o.destination_id === null) continue;
    let byKind = out.get(o.kind);
    if (!byKind) {
      byKind = new Map();
      out.set(o.kind, byKind);
    }
    byKind.set(o.source_id, o.destination_id);
  }
  return out;
}
