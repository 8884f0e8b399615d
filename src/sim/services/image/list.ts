import { badRequest } from '../../http/errors.js';
import { sortedList } from '../../http/sorted-list.js';
import type { GlanceCall } from './call.js';
import type { ImageRecord } from '../../store/types/image.js';

/** Sort keys Glance accepts (v1 and v2 alike). */
export const SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

function value(img: ImageRecord, key: SortKey): string | number | null {
  switch (key) {
    case 'name': return img.name;
    case 'status': return img.status;
    case 'container_format': return img.containerFormat;
    case 'disk_format': return img.diskFormat;
    case 'size': return img.size;
    case 'id': return img.id;
    case 'created_at': return img.createdAt;
    case 'updated_at': return img.updatedAt;
  }
}

function cmp(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1; // NULL sorts first ascending, as in MySQL
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * Glance's order: by `key` then `created_at` then `id`, all in `dir` (paginate_query's keys);
 * the default, newest first, is `created_at desc`. Total: the id breaks every tie.
 */
export function imageOrder(key: SortKey, dir: 'asc' | 'desc'): (a: ImageRecord, b: ImageRecord) => number {
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => sign * (cmp(value(a, key), value(b, key)) || cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
}

/**
 * The page after `marker` (an id that must be in the list, else `badMarker`), at most `limit`
 * long, of `items` in Glance's order (sorted once per walk through the pages: sortedList).
 */
export function pageAfter(c: GlanceCall, items: () => ImageRecord[], key: SortKey, dir: 'asc' | 'desc', marker: string | undefined, limit: number, badMarker: () => Error): ImageRecord[] {
  const sorted = sortedList(c.store, c, items, imageOrder(key, dir));
  let start = 0;
  if (marker !== undefined) {
    const i = sorted.findIndex((x) => x.id === marker);
    if (i < 0) throw badMarker();
    start = i + 1;
  }
  return sorted.slice(start, start + limit);
}

/** `limit`: default 25, capped at api_limit_max 1000; a negative or non-integer one is a 400. */
export function limitOf(query: URLSearchParams, message: (raw: string) => string): number {
  const raw = query.get('limit');
  if (raw === null) return 25;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0) throw badRequest(message(raw));
  return Math.min(n, 1000);
}
