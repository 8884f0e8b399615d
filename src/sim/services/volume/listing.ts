import { badRequest, notFound } from '../../http/errors.js';
import { sortedList } from '../../http/sorted-list.js';
import { nextHref } from '../../http/pagination.js';
import type { CinderCall } from './call.js';

/** What a sortable Cinder record offers the list code. */
export interface Listed {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly name: string | null;
  readonly status: string;
  readonly size: number;
}

const SORT_KEYS = ['created_at', 'updated_at', 'id', 'name', 'display_name', 'status', 'size'] as const;

function valueOf(r: Listed, key: string): string | number | null {
  switch (key) {
    case 'updated_at': return r.updatedAt;
    case 'id': return r.id;
    case 'name':
    case 'display_name': return r.name;
    case 'status': return r.status;
    case 'size': return r.size;
    default: return r.createdAt;
  }
}

/** `sort=k1:dir,k2` (v2 Kilo+) or `sort_key`/`sort_dir`; default `created_at desc`; `id` breaks ties. */
function sortSpec(q: URLSearchParams): Array<readonly [string, number]> {
  const keys: Array<readonly [string, number]> = [];
  const sort = q.get('sort');
  if (sort) {
    for (const part of sort.split(',')) {
      const [k, d] = part.trim().split(':');
      keys.push([k ?? '', (d ?? 'desc').toLowerCase() === 'asc' ? 1 : -1]);
      if (d !== undefined && !['asc', 'desc'].includes(d.toLowerCase())) throw badRequest(`Invalid input received: Unknown sort direction, must be 'desc' or 'asc'`);
    }
  } else {
    const dir = (q.get('sort_dir') ?? 'desc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid input received: Unknown sort direction, must be 'desc' or 'asc'`);
    keys.push([q.get('sort_key') ?? 'created_at', dir === 'asc' ? 1 : -1]);
  }
  for (const [k] of keys) if (!(SORT_KEYS as readonly string[]).includes(k)) throw badRequest(`Invalid input received: Invalid sort key ${k}`);
  return keys;
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function nonNegative(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < 0) throw badRequest(`Invalid input received: ${name} param must be an integer`);
  return n;
}

/** osapi_max_limit. */
const MAX_LIMIT = 1000;

/**
 * One page of `items` (already filtered) as Cinder gives it (legacy-apis.md §0.3): v1 by
 * `offset`/`limit` without links; v2/v3 sorted, after `marker` (an unknown one is the kind's
 * 404), with `<key>_links` rel=next whenever the page is full.
 */
export function page<T extends Listed>(c: CinderCall, items: () => T[], key: string, kind: string, path: string): { readonly items: readonly T[]; readonly links?: unknown[] } {
  const q = c.req.query;
  const limit = Math.min(nonNegative(q, 'limit') ?? MAX_LIMIT, MAX_LIMIT);
  if (c.version === 1) {
    const all = items().sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id));
    const offset = nonNegative(q, 'offset') ?? 0;
    return { items: all.slice(offset, offset + limit) };
  }
  const spec = sortSpec(q);
  const sorted = sortedList(c.store, c, items, (a, b) => {
    for (const [k, dir] of spec) {
      const d = compare(valueOf(a, k), valueOf(b, k));
      if (d !== 0) return dir * d;
    }
    return (spec[0]?.[1] ?? -1) * compare(a.id, b.id);
  });
  const marker = q.get('marker');
  let start = 0;
  if (marker !== null && marker !== '') {
    const i = sorted.findIndex((x) => x.id === marker);
    if (i < 0) throw notFound(`${kind} ${marker} could not be found.`);
    start = i + 1;
  }
  const out = sorted.slice(start, start + limit);
  const last = out.at(-1);
  if (!last || out.length < limit) return { items: out };
  return { items: out, links: [{ rel: 'next', href: nextHref(`${c.apiUrl}${path}`, q, last.id) }] };
}

/** The admin's `all_tenants` (any value but a false one); others never see other projects. */
export function allTenants(c: CinderCall): boolean {
  const raw = c.req.query.get('all_tenants');
  if (raw === null || !c.isAdmin) return false;
  return !['0', 'false', 'f', 'no', 'n', 'off'].includes(raw.trim().toLowerCase());
}

/** Which project a list shows: the caller's, or with all_tenants every one (or the `project_id` asked). */
export function projectFilter(c: CinderCall): (projectId: string) => boolean {
  if (!allTenants(c)) return (p) => p === c.projectId;
  const want = c.req.query.get('project_id');
  return want === null ? () => true : (p) => p === want;
}
