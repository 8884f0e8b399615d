/**
 * One page of a sorted list without sorting the whole list: the `limit` first items after
 * `after` in `compare` order, kept in a bounded max-heap (O(n log limit)) and sorted at the end.
 * Walking 10,000 volumes a thousand at a time then costs one pass per page instead of a full
 * sort per page.
 *
 * `compare` must be a total order over the items (ties only between an item and itself: end
 * it with the id), so the page equals `items.sort(compare)` sliced after `after`'s position.
 * `after` (the marker's item) need not be among `items`.
 */
export function orderedPage<T>(items: Iterable<T>, compare: (a: T, b: T) => number, after: T | undefined, limit: number): T[] {
  if (limit <= 0) return [];
  // Max-heap (by `compare`) of the `limit` smallest items seen so far.
  const heap: T[] = [];
  for (const x of items) {
    if (after !== undefined && compare(x, after) <= 0) continue;
    if (heap.length < limit) {
      heap.push(x);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (compare(heap[p]!, heap[i]!) >= 0) break;
        [heap[p], heap[i]] = [heap[i]!, heap[p]!];
        i = p;
      }
      continue;
    }
    if (compare(x, heap[0]!) >= 0) continue;
    heap[0] = x;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && compare(heap[l]!, heap[m]!) > 0) m = l;
      if (r < heap.length && compare(heap[r]!, heap[m]!) > 0) m = r;
      if (m === i) break;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  }
  return heap.sort(compare);
}
