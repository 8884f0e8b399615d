import type { SimStore } from '../store/store.js';

/**
 * A list in its API's order, sorted once for a whole walk through its pages: kept by the store
 * (SimStore.derived) until a record changes, under a key naming the route, the caller and
 * every query parameter but the page's own (`marker`, `limit`, `offset`). Paging through
 * 10,000 volumes a thousand at a time then sorts them once, not once per page.
 *
 * `items` must depend only on the store and what the key names (the caller's project and
 * admin flag, the query); it is called, and sorted in place, only when the list is not kept.
 */
export function sortedList<T>(
  store: SimStore,
  call: { readonly req: { readonly path: string; readonly query: URLSearchParams }; readonly projectId: string; readonly isAdmin: boolean },
  items: () => T[],
  order: (a: T, b: T) => number,
): readonly T[] {
  const rest = [...call.req.query].filter(([k]) => k !== 'marker' && k !== 'limit' && k !== 'offset');
  const key = `sorted-list ${call.req.path} ${call.projectId} ${call.isAdmin} ${JSON.stringify(rest)}`;
  return store.derived(key, () => items().sort(order));
}
