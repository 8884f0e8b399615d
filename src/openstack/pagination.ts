import { outerMembers } from './http/outer-members.js';
import type { Query, QueryValue } from './http/url.js';
import type { ServiceApi } from './service-api.js';
import type { CloudResponse } from './session/request.js';
import { list } from './session/response.js';
import { isRaw, obj, objs, str, type Raw } from './wire.js';

/**
 * How a collection pages (legacy-apis.md §0.3):
 * - `links`: follow `<key>_links` rel=next (Nova, Cinder v2/v3, Neutron), Keystone v3
 *   `links.next` or Glance v2 `next`; stop when there is none.
 * - `marker`: no links; ask again from the last id while a page comes back full
 *   (Glance v1, Keystone v2 tenants).
 * - `offset`: `limit`/`offset` while pages come back full (Cinder v1).
 * - `none`: one request.
 * In every mode a page with nothing new stops the walk, so a service that ignores the
 * marker (legacy Neutron) cannot loop us forever, and an item is never yielded twice.
 */
export type Paging =
  | { readonly kind: 'links'; readonly limit?: number }
  | { readonly kind: 'marker'; readonly limit: number }
  | { readonly kind: 'offset'; readonly limit: number }
  | { readonly kind: 'none' };

export interface ListSpec {
  readonly path: string;
  /** The body's list key (`servers`, `images`, ...). */
  readonly key: string;
  readonly paging: Paging;
  readonly query?: Query;
  readonly headers?: Readonly<Record<string, string>>;
  /** Identity of an item for marker and duplicate detection; default `item.id`. */
  readonly idOf?: (item: Raw) => string | undefined;
  /** Sees each page's body (Keystone v3 `truncated`). */
  readonly onPage?: (body: Raw) => void;
}

/** A hard stop far beyond any real cloud (100,000 servers at 1000 a page is 100 pages). */
const MAX_PAGES = 100_000;

/**
 * Every item of a collection, page after page, as raw objects. Iterate it with `for await`
 * (one item at a time), or hand it to `collect`, which takes it a page at a time: one
 * promise per page rather than per item (100,000 servers are 100 pages), and asks for the
 * next page while it maps this one.
 */
export function pages(api: ServiceApi, spec: ListSpec): Pages {
  return new Pages(api, spec);
}

/** A collection's walk (see `pages`). Each iteration walks it again from the first page. */
export class Pages implements AsyncIterable<Raw> {
  constructor(
    private readonly api: ServiceApi,
    private readonly spec: ListSpec,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Raw> {
    for await (const items of this.byPage()) yield* items;
  }

  /**
   * The new items of each page, in order (an item already seen on an earlier page is left out).
   * With `ahead`, the next page is asked for as soon as this page says there is one, before this
   * page is handed over: the cloud renders page k+1 while the caller maps page k. With next
   * links, the link is read from the answer's text before the text is parsed (outer-members.ts),
   * so the cloud renders page k+1 while page k is parsed too; the parsed page must name the same
   * next page, else that early request is dropped and the right one sent. At most one page is in
   * flight ahead, and only a caller that reads every page may ask for it (`collect`): one that
   * stops early would have cost a call it never reads.
   */
  async *byPage(ahead = false): AsyncGenerator<readonly Raw[]> {
    const { api, spec } = this;
    const idOf = spec.idOf ?? ((item: Raw) => str(item['id']));
    const seen = new Set<string>();
    const limit = spec.paging.kind === 'none' ? undefined : spec.paging.limit;
    let query: Record<string, QueryValue> | undefined = { ...spec.query, ...(limit !== undefined ? { limit } : {}) };
    let offset = 0;
    let pending: Promise<CloudResponse> | undefined;
    // Next pages asked for from the text of the page before, by page number.
    const guesses = new Map<number, Early>();
    // Off for the rest of the walk once a guess was wrong: the wrong page's own guess is not sent.
    let guessing = true;
    // The page the walk is on: only its text may name the next page early, so at most one
    // page is ever ahead of the caller however fast the cloud answers.
    let current = 0;
    /** Asks for page number `n`; with next links and `ahead`, its text names page n + 1 early. */
    const ask = (q: Record<string, QueryValue>, n: number): Promise<CloudResponse> => {
      if (!ahead || spec.paging.kind !== 'links' || n + 1 >= MAX_PAGES) return api.get(spec.path, q, spec.headers);
      return api.get(spec.path, q, spec.headers, (text) => {
        if (!guessing || n !== current) return;
        const next = linkInText(spec, text);
        // The same query again is a service ignoring the marker: the parse will end the walk.
        if (next === undefined || sameQuery(next, q)) return;
        const res = ask(next, n + 1);
        res.catch(() => undefined);
        guesses.set(n + 1, { query: next, res });
      });
    };
    for (let page = 0; page < MAX_PAGES && query; page++) {
      current = page;
      const res = await (pending ?? ask(query, page));
      pending = undefined;
      const body = obj(res.data);
      spec.onPage?.(body);
      const all = list(res, spec.key);
      const fresh: Raw[] = [];
      let count = 0;
      let lastId: string | undefined;
      for (const item of all) {
        if (!isRaw(item)) continue;
        count++;
        const id = idOf(item);
        if (id !== undefined) {
          lastId = id;
          // One hash lookup per item, not two (350,000 items at 10,000 tenants).
          const known = seen.size;
          if (seen.add(id).size === known) continue;
        }
        fresh.push(item);
      }
      // The next page's query, or undefined when this page was the last.
      query = count === 0 || fresh.length === 0 ? undefined : nextQuery(spec, body, query, count, lastId, (offset += count));
      const guessed = guesses.get(page + 1);
      guesses.delete(page + 1);
      if (guessed && query && sameQuery(guessed.query, query)) pending = guessed.res;
      else if (guessed) guessing = false;
      if (ahead && query && !pending && page + 1 < MAX_PAGES) {
        pending = ask(query, page + 1);
        // Read (and its failure thrown) on the next turn; a caller that fails on this page
        // leaves it unread, which must not surface as an unhandled rejection.
        pending.catch(() => undefined);
      }
      if (fresh.length > 0) yield fresh;
    }
  }
}

/** A next page asked for from the text of this one, before it was parsed. */
interface Early {
  readonly query: Record<string, QueryValue>;
  readonly res: Promise<CloudResponse>;
}

/** The next page's query from the next link in an answer's unparsed text; undefined when it names none, its list is empty, or it cannot be read that way. */
function linkInText(spec: ListSpec, text: string): Record<string, QueryValue> | undefined {
  const outer = outerMembers(text, spec.key);
  if (!outer || outer.listEmpty) return undefined;
  const next = nextLink(outer.members as Raw, spec.key);
  return next ? { ...spec.query, ...next } : undefined;
}

function sameQuery(a: Readonly<Record<string, QueryValue>>, b: Readonly<Record<string, QueryValue>>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => String(a[k]) === String(b[k]));
}

