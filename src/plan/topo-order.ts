import { PumphouseError } from '../errors/index.js';
import { IdPositions } from './id-positions.js';
import type { Action } from './types.js';

/**
 * Returns the actions in dependency order (every action after all of its `depends_on`).
 * Deterministic: among actions ready at the same time, the one earlier in the input goes
 * first, so an already ordered list comes back unchanged.
 *
 * Throws PH_INTERNAL for a duplicate id, a `depends_on` naming no action, or a cycle (the
 * message lists the addresses on the cycle): all are planner bugs, never operator errors.
 */
export function topoOrder(actions: readonly Action[]): Action[] {
  const n = actions.length;
  // Ids by position in a typed-array table (id-positions.ts): a Map of 600,000 strings cost
  // most of this function, each lookup chasing key strings scattered over the heap.
  const index = new IdPositions(n);
  const from = new Int32Array(n + 1);
  let listed = 0;
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    if (index.add(a.id, i) >= 0) {
      throw new PumphouseError('PH_INTERNAL', `duplicate action id ${a.id} (${a.address})`, { address: a.address });
    }
    listed += a.depends_on.length;
    from[i + 1] = listed;
  }
  const to = new Int32Array(listed);
  for (let i = 0, k = 0; i < n; i++) {
    const a = actions[i]!;
    for (const dep of a.depends_on) {
      const d = index.get(dep);
      if (d < 0) {
        throw new PumphouseError('PH_INTERNAL', `action ${a.id} (${a.address}) depends on unknown action ${dep}`, {
          address: a.address,
        });
      }
      to[k++] = d;
    }
  }
  const order = orderByDependencies(n, from, to, (i) => actions[i]!.address);
  const out = new Array<Action>(n);
  for (let i = 0; i < n; i++) out[i] = actions[order[i]!]!;
  return out;
}

/**
 * topoOrder() on positions: `count` actions, the dependencies of action i at positions
 * `to[from[i]]` to `to[from[i + 1] - 1]` (a position listed twice counts once; the action
 * itself is not listed). Returns the positions in dependency order, ties to the lower
 * position. For a planner that knows its actions' positions and needs no id lookups.
 *
 * Throws PH_INTERNAL for a cycle (the message lists the addresses on it, from `address`).
 */
export function orderByDependencies(count: number, from: Int32Array, to: Int32Array, address: (position: number) => string): Int32Array {
  const n = count;
  // Dependents as one flat list per action (offsets into `edges`), not an array apiece: a
  // plan can have 600,000 actions. A dependency listed twice counts once.
  const waiting = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  const seen = new Int32Array(n).fill(-1);
  const counted = new Uint8Array(to.length);
  for (let i = 0; i < n; i++) {
    for (let k = from[i]!; k < from[i + 1]!; k++) {
      const d = to[k]!;
      if (seen[d] === i) continue;
      seen[d] = i;
      counted[k] = 1;
      waiting[i]!++;
      offsets[d + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const edges = new Int32Array(offsets[n]!);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let k = from[i]!; k < from[i + 1]!; k++) if (counted[k] === 1) edges[fill[to[k]!]!++] = i;
  }
  // A binary heap of ready positions keeps the order stable without quadratic rescans.
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (waiting[i] === 0) ready.push(i);
  const out = new Int32Array(n);
  let done = 0;
  while (ready.size > 0) {
    const i = ready.pop();
    out[done++] = i;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const j = edges[e]!;
      if (--waiting[j]! === 0) ready.push(j);
    }
  }
  if (done !== n) {
    const cycle = findCycle(from, to, waiting).map(address);
    throw new PumphouseError('PH_INTERNAL', `the action graph has a cycle: ${cycle.join(' -> ')}`, {
      details: { cycle },
    });
  }
  return out;
}

/** Walks dependencies among the actions left over by Kahn's algorithm until one repeats. */
function findCycle(from: Int32Array, to: Int32Array, waiting: Int32Array): number[] {
  let i = waiting.findIndex((w) => w > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  while (!seenAt.has(i)) {
    seenAt.set(i, path.length);
    path.push(i);
    let next = -1;
    for (let k = from[i]!; k < from[i + 1]!; k++) {
      if (waiting[to[k]!]! > 0) {
        next = to[k]!;
        break;
      }
    }
    i = next;
  }
  const loop = path.slice(seenAt.get(i));
  return [...loop, i];
}

class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
