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

  it('a stopped server is named as something live migration cannot move, after the others moved', async () => {
    const w = await world({ release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' });
    try {
      const servers = on(w, 'node-2');
      const stopped = servers[0]!;
      stopped.vmState = 'stopped';
      const h = new StepHarness(w.access);
      let err: unknown;
      await h.run(evacuate, action('node-2')).catch((e: unknown) => (err = e));
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_PRECONDITION_FAILED');
      assert.match(err.message, new RegExp(`${stopped.id}, SHUTOFF`));
      assert.deepEqual(on(w, 'node-2').map((s) => s.id), [stopped.id]);
    } finally {
      await w.close();
    }
  });
});
