import { PumphouseError } from '../../errors/index.js';
import type { JsonScalar } from '../../plan/index.js';
import type { Facts } from '../contract.js';

/** A precondition ref taken apart: `<service>/<collection>/<id>` or `<service>/<collection>?<key>=<value>`. */
export type ParsedRef =
  | { readonly form: 'path'; readonly service: string; readonly collection: string; readonly id: string }
  | { readonly form: 'lookup'; readonly service: string; readonly collection: string; readonly key: string; readonly value: string };

/**
 * Parses the plan's ref grammar (plan/types.ts). Ids and values are percent-encoded by the
 * planner, so composite ids (`user/role/project`) stay one segment. A ref outside the grammar
 * is a planner bug: PH_INTERNAL.
 */
export function parseRef(ref: string): ParsedRef {
  const q = ref.indexOf('?');
  if (q >= 0) {
    const [service, collection, ...rest] = ref.slice(0, q).split('/');
    const query = ref.slice(q + 1);
    const eq = query.indexOf('=');
    if (service && collection && rest.length === 0 && eq > 0) {
      return { form: 'lookup', service, collection, key: decode(query.slice(0, eq), ref), value: decode(query.slice(eq + 1), ref) };
    }
  } else {
    const parts = ref.split('/');
    if (parts.length === 3 && parts.every((p) => p !== '')) {
      return { form: 'path', service: parts[0]!, collection: parts[1]!, id: decode(parts[2]!, ref) };
    }
  }
  throw badRef(ref, 'is not <service>/<collection>/<id> or <service>/<collection>?<key>=<value>');
}

function decode(s: string, ref: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRef(ref, 'has a malformed percent-encoding');
  }
}

export function badRef(ref: string, why: string): PumphouseError {
  return new PumphouseError('PH_INTERNAL', `precondition ref '${ref}' ${why}`, { source: 'internal', details: { ref } });
}

/** Facts from a record: undefined members dropped, lists of scalars joined with commas. */
export function facts(fields: { readonly [k: string]: JsonScalar | undefined | readonly string[] }): Facts {
  const out: Record<string, JsonScalar> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(',') : (v as JsonScalar);
  }
  return out;
}

/** The first of several matches by id (the reader's contract for lookups). */
export function firstById<T extends { readonly id: string }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

/** Runs a read, mapping "not found" to null. */
export async function orNull<T>(read: () => Promise<T | undefined>): Promise<T | null> {
  try {
    return (await read()) ?? null;
  } catch (err) {
    if (typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 404) return null;
    throw err;
  }
}
