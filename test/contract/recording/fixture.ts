import type { Exchange } from './recording-proxy.js';
import { mergeShapes, shapeOf, type Shape } from './shape.js';
import { templatePath, templateQuery, templateUrl, templateValue, type Volatile } from './templates.js';

/** What one endpoint answered with one status, over every call the suite made. */
export interface Observed {
  readonly request: {
    /** Distinct query strings (`all_tenants=1&host={name}`), sorted; [] when none had one. */
    readonly queries: readonly string[];
    readonly headers: Readonly<Record<string, readonly string[]>>;
    readonly body?: Shape;
  };
  readonly response: {
    readonly headers: Readonly<Record<string, readonly string[]>>;
    /** JSON shape, or `{"$text": "<first line>"}`, or `{"$binary": "bytes"}`; absent when empty. */
    readonly body?: Shape;
  };
}

/** One service's recordings: `METHOD /path/{id}` -> status -> what was observed. */
export interface ServiceFixture {
  readonly service: string;
  readonly endpoints: Readonly<Record<string, Readonly<Record<string, Observed>>>>;
}

/** Header values worth keeping; the rest is transport detail or volatile. */
const RESPONSE_HEADERS = ['content-type', 'x-openstack-request-id', 'x-compute-request-id', 'x-subject-token', 'location', 'retry-after', 'www-authenticate', 'content-md5', 'openstack-api-version', 'x-openstack-nova-api-version'];
const REQUEST_HEADERS = ['content-type', 'accept', 'openstack-api-version', 'x-openstack-nova-api-version', 'x-auth-token'];
/** Only whether they were there: their values are secrets or data. */
const PRESENCE_ONLY = new Set(['x-subject-token', 'x-auth-token', 'content-md5']);
export const ABSENT = '(absent)';
export const PRESENT = '(present)';

function headerValue(name: string, value: string, v: Volatile): string {
  if (PRESENCE_ONLY.has(name)) return PRESENT;
  if (name === 'location') return templateUrl(value, v);
  if (name === 'www-authenticate') return value.replace(/https?:\/\/[^/"']+/g, '{endpoint}');
  if (name === 'retry-after') return /^\d+$/.test(value) ? '{seconds}' : '{http-date}';
  return templateValue(value, v);
}

function headerSets(all: readonly Readonly<Record<string, string>>[], names: readonly string[], v: Volatile): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const seen = new Set(all.map((h) => (h[name] === undefined ? ABSENT : headerValue(name, h[name] as string, v))));
    if (seen.size === 1 && seen.has(ABSENT)) continue;
    out[name] = [...seen].sort();
  }
  return out;
}

function bodyShape(e: Exchange, v: Volatile): Shape | undefined {
  const keys = (k: string) => templateValue(k, v);
  if (e.responseJson !== undefined) return shapeOf(e.responseJson, keys);
  if (e.responseText !== undefined) {
    const title = /<title>([^<]*)<\/title>/i.exec(e.responseText)?.[1];
    const first = (title ?? e.responseText.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();
    return { $text: first.split(/\s+/).map((w) => templateValue(w, v)).join(' ') };
  }
  return e.responseBytes > 0 ? { $binary: 'bytes' } : undefined;
}

/**
 * `#<action>` for the action endpoints (`POST .../action` with `{"os-stop": null}`): each
 * action is its own operation with its own statuses and bodies.
 */
function actionOf(e: Exchange): string {
  if (!/\/action\/?$/.test(new URL(e.url, 'http://x').pathname)) return '';
  const body = e.requestJson;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return '';
  const keys = Object.keys(body);
  return keys.length === 1 ? `#${keys[0]}` : '';
}

/**
 * ` fields=` for a list asked with `fields=` (Neutron answers only the named attributes): its
 * answers are their own operation, or every attribute the full list always sends would look
 * optional in a recording that holds both.
 */
function fieldsOf(u: URL): string {
  return u.searchParams.has('fields') ? ' fields=' : '';
}

function merged(a: Shape | undefined, b: Shape | undefined): Shape | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return mergeShapes(a, b);
}

/**
 * Folds the exchanges into one fixture per service. `serviceOf` names the service of an
 * upstream origin (from the catalog); exchanges of unknown origins are left out.
 */
export function buildFixtures(exchanges: readonly Exchange[], serviceOf: (upstream: string) => string | undefined, v: Volatile): ServiceFixture[] {
  const groups = new Map<string, Map<string, Map<string, Exchange[]>>>();
  for (const e of exchanges) {
    const service = serviceOf(e.upstream);
    if (!service) continue;
    const u = new URL(e.url, 'http://x');
    const key = `${e.method} ${templatePath(u.pathname.replace(/\/+$/, '') || '/', v)}${actionOf(e)}${fieldsOf(u)}`;
    const byKey = groups.get(service) ?? new Map<string, Map<string, Exchange[]>>();
    groups.set(service, byKey);
    const byStatus = byKey.get(key) ?? new Map<string, Exchange[]>();
    byKey.set(key, byStatus);
    const list = byStatus.get(String(e.status)) ?? [];
    byStatus.set(String(e.status), list);
    list.push(e);
  }
  const fixtures: ServiceFixture[] = [];
  for (const [service, byKey] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const endpoints: Record<string, Record<string, Observed>> = {};
    for (const [key, byStatus] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
      const statuses: Record<string, Observed> = {};
      for (const [status, list] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
        let reqBody: Shape | undefined;
        let resBody: Shape | undefined;
        const queries = new Set<string>();
        for (const e of list) {
          reqBody = merged(reqBody, e.requestJson !== undefined ? shapeOf(e.requestJson, (k) => templateValue(k, v)) : undefined);
          resBody = merged(resBody, bodyShape(e, v));
          const q = templateQuery(new URL(e.url, 'http://x').searchParams, v);
          if (q.length) queries.add(q.join('&'));
        }
        statuses[status] = {
          request: {
            queries: [...queries].sort(),
            headers: headerSets(list.map((e) => e.requestHeaders), REQUEST_HEADERS, v),
            ...(reqBody !== undefined ? { body: reqBody } : {}),
          },
          response: {
            headers: headerSets(list.map((e) => e.responseHeaders), RESPONSE_HEADERS, v),
            ...(resBody !== undefined ? { body: resBody } : {}),
          },
        };
      }
      endpoints[key] = statuses;
    }
    fixtures.push({ service, endpoints });
  }
  return fixtures;
}
