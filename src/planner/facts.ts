import type { Attributes, JsonScalar, Precondition } from '../plan/index.js';

/** The source object still exists (for facts with no field worth pinning). */
export function sourcePresent(service: string, collection: string, id: string): Precondition {
  return { cloud: 'source', ref: idRef(service, collection, id), must: 'present' };
}

/**
 * Preconditions in the plan's ref grammar (`<service>/<collection>/<id>` or
 * `<service>/<collection>?<key>=<value>`). Field names are the Inventory's (normalized)
 * names, so apply compares them against a fresh discovery record of the same object.
 */
export function sourceMatch(
  service: string,
  collection: string,
  id: string,
  fields: { readonly [field: string]: JsonScalar },
): Precondition {
  return { cloud: 'source', ref: idRef(service, collection, id), must: 'match', fields };
}

/** Nothing in the destination has `key` = `value` (e.g. the name a create will take). */
export function destinationAbsent(service: string, collection: string, key: string, value: string): Precondition {
  return { cloud: 'destination', ref: [prefix(service, collection, key), enc(value)].join(''), must: 'absent' };
}

/** The object exists in the destination (what an adoption relies on). */
export function destinationPresent(service: string, collection: string, id: string): Precondition {
  return { cloud: 'destination', ref: idRef(service, collection, id), must: 'present' };
}

/** `service/collection/id` as one flat string (a template would keep a tree of pieces in every ref). */
function idRef(service: string, collection: string, id: string): string {
  return [prefix(service, collection, null), enc(id)].join('');
}

// `service/collection/` and `service/collection?key=`: a handful per plan, each made once
// (nested maps: no key string per lookup).
const PREFIXES = new Map<string, Map<string, Map<string | null, string>>>();

function prefix(service: string, collection: string, key: string | null): string {
  let byCollection = PREFIXES.get(service);
  if (!byCollection) {
    byCollection = new Map();
    PREFIXES.set(service, byCollection);
  }
  let byKey = byCollection.get(collection);
  if (!byKey) {
    byKey = new Map();
    byCollection.set(collection, byKey);
  }
  let p = byKey.get(key);
  if (p === undefined) {
    p = key === null ? `${service}/${collection}/` : `${service}/${collection}?${key}=`;
    byKey.set(key, p);
  }
  return p;
}

/** Ids and values go in refs percent-encoded so that the ref holds no whitespace. */
function enc(value: string): string {
  // Most ids need no escape: skip making a copy of each (several refs per action).
  return UNRESERVED.test(value) ? value : encodeURIComponent(value);
}

// What encodeURIComponent leaves as it is.
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** A record's own fields as `before` attributes, dropping undefined values. */
export function observed(fields: { readonly [key: string]: JsonScalar | readonly JsonScalar[] | undefined }): Attributes {
  const out: Record<string, JsonScalar | readonly JsonScalar[]> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}
