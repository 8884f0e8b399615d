import { compareMicroversions } from '../openstack/index.js';

/**
 * The OpenStack release of a cloud, inferred from what discovery reads anyway (no API says
 * it: Keystone answers `v3.14` since Ussuri). Modern clouds: the highest Nova microversion,
 * which each release raises. Legacy Nova (no microversions): Juno added hypervisor
 * `state`/`status`, Icehouse added service ids (legacy-apis.md §7).
 *
 * Where several releases share a maximum (Ussuri/Victoria 2.87, Xena/Yoga 2.90,
 * 2023.1/2023.2 2.95, 2024.1/2024.2 2.96) the earliest is answered: a lower bound. No such
 * pair straddles 2025.1, the release that stopped verifying sha512_crypt hashes, which is
 * the decision this feeds (planner `acceptsSha512Crypt`).
 */
const MAX_MICROVERSION: ReadonlyArray<readonly [string, string]> = [
  ['kilo', '2.3'],
  ['liberty', '2.12'],
  ['mitaka', '2.25'],
  ['newton', '2.38'],
  ['ocata', '2.42'],
  ['pike', '2.53'],
  ['queens', '2.60'],
  ['rocky', '2.65'],
  ['stein', '2.72'],
  ['train', '2.79'],
  ['ussuri', '2.87'],
  ['wallaby', '2.88'],
  ['xena', '2.90'],
  ['zed', '2.93'],
  ['2023.1', '2.95'],
  ['2024.1', '2.96'],
  ['2025.1', '2.100'],
];

export interface LegacyHints {
  /** Some hypervisor reported `state` (Juno+). */
  readonly hypervisorState: boolean;
  /** Some compute service had an id (Icehouse+). */
  readonly serviceIds: boolean;
}

/** Release name (or `YYYY.N`) from the cloud's highest microversion; legacy hints without one. */
export function inferRelease(computeMicroversion: string | null, legacy: LegacyHints): string | undefined {
  if (computeMicroversion === null) {
    if (legacy.hypervisorState) return 'juno';
    return legacy.serviceIds ? 'icehouse' : 'havana';
  }
  for (const [release, max] of MAX_MICROVERSION) {
    if (compareMicroversions(computeMicroversion, max) <= 0) return release;
  }
  // Newer than the table: at least its last entry.
  return MAX_MICROVERSION[MAX_MICROVERSION.length - 1]![0];
}
