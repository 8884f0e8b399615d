/**
 * The contract suite against every simulator profile (docs/architecture/contract-suite.md):
 * the same steps and assertions that run against the real Zed clouds, through the project's
 * clients, on Havana, Icehouse, Juno and modern clouds with nova-network or Neutron.
 *
 * Service authors: add your areas to AREAS (one line each). An area runs on a profile when the
 * simulated service that answers it there is registered (src/sim/services/index.ts). The
 * suite's own set-up lists images, volumes and network objects, so nothing runs on a profile
 * until those services exist; the skip says which are missing.
 */
import { after, describe, it } from 'node:test';
import type { Profile, SimCloud } from '../../src/sim/index.js';
import { profileFor } from '../../src/sim/index.js';
import { defineContractSuite, type AreaName } from './suite/index.js';
import { registeredServices, setUpNeeds, SIM_PROFILES, simTarget, specOf, startSimTarget } from './targets/simulator.js';

/** Suite area -> the simulated service answering it on a profile. */
const AREAS: ReadonlyArray<readonly [AreaName, (p: Profile) => string]> = [
  ['auth', () => 'identity'],
  ['identity', () => 'identity'],
  ['compute', () => 'compute'],
  ['image', () => 'image'],
  ['volume', () => 'volume'],
  // The network area is Neutron's on Neutron profiles and Nova's (nova-network) elsewhere.
  ['network', (p) => (p.neutron ? 'network' : 'compute')],
];

/**
 * Areas that cannot pass on some profiles because of the suite itself (written down in the
 * lead's findings file): they are skipped there with the finding as the reason, never run
 * expecting failure.
 */
const SUITE_FINDINGS: ReadonlyArray<{ readonly area: AreaName; readonly when: (p: Profile) => boolean; readonly finding: string }> = [
  {
    area: 'network',
    when: (p) => p.neutron && !p.neutronModernApi,
    finding:
      'suite finding (contract-findings.md, simulated Neutron): the Neutron steps send `description` on networks and floating IPs, choose a floating IP address ' +
      'and expect external_fixed_ips, none of which Havana-Juno Neutron accepts or has (400 "Unrecognized attribute(s) \'description\'", ' +
      '"Attribute \'floating_ip_address\' not allowed in POST"; external_fixed_ips is Juno+)',
  },
  {
    area: 'image',
    when: (p) => !p.glanceSharedVisibility,
    finding:
      'suite finding (contract-findings.md, simulated Glance): the sharing step sets visibility `shared` through Glance v2, which exists from Ocata on; ' +
      'Havana-Juno\'s v2 image schema allows only public/private (400 "Provided object does not match schema \'image\'"), and members are added to private images there',
  },
];

const registered = registeredServices();
const clouds: SimCloud[] = [];
after(() => Promise.all(clouds.map((c) => c.close())));

describe('contract suite against the simulator', { concurrency: false }, async () => {
  for (const label of SIM_PROFILES) {
    const spec = specOf(label);
    const profile = profileFor(spec.release, spec.network);
    const absent = setUpNeeds(profile).filter((s) => !registered.has(s));
    if (absent.length > 0) {
      it(`sim ${label}`, { skip: `the simulator has no ${absent.join(', ')} service yet (the suite's set-up lists what they hold)` }, () => {});
      continue;
    }
    const areas: AreaName[] = [];
    for (const [area, serviceOf] of AREAS) {
      const finding = SUITE_FINDINGS.find((f) => f.area === area && f.when(profile));
      if (finding) it(`sim ${label}: ${area}`, { skip: finding.finding }, () => {});
      else if (registered.has(serviceOf(profile))) areas.push(area);
    }
    if (areas.length === 0) continue;
    const cloud = await startSimTarget(label);
    clouds.push(cloud);
    defineContractSuite(simTarget(cloud, label), { areas });
  }
});
