/**
 * A real evacuation on the testbed's source Zed cloud (nova's fake driver live-migrates):
 * two tiny servers booted on one compute host in a throwaway project with its own network,
 * the host evacuated through the executor with the host_evacuate kind, the servers ACTIVE on
 * the other host, the service disabled with pumphouse's reason, then re-enabled and
 * everything deleted. Other tests' servers on the chosen host move too (that is what an
 * evacuation does); the host with no server live migration cannot move is chosen.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { applyPlan } from '../../src/apply/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { EVACUATION_REASON, hostKinds } from '../../src/kinds/host/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import type { Cloud, Server } from '../../src/openstack/index.js';
import { StateStore } from '../../src/state/index.js';
import { TestPlan, writeTestPlan } from '../apply/fixtures/plans.js';
import { Cleanup, openTestbed, testbedSkipReason, testPrefix, type Testbed } from './kinds-support.js';

const skip = (await testbedSkipReason()) ?? false;
const HOSTS = ['source-compute-1', 'source-compute-2'];

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutS = 180): Promise<T> {
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function onHost(src: Cloud, host: string): Promise<Server[]> {
  return (await src.compute.servers.list({ allTenants: true, host })).filter((s) => s.host === host);
}

describe('host_evacuate on the real source cloud', { skip, concurrency: false }, () => {
  let tb: Testbed;
  const cleanup = new Cleanup();
  const prefix = testPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'phk-host-'));

  before(async () => {
    tb = await openTestbed();
  });

  after(async () => {
    try {
      await cleanup.run();
    } finally {
      await tb?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('evacuates a compute host: its running server is ACTIVE and its stopped one SHUTOFF on the other host (cold-migrated), the service disabled with the reason; re-enabled afterwards', async (t) => {
    const src = tb.source;
    const services = await src.compute.services.list({ binary: 'nova-compute' });
    for (const h of HOSTS) {
      const s = services.find((x) => x.host === h);
      assert.ok(s && s.state === 'up' && s.status === 'enabled', `${h} must be up and enabled to start (${s?.status}/${s?.state})`);
    }
    // The host whose current servers can all be moved (live or cold), the emptier one first.
    const load = await Promise.all(HOSTS.map(async (h) => ({ h, servers: await onHost(src, h) })));
    load.sort((a, b) => a.servers.length - b.servers.length);
    const pick = load.find((l) => l.servers.every((s) => ['ACTIVE', 'PAUSED', 'SHUTOFF'].includes(s.status) && !s.taskState));
    if (!pick) {
      t.skip('both compute hosts run servers neither live nor cold migration can move');
      return;
    }
    const host = pick.h;
    const other = HOSTS.find((h) => h !== host)!;

    // A throwaway project with the admin's role, its own network and a tiny image.
    const id = src.identity;
    const project = await id.projects.create({ name: `${prefix}-evac`, description: 'pumphouse host evacuation test' });
    cleanup.add(`project ${project.id}`, () => id.projects.delete(project.id));
    const admin = (await id.roles.findByName('admin'))!;
    await id.roleAssignments.grant({ userId: src.session.userId!, projectId: project.id, roleId: admin.id });
    cleanup.add('admin grant', () => id.roleAssignments.revoke({ userId: src.session.userId!, projectId: project.id, roleId: admin.id }));
    const scoped = await src.scopedTo(project.id);
    const net = await scoped.network!.networks.create({ name: `${prefix}-net` });
    cleanup.add(`network ${net.id}`, () => src.network!.networks.delete(net.id));
    const sub = await scoped.network!.subnets.create({ networkId: net.id, cidr: '10.231.7.0/24', name: `${prefix}-sub` });
    cleanup.add(`subnet ${sub.id}`, () => src.network!.subnets.delete(sub.id));
    const img = await scoped.image.create({ name: `${prefix}-boot`, diskFormat: 'raw', containerFormat: 'bare' });
    cleanup.add(`image ${img.id}`, () => src.image.delete(img.id));
    await scoped.image.upload(img.id, Readable.from([Buffer.alloc(4096, 7)]), 4096);
    const tiny = (await src.compute.flavors.list()).find((f) => f.name === 'm1.tiny')!;

    // Re-enable the host whatever happens (registered before anything disables it).
    cleanup.add(`enable nova-compute on ${host}`, () => src.compute.services.enable({ host, binary: 'nova-compute' }));
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const made = await scoped.compute.servers.create({ name: `${prefix}-vm${n}`, flavorId: tiny.id, imageId: img.id, networks: [{ uuid: net.id }], availabilityZone: `nova:${host}` });
      ids.push(made.id);
      cleanup.add(`server ${made.id}`, async () => {
        await src.compute.servers.delete(made.id);
        await until(`server ${made.id} gone`, async () => ((await src.compute.servers.list({ allTenants: true, projectId: project.id })).some((s) => s.id === made.id) ? undefined : true));
      });
    }
    for (const sid of ids) {
      const s = await until(`server ${sid} ACTIVE`, async () => {
        const s = await src.compute.servers.get(sid);
        if (s.status === 'ERROR') throw new Error(`server ${sid} ERROR: ${s.fault?.message ?? ''}`);
        return s.status === 'ACTIVE' && !s.taskState ? s : undefined;
      });
      assert.equal(s.host, host);
    }
    // The second one stopped: live migration cannot take it, a cold migration does.
    const stopped = ids[1]!;
    await scoped.compute.servers.stop(stopped);
    await until(`server ${stopped} SHUTOFF`, async () => {
      const s = await src.compute.servers.get(stopped);
      return s.status === 'SHUTOFF' && !s.taskState ? s : undefined;
    });

    const plan = new TestPlan();
    plan.add({ address: `host[${host}].evacuation`, kind: 'host_evacuate', action: 'evacuate', host, sourceId: host, after: { host, servers: [...ids].sort() } });
    const { path } = await writeTestPlan(plan.build(), dir);
    const reporter = new MemoryReporter();
    const t0 = Date.now();
    const result = await applyPlan({
      planPath: path,
      statePath: join(dir, 'state.json'),
      registry: kindRegistry({ handlers: hostKinds({ pollIntervalMs: 1000, maxPollIntervalMs: 3000 }) }),
      clouds: { source: async () => src, destination: async () => tb.destination, scoped: (side, p) => (side === 'source' ? src : tb.destination).scopedTo(p), fuel: () => Promise.reject(new Error('no Fuel on the testbed')) },
      reporter,
    });
    const elapsed = Date.now() - t0;
    assert.equal(result.result, 'ok', JSON.stringify(result.failures));

    for (const sid of ids) {
      const s = await src.compute.servers.get(sid);
      assert.deepEqual([s.status, s.taskState, s.host], [sid === stopped ? 'SHUTOFF' : 'ACTIVE', null, other], `server ${sid}`);
    }
    assert.deepEqual(await onHost(src, host), [], `${host} is empty`);
    const svc = (await src.compute.services.list({ host, binary: 'nova-compute' }))[0]!;
    assert.deepEqual([svc.status, svc.disabledReason], ['disabled', EVACUATION_REASON]);
    const state = await StateStore.open(join(dir, 'state.json')).load();
    const outputs = state.state.objects.find((o) => o.address === `host[${host}].evacuation`)?.attributes ?? {};
    const migrated = Number(outputs['migrated']);
    const cold = Number(outputs['cold_migrated']);
    assert.ok(migrated >= 1, `migrated ${migrated}`);
    assert.ok(cold >= 1, `cold-migrated ${cold}`);
    const waits = reporter.events.filter((e) => e.type === 'wait').length;
    console.log(`evacuation of ${host}: ${migrated} live and ${cold} cold migration(s) in ${(elapsed / 1000).toFixed(1)} s, ${waits} wait event(s)`);

    await src.compute.services.enable({ host, binary: 'nova-compute' });
    const enabled = (await src.compute.services.list({ host, binary: 'nova-compute' }))[0]!;
    assert.equal(enabled.status, 'enabled');
  });
});
