import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diskLayoutOf, disksWithLayout, interfacesWithLayout, nicLayoutOf, openFuel, type FuelHttpError } from '../../../src/fuel/index.js';
import { twoEnvironments } from './helpers.js';

const ORDER = ['discover', 'provisioning', 'provisioned', 'deploying', 'ready'];

test('reassign a host from source-env to destination-env through the client: removal, rediscovery under a new id, assignment with a copied layout, deployment, cloud hooks', async () => {
  // Long enough phases that 5 ms polls see progress between 0 and 100 even on a busy machine.
  const { sim, src, dst } = await twoEnvironments({ knobs: { timeScale: 0.05 } });
  const fuel = await openFuel(sim.credentials);
  try {
    const source = await fuel.clusterByName('source-env');
    const destination = await fuel.clusterByName('destination-env');
    assert.ok(source && destination);

    // 1. Find the host in the source environment and unassign it.
    const host = await fuel.findNodeByHostname('node-2', { clusterId: source.id });
    assert.ok(host, 'node-2 is in source-env');
    assert.equal(host.status, 'ready');
    const macs = host.macs;
    assert.equal(macs.length, 4);
    await fuel.unassign(source.id, [host.id]);
    assert.equal((await fuel.node(host.id)).pendingDeletion, true);

    // 2. Deploy the source's changes: Nailgun removes the node (its row disappears).
    const removal = await fuel.deployChanges(source.id);
    assert.equal(removal.name, 'deploy');
    assert.equal(removal.status, 'running');
    const removalDone = await fuel.waitForTask(removal.id, { intervalMs: 5, timeoutMs: 20_000 });
    assert.equal(removalDone.status, 'ready');
    assert.match(removalDone.message ?? '', /Successfully removed 1 node\(s\)/);
    await assert.rejects(fuel.node(host.id), (err: FuelHttpError) => err.status === 404 && err.fuelMessage === 'Node not found');
    assert.deepEqual(src.calls, ['remove node-2'], 'the source cloud lost its compute host');

    // 3. The machine comes back in bootstrap: NEW id, discover, no environment, SAME MACs.
    const fresh = await fuel.waitForRediscovery(macs, { intervalMs: 5, timeoutMs: 20_000 });
    assert.notEqual(fresh.id, host.id);
    assert.ok(fresh.id > Math.max(...sim.nodes().filter((n) => n.id !== fresh.id).map((n) => n.id)), 'Nailgun never reuses ids');
    assert.equal(fresh.status, 'discover');
    assert.equal(fresh.clusterId, null);
    assert.deepEqual(fresh.macs, macs);
    assert.equal((await fuel.findNodeByMacs(macs))?.id, fresh.id);
    assert.equal(await fuel.findNodeByHostname('node-2'), undefined, 'its name went with the old record');

    // 4. Template: an existing compute node of the destination.
    const template = (await fuel.nodes({ clusterId: destination.id })).find((n) => n.roles.includes('compute'));
    assert.ok(template);
    const templateNics = await fuel.interfaces(template.id);
    const templateDisks = await fuel.disks(template.id);

    // 5. Assign with the template's roles, then copy its NIC-to-network mapping and disks.
    await fuel.assign(destination.id, [{ id: fresh.id, roles: template.roles }]);
    const assigned = await fuel.node(fresh.id);
    assert.deepEqual([assigned.clusterId, assigned.pendingRoles, assigned.pendingAddition], [destination.id, ['compute'], true]);
    const defaults = await fuel.interfaces(fresh.id);
    assert.notDeepEqual(names(defaults), names(templateNics), 'Nailgun\'s default assignment differs from the template');
    await fuel.setInterfaces(fresh.id, interfacesWithLayout(`node ${fresh.id}`, defaults, nicLayoutOf(templateNics)));
    assert.deepEqual(names(await fuel.interfaces(fresh.id)), names(templateNics));
    assert.deepEqual(ids(await fuel.interfaces(fresh.id)), ids(templateNics), 'the destination\'s network ids');
    const defaultDisks = await fuel.disks(fresh.id);
    assert.notDeepEqual(volumes(defaultDisks), volumes(templateDisks));
    await fuel.setDisks(fresh.id, disksWithLayout(`node ${fresh.id}`, defaultDisks, diskLayoutOf(templateDisks)));
    assert.deepEqual(volumes(await fuel.disks(fresh.id)), volumes(templateDisks));

    // 6. Deploy the destination's changes and follow the task.
    const deploy = await fuel.deployChanges(destination.id);
    const progress: number[] = [];
    const statuses: string[] = [];
    const done = await fuel.waitForTask(deploy.id, {
      intervalMs: 5,
      timeoutMs: 20_000,
      onProgress: (t) => {
        progress.push(t.progress);
        const status = sim.nodes().find((n) => n.id === fresh.id)?.status;
        if (status && statuses.at(-1) !== status) statuses.push(status);
      },
    });
    assert.equal(done.status, 'ready');
    assert.equal(done.progress, 100);
    assert.ok(progress.some((p) => p > 0 && p < 100), `progress climbed through intermediate values: ${progress.join(',')}`);
    assert.deepEqual([...progress].sort((a, b) => a - b), progress, 'progress never goes back');
    assert.ok(statuses.includes('provisioning') && statuses.includes('deploying'), `statuses seen: ${statuses.join(' -> ')}`);
    assert.deepEqual(statuses.map((s) => ORDER.indexOf(s)), [...statuses.map((s) => ORDER.indexOf(s))].sort(), 'statuses in lifecycle order');

    const final = await fuel.node(fresh.id);
    assert.equal(final.status, 'ready');
    assert.deepEqual(final.roles, ['compute']);
    assert.deepEqual([final.pendingRoles, final.pendingAddition], [[], false]);
    assert.equal(final.fqdn, `node-${fresh.id}.domain.tld`, 'Nailgun renames the node after its new id');
    assert.equal(await fuel.findNodeByHostname(`node-${fresh.id}`, { clusterId: destination.id }).then((n) => n?.id), fresh.id);
    assert.deepEqual(dst.calls, [`add node-${fresh.id}`], 'the destination cloud got the compute host');
    assert.deepEqual(src.calls, ['remove node-2']);
    assert.equal((await fuel.cluster(destination.id)).status, 'operational');
    await sim.settle();
  } finally {
    await fuel.close();
    await sim.close();
  }
});

function names(ifaces: readonly { name: string; assignedNetworks: readonly { name: string }[] }[]): Record<string, string[]> {
  return Object.fromEntries(ifaces.map((i) => [i.name, i.assignedNetworks.map((n) => n.name).sort()]));
}

function ids(ifaces: readonly { name: string; assignedNetworks: readonly { id: number }[] }[]): Record<string, number[]> {
  return Object.fromEntries(ifaces.map((i) => [i.name, i.assignedNetworks.map((n) => n.id).sort()]));
}

function volumes(disks: readonly { name: string; volumes: readonly { name: string; size: number }[] }[]): Record<string, string> {
  return Object.fromEntries(disks.map((d) => [d.name, d.volumes.map((v) => `${v.name}=${v.size}`).join(',')]));
}
