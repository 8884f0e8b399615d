import type { SimStore } from '../../store/store.js';
import type { ServerRecord } from '../../store/types/compute.js';

/** Nova's default list order: newest first (`created_at desc, id desc`). */
export function newerFirst(a: ServerRecord, b: ServerRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return a.id > b.id ? -1 : a.id < b.id ? 1 : 0;
}

/**
 * The servers in list order, sorted once and re-sorted only when the table changed (its size,
 * or an insert/delete made by this module). 100,000 servers sort in ~100 ms; a page then costs
 * a binary search for the marker and a walk of `limit` records.
 */
export class ServerIndex {
  private sorted: ServerRecord[] = [];
  private size = -1;
  private dirty = true;

  invalidate(): void {
    this.dirty = true;
  }

  ordered(store: SimStore): readonly ServerRecord[] {
    if (this.dirty || store.servers.size !== this.size) {
      this.sorted = store.servers.all().sort(newerFirst);
      this.size = store.servers.size;
      this.dirty = false;
    }
    return this.sorted;
  }

  /** Position of the first server that sorts after `marker` (which need not be in the list). */
  static after(list: readonly ServerRecord[], marker: ServerRecord): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newerFirst(list[mid]!, marker) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * What Nova keeps that the shared store has no field for: soft-deleted rows (`changes-since`
 * lists them, markers may name them), block device mappings' delete_on_termination, and
 * the index above. One per store, created on first use.
 */
export interface ComputeState {
  readonly index: ServerIndex;
  /** Deleted servers, newest last (bounded): Nova keeps them as soft-deleted rows. */
  readonly deleted: ServerRecord[];
  /** Server id -> volume ids Nova deletes with the server (volumes it created at boot). */
  readonly deleteOnTermination: Map<string, Set<string>>;
  /** Server id -> its `adminPass` (never rendered again; kept so evacuate can answer one). */
  readonly adminPass: Map<string, string>;
}

const STATES = new WeakMap<SimStore, ComputeState>();
const MAX_DELETED = 10_000;

export function computeState(store: SimStore): ComputeState {
  let s = STATES.get(store);
  if (!s) {
    s = { index: new ServerIndex(), deleted: [], deleteOnTermination: new Map(), adminPass: new Map() };
    STATES.set(store, s);
  }
  return s;
}

/** Records a deleted server as Nova's soft-deleted row. */
export function rememberDeleted(store: SimStore, server: ServerRecord): void {
  const st = computeState(store);
  st.deleted.push(server);
  if (st.deleted.length > MAX_DELETED) st.deleted.splice(0, st.deleted.length - MAX_DELETED);
  st.index.invalidate();
}
