import { isSecretKey } from '../../errors/index.js';

/** Query values accepted by the clients; undefined entries are skipped, arrays repeat the key. */
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Query = Readonly<Record<string, QueryValue>>;

/** Joins a base URL and a path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Builds an absolute URL with the query appended (keeping any query already in `url`). */
export function withQuery(url: string, query: Query | undefined): URL {
  const u = new URL(url);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, String(item));
      else u.searchParams.set(k, String(v));
    }
  }
  return u;
}

/**
 * Path and query of a URL for messages and events: values of secret-looking keys become `***`,
 * and so does the token id of a Keystone v2.0 `/tokens/{id}` path (validate, revoke).
 */
export function displayPath(url: URL): string {
  const pathname = url.pathname;
  const path = pathname.includes('/tokens/') ? pathname.replace(/(\/tokens\/)[^/]+/g, '$1***') : pathname;
  // Most calls have no query: nothing to mask (once per call, 20,000 calls in a large discovery).
  if (url.search === '') return path;
  const params = new URLSearchParams(url.search);
  for (const key of new Set(params.keys())) {
    if (isSecretKey(key)) params.set(key, '***');
  }
  const q = params.toString();
  return q ? `${path}?${q.replace(/%2A/g, '*')}` : path;
}

/**
 * Appends an API version segment (`v2.0`, `v2`) unless the URL already ends with a version
 * segment. Catalogs register Neutron and Glance unversioned, but some operators add it.
 */
export function ensureVersionSuffix(url: string, version: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (/\/v\d+(\.\d+)?$/.test(trimmed)) return trimmed;
  return `${trimmed}/${version}`;
}

/**
 * Splits an endpoint URL at its version segment: `http://h:8774/v2/abc` gives
 * `{ root: 'http://h:8774', version: 'v2', rest: '/abc' }`. undefined when no segment.
 */
export function splitVersion(url: string): { readonly root: string; readonly version: string; readonly rest: string } | undefined {
  const u = new URL(url);
  const m = /^(.*?)\/(v\d+(?:\.\d+)?)(\/.*)?$/.exec(u.pathname.replace(/\/+$/, ''));
  if (!m) return undefined;
  return { root: `${u.origin}${m[1] ?? ''}`, version: m[2] as string, rest: m[3] ?? '' };
}
