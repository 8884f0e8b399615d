import { inspect } from 'node:util';

/**
 * Hashers Keystone has used. The ident prefixes are those of passlib (Havana..2024.1) and of
 * keystone's own `password_hashers` (2024.2+), which keep passlib's string formats.
 */
export type HashAlgorithm = 'sha512_crypt' | 'bcrypt' | 'bcrypt_sha256' | 'scrypt' | 'pbkdf2_sha512' | 'unknown';

const IDENTS: ReadonlyArray<readonly [string, HashAlgorithm]> = [
  ['$6$', 'sha512_crypt'],
  ['$2$', 'bcrypt'],
  ['$2a$', 'bcrypt'],
  ['$2b$', 'bcrypt'],
  ['$2x$', 'bcrypt'],
  ['$2y$', 'bcrypt'],
  ['$bcrypt-sha256$', 'bcrypt_sha256'],
  ['$scrypt$', 'scrypt'],
  ['$pbkdf2-sha512$', 'pbkdf2_sha512'],
];

/** Names the hasher of a stored Keystone hash from its `$ident$` prefix; `unknown` otherwise. */
export function detectHashAlgorithm(value: string): HashAlgorithm {
  // Keystone itself looks the hasher up by the text up to the second '$'.
  const end = value.indexOf('$', 1);
  if (!value.startsWith('$') || end < 0) return 'unknown';
  const ident = value.slice(0, end + 1);
  return IDENTS.find(([prefix]) => prefix === ident)?.[1] ?? 'unknown';
}

/**
 * A password hash read from or written to a Keystone database. The value lives only in
 * memory: `JSON.stringify`, `util.inspect` (hence console.log and test diffs), template
 * strings and object spreads never show it. Read it deliberately through `.value`.
 */
export class PasswordHash {
  readonly algorithm: HashAlgorithm;
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    this.algorithm = detectHashAlgorithm(value);
  }

  /** The hash itself, as Keystone stores it. Never log it. */
  get value(): string {
    return this.#value;
  }

  /** Length in characters: safe to show, and what column limits are about. */
  get length(): number {
    return this.#value.length;
  }

  /** True when both hold the same hash string (constant work is not needed: both are hashes). */
  equals(other: PasswordHash | string): boolean {
    return this.#value === (typeof other === 'string' ? other : other.#value);
  }

  toJSON(): { readonly algorithm: HashAlgorithm; readonly value: '***' } {
    return { algorithm: this.algorithm, value: '***' };
  }

  toString(): string {
    return `[PasswordHash ${this.algorithm}]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
