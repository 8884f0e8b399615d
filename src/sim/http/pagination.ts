import { badRequest } from './errors.js';

export interface PageRequest {
  readonly limit: number | undefined;
  readonly marker: string | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** More items follow this page (the page is full and not the end). */
  readonly more: boolean;
}

/** Reads `limit` and `marker` from a query; a bad limit is a 400. */
export function pageRequest(query: URLSearchParams, maxLimit?: number): PageRequest {
  const raw = query.get('limit');
  let limit: number | undefined;
  if (raw !== null && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`limit param must be an integer >= 0 (got '${raw}')`);
    limit = n;
  }
  if (maxLimit !== undefined) limit = Math.min(limit ?? maxLimit, maxLimit);
  const marker = query.get('marker') ?? undefined;
  return { limit, marker: marker === '' ? undefined : marker };
}

/**
 * One page of `items` (already filtered and sorted) after `marker`, by id. An unknown marker
 * throws `onBadMarker()` (Nova: 400 "marker [x] not found") unless `unknownMarker: 'empty'`.
 */
export function paginate<T>(
  items: readonly T[],
  req: PageRequest,
  idOf: (item: T) => string,
  options: { readonly unknownMarker?: 'error' | 'empty' } = {},
): Page<T> {
  let start = 0;
  if (req.marker !== undefined) {
    const i = items.findIndex((it) => idOf(it) === req.marker);
    if (i < 0) {
      if (options.unknownMarker === 'empty') return { items: [], more: false };
      throw badRequest(`marker [${req.marker}] not found`, 'MarkerNotFound');
    }
    start = i + 1;
  }
  if (req.limit === undefined) return { items: items.slice(start), more: false };
  const end = start + req.limit;
  return { items: items.slice(start, end), more: end < items.length };
}

/**
 * `href` for a `rel: next` link: `base` (full URL of the collection) with the request's query,
 * `marker` replaced by the page's last id.
 */
export function nextHref(base: string, query: URLSearchParams, lastId: string): string {
  const q = new URLSearchParams(query);
  q.set('marker', lastId);
  return `${base}?${q.toString()}`;
}
