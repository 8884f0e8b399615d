import { ZED_CAPABILITIES, type ContractTarget } from '../suite/index.js';
import { targetsFromFile } from './from-file.js';

/**
 * The testbed's two real Zed clouds (`source`, `destination`) from its clouds.yaml, with
 * what they are known to offer (shared/testbed/README.md): Keystone v3 only, Neutron,
 * Glance v2, Cinder v3, Nova 2.1-2.93, fake virt driver, flavor m1.tiny, external network
 * `public`. Cleanup is always complete: other people use these clouds.
 */
export async function testbedTargets(cloudsYaml: string): Promise<ContractTarget[]> {
  const targets = await targetsFromFile(cloudsYaml, { capabilities: ZED_CAPABILITIES, cleanup: 'always', only: ['source', 'destination'] });
  return targets.map((t) => ({
    ...t,
    fixtures: { flavorName: 'm1.tiny', externalNetworkName: 'public' },
    notes: { 'identity-v2': 'Keystone v2.0 does not exist on Zed (removed in Queens); the v2.0 parts run on the simulator legacy profiles' },
  }));
}
