import { after, describe } from 'node:test';
import { SimCloud, type CloudSpec, type Profile, type SimServiceModule } from '../../../src/sim/index.js';
import { SERVICE_MODULES } from '../../../src/sim/services/index.js';
import { AREAS, defineContractSuite, type ContractTarget } from '../suite/index.js';

/** Every release x network the simulator has (modern is Neutron only). */
export const SIM_PROFILES = [
  'havana:nova-network:flatdhcp',
  'havana:nova-network:vlan',
  'havana:neutron',
  'icehouse:nova-network:flatdhcp',
  'icehouse:nova-network:vlan',
  'icehouse:neutron',
  'juno:nova-network:flatdhcp',
  'juno:nova-network:vlan',
  'juno:neutron',
  'modern:neutron',
] as const;

export type SimProfileLabel = (typeof SIM_PROFILES)[number];

/** Names of the simulated services registered in src/sim/services/index.ts. */
export function registeredServices(modules: readonly SimServiceModule[] = SERVICE_MODULES): Set<string> {
  return new Set(modules.map((m) => m.name));
}

/**
 * Services the suite's own set-up calls on every target, whatever areas run: the census lists
 * flavors, keypairs, servers, images, volumes (the catalog always has Cinder) and the network
 * objects; the tenant fixture uses Keystone (and Neutron's groups).
 */
export function setUpNeeds(p: Profile): string[] {
  return ['identity', 'compute', 'image', 'volume', ...(p.neutron ? ['network'] : [])];
}

export function specOf(label: string): Pick<CloudSpec, 'release' | 'network'> {
  const [release, ...rest] = label.split(':');
  return { release: release as CloudSpec['release'], network: rest.join(':') as CloudSpec['network'] };
}

/**
 * A contract target for a running simulated cloud: the admin login of its profile (Keystone
 * v2.0 first on legacy profiles, as their operators used it), capabilities read from the
 * profile flags, the v2.0 URL for the identity v2.0 parts, short waits, and cleanup `always`
 * so that the final leftover check also proves the simulator's deletes.
 */
export function simTarget(cloud: SimCloud, label: string): ContractTarget {
  const p = cloud.profile;
  return {
    name: `sim ${label}`,
    credentials: { authUrl: cloud.authUrl, username: cloud.admin.username, password: cloud.admin.password, projectName: cloud.admin.projectName },
    capabilities: {
      identity: p.keystoneV2 ? ['2.0', '3'] : ['3'],
      network: p.neutron ? 'neutron' : 'nova-network',
      ...(p.neutron ? {} : { novaNetworkMode: p.network === 'nova-network:vlan' ? ('vlan' as const) : ('flatdhcp' as const) }),
      image: p.glanceV2 ? '2' : '1',
      volume: p.cinderVersions.includes('3') ? '3' : p.cinderVersions.includes('2') ? '2' : '1',
      computeMicroversions: p.novaMaxMicroversion !== null,
    },
    cleanup: 'always',
    fixtures: { flavorName: 'm1.tiny', externalNetworkName: 'public', ...(cloud.authUrlV2 ? { identityV2Url: cloud.authUrlV2 } : {}) },
    // Transitions take milliseconds here (timeScale 0.001): probe often.
    timeouts: { serverMs: 10_000, volumeMs: 10_000, imageMs: 10_000, pollMs: 10 },
  };
}

/** Starts a simulated cloud of `label` for the suite (cheap hashes, transitions 1000x faster). */
export function startSimTarget(label: string, opts: { readonly modules?: readonly SimServiceModule[] } = {}): Promise<SimCloud> {
  return SimCloud.start({
    name: 'sim',
    seed: 1,
    spec: { ...specOf(label), hashCost: 'fast' },
    knobs: { timeScale: 0.001 },
    ...(opts.modules ? { modules: opts.modules } : {}),
  });
}

/**
 * Declares the whole contract suite (every area) against each of `labels`, one simulated cloud
 * per profile, started when the file loads and closed at the end. No area is skipped: every
 * step branches on what the cloud's release offers (test/contract/suite/release-facts.ts) and
 * skips itself only where its API does not exist in that release.
 */
export function defineSimContract(labels: readonly SimProfileLabel[]): void {
  const clouds: SimCloud[] = [];
  after(() => Promise.all(clouds.map((c) => c.close())));
  describe(`contract suite against the simulator (${labels.join(', ')})`, { concurrency: false }, async () => {
    for (const label of labels) {
      const cloud = await startSimTarget(label);
      clouds.push(cloud);
      defineContractSuite(simTarget(cloud, label), { areas: AREAS });
    }
  });
}
