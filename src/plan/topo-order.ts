import { PumphouseError } from '../errors/index.js';
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
  const index = new Map<string, number>();
  actions.forEach((a, i) => {
    if (index.has(a.id)) {
      throw new PumphouseError('PH_INTERNAL', `duplicate action id ${a.id} (${a.address})`, { address: a.address });
    }
    index.set(a.id, i);
  });
  // Dependents as one flat list per action (offsets into `edges`), not an array apiece: a
  // plan can have 600,000 actions. A dependency listed twice counts once.
  const n = actions.length;
  const waiting = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  const seen = new Int32Array(n).fill(-1);
  const depIndex = (a: Action, dep: string): number => {
    const d = index.get(dep);
    if (d === undefined) {
      throw new PumphouseError('PH_INTERNAL', `action ${a.id} (${a.address}) depends on unknown action ${dep}`, {
        address: a.address,
      });
    }
    return d;
  };
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    for (const dep of a.depends_on) {
      const d = depIndex(a, dep);
      if (seen[d] === i) continue;
      seen[d] = i;
      waiting[i]!++;
      offsets[d + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const edges = new Int32Array(offsets[n]!);
  const fill = offsets.slice(0, n);
  seen.fill(-1);
  for (let i = 0; i < n; i++) {
    for (const dep of actions[i]!.depends_on) {
      const d = index.get(dep)!;
      if (seen[d] === i) continue;
      seen[d] = i;
      edges[fill[d]!++] = i;
    }
  }
  // A binary heap of ready indices keeps the order stable without quadratic rescans.
  const ready = new MinHeap();
  for (let i = 0; i < n; i++) if (waiting[i] === 0) ready.push(i);
  const out: Action[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    out.push(actions[i]!);
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const j = edges[e]!;
      if (--waiting[j]! === 0) ready.push(j);
    }
  }
  if (out.length !== actions.length) {
    const cycle = findCycle(actions, index, waiting);
    throw new PumphouseError('PH_INTERNAL', `the action graph has a cycle: ${cycle.join(' -> ')}`, {
      details: { cycle },
    });
  }
  return out;
}

/** Walks depends_on among the actions left over by Kahn's algorithm until one repeats. */
function findCycle(actions: readonly Action[], index: Map<string, number>, waiting: Int32Array): string[] {
  let i = waiting.findIndex((w) => w > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  while (!seenAt.has(i)) {
    seenAt.set(i, path.length);
    path.push(i);
    const next = actions[i]!.depends_on.map((d) => index.get(d)!).find((d) => waiting[d]! > 0);
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
