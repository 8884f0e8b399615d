/**
 * The contract suite's Nova parts (compute: flavors, keypairs, quotas, hosts; servers: boot,
 * stop/start, metadata, volumes, live migration, snapshot, tenant boot; network: nova-network)
 * against every simulator profile, through the project's clients. The suite's
 * set-up lists what the whole cloud holds (images, volumes, Neutron), so a profile runs once
 * the simulated services it needs are registered; until then it is skipped with the reason.
 */
import { after, describe, it } from 'node:test';
import { SERVICE_MODULES } from '../../src/sim/services/index.js';
import { startSimCloud, type SimCloud } from '../../src/sim/index.js';
import { defineContractSuite, type ContractTarget } from './suite/index.js';

const PROFILES = [
  'havana:nova-network:flatdhcp',
  'icehouse:nova-network:vlan',
  'juno:nova-network:flatdhcp',
  'juno:nova-network:vlan',
  'havana:neutron',
  'juno:neutron',
  'modern:neutron',
] as const;

const registered = new Set(SERVICE_MODULES.map((m) => m.name));

function missing(label: string): string[] {
  const need = ['image', 'volume', ...(label.endsWith('neutron') ? ['network'] : [])];
  return need.filter((n) => !registered.has(n));
}

const clouds: SimCloud[] = [];
after(() => Promise.all(clouds.map((c) => c.close())));

describe('contract suite (compute, nova-network) against the simulator', { concurrency: false }, async () => {
  for (const label of PROFILES) {
    const absent = missing(label);
    if (absent.length > 0) {
      it(`sim ${label}`, { skip: `the simulator has no ${absent.join(', ')} service yet (the suite's census lists them)` }, () => {});
      continue;
    }
    const [release, ...rest] = label.split(':');
    const cloud = await startSimCloud({ release: release as SimCloud['profile']['release'], network: rest.join(':') as SimCloud['profile']['network'], hashCost: 'fast' }, { knobs: { timeScale: 0.001 } });
    clouds.push(cloud);
    const network = cloud.profile.neutron ? 'neutron' : 'nova-network';
    const target: ContractTarget = {
      name: `sim ${label}`,
      credentials: { authUrl: cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' },
      capabilities: {
        identity: cloud.profile.keystoneV2 ? ['2.0', '3'] : ['3'],
        network,
        ...(network === 'nova-network' ? { novaNetworkMode: label.endsWith('vlan') ? ('vlan' as const) : ('flatdhcp' as const) } : {}),
        computeMicroversions: cloud.profile.novaMaxMicroversion !== null,
      },
      cleanup: 'never',
      fixtures: { flavorName: 'm1.tiny', externalNetworkName: 'public' },
      timeouts: { serverMs: 10_000, volumeMs: 10_000, imageMs: 10_000 },
    };
    // `network` runs nova-network's part here; on Neutron profiles it is the Neutron author's.
    // The servers area shares images with visibility `shared` (Glance Ocata+) and waits for a
    // live-migration record in os-migrations (microversion 2.23+): both suite defects on
    // Havana-Juno, real clouds included (see docs/architecture/contract-suite.md). Until the
    // suite branches on them, that area runs on the modern profile only.
    const legacy = release !== 'modern';
    if (legacy) it(`sim ${label} servers area`, { skip: 'suite defect on Havana-Juno: `shared` image visibility and the os-migrations live-migration record do not exist there' }, () => {});
    const areas = [...(network === 'nova-network' ? (['compute', 'network'] as const) : (['compute'] as const)), ...(legacy ? [] : (['servers'] as const))];
    defineContractSuite(target, { areas });
  }
});
