import { badRequest, type SimHttpError } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import type { NeutronCall } from './call.js';
import { render, renderContext, type FieldSet, type RenderContext } from './fields.js';
import { pageAfter, sortedById } from './page.js';

/** Query keys that are not attribute filters. */
const CONTROL = new Set(['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir', 'tags', 'tags-any', 'not-tags', 'not-tags-any']);

export interface ListSpec<T extends { readonly id: string }> {
  /** Body key and URL segment: `networks`, `security_groups` (URL `security-groups`). */
  readonly collection: string;
  readonly urlPath: string;
  readonly rows: Iterable<T>;
  /** What the caller may see (owner, shared, admin...). */
  readonly visible: (r: T) => boolean;
  readonly fields: FieldSet<T>;
  /** The 404 for an unknown `marker` (`Network x could not be found.`). */
  readonly notFound: (id: string) => SimHttpError;
  readonly exists: (id: string) => boolean;
  /** Tags of a record (modern tag filters). */
  readonly tagsOf?: (r: T) => readonly string[];
  readonly ctx?: RenderContext;
  /** The collection was made with `allow_pagination=False` (rbac-policies): limit and marker are ignored. */
  readonly unpaged?: boolean;
}

/**
 * A Neutron list: attribute filters (any attribute; repeated keys are OR), tag filters
 * (modern), `fields=`, and pagination. Legacy profiles (allow_pagination False) ignore limit
 * and marker and send everything; modern ones page by id with `<collection>_links` (`next`
 * when the page is full, `previous` always, as Zed does). Unknown filters are a 400 on modern
 * (filter-validation) and ignored on legacy.
 */
export function listReply<T extends { readonly id: string }>(c: NeutronCall, spec: ListSpec<T>): SimReply {
  const ctx = spec.ctx ?? renderContext(c.store, c.profile, c.isAdmin, c.projectId);
  const getters = new Map(spec.fields.map(([n, g]) => [n, g]));
  const q = c.req.query;
  const filters: Array<[(r: T, ctx: RenderContext) => unknown, string[]]> = [];
  const unknown: string[] = [];
  for (const key of new Set(q.keys())) {
    if (CONTROL.has(key)) continue;
    const get = getters.get(key);
    if (!get) {
      unknown.push(key);
      continue;
    }
    filters.push([get, q.getAll(key)]);
  }
  if (unknown.length > 0 && c.profile.neutronModernApi) throw badRequest(`[${unknown.map((k) => `'${k}'`).join(', ')}] is invalid attribute for filtering`);
  const tagFilter = c.profile.neutronModernApi && spec.tagsOf ? tagMatcher(q, spec.tagsOf) : undefined;
  const keep = (r: T) => spec.visible(r) && filters.every(([get, values]) => values.some((v) => matches(get(r, ctx), v))) && (!tagFilter || tagFilter(r));

  const paging = c.profile.neutronPagination && !spec.unpaged ? limitOf(q) : undefined;
  const only = fieldsOf(q);
  const body: Record<string, unknown> = {};
  if (paging?.limit) {
    const marker = q.get('marker') || undefined;
    if (marker !== undefined && !spec.exists(marker)) throw spec.notFound(marker);
    const page = pageAfter(spec.rows, keep, marker, paging.limit);
    body[spec.collection] = page.map((r) => render(spec.fields, r, ctx, only));
    const base = `${c.req.baseUrl}${spec.urlPath}`;
    const links: Array<{ rel: string; href: string }> = [];
    if (page.length >= paging.limit) links.push({ rel: 'next', href: href(base, q, page[page.length - 1]?.id, false) });
    links.push({ rel: 'previous', href: href(base, q, page[0]?.id, true) });
    body[`${spec.collection}_links`] = links;
    return json(200, body);
  }
  body[spec.collection] = sortedById(spec.rows, keep).map((r) => render(spec.fields, r, ctx, only));
  return json(200, body);
}

/** `limit` as Neutron parses it (0 = no limit); a bad one is a 400. */
function limitOf(q: URLSearchParams): { readonly limit: number } | undefined {
  const raw = q.get('limit');
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`Bad limit request: Limit must be an integer 0 or greater and not '${raw}'.`, 'BadRequest');
  return { limit: Number(raw) };
}

/**
 * `fields=` as Neutron reads it (every release: `api_common.list_args`, pecan's `_set_fields`):
 * one attribute name per parameter, repeated for more; empty values dropped; a comma is part of
 * the name (`fields=id,name` names no attribute: the items come back empty); names the
 * resource lacks are ignored. Attributes Neutron adds for its policy checks are stripped again,
 * so an item has exactly the named attributes it has.
 */
function fieldsOf(q: URLSearchParams): ReadonlySet<string> | undefined {
  const f = q.getAll('fields').filter((v) => v !== '');
  return f.length > 0 ? new Set(f) : undefined;
}

function href(base: string, q: URLSearchParams, marker: string | undefined, previous: boolean): string {
  const p = new URLSearchParams(q);
  p.delete('page_reverse');
  if (marker !== undefined) p.set('marker', marker);
  else p.delete('marker');
  if (previous) p.set('page_reverse', 'True');
  return `${base}?${p.toString()}`;
}

/** A filter value against an attribute: booleans, numbers, lists (membership), fixed_ips (`ip_address=x`). */
function matches(value: unknown, wanted: string): boolean {
  if (value === null || value === undefined) return wanted === '' || wanted === 'None';
  if (typeof value === 'boolean') return value === ['true', '1'].includes(wanted.toLowerCase());
  if (typeof value === 'number') return value === Number(wanted);
  if (typeof value === 'string') return value === wanted;
  if (Array.isArray(value)) {
    const eq = wanted.indexOf('=');
    if (eq > 0) {
      const [k, v] = [wanted.slice(0, eq), wanted.slice(eq + 1)];
      return value.some((item) => typeof item === 'object' && item !== null && (item as Record<string, unknown>)[k] === v);
    }
    return value.some((item) => item === wanted);
  }
  return false;
}

function tagMatcher<T>(q: URLSearchParams, tagsOf: (r: T) => readonly string[]): ((r: T) => boolean) | undefined {
  const split = (k: string) => q.getAll(k).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const all = split('tags');
  const any = split('tags-any');
  const notAll = split('not-tags');
  const notAny = split('not-tags-any');
  if (all.length + any.length + notAll.length + notAny.length === 0) return undefined;
  return (r) => {
    const t = tagsOf(r);
    if (all.length && !all.every((x) => t.includes(x))) return false;
    if (any.length && !any.some((x) => t.includes(x))) return false;
    if (notAll.length && notAll.every((x) => t.includes(x))) return false;
    if (notAny.length && notAny.some((x) => t.includes(x))) return false;
    return true;
  };
}
