import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import { EVACUATION_REASON, hostEvacuateKind, hostSettings } from '../../src/kinds/host/index.js';
import type { SimOptions } from '../../src/sim/index.js';
import { makeAction, StepHarness } from './support/step-harness.js';
import { hostWorld, type HostWorld } from './host-sim-world.js';

const evacuate = hostEvacuateKind(hostSettings({ pollIntervalMs: 10 }));

function action(host: string) {
  return makeAction({ kind: 'host_evacuate', action: 'evacuate', address: `host[${host}].evacuation`, sourceId: host, after: { host, servers: [] } });
}

async function world(source: NonNullable<SimOptions['source']>): Promise<HostWorld> {
  return hostWorld({ source, generate: { tenants: 2, serversPerTenant: 3 } });
}

const on = (w: HostWorld, host: string) => [...w.source.store.servers.values()].filter((s) => s.host === host);

describe('host evacuation on the simulated Nova', { concurrency: false }, () => {
  for (const source of [
    { release: 'juno', network: 'nova-network:flatdhcp' },
    { release: 'modern', network: 'neutron' },
  ] as const) {
    it(`${source.release}: live-migrates every server of node-2 to node-3 and leaves the service disabled with the reason`, async () => {
      const w = await world({ ...source, hashCost: 'fast' });
      try {
        const moving = on(w, 'node-2').filter((s) => s.vmState === 'active');
        const stopped = on(w, 'node-2').filter((s) => s.vmState !== 'active');
        for (const s of stopped) w.source.store.servers.delete(s.id); // the generator stops every fifth server; tested separately
        assert.ok(moving.length >= 2, `servers on node-2: ${moving.length}`);
        const h = new StepHarness(w.access);
        const results = await h.run(evacuate, action('node-2'));
        assert.equal(on(w, 'node-2').length, 0);
        for (const s of moving) {
          assert.equal(w.source.store.servers.get(s.id)!.host, 'node-3');
          assert.equal(w.source.store.servers.get(s.id)!.vmState, 'active');
          assert.equal(w.source.store.servers.get(s.id)!.taskState, null);
        }
        const svc = w.source.store.computeServices.find((s) => s.host === 'node-2' && s.binary === 'nova-compute')!;
        assert.deepEqual([svc.status, svc.disabledReason], ['disabled', EVACUATION_REASON]);
        assert.equal(results[1]!.outputs!['migrated'], moving.length);
        const migrations = [...w.source.store.migrations.values()].filter((m) => m.type === 'live-migration');
        assert.equal(migrations.length, moving.length, 'one live migration per server');
        // Run again (a resumed apply): nothing moves twice.
        h.forget(action('node-2'));
        await h.run(evacuate, action('node-2'));
        assert.equal([...w.source.store.migrations.values()].filter((m) => m.type === 'live-migration').length, moving.length);
      } finally {
        await w.close();
      }
    });

    it(`${source.release}: PH_CAPACITY naming the server and host when node-3 has no room`, async () => {
      const w = await world({ ...source, hashCost: 'fast' });
      try {
        const target = w.source.store.hypervisors.find((x) => x.host === 'node-3')!;
        target.memoryMb = 600; // less than one m1.small once Nova's reserved 512 MiB are counted
        const first = on(w, 'node-2').find((s) => s.vmState === 'active')!;
        const h = new StepHarness(w.access);
        let err: unknown;
        await h.run(evacuate, action('node-2')).catch((e: unknown) => (err = e));
        assert.ok(PumphouseError.is(err), String(err));
        assert.equal(err.code, 'PH_CAPACITY');
        assert.match(err.message, /cannot leave host node-2/);
        // Juno's API asks the conductor synchronously (400 NoValidHost); modern Nova accepts, then rolls back.
        assert.match(err.message, source.release === 'juno' ? /No valid host/ : /rolled the live migration back and no other enabled host has room/);
        assert.ok(on(w, 'node-2').some((s) => err instanceof Error && err.message.includes(s.id)), err.message);
        assert.equal(w.source.store.servers.get(first.id)!.host, 'node-2', 'nothing moved');
      } finally {
        await w.close();
      }
    });
  }

  for (const source of [
    { release: 'juno', network: 'nova-network:flatdhcp' },
    { release: 'modern', network: 'neutron' },
  ] as const) {
    it(`${source.release}: a SHUTOFF server is cold-migrated, confirmed and left SHUTOFF on node-3; a SUSPENDED one is named after the others moved`, async () => {
      const w = await world({ ...source, hashCost: 'fast' });
      try {
        const servers = on(w, 'node-2');
        assert.ok(servers.length >= 3, `servers on node-2: ${servers.length}`);
        const [stopped, suspended] = servers;
        Object.assign(stopped!, { vmState: 'stopped', powerState: 4 });
        Object.assign(suspended!, { vmState: 'suspended', powerState: 7 });
        const active = servers.filter((s) => s.vmState === 'active');
        const shutoff = servers.filter((s) => s.vmState === 'stopped').map((s) => s.id).sort(); // the generator stops some too
        const h = new StepHarness(w.access);
        let err: unknown;
        await h.run(evacuate, action('node-2')).catch((e: unknown) => (err = e));
        assert.ok(PumphouseError.is(err), String(err));
        assert.equal(err.code, 'PH_PRECONDITION_FAILED');
        assert.match(err.message, new RegExp(`${suspended!.id}, SUSPENDED`));
        assert.doesNotMatch(err.message, new RegExp(stopped!.id));
        assert.deepEqual(on(w, 'node-2').map((s) => s.id), [suspended!.id]);
        const after = w.source.store.servers.get(stopped!.id)!;
        assert.deepEqual([after.host, after.vmState, after.taskState, after.powerState], ['node-3', 'stopped', null, 4], 'SHUTOFF on the new host');
        for (const s of active) assert.equal(w.source.store.servers.get(s.id)!.vmState, 'active');
        const cold = [...w.source.store.migrations.values()].filter((m) => m.type === 'migration');
        assert.deepEqual(cold.map((m) => m.instanceUuid).sort(), shutoff, 'one cold migration per SHUTOFF server');
        assert.ok(cold.every((m) => m.status === 'confirmed'));
        assert.ok(!cold.some((m) => active.some((s) => s.id === m.instanceUuid)), 'running servers are live-migrated, never cold');

        // The suspended server is dealt with by the operator; the step then completes, moving nothing twice.
        w.source.store.servers.delete(suspended!.id);
        const results = await h.run(evacuate, action('node-2'), ['live_migrate']);
        assert.equal(results[0]!.outputs!['migrated'], 0);
        assert.equal([...w.source.store.migrations.values()].filter((m) => m.type === 'migration').length, shutoff.length);
      } finally {
        await w.close();
      }
    });

    it(`${source.release}: a cold migration an earlier run left in VERIFY_RESIZE is confirmed, not started again`, async () => {
      const w = await world({ ...source, hashCost: 'fast' });
      try {
        for (const s of on(w, 'node-2').slice(1)) w.source.store.servers.delete(s.id);
        const stopped = on(w, 'node-2')[0]!;
        Object.assign(stopped, { vmState: 'stopped', powerState: 4 });
        const h = new StepHarness(w.access);
        const a = action('node-2');
        // What the crashed run did: remembered the server, then Nova's migration ran to VERIFY_RESIZE.
        await h.context(a, 'live_migrate').remember({ [`cold_migrated_${stopped.id}`]: true });
        await (await w.access.source()).compute.servers.coldMigrate(stopped.id);
        for (let i = 0; i < 200 && w.source.store.servers.get(stopped.id)!.vmState !== 'resized'; i++) await new Promise((r) => setTimeout(r, 10));
        assert.equal(w.source.store.servers.get(stopped.id)!.host, 'node-3');
        assert.equal(on(w, 'node-2').length, 0, 'no longer listed on the host');
        if (source.release === 'modern') h.forget(a); // modern: found by its finished cold migration from node-2 alone
        const results = await h.run(evacuate, a, ['live_migrate']);
        assert.equal(results[0]!.outputs!['cold_migrated'], 1);
        const after = w.source.store.servers.get(stopped.id)!;
        assert.deepEqual([after.host, after.vmState, after.taskState], ['node-3', 'stopped', null]);
        const cold = [...w.source.store.migrations.values()].filter((m) => m.type === 'migration');
        assert.deepEqual(cold.map((m) => m.status), ['confirmed']);
      } finally {
        await w.close();
      }
    });

    it(`${source.release}: a SHUTOFF server with no room elsewhere is PH_CAPACITY`, async () => {
      const w = await world({ ...source, hashCost: 'fast' });
      try {
        for (const s of on(w, 'node-2').slice(1)) w.source.store.servers.delete(s.id);
        const stopped = on(w, 'node-2')[0]!;
        Object.assign(stopped, { vmState: 'stopped', powerState: 4 });
        w.source.store.hypervisors.find((x) => x.host === 'node-3')!.memoryMb = 600;
        const h = new StepHarness(w.access);
        let err: unknown;
        await h.run(evacuate, action('node-2')).catch((e: unknown) => (err = e));
        assert.ok(PumphouseError.is(err), String(err));
        assert.equal(err.code, 'PH_CAPACITY');
        assert.match(err.message, new RegExp(stopped.id));
        assert.match(err.message, source.release === 'juno' ? /No valid host/ : /rolled the cold migration back and no other enabled host has room/);
        assert.deepEqual([w.source.store.servers.get(stopped.id)!.host, w.source.store.servers.get(stopped.id)!.vmState], ['node-2', 'stopped']);
      } finally {
        await w.close();
      }
    });
  }
});
