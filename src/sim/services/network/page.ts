/**
 * Id-ordered selection without sorting whole tables per page: a page of `limit` after a marker
 * is the `limit` smallest ids above it, found with a bounded heap (O(n log limit)), so walking
 * 100,000 ports a thousand at a time does not sort 100,000 strings a hundred times.
 */

const byId = <T extends { readonly id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every row passing `keep`, in id order. */
export function sortedById<T extends { readonly id: string }>(rows: Iterable<T>, keep: (r: T) => boolean): T[] {
  const out: T[] = [];
  for (const r of rows) if (keep(r)) out.push(r);
  return out.sort(byId);
}

/** The first `limit` rows (id order) passing `keep` whose id is above `marker`. */
export function pageAfter<T extends { readonly id: string }>(rows: Iterable<T>, keep: (r: T) => boolean, marker: string | undefined, limit: number): T[] {
  // Max-heap on id holding the `limit` smallest candidates seen so far.
  const heap: T[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]!.id >= heap[i]!.id) return;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]!.id > heap[m]!.id) m = l;
      if (r < heap.length && heap[r]!.id > heap[m]!.id) m = r;
      if (m === i) return;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  };
  for (const row of rows) {
    if (marker !== undefined && row.id <= marker) continue;
    if (heap.length === limit && row.id >= heap[0]!.id) continue;
    if (!keep(row)) continue;
    if (heap.length < limit) {
      heap.push(row);
      up(heap.length - 1);
    } else {
      heap[0] = row;
      down(0);
    }
  }
  return heap.sort(byId);
}
