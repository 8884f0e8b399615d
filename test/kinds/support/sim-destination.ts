// A simulated modern Neutron destination, logged in as its admin, for kind tests that make
// objects through the real clients and read them back.
import { openCloud, type Cloud } from '../../../src/openstack/index.js';
import { startSimCloud, type SimCloud } from '../../../src/sim/index.js';

export interface SimDestination {
  readonly sim: SimCloud;
  readonly cloud: Cloud;
  close(): Promise<void>;
}

export async function simDestination(): Promise<SimDestination> {
  const sim = await startSimCloud({ release: 'modern', network: 'neutron', hashCost: 'fast' }, { name: 'destination' });
  try {
    const a = sim.admin;
    const cloud = await openCloud(
      { authUrl: sim.authUrl, username: a.username, password: a.password, projectName: a.projectName, userDomainName: 'Default', projectDomainName: 'Default' },
      { name: 'destination' },
    );
    return {
      sim,
      cloud,
      async close() {
        await cloud.close();
        await sim.close();
      },
    };
  } catch (err) {
    await sim.close();
    throw err;
  }
}
