import { PumphouseError } from '../errors/index.js';
import type { HashAlgorithm, PasswordHash } from './password-hash.js';

/**
 * A Keystone release, reduced to what hash compatibility needs: an ordinal that grows with
 * every release. From Liberty on it is keystone's own major version (Liberty 8.0.0 ...
 * Zed 22.0.0, 2025.1 Epoxy 27.0.0); Havana..Kilo, which were versioned by date, get 4..7.
 */
export interface KeystoneRelease {
  /** Series name in lower case (`zed`, `epoxy`); absent for versions past the known table. */
  readonly name: string | undefined;
  readonly major: number;
}

// [name, ordinal, date version]. Date versions: keystone's own for Havana..Kilo, the
// coordinated release ids from 2023.1 on.
const SERIES: ReadonlyArray<readonly [string, number, string | undefined]> = [
  ['havana', 4, '2013.2'], ['icehouse', 5, '2014.1'], ['juno', 6, '2014.2'], ['kilo', 7, '2015.1'],
  ['liberty', 8, undefined], ['mitaka', 9, undefined], ['newton', 10, undefined], ['ocata', 11, undefined],
  ['pike', 12, undefined], ['queens', 13, undefined], ['rocky', 14, undefined], ['stein', 15, undefined],
  ['train', 16, undefined], ['ussuri', 17, undefined], ['victoria', 18, undefined], ['wallaby', 19, undefined],
  ['xena', 20, undefined], ['yoga', 21, undefined], ['zed', 22, undefined], ['antelope', 23, '2023.1'],
  ['bobcat', 24, '2023.2'], ['caracal', 25, '2024.1'], ['dalmatian', 26, '2024.2'], ['epoxy', 27, '2025.1'],
  ['flamingo', 28, '2025.2'], ['gazpacho', 29, '2026.1'],
];

function byMajor(major: number): KeystoneRelease {
  return { name: SERIES.find(([, m]) => m === major)?.[0], major };
}

/**
 * Reads a release as an operator writes it: a series name (`Zed`, `epoxy`), a coordinated
 * release id (`2024.2`), keystone's package version (`22.0.0`, `27.0.1`, `2014.1.3`), or a
 * bare major (`27`). Throws PH_CONFIG_INVALID for anything else.
 */
export function parseKeystoneRelease(text: string): KeystoneRelease {
  const t = text.trim().toLowerCase();
  const named = SERIES.find(([name]) => name === t);
  if (named) return { name: named[0], major: named[1] };
  const dated = /^(20\d\d)\.([12])(?:\.\d+)*$/.exec(t);
  if (dated) {
    const year = Number(dated[1]);
    const half = Number(dated[2]);
    const known = SERIES.find(([, , date]) => date === `${year}.${half}`);
    if (known) return { name: known[0], major: known[1] };
    // Coordinated releases after the table keep the two-a-year rhythm: 2023.1 was 23.
    if (year >= 2023) return byMajor(23 + (year - 2023) * 2 + (half - 1));
  }
  const semver = /^(\d+)(?:\.\d+){0,2}$/.exec(t);
  if (semver) {
    const major = Number(semver[1]);
    if (major >= 8 && major < 100) return byMajor(major);
  }
  throw new PumphouseError(
    'PH_CONFIG_INVALID',
    `"${text}" is not a Keystone release: give a series name (zed, epoxy), a release id (2024.2) or a keystone version (22.0.0)`,
    { details: { release: text } },
  );
}

// sha512_crypt: the only hasher before Pike, dropped by keystone 27.0.0 ("Drop the
// sha512_crypt module", 4a4137d5f). bcrypt, scrypt and pbkdf2_sha512 arrived with Pike's
// password_hashing module; bcrypt_sha256 with 25.0.0 ("Add support for bcrypt_sha256
// hasher", 9b0b414e3).
const SUPPORT: Readonly<Record<Exclude<HashAlgorithm, 'unknown'>, { readonly from: number; readonly until?: number }>> = {
  sha512_crypt: { from: 0, until: 26 },
  bcrypt: { from: 12 },
  scrypt: { from: 12 },
  pbkdf2_sha512: { from: 12 },
  bcrypt_sha256: { from: 25 },
};

/**
 * Whether a Keystone of `release` can verify a copied hash, i.e. whether the user will be
 * able to log in with the old password after the copy. False for `unknown` hashes. The
 * planner warns (and offers a reset) when this is false.
 */
export function hashVerifiable(hash: PasswordHash | HashAlgorithm, release: KeystoneRelease | string): boolean {
  const algorithm = typeof hash === 'string' ? hash : hash.algorithm;
  if (algorithm === 'unknown') return false;
  const { major } = typeof release === 'string' ? parseKeystoneRelease(release) : release;
  const range = SUPPORT[algorithm];
  return major >= range.from && (range.until === undefined || major <= range.until);
}
