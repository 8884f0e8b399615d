import { isSecretKey, type Problem } from '../errors/index.js';

// Keys that look secret by name but hold public facts (image multihash, expiry dates).
const PUBLIC_KEY = /(_at|_algo|_algorithm)$|^os_hash_value$|^checksum$/;

// Values that are secrets whatever key holds them (tried in this order: the first names the find).
const HASH = /^\$(1|2[abxy]?|5|6|pbkdf2[\w-]*|scrypt|argon2\w*)\$/;
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i;
const FERNET = /^gAAAAA[\w-]{40,}/;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Defence in depth for "secrets never reach a plan": reports every place in `value` where a
 * secret-looking key (password, token, hash, ...) holds a string instead of a
 * `{"$secret": ...}` reference, and every string that looks like a password hash, a token, a
 * private key or a URL with a password. Problems name the field, never the value.
 *
 * Visits every string of a plan (tens of millions in a 600,000-action plan), so: a first walk
 * keeps no path and stops at the first find (a plan holding a secret is rare, and is then
 * walked again for the fields), key verdicts are cached, and each value pattern is tried only
 * on strings holding the text it cannot match without.
 */
export function secretProblems(value: unknown, file?: string, at: readonly (string | number)[] = []): Problem[] {
  if (!holdsSecret(value, undefined)) return [];
  const out: Problem[] = [];
  // Fields are named from `at` (where `value` sits in the plan).
  const path: (string | number)[] = [...at];
  const visit = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'string') {
      const problem = secretString(key, v);
      if (problem) out.push(secretProblem(path, problem, file));
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i], undefined);
        path.pop();
      }
      return;
    }
    const record = v as Record<string, unknown>;
    // In the canonical text's order (sorted keys), as the writer's scan reports them.
    const keys = Object.keys(record);
    if (!sorted(keys)) keys.sort();
    for (const k of keys) {
      // `$secret` holds the reference path itself, which names the secret but is not one.
      if (k === '$secret') continue;
      path.push(k);
      visit(record[k], k);
      path.pop();
    }
  };
  visit(value, undefined);
  return out;
}

/**
 * Whether secretProblems(value) would report anything: the same walk without a path, stopping
 * at the first find (the plan reader asks it of each action as it is parsed).
 */
export function hasSecret(value: unknown): boolean {
  return holdsSecret(value, undefined);
}

/** Whether secretProblems would find anything in `v` (held under `key`): no path kept, no order. */
function holdsSecret(v: unknown, key: string | undefined): boolean {
  if (typeof v === 'string') return secretString(key, v) !== null;
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'string') {
        if (x !== '' && secretValue(x) !== null) return true;
      } else if (typeof x === 'object' && x !== null && holdsSecret(x, undefined)) return true;
    }
    return false;
  }
  const record = v as Record<string, unknown>;
  // for-in needs no array of keys (plans are plain objects: nothing enumerable is inherited).
  for (const k in record) {
    if (k === '$secret' || !Object.hasOwn(record, k)) continue;
    const x = record[k];
    // Strings (most members) are answered here, without a call of their own.
    if (typeof x === 'string') {
      if (x !== '' && (secretKey(k) || secretValue(x) !== null)) return true;
    } else if (typeof x === 'object' && x !== null && holdsSecret(x, k)) return true;
  }
  return false;
}

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/** What is wrong with string `v` held under `key` (undefined for an array item), or null. */
export type SecretVerdict = { readonly underKey: true } | { readonly looksLike: string };

/**
 * The secret scan's verdict on one string: held under a secret-looking key, or looking like a
 * secret whatever its key; null when neither. (The plan writer asks this of every string it
 * writes, so the scan costs no walk of its own; secretProblems() walks for everyone else.)
 */
export function secretString(key: string | undefined, v: string): SecretVerdict | null {
  if (v === '') return null;
  if (key !== undefined && secretKey(key)) return UNDER_KEY;
  const what = secretValue(v);
  return what === null ? null : { looksLike: what };
}

const UNDER_KEY: SecretVerdict = { underKey: true };

/** The problem for a verdict at `path` (the field named, never the value). */
export function secretProblem(path: readonly (string | number)[], verdict: SecretVerdict, file?: string): Problem {
  const field = pointer(path);
  const message =
    'underKey' in verdict
      ? `${field} holds a value under a secret-looking key; a plan may only hold a {"$secret": ...} reference there`
      : `${field} looks like ${verdict.looksLike}; a plan may only hold a {"$secret": ...} reference`;
  return { message, location: { ...(file ? { file } : {}), field } };
}

// Keys repeat across hundreds of thousands of actions: one verdict per key (bounded: free-form
// metadata brings arbitrary keys).
const KEY_VERDICTS = new Map<string, boolean>();

function secretKey(key: string): boolean {
  let verdict = KEY_VERDICTS.get(key);
  if (verdict === undefined) {
    verdict = isSecretKey(key) && !PUBLIC_KEY.test(key);
    if (KEY_VERDICTS.size < 4096) KEY_VERDICTS.set(key, verdict);
  }
  return verdict;
}

/** What a secret-looking value looks like (SECRET_VALUES' wording), or null. */
function secretValue(v: string): string | null {
  // Each pattern is tried only on strings holding text every match of it contains, and long
  // enough for a match: most strings (ids, names, short words) are answered by their length
  // and first character.
  const c = v.charCodeAt(0);
  if (c === 36 && HASH.test(v)) return 'a password hash';
  if (v.length < 8) return null;
  if (v.includes('://') && v.includes('@') && URL_WITH_PASSWORD.test(v)) return 'a URL with a password';
  if (v.length < 27) return null;
  if (c === 103 && v.length >= 46 && FERNET.test(v)) return 'a Keystone (fernet) token';
  if (v.includes('-----BEGIN ') && PRIVATE_KEY.test(v)) return 'a private key';
  return null;
}

/** JSON pointer of a path (`/` for the root). */
function pointer(path: readonly (string | number)[]): string {
  if (path.length === 0) return '/';
  let out = '';
  for (const p of path) out += `/${typeof p === 'number' ? p : escapePointer(p)}`;
  return out;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
