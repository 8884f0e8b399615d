import type { SimRandom } from '../random.js';
import { bcryptHash, verifyBcrypt } from './bcrypt.js';
import { sha512Crypt, verifySha512Crypt } from '../../identity-db/sha512-crypt.js';

export type HashScheme = 'sha512_crypt' | 'bcrypt';

/**
 * `keystone`: the cost the release used (sha512_crypt 40000 rounds, bcrypt cost 12: ~60 ms and
 * ~300 ms a hash here); `fast`: the minimum each scheme allows (1000 rounds, cost 4), still
 * verifiable by a real Keystone. Tests and big generated clouds use `fast`.
 */
export type HashCost = 'keystone' | 'fast';

const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Hashes `password` the way the release's Keystone stores it. Salts come from `rng` (repeatable). */
export function hashPassword(scheme: HashScheme, password: string, rng: SimRandom, cost: HashCost = 'keystone'): string {
  if (scheme === 'sha512_crypt') return sha512Crypt(password, rng.string(16, SALT_CHARS), cost === 'fast' ? 1000 : 40000);
  return bcryptHash(password, rng.bytes(16), cost === 'fast' ? 4 : 12);
}

/** Verifies against any hash Keystone up to 2024.2 accepts that we know (`$6$`, `$2?$`). */
export function verifyPasswordHash(password: string, hash: string): boolean {
  if (hash.startsWith('$6$')) return verifySha512Crypt(password, hash);
  if (/^\$2[aby]\$/.test(hash)) return verifyBcrypt(password, hash);
  return false;
}
