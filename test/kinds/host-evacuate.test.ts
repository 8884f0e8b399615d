import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostEvacuateKind, hostSettings, EVACUATION_REASON, type HostKindOptions } from '../../src/kinds/host/index.js';
import { hasRoom, otherComputeHosts, saysNoValidHost } from '../../src/kinds/host/capacity.js';
import { sameHost } from '../../src/kinds/host/host-names.js';
import { inPool, legacyBlockChoices } from '../../src/kinds/host/live-migrate.js';
import { serverPosition } from '../../src/kinds/host/server-position.js';
import { timeoutsOf } from '../../src/kinds/host/settings.js';
import type { Server } from '../../src/openstack/index.js';
import { cloudAccess, makeAction, StepHarness } from './support/step-harness.js';
import { FakeNova } from './host-fake-nova.js';
import { rejection } from '../support/rejection.js';

const fast: HostKindOptions = { pollIntervalMs: 5, maxPollIntervalMs: 20 };

function evacuation(host: string, servers: string[] = []) {
  return makeAction({ kind: 'host_evacuate', action: 'evacuate', address: `host[${host}].evacuation`, sourceId: host, after: { host, servers } });
}

async function run(nova: FakeNova, host: string, options: HostKindOptions = fast, steps?: string[]) {
  const harness = new StepHarness(cloudAccess(nova.cloud(), undefined));
  const action = evacuation(host);
  return { harness, results: await harness.run(hostEvacuateKind(hostSettings(options)), action, steps) };
}

function server(over: Partial<Server>): Server {
  return { status: 'ACTIVE', taskState: null, host: 'node-1', fault: null, imageId: 'i', ...over } as Server;
}

describe('host evacuation: pure parts', () => {
  it('matches host names exactly: node-1 is never node-10', () => {
    assert.equal(sameHost('node-1', 'node-1'), true);
    assert.equal(sameHost('NODE-1.', 'node-1'), true);
    assert.equal(sameHost('node-10', 'node-1'), false);
    assert.equal(sameHost('node-1.domain.tld', 'node-1'), false);
    assert.equal(sameHost(null, 'node-1'), false);
  });

  it('places a server relative to the host being emptied', () => {
    assert.equal(serverPosition(null, 'node-1').kind, 'gone');
    assert.equal(serverPosition(server({ host: 'node-2' }), 'node-1').kind, 'elsewhere');
    assert.equal(serverPosition(server({ host: 'node-10' }), 'node-1').kind, 'elsewhere');
    assert.equal(serverPosition(server({ status: 'MIGRATING', taskState: 'migrating' }), 'node-1').kind, 'migrating');
    // The host field flips before the task clears: still migrating.
    assert.equal(serverPosition(server({ host: 'node-2', status: 'MIGRATING', taskState: 'migrating' }), 'node-1').kind, 'migrating');
    assert.equal(serverPosition(server({ taskState: 'image_snapshot' }), 'node-1').kind, 'busy');
    assert.equal(serverPosition(server({ status: 'PAUSED' }), 'node-1').kind, 'movable');
    assert.equal(serverPosition(server({ status: 'SHUTOFF' }), 'node-1').kind, 'stopped');
    assert.equal(serverPosition(server({ status: 'SUSPENDED' }), 'node-1').kind, 'stuck');
    // A cold migration: resizing wherever the host field is, then VERIFY_RESIZE on the new host.
    assert.equal(serverPosition(server({ status: 'RESIZE', taskState: 'resize_migrating' }), 'node-1').kind, 'resizing');
    assert.equal(serverPosition(server({ host: 'node-2', status: 'RESIZE', taskState: 'resize_finish' }), 'node-1').kind, 'resizing');
    assert.deepEqual(serverPosition(server({ host: 'node-2', status: 'VERIFY_RESIZE' }), 'node-1'), { kind: 'unconfirmed', host: 'node-2' });
    assert.equal(serverPosition(server({ status: 'VERIFY_RESIZE' }), 'node-1').kind, 'stuck', 'a resize to the same host is not ours to confirm');
    assert.deepEqual(serverPosition(server({ status: 'ERROR', fault: { code: 500, message: 'boom' } }), 'node-1'), { kind: 'error', message: 'boom' });
  });

  it('chooses block migration on legacy clouds by storage, with the other value as a fallback', () => {
    assert.deepEqual(legacyBlockChoices('auto', { imageId: 'img' }), [true, false]);
    assert.deepEqual(legacyBlockChoices('auto', { imageId: null }), [false, true]);
    assert.deepEqual(legacyBlockChoices(false, { imageId: 'img' }), [false]);
  });

  it('judges room at Nova default ratios and recognises NoValidHost', () => {
    const h = { vcpus: 2, vcpusUsed: 31, memoryMb: 1000, memoryMbUsed: 1000, localGb: 10, localGbUsed: 9 } as never;
    assert.equal(hasRoom(h, { vcpus: 1, ramMb: 500, diskGb: 1, ephemeralGb: 0 }, false), true);
    assert.equal(hasRoom(h, { vcpus: 2, ramMb: 500, diskGb: 1, ephemeralGb: 0 }, false), false);
    assert.equal(hasRoom(h, { vcpus: 1, ramMb: 501, diskGb: 1, ephemeralGb: 0 }, false), false);
    assert.equal(hasRoom(h, { vcpus: 1, ramMb: 1, diskGb: 2, ephemeralGb: 0 }, false), false);
    assert.equal(hasRoom(h, { vcpus: 1, ramMb: 1, diskGb: 2, ephemeralGb: 0 }, true), true);
    assert.equal(hasRoom({ vcpus: null, memoryMb: null, localGb: null } as never, { vcpus: 1, ramMb: 1, diskGb: 1, ephemeralGb: 0 }, false), 'unknown');
    assert.equal(saysNoValidHost('No valid host was found. There are not enough hosts available.'), true);
    assert.equal(saysNoValidHost('Compute service of node-2 is unavailable at this time.'), false);
    const services = [
      { binary: 'nova-compute', host: 'node-1', status: 'enabled', state: 'up' },
      { binary: 'nova-compute', host: 'node-10', status: 'enabled', state: 'up' },
      { binary: 'nova-compute', host: 'node-2', status: 'disabled', state: 'up' },
      { binary: 'nova-compute', host: 'node-3', status: 'enabled', state: 'down' },
    ] as never[];
    assert.deepEqual(otherComputeHosts(services, 'node-1').map((s: { host: string }) => s.host), ['node-10']);
  });

  it('runs at most `limit` jobs at once and stops starting after a failure', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const err = await inPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (n === 2) throw new Error('two');
      return n;
    }).catch((e: Error) => e);
    assert.equal((err as Error).message, 'two');
    assert.equal(peak, 2);
    assert.ok(started.length < 6, `started ${started.join(',')}`);
  });

  it('takes timeouts from the plan over the options', () => {
    const settings = hostSettings({ timeouts: { liveMigrationS: 10 } });
    const action = makeAction({ kind: 'host_evacuate', action: 'evacuate', address: 'host[a].evacuation', sourceId: 'a', after: { host: 'a', timeouts: { live_migration_s: 99, deploy_s: -1 } } });
    const t = timeoutsOf(settings, action);
    assert.equal(t.liveMigrationS, 99);
    assert.equal(t.deployS, settings.timeouts.deployS);
  });
});

