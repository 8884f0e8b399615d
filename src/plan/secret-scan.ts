import { isSecretKey, type Problem } from '../errors/index.js';

// Keys that look secret by name but hold public facts (image multihash, expiry dates).
const PUBLIC_KEY = /(_at|_algo|_algorithm)$|^os_hash_value$|^checksum$/;

// Values that are secrets whatever key holds them.
const SECRET_VALUES: readonly (readonly [RegExp, string])[] = [
  [/^\$(1|2[abxy]?|5|6|pbkdf2[\w-]*|scrypt|argon2\w*)\$/, 'a password hash'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i, 'a URL with a password'],
  [/^gAAAAA[\w-]{40,}/, 'a Keystone (fernet) token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
];

/**
 * Defence in depth for "secrets never reach a plan": reports every place in `value` where a
 * secret-looking key (password, token, hash, ...) holds a string instead of a
 * `{"$secret": ...}` reference, and every string that looks like a password hash, a token, a
 * private key or a URL with a password. Problems name the field, never the value.
 */
export function secretProblems(value: unknown, file?: string): Problem[] {
  const out: Problem[] = [];
  walk(value, '', (path, key, v) => {
    if (typeof v !== 'string' || v === '') return;
    const at = { ...(file ? { file } : {}), field: path };
    if (key !== undefined && isSecretKey(key) && !PUBLIC_KEY.test(key)) {
      out.push({ message: `${path} holds a value under a secret-looking key; a plan may only hold a {"$secret": ...} reference there`, location: at });
      return;
    }
    for (const [pattern, what] of SECRET_VALUES) {
      if (pattern.test(v)) {
        out.push({ message: `${path} looks like ${what}; a plan may only hold a {"$secret": ...} reference`, location: at });
        return;
      }
    }
  });
  return out;
}

function walk(v: unknown, path: string, visit: (path: string, key: string | undefined, v: unknown) => void, key?: string): void {
  visit(path || '/', key, v);
  if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}/${i}`, visit));
  else if (typeof v === 'object' && v !== null) {
    for (const [k, item] of Object.entries(v)) {
      // `$secret` holds the reference path itself, which names the secret but is not one.
      if (k === '$secret') continue;
      walk(item, `${path}/${escapePointer(k)}`, visit, k);
    }
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
