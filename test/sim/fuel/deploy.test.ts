import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FuelTaskError, openFuel, type FuelClient } from '../../../src/fuel/index.js';
import type { FuelSimulator } from '../../../src/sim/fuel/index.js';
import { twoEnvironments } from './helpers.js';

const open: { sim: FuelSimulator; fuel: FuelClient }[] = [];
after(async () => {
  for (const o of open) {
    await o.fuel.close();
    await o.sim.close();
  }
});

async function setup(extra: Parameters<typeof twoEnvironments>[0] = {}) {
  const env = await twoEnvironments(extra);
  const fuel = await openFuel(env.sim.credentials);
  open.push({ sim: env.sim, fuel });
  return { ...env, fuel };
}

const fast = { intervalMs: 5, timeoutMs: 20_000 };

test('a failed deployment: task error with the node names, node error/deploy, environment error, no cloud hook', async () => {
  const { sim, fuel, dst } = await setup();
  const spare = (await fuel.nodes({ clusterId: null }))[0];
  assert.ok(spare);
  sim.failNext(spare.mac, 'deploy');
  await fuel.assign(2, [{ id: spare.id, roles: ['compute'] }]);
  const task = await fuel.deployChanges(2);
  const err = await fuel.waitForTask(task.id, fast).then(
    () => assert.fail('no error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FuelTaskError);
  assert.equal(err.code, 'PH_FUEL_TASK_FAILED');
  assert.equal(err.fuelMessage, `Deployment has failed. Check these nodes:\n'${spare.name}'`);
  assert.match(err.message, new RegExp(`task ${task.id} \\(deploy of environment 2\\) failed`));
  const node = await fuel.node(spare.id);
  assert.deepEqual([node.status, node.errorType, node.pendingAddition], ['error', 'deploy', true]);
  assert.equal((await fuel.cluster(2)).status, 'error');
  assert.deepEqual(dst.calls, []);
  // Deploying the changes again retries the failed node (no provisioning: it is installed).
  const retry = await fuel.deployChanges(2);
  await fuel.waitForTask(retry.id, fast);
  assert.equal((await fuel.node(spare.id)).status, 'ready');
  assert.deepEqual(dst.calls, [`add node-${spare.id}`]);
  assert.deepEqual((await fuel.tasks({ clusterId: 2 })).map((t) => t.name), ['deploy', 'deployment'], 'no provision subtask the second time');
});

test('a failed removal leaves the node in its environment with status error and pending_deletion false', async () => {
  const { sim, fuel, src } = await setup();
  const node = await fuel.findNodeByHostname('node-2');
  assert.ok(node);
  sim.failNext(node.mac, 'deletion');
  await fuel.unassign(1, [node.id]);
  const task = await fuel.deployChanges(1);
  await assert.rejects(fuel.waitForTask(task.id, fast), (e: FuelTaskError) => e.fuelMessage === `Failed to remove 1 node(s): ${node.name}`);
  const after = await fuel.node(node.id);
  assert.deepEqual([after.status, after.errorType, after.pendingDeletion, after.clusterId], ['error', 'deletion', false, 1]);
  assert.deepEqual(src.calls, []);
  await sim.settle();
  assert.equal((await fuel.nodes()).length, 5, 'nothing was rediscovered');
});

test('provision and deploy of selected nodes: provisioned in between, ready at the end', async () => {
  const { fuel, dst } = await setup();
  await fuel.assign(2, [{ id: 5, roles: ['compute'] }]);
  const provision = await fuel.provision(2, [5]);
  assert.equal(provision.name, 'provision');
  assert.equal((await fuel.waitForTask(provision.id, fast)).message, "Provision of environment 'destination-env' is done");
  const provisioned = await fuel.node(5);
  assert.deepEqual([provisioned.status, provisioned.fqdn, provisioned.pendingAddition], ['provisioned', 'node-5.domain.tld', true]);
  assert.deepEqual(dst.calls, []);
  const deploy = await fuel.deploy(2, [5]);
  assert.equal(deploy.name, 'deployment');
  await fuel.waitForTask(deploy.id, fast);
  const ready = await fuel.node(5);
  assert.deepEqual([ready.status, ready.roles, ready.pendingAddition], ['ready', ['compute'], false]);
  assert.deepEqual(dst.calls, ['add node-5']);
  await assert.rejects(fuel.deploy(2, [99]), (e: { status: number }) => e.status === 404);
});

test('updateNode (PUT /api/nodes/{id}) moves a node in and out of an environment, but not across', async () => {
  const { fuel } = await setup();
  const added = await fuel.updateNode(5, { clusterId: 1, pendingRoles: ['compute'], pendingAddition: true });
  assert.deepEqual([added.clusterId, added.pendingRoles, added.pendingAddition], [1, ['compute'], true]);
  await assert.rejects(fuel.updateNode(5, { clusterId: 2 }), (e: { status: number; ambiguous: boolean }) => e.status === 500 && !e.ambiguous);
  const out = await fuel.updateNode(5, { clusterId: null });
  assert.deepEqual([out.clusterId, out.pendingRoles, out.groupId], [null, [], null]);
});

test('network configuration: ids differ per environment; the wrong provider is 400', async () => {
  const { fuel } = await setup({ environments: [{ name: 'source-env' }, { name: 'destination-env', netProvider: 'neutron' }] });
  const [a, b] = await fuel.clusters();
  assert.ok(a && b);
  const na = await fuel.networkConfiguration(a);
  const nb = await fuel.networkConfiguration(b);
  assert.deepEqual(na.networks.map((n) => n.name), ['public', 'management', 'storage', 'fixed', 'fuelweb_admin']);
  assert.deepEqual(nb.networks.map((n) => n.name), ['public', 'management', 'storage', 'private', 'fuelweb_admin']);
  assert.notEqual(na.networks[1]?.id, nb.networks[1]?.id, 'management has another id in each environment');
  assert.equal(nb.parameters.segmentation_type, 'gre');
  await assert.rejects(fuel.networkConfiguration({ id: b.id, netProvider: 'nova_network' }), (e: { fuelMessage: string }) => e.fuelMessage === 'Wrong net provider');
});

test('Fuel 7.0 dialect: nodes carry hostname, and removed nodes show status removing', async () => {
  const { sim, fuel } = await setup({ fuelVersion: '7.0', knobs: { timeScale: 0.05 } });
  const node = await fuel.findNodeByHostname('node-2');
  assert.ok(node);
  await fuel.unassign(1, [node.id]);
  const task = await fuel.deployChanges(1);
  const seen = new Set<string>();
  await fuel.waitForTask(task.id, { ...fast, onProgress: () => seen.add(sim.nodes().find((n) => n.id === node.id)?.status ?? 'gone') });
  assert.ok(seen.has('removing'), [...seen].join(','));
  const fresh = await fuel.waitForRediscovery(node.macs, fast);
  assert.equal(fresh.hostname, 'bootstrap', 'the wire hostname of a bootstrap node');
});

test('waits time out with PH_TIMEOUT and stop with PH_ABORTED', async () => {
  const { fuel } = await setup({ knobs: { timeScale: 1 } });
  await fuel.unassign(1, [2]);
  const task = await fuel.deployChanges(1);
  await assert.rejects(fuel.waitForTask(task.id, { intervalMs: 5, timeoutMs: 30 }), (e: { code: string; message: string }) => e.code === 'PH_TIMEOUT' && /task \d+ \(deploy\) still running at \d+% after 0 s/.test(e.message));
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(fuel.waitForNode(() => false, { intervalMs: 5, signal: ac.signal }), (e: { code: string }) => e.code === 'PH_ABORTED');
  await assert.rejects(fuel.waitForRediscovery(['52:54:00:00:00:00'], { intervalMs: 5, timeoutMs: 20 }), (e: { code: string; message: string }) => e.code === 'PH_TIMEOUT' && /no rediscovered node with MACs 52:54:00:00:00:00/.test(e.message));
});
