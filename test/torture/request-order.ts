// The order of a client's calls in a simulator's request log: was a create that may have
// taken effect sent again without looking first?
import type { SimLoggedRequest } from '../../src/sim/index.js';

/**
 * What a request is about: its path with the project id of a legacy URL replaced
 * (`/compute/v2/*\/servers`) and a trailing `detail` or `action` dropped. A POST creating a
 * server and a GET listing servers share one key; an action on one server and a GET of that
 * server share another, under the first.
 */
export function resourceOf(path: string): string {
  const parts = path.split('/').filter(Boolean);
  const out = parts.map((p, i) => (i > 0 && /^v\d/.test(parts[i - 1]!) && /^[0-9a-f]{32}$/.test(p) ? '*' : p));
  if (out.at(-1) === 'detail' || out.at(-1) === 'action') out.pop();
  return out.join('/');
}

/**
 * Objects read through another resource: Neutron and nova-network show a group's rules in
 * the group (`GET security-groups/{id}`), which is how the rule kind looks a rule up.
 */
const READ_THROUGH: readonly (readonly [string, string])[] = [
  ['security-group-rules', 'security-groups'],
  ['os-security-group-rules', 'os-security-groups'],
];

/**
 * Whether GET `read` looks up what a POST to `made` makes: a list of it (or of the collection
 * holding the object an action was on), or a read of the resource it is read through.
 */
function looksUp(read: string, made: string): boolean {
  if (read === made || made.startsWith(`${read}/`)) return true;
  return READ_THROUGH.some(([m, r]) => made.endsWith(`/${m}`) && (read === `${made.slice(0, -m.length)}${r}` || read.startsWith(`${made.slice(0, -m.length)}${r}/`)));
}

/** Logins are not creates of anything the migration owns: sending one again is harmless. */
export const isLogin = (r: SimLoggedRequest) => /\/(auth\/)?tokens$/.test(r.path);
/** Failures after which the cloud may have acted: 5xx, or no answer (connection reset). */
export const ambiguous = (r: SimLoggedRequest) => r.status === 0 || r.status >= 500;

/**
 * Every POST sent again after an ambiguous failure of a POST to the same resource without a
 * GET (list or show) of that resource in between, as `cloud: POST path`.
 */
export function blindRetries(cloud: string, log: readonly SimLoggedRequest[]): string[] {
  const out: string[] = [];
  const waiting = new Map<string, SimLoggedRequest>(); // resource -> its failed POST
  for (const r of log) {
    if (isLogin(r)) continue;
    const key = resourceOf(r.path);
    if (r.method === 'GET' || r.method === 'HEAD') {
      // A lookup of that kind of object (or, for an action on one object, of that object).
      for (const k of [...waiting.keys()]) if (looksUp(key, k)) waiting.delete(k);
      continue;
    }
    if (r.method !== 'POST') continue;
    if (waiting.has(key)) out.push(`${cloud}: POST ${r.path} (after ${waiting.get(key)!.status || 'a reset'})`);
    waiting.delete(key);
    if (ambiguous(r)) waiting.set(key, r);
  }
  return out;
}