describe('host evacuation against a scripted Nova', () => {
  it('disables with the reason, moves every server off the host (not node-10), and verifies it empty', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-10', 'node-2']) nova.addHost(h);
    nova.addServer({ id: 'a', host: 'node-1' });
    nova.addServer({ id: 'b', host: 'node-1', status: 'PAUSED' });
    nova.addServer({ id: 'c', host: 'node-1', imageId: null });
    nova.addServer({ id: 'z', host: 'node-10' });
    const { results } = await run(nova, 'node-1');
    assert.deepEqual(nova.disableCalls, [{ host: 'node-1', reason: EVACUATION_REASON }]);
    assert.equal(nova.onHost('node-1').length, 0);
    assert.equal(nova.servers.get('z')!.host, 'node-10', 'a server of node-10 is never touched');
    assert.deepEqual(nova.migrateCalls.map((c) => c.id).sort(), ['a', 'b', 'c']);
    assert.ok(nova.migrateCalls.every((c) => c.block === 'auto'), 'modern Nova decides block migration itself');
    assert.equal(nova.servers.get('b')!.status, 'PAUSED');
    assert.equal(results[1]!.outputs!['migrated'], 3);
    assert.equal(results[2]!.outputs!['servers_left'], 0);
    assert.ok(nova.maxInFlight <= 2, `at most two migrations at once (saw ${nova.maxInFlight})`);
  });

  it('respects migrationsAtOnce = 1', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    for (const id of ['a', 'b', 'c']) nova.addServer({ id, host: 'node-1' });
    await run(nova, 'node-1', { ...fast, migrationsAtOnce: 1 });
    assert.equal(nova.maxInFlight, 1);
    assert.equal(nova.onHost('node-1').length, 0);
  });

  it('is idempotent: an already disabled service, servers already elsewhere and a migration in flight', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.services[0]!.status = 'disabled';
    nova.services[0]!.disabledReason = EVACUATION_REASON;
    nova.addServer({ id: 'moved', host: 'node-2' });
    const flying = nova.addServer({ id: 'flying', host: 'node-1' });
    // An earlier run's migration, still running: it must be waited for, never requested again.
    await nova.cloud().compute.servers.liveMigrate('flying', { host: null, blockMigration: 'auto' });
    nova.migrateCalls.length = 0;
    const { results } = await run(nova, 'node-1');
    assert.deepEqual(nova.disableCalls, [], 'no second disable');
    assert.equal(results[0]!.outputs!['disabled_before'], false, 'our own reason: this step disabled it before');
    assert.deepEqual(nova.migrateCalls, [], 'no second migration');
    assert.equal(flying.host, 'node-2');
    assert.equal(nova.servers.get('moved')!.host, 'node-2');
  });

  it('keeps an operator-disabled service as it is', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.services[0]!.status = 'disabled';
    nova.services[0]!.disabledReason = 'maintenance';
    const { results } = await run(nova, 'node-1', fast, ['disable_service']);
    assert.equal(results[0]!.outputs!['disabled_before'], true);
    assert.equal(nova.services[0]!.disabledReason, 'maintenance');
  });

  it('fails with PH_CAPACITY naming the server and host when no other host is enabled and up', async () => {
    const nova = new FakeNova();
    nova.addHost('node-1');
    nova.addHost('node-2', { status: 'disabled' });
    nova.addHost('node-3', { state: 'down' });
    nova.addServer({ id: 'srv-1', name: 'web', host: 'node-1' });
    const err = await rejection(run(nova, 'node-1'));
    assert.equal(err.code, 'PH_CAPACITY');
    assert.match(err.message, /web \(srv-1\) cannot leave host node-1/);
    assert.deepEqual(nova.migrateCalls, []);
  });

  it('fails with PH_CAPACITY when Nova answers NoValidHost (legacy clouds check synchronously)', async () => {
    const nova = new FakeNova(null);
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.addServer({ id: 'srv-1', host: 'node-1' });
    nova.scripts.set('srv-1', [{ kind: 'refuse', status: 400, message: 'No valid host was found. There are not enough hosts available.' }]);
    const err = await rejection(run(nova, 'node-1'));
    assert.equal(err.code, 'PH_CAPACITY');
    assert.match(err.message, /srv-1.*node-1.*No valid host/);
  });

  it('fails with PH_CAPACITY when Nova rolls the migration back and no host has room', async () => {
    const nova = new FakeNova();
    nova.addHost('node-1');
    nova.addHost('node-2', { memoryMb: 1000 });
    nova.flavors.set('big', { ...nova.flavors.get('1')!, id: 'big', ramMb: 4096 });
    nova.addServer({ id: 'big-1', host: 'node-1', flavorId: 'big' });
    nova.scripts.set('big-1', [{ kind: 'rollback', polls: 1 }]);
    const err = await rejection(run(nova, 'node-1'));
    assert.equal(err.code, 'PH_CAPACITY');
    assert.match(err.message, /big-1.*node-1/);
  });

  it('reports a rollback with room elsewhere as a failed migration, not a capacity problem', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.addServer({ id: 's', host: 'node-1' });
    nova.scripts.set('s', [{ kind: 'rollback', polls: 2 }]);
    const err = await rejection(run(nova, 'node-1'));
    assert.equal(err.code, 'PH_CLOUD_OBJECT_FAILED');
    assert.match(err.message, /rolled back the live migration of server s/);
  });

  it('on a legacy cloud, asks for block migration explicitly and retries with the other value on a storage refusal', async () => {
    const nova = new FakeNova(null);
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.addServer({ id: 'local', host: 'node-1' });
    nova.addServer({ id: 'shared', host: 'node-1' });
    nova.scripts.set('shared', [{ kind: 'refuse', status: 400, message: 'Block migration can not be used with shared storage.' }, { kind: 'land' }]);
    await run(nova, 'node-1');
    assert.deepEqual(nova.migrateCalls.filter((c) => c.id === 'local').map((c) => c.block), [true]);
    assert.deepEqual(nova.migrateCalls.filter((c) => c.id === 'shared').map((c) => c.block), [true, false]);
    assert.equal(nova.onHost('node-1').length, 0);
  });

  it('moves the others, then names the servers neither live nor cold migration can move', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.addServer({ id: 'ok', host: 'node-1' });
    nova.addServer({ id: 'off', name: 'suspended-one', host: 'node-1', status: 'SUSPENDED' });
    const err = await rejection(run(nova, 'node-1', fast, ['disable_service', 'live_migrate']));
    assert.equal(err.code, 'PH_PRECONDITION_FAILED');
    assert.match(err.message, /suspended-one \(off, SUSPENDED\)/);
    assert.equal(nova.servers.get('ok')!.host, 'node-2');
  });

  it('verify_empty fails while a server is left, naming it', async () => {
    const nova = new FakeNova();
    for (const h of ['node-1', 'node-2']) nova.addHost(h);
    nova.services[0]!.status = 'disabled';
    nova.addServer({ id: 'left', host: 'node-1' });
    const err = await rejection(run(nova, 'node-1', fast, ['verify_empty']));
    assert.equal(err.code, 'PH_PRECONDITION_FAILED');
    assert.match(err.message, /still runs 1 server\(s\): left/);
  });
});
