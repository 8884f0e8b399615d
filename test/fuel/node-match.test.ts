import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasMacs, macSet, nodeHasName, openFuel, pickNodeByMacs, pickNodeByName, type FuelNode } from '../../src/fuel/index.js';
import { startFuelSimulator } from '../../src/sim/fuel/index.js';

function node(id: number, fqdn: string, hostname = fqdn.split('.')[0] as string, macs: string[] = []): FuelNode {
  return {
    id,
    name: `Untitled (${id})`,
    hostname,
    fqdn,
    mac: macs[0] ?? '',
    macs: macSet(macs),
    nics: [],
    ip: null,
    status: 'ready',
    online: true,
    clusterId: 1,
    roles: ['compute'],
    pendingRoles: [],
    pendingAddition: false,
    pendingDeletion: false,
    progress: 100,
    errorType: null,
    groupId: 1,
    manufacturer: null,
    platformName: null,
  };
}

test('host names match exactly: node-1 is not node-10, nor node-1 of another domain', () => {
  const n1 = node(1, 'node-1.domain.tld');
  const n10 = node(10, 'node-10.domain.tld');
  assert.equal(nodeHasName(n1, 'node-1'), true);
  assert.equal(nodeHasName(n10, 'node-1'), false);
  assert.equal(nodeHasName(n1, 'node-10'), false);
  assert.equal(nodeHasName(n1, 'NODE-1.Domain.TLD.'), true, 'case and a trailing dot do not matter');
  assert.equal(nodeHasName(n1, 'node-1.example.com'), false, 'a full name must equal the fqdn');
  assert.equal(nodeHasName(n1, 'node-'), false);
  assert.equal(nodeHasName(n1, ''), false);
  assert.equal(nodeHasName(node(3, 'other.domain.tld', 'compute-3'), 'compute-3'), true, 'the 7.0 hostname field counts');
  assert.equal(pickNodeByName([n10, n1], 'node-1', 'm')?.id, 1);
  assert.equal(pickNodeByName([n10], 'node-1', 'm'), undefined);
});

test('two nodes with the same name are an error, not a guess', () => {
  assert.throws(
    () => pickNodeByName([node(7, 'bootstrap'), node(8, 'bootstrap')], 'bootstrap', 'fuel:8000'),
    (e: { code: string; message: string }) => e.code === 'PH_PRECONDITION_FAILED' && /ids 7, 8/.test(e.message),
  );
});

test('MAC sets match as sets: order, case and dashes do not matter, a missing or extra MAC does', () => {
  const n = node(4, 'node-4.domain.tld', 'node-4', ['52:54:00:aa:00:01', '52:54:00:aa:00:02']);
  assert.equal(hasMacs(n, ['52-54-00-AA-00-02', '52:54:00:aa:00:01']), true);
  assert.equal(hasMacs(n, ['52:54:00:aa:00:01']), false);
  assert.equal(hasMacs(n, ['52:54:00:aa:00:01', '52:54:00:aa:00:02', '52:54:00:aa:00:03']), false);
  assert.equal(hasMacs(n, []), false, 'an empty set matches nothing');
  assert.equal(pickNodeByMacs([node(1, 'a'), n], ['52:54:00:aa:00:02', '52:54:00:aa:00:01'], 'm')?.id, 4);
});

test('findNodeByHostname on a master with node-1 and node-10 finds each exactly', async () => {
  const seeds = Array.from({ length: 10 }, (_, i) => ({ hostname: `node-${i + 1}`, environment: 'env', roles: i === 0 ? ['controller'] : ['compute'] }));
  const sim = await startFuelSimulator({ environments: [{ name: 'env' }], nodes: seeds });
  const fuel = await openFuel(sim.credentials);
  try {
    assert.equal((await fuel.findNodeByHostname('node-1'))?.fqdn, 'node-1.domain.tld');
    assert.equal((await fuel.findNodeByHostname('node-10'))?.fqdn, 'node-10.domain.tld');
    assert.equal((await fuel.findNodeByHostname('node-10.domain.tld'))?.id, 10);
    assert.equal(await fuel.findNodeByHostname('node-11'), undefined);
    assert.equal(await fuel.findNodeByHostname('node-1', { clusterId: null }), undefined, 'filtered to unassigned nodes');
    const n3 = await fuel.node(3);
    assert.equal((await fuel.findNodeByMacs([...n3.macs].reverse().map((m) => m.toUpperCase())))?.id, 3);
  } finally {
    await fuel.close();
    await sim.close();
  }
});
