import type { CloudCapabilities } from '../inventory/index.js';

// OpenStack release names in order; index i is the (i+1)-th release from Austin. Only the
// ones from Havana on matter; the list is complete so the index arithmetic stays simple.
const NAMES = [
  'austin', 'bexar', 'cactus', 'diablo', 'essex', 'folsom', 'grizzly', 'havana', 'icehouse',
  'juno', 'kilo', 'liberty', 'mitaka', 'newton', 'ocata', 'pike', 'queens', 'rocky', 'stein',
  'train', 'ussuri', 'victoria', 'wallaby', 'xena', 'yoga', 'zed', 'antelope', 'bobcat',
  'caracal', 'dalmatian', 'epoxy', 'flamingo', 'gazpacho',
];
const ANTELOPE = NAMES.indexOf('antelope');

/**
 * A release as a comparable number: 2023.1 (antelope) = 2023.1, names before it count down
 * from there by half-years (zed = 2022.2, havana = 2013.2). Accepts a name, `YYYY.N`, or a
 * Keystone package version (`26.0.0` = 2024.2: Keystone 23 was antelope). null if unknown.
 */
export function releaseNumber(release: string | undefined): number | null {
  if (!release) return null;
  const r = release.trim().toLowerCase();
  const i = NAMES.indexOf(r);
  if (i >= 0) return halfYears(2023 * 2 + (i - ANTELOPE));
  const year = /^(20\d\d)\.([12])$/.exec(r);
  if (year) return Number(year[1]) + (Number(year[2]) === 1 ? 0.1 : 0.2);
  const pkg = /^(\d+)\.\d+(\.\d+)?$/.exec(r);
  if (pkg && Number(pkg[1]) >= 23) return halfYears(2023 * 2 + (Number(pkg[1]) - 23));
  return null;
}

function halfYears(n: number): number {
  // n = year*2 + (0 for .1, 1 for .2)
  return Math.floor(n / 2) + (n % 2 === 0 ? 0.1 : 0.2);
}

/**
 * Whether a copied `$6$` sha512_crypt hash will verify in this Keystone: yes up to 2024.2,
 * no from 2025.1, which dropped the hasher (DESIGN.md §8). null when the release is unknown.
 */
export function acceptsSha512Crypt(caps: CloudCapabilities): boolean | null {
  const n = releaseNumber(caps.keystoneRelease ?? caps.release);
  if (n === null) return null;
  return n < 2025;
}

/** True when the cloud's Nova has microversion `version` (`2.15`); legacy v2 (null) has none. */
export function novaHas(caps: CloudCapabilities, version: string): boolean {
  const mv = caps.computeMicroversion;
  if (mv === null) return false;
  const [major = 0, minor = 0] = mv.split('.').map(Number);
  const [wantMajor = 0, wantMinor = 0] = version.split('.').map(Number);
  return major !== wantMajor ? major > wantMajor : minor >= wantMinor;
}
