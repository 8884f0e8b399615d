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
  // Where each action's listed dependencies start in depAt (the second pass below then does not
  // visit the action objects again: 600,000 of them, scattered over the heap).
  const listedFrom = new Int32Array(n + 1);
  let listed = 0;
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    if (index.add(a.id, i) >= 0) {
      throw new PumphouseError('PH_INTERNAL', `duplicate action id ${a.id} (${a.address})`, { address: a.address });
    }
    listed += a.depends_on.length;
    listedFrom[i + 1] = listed;
  }
  // Each listed dependency's position, looked up once (-1: listed twice, counts once).
  // Dependents as one flat list per action (offsets into `edges`), not an array apiece.
  const depAt = new Int32Array(listed);
  const waiting = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  const seen = new Int32Array(n).fill(-1);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    const deps = a.depends_on;
    for (let j = 0; j < deps.length; j++, k++) {
      const d = index.get(deps[j]!);
      if (d < 0) {
        throw new PumphouseError('PH_INTERNAL', `action ${a.id} (${a.address}) depends on unknown action ${deps[j]}`, {
          address: a.address,
        });
      }
      if (seen[d] === i) {
        depAt[k] = -1;
        continue;
      }
      seen[d] = i;
      depAt[k] = d;
      waiting[i]!++;
      offsets[d + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const edges = new Int32Array(offsets[n]!);
  const fill = offsets.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let j = listedFrom[i]!; j < listedFrom[i + 1]!; j++) {
      const d = depAt[j]!;
      if (d >= 0) edges[fill[d]!++] = i;
    }
  }
  // A binary heap of ready indices keeps the order stable without quadratic rescans.
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (waiting[i] === 0) ready.push(i);
  const out = new Array<Action>(n);
  let done = 0;
  while (ready.size > 0) {
    const i = ready.pop();
    out[done++] = actions[i]!;
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const j = edges[e]!;
      if (--waiting[j]! === 0) ready.push(j);
    }
  }
  if (done !== n) {
    const cycle = findCycle(actions, index, waiting);
    throw new PumphouseError('PH_INTERNAL', `the action graph has a cycle: ${cycle.join(' -> ')}`, {
      details: { cycle },
    });
  }
  return out;
}

/** Walks depends_on among the actions left over by Kahn's algorithm until one repeats. */
function findCycle(actions: readonly Action[], index: IdPositions, waiting: Int32Array): string[] {
  let i = waiting.findIndex((w) => w > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  while (!seenAt.has(i)) {
    seenAt.set(i, path.length);
    path.push(i);
    const next = actions[i]!.depends_on.map((d) => index.get(d)).find((d) => waiting[d]! > 0);
    i = next!;
  }
  const loop = path.slice(seenAt.get(i));
  return [...loop, i].map((k) => actions[k]!.address);
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
