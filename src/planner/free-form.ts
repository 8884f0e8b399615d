import type { AttributeValue, Attributes } from '../plan/index.js';
import { secretProblems } from '../plan/secret-scan.js';

/**
 * A free-form map copied from the source (server or volume metadata, image properties,
 * flavor extra specs) as plan attributes. Users put anything there, `admin_pass` included:
 * an entry whose key or value looks secret is replaced by a `$secret` reference
 * (`<service>/<collection>/<owner id>:<key>/value`, both percent-encoded) that apply reads
 * from the source at run time, so the plan never holds it and stays writable.
 */
export function freeForm(
  map: Readonly<Record<string, string>>,
  service: string,
  collection: string,
  ownerId: string,
): Attributes {
  // Most servers and volumes have no metadata: they share one frozen empty map.
  if (isEmpty(map)) return NOTHING;
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(map)) {
    out[k] = secretProblems({ [k]: v }).length === 0 ? v : { $secret: `${service}/${collection}/${enc(ownerId)}:${enc(k)}/value` };
  }
  return out;
}

const NOTHING: Attributes = Object.freeze({});

function isEmpty(map: object): boolean {
  for (const _ in map) return false;
  return true;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