/** The query of the page after one that held `count` items (`offset` counts them all); undefined: no next page. */
function nextQuery(spec: ListSpec, body: Raw, query: Record<string, QueryValue>, count: number, lastId: string | undefined, offset: number): Record<string, QueryValue> | undefined {
  switch (spec.paging.kind) {
    case 'none':
      return undefined;
    case 'links': {
      const next = nextLink(body, spec.key);
      return next ? { ...spec.query, ...next } : undefined;
    }
    case 'marker':
      // A longer page than asked means the service ignores paging and sent everything.
      return count !== spec.paging.limit || lastId === undefined ? undefined : { ...query, marker: lastId };
    case 'offset':
      return count !== spec.paging.limit ? undefined : { ...query, offset };
  }
}

/** Collects pages() (or any async iterable of raw items) into an array. */
export async function collect<T>(items: AsyncIterable<Raw>, map: (raw: Raw) => T): Promise<T[]> {
  const out: T[] = [];
  if (items instanceof Pages) {
    for await (const page of items.byPage(true)) for (const item of page) out.push(map(item));
    return out;
  }
  for await (const item of items) out.push(map(item));
  return out;
}

/** Maps an async iterable (the `iterate*` variants of the clients). */
export async function* mapItems<T>(items: AsyncIterable<Raw>, map: (raw: Raw) => T): AsyncGenerator<T> {
  for await (const item of items) yield map(item);
}

/**
 * Query parameters of the next page, taken from the next link. Only the query is used, never
 * the link's host: services behind proxies often advertise internal or http URLs.
 */
function nextLink(body: Raw, key: string): Record<string, QueryValue> | undefined {
  let href: string | undefined;
  const links = body[`${key}_links`];
  if (Array.isArray(links)) href = str(objs(links).find((l) => str(l['rel']) === 'next')?.['href']);
  if (!href && isRaw(body['links'])) href = str(body['links']['next']);
  if (!href && Array.isArray(body['links'])) href = str(objs(body['links']).find((l) => str(l['rel']) === 'next')?.['href']);
  if (!href && typeof body['next'] === 'string') href = body['next'];
  if (!href) return undefined;
  const u = new URL(href, 'http://placeholder');
  const out: Record<string, QueryValue> = {};
  // A repeated key stays repeated (Neutron's `fields=a&fields=b`): keeping only its last value
  // would ask the next page for one attribute.
  for (const k of new Set(u.searchParams.keys())) {
    const all = u.searchParams.getAll(k);
    out[k] = all.length === 1 ? all[0] : all;
  }
  return Object.keys(out).length ? out : undefined;
}
