// Fuel discovery through the real Nailgun client against the Fuel simulator (src/sim/fuel).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverFuel } from '../../src/discovery/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { openFuel, type FuelClient } from '../../src/fuel/index.js';
import { startFuelSimulator, type FuelSimNodeSeed, type FuelSimulator } from '../../src/sim/fuel/index.js';

const sims: FuelSimulator[] = [];
const clients: FuelClient[] = [];
after(async () => {
  for (const c of clients) await c.close();
  for (const s of sims) await s.close();
});

async function master(computes: number): Promise<{ sim: FuelSimulator; fuel: FuelClient }> {
  const nodes: FuelSimNodeSeed[] = [{ hostname: 'node-1', environment: 'source-env', roles: ['controller'] }];
  for (let i = 0; i < computes; i++) nodes.push({ hostname: `node-${i + 2}`, environment: i % 2 ? 'destination-env' : 'source-env' });
  nodes.push({ hostname: 'spare', roles: [] });
  const sim = await startFuelSimulator({ seed: 7, environments: [{ name: 'source-env' }, { name: 'destination-env', netProvider: 'neutron' }], nodes });
  sims.push(sim);
  const fuel = await openFuel(sim.credentials);
  clients.push(fuel);
  return { sim, fuel };
}

test('environments and nodes as Nailgun lists them, MACs matching the machines', async () => {
  const { sim, fuel } = await master(4);
  const reporter = new MemoryReporter();
  const inv = await discoverFuel(fuel, { reporter });
  assert.deepEqual(inv.environments.map((e) => [e.name, e.status]).sort(), [['destination-env', 'operational'], ['source-env', 'operational']]);
  assert.ok(inv.environments.every((e) => /Juno on Ubuntu 12\.04\.4 \(2014\.2-6\.0\)/.test(e.release)), JSON.stringify(inv.environments));
  const truth = sim.nodes();
  assert.equal(inv.nodes.length, truth.length);
  for (const n of truth) {
    const seen = inv.nodes.find((x) => x.id === n.id)!;
    assert.deepEqual(seen.macs, [...n.macs].map((m) => m.toLowerCase()).sort());
    assert.equal(seen.clusterId, n.clusterId);
    assert.deepEqual(seen.roles, [...n.roles].sort());
  }
  const spare = inv.nodes.find((n) => n.clusterId === null)!;
  assert.equal(spare.status, 'discover');
  assert.equal(reporter.ofType('discovery_complete')[0]!.calls, fuel.callCount);
});

test('read-only and three lists whatever the number of nodes', async () => {
  const small = await master(2);
  const big = await master(40);
  const lists = async ({ sim, fuel }: { sim: FuelSimulator; fuel: FuelClient }): Promise<string[]> => {
    const before = sim.requests().length;
    await discoverFuel(fuel);
    return sim.requests().slice(before).filter((r) => !r.path.startsWith('/keystone/')).map((r) => `${r.method} ${r.path.split('?')[0]}`);
  };
  const a = await lists(small);
  const b = await lists(big);
  assert.deepEqual(a.sort(), ['GET /api/clusters', 'GET /api/nodes', 'GET /api/releases']);
  assert.deepEqual(b.sort(), a);
});
