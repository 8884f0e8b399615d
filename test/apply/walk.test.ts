import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { independentServers, TestPlan } from './fixtures/plans.js';
import { worldsOfThisFile } from './helpers.js';

const world = worldsOfThisFile();

/** A deterministic pseudo-random sequence (tests repeat). */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('graph walk', () => {
  test('every action starts after all its dependencies finished, under parallelism', async () => {
    const w = world();
    const rand = rng(7);
    const p = new TestPlan();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const deps = ids.filter(() => rand() < 0.08);
      ids.push(p.add({ address: `tenant[t].server[s${i}]`, kind: 'server', action: 'migrate', steps: ['boot'], deps }));
    }
    const plan = p.build();
    const delays = new Map(plan.actions.map((a) => [a.address, 1 + Math.floor(rand() * 12)]));
    const r = await w.apply(plan, { parallelism: 8, kinds: { delayMs: (a) => delays.get(a.address)!, rendezvous: 2 } });
    assert.equal(r.result, 'ok');
    assert.equal(r.counts.done, 40);
    const call = (address: string) => w.recorder.calls.find((c) => c.address === address)!;
    let checked = 0;
    for (const a of plan.actions) {
      for (const dep of a.depends_on) {
        const d = plan.actions.find((x) => x.id === dep)!;
        assert.ok(call(a.address).start >= call(d.address).end, `${a.address} started before ${d.address} ended`);
        checked++;
      }
    }
    assert.ok(checked > 10, `the random graph has ${checked} edges`);
    assert.ok(w.recorder.max('all') > 1, 'independent actions ran in parallel');
  });

  test('never more than --parallelism actions at once, and that many when there is work', async () => {
    for (const parallelism of [1, 5]) {
      const w = world();
      const r = await w.apply(independentServers(24).build(), { parallelism, kinds: { delayMs: () => 15, rendezvous: parallelism } });
      assert.equal(r.counts.done, 24);
      assert.equal(w.recorder.max('all'), parallelism);
    }
  });

  test('a group limit holds back only its group', async () => {
    const w = world();
    const p = independentServers(12);
    for (let i = 0; i < 12; i++) p.add({ address: `tenant[t].network[n${i}]`, kind: 'network', action: 'create' });
    const r = await w.apply(p.build(), { parallelism: 10, limits: { server: 2 }, kinds: { delayMs: () => 15, rendezvous: 3 } });
    assert.equal(r.counts.done, 24);
    assert.equal(w.recorder.max('kind:server'), 2);
    assert.ok(w.recorder.max('all') > 2, 'networks ran beside the two servers');
  });

  test('one reassignment per Fuel environment and one action per host; evacuations of different hosts overlap', async () => {
    const w = world();
    const p = new TestPlan();
    for (let h = 0; h < 4; h++) {
      p.add({ address: `host[n${h}].evacuation`, kind: 'host_evacuate', action: 'evacuate', host: `n${h}`, after: { host: `n${h}` } });
      p.add({ address: `host[n${h}]`, kind: 'host_reassign', action: 'reassign', host: `n${h}`, after: { node_id: h, source_environment: 1, destination_environment: 2 } });
    }
    const r = await w.apply(p.build(), { parallelism: 10, kinds: { delayMs: () => 5 } });
    assert.equal(r.counts.done, 8);
    assert.equal(w.recorder.max('env:2'), 1);
    assert.equal(w.recorder.max('kind:host_reassign'), 1);
    assert.equal(w.recorder.max('kind:host_evacuate'), 4);
    for (let h = 0; h < 4; h++) assert.equal(w.recorder.max(`host:n${h}`), 1);
  });

  test('the transfer limit applies to transfer steps, not whole actions', async () => {
    const w = world();
    const p = new TestPlan();
    for (let i = 0; i < 6; i++) p.add({ address: `tenant[t].server[s${i}]`, kind: 'server', action: 'migrate' });
    const r = await w.apply(p.build(), { parallelism: 6, limits: { transfer: 1 }, kinds: { delayMs: (_a, step) => (step === 'transfer' ? 10 : 3), rendezvous: 2 } });
    assert.equal(r.counts.done, 6);
    assert.equal(w.recorder.max('step:transfer'), 1);
    assert.ok(w.recorder.max('all') > 1);
  });

  test('no-op actions run nothing; a plan of no-ops writes no state', async () => {
    const w = world();
    const p = new TestPlan();
    p.add({ address: 'tenant[a]', kind: 'project', action: 'no-op', destinationId: 'p-1' });
    p.add({ address: 'tenant[b]', kind: 'project', action: 'no-op', destinationId: 'p-2' });
    const r = await w.apply(p.build());
    assert.equal(r.result, 'ok');
    assert.equal(r.counts.noop, 2);
    assert.equal(w.recorder.calls.length, 0);
    assert.equal(existsSync(w.statePath), false);
    assert.equal(r.serial, 0);
  });

  test('limits and parallelism are checked', async () => {
    const w = world();
    const plan = independentServers(1).build();
    await assert.rejects(w.apply(plan, { parallelism: 0 }), /parallelism/);
    await assert.rejects(w.apply(plan, { limits: { server: 0 } }), /at least 1/);
    await assert.rejects(w.apply(plan, { limits: { bogus: 1 } as never }), /unknown limit group/);
  });
});
