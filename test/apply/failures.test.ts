import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { PumphouseError } from '../../src/errors/index.js';
import { findObject } from '../../src/state/index.js';
import { TestPlan } from './fixtures/plans.js';
import { code, worldsOfThisFile } from './helpers.js';

const world = worldsOfThisFile();

const cloudError = (): PumphouseError => new PumphouseError('PH_CLOUD_HTTP', 'Neutron answered 500 (request req-1)');

/** A -> B -> C, and an independent D -> E. */
function twoBranches(): TestPlan {
  const p = new TestPlan();
  const a = p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
  const b = p.add({ address: 'tenant[a].network[n]', kind: 'network', action: 'create', deps: [a] });
  p.add({ address: 'tenant[a].subnet[s]', kind: 'subnet', action: 'create', deps: [b] });
  const d = p.add({ address: 'tenant[d]', kind: 'project', action: 'create' });
  p.add({ address: 'tenant[d].network[n]', kind: 'network', action: 'create', deps: [d] });
  return p;
}

describe('failures', () => {
  test('a failed action stops its dependents; independent branches finish; the state is saved', async () => {
    const w = world();
    const r = await w.apply(twoBranches().build(), {
      parallelism: 4,
      kinds: { fail: (a) => (a.address === 'tenant[a].network[n]' ? cloudError() : undefined), delayMs: () => 3 },
    });
    assert.equal(r.result, 'failed');
    assert.deepEqual(r.counts, { done: 3, already: 0, noop: 0, failed: 1, precondition: 0, skipped: 1, interrupted: 0 });
    assert.deepEqual(r.failures.map((f) => [f.address, f.code]), [['tenant[a].network[n]', 'PH_CLOUD_HTTP']]);
    assert.deepEqual(r.skipped.map((s) => s.address), ['tenant[a].subnet[s]']);
    assert.match(r.skipped[0]!.because, /depends on tenant\[a\]\.network\[n\], which failed/);
    assert.deepEqual(w.recorder.stepsOf('tenant[a].subnet[s]'), []);
    assert.equal(w.reporter.ofType('action_errored')[0]?.code, 'PH_CLOUD_HTTP');
    assert.equal(w.reporter.ofType('action_skipped')[0]?.address, 'tenant[a].subnet[s]');
    // Saved: compacted into the file, journal empty.
    const onDisk = JSON.parse(readFileSync(w.statePath, 'utf8')) as { serial: number };
    assert.equal(onDisk.serial, r.serial);
    assert.equal(readFileSync(`${w.statePath}.journal.ndjson`, 'utf8'), '');
    const state = await w.state();
    assert.equal(findObject(state, 'tenant[a]')?.status, 'ready');
    assert.equal(findObject(state, 'tenant[a].network[n]')?.status, 'tainted');
    assert.equal(findObject(state, 'tenant[a].network[n]')?.error?.code, 'PH_CLOUD_HTTP');
    assert.equal(findObject(state, 'tenant[a].subnet[s]'), undefined);
    assert.equal(findObject(state, 'tenant[d].network[n]')?.status, 'ready');
    assert.ok(findObject(state, 'tenant[d].network[n]')?.destination_id?.startsWith('network-'));
    const h = state.history.at(-1)!;
    assert.deepEqual([h.result, h.done, h.failed, h.operation], ['failed', 3, 1, 'apply']);
  });

  test('a failed precondition skips the action and its dependents, nothing of them runs', async () => {
    const w = world();
    w.cloud.setFact('flavor', { status: 'bad' });
    const p = twoBranches();
    const plan = p.build();
    const withPre = {
      ...plan,
      actions: plan.actions.map((a) =>
        a.address === 'tenant[a]' ? { ...a, preconditions: [{ cloud: 'source' as const, ref: 'fake/facts/flavor', must: 'match' as const, fields: { status: 'ok' } }] } : a,
      ),
    };
    const r = await w.apply(withPre);
    assert.equal(r.result, 'failed');
    assert.deepEqual(r.failures.map((f) => [f.address, f.code]), [['tenant[a]', 'PH_PRECONDITION_FAILED']]);
    assert.match(r.failures[0]!.message, /fake\/facts\/flavor: status is "bad", planned "ok"/);
    assert.deepEqual(r.skipped.map((s) => s.address).sort(), ['tenant[a].network[n]', 'tenant[a].subnet[s]']);
    assert.equal(r.counts.done, 2);
    for (const a of ['tenant[a]', 'tenant[a].network[n]', 'tenant[a].subnet[s]']) assert.deepEqual(w.recorder.stepsOf(a), []);
    assert.equal(w.cloud.find('project', 'src:tenant[a]'), undefined);
    assert.equal(findObject(await w.state(), 'tenant[a]'), undefined, 'nothing ran: no state object');
    const skipped = w.reporter.ofType('action_skipped');
    assert.equal(skipped.find((e) => e.address === 'tenant[a]')?.['@level'], 'error');
  });

  test('present / absent / match preconditions on a fresh read', async () => {
    const w = world();
    w.cloud.create('network', 'taken', {});
    const p = new TestPlan();
    p.add({ address: 'tenant[x]', kind: 'project', action: 'create', preconditions: [{ cloud: 'destination', ref: 'fake/network?marker=taken', must: 'absent' }] });
    p.add({ address: 'tenant[y]', kind: 'project', action: 'create', preconditions: [{ cloud: 'destination', ref: 'fake/network?marker=taken', must: 'present' }] });
    p.add({ address: 'tenant[z]', kind: 'project', action: 'create', preconditions: [{ cloud: 'source', ref: 'fake/facts/nothing', must: 'present' }] });
    const r = await w.apply(p.build());
    assert.deepEqual(r.failures.map((f) => f.address), ['tenant[x]', 'tenant[z]']);
    assert.match(r.failures[0]!.message, /exists now/);
    assert.match(r.failures[1]!.message, /no longer exists/);
    assert.equal(r.counts.done, 1);
  });

  test('applying the same plan again after a failure continues it: finished steps are not run again', async () => {
    const w = world();
    const p = new TestPlan();
    p.add({ address: 'tenant[t].server[vm]', kind: 'server', action: 'migrate', after: { name: 'vm' } });
    const plan = p.build();
    let failBoot = true;
    const kinds = { fail: (_a: unknown, step: string) => (step === 'boot' && failBoot ? cloudError() : undefined) };
    const first = await w.apply(plan, { kinds });
    assert.equal(first.result, 'failed');
    assert.deepEqual(w.recorder.stepsOf('tenant[t].server[vm]'), ['quiesce', 'snapshot', 'transfer', 'boot']);
    failBoot = false;
    const second = await w.apply(plan, { kinds });
    assert.equal(second.result, 'ok');
    assert.equal(second.resumed, true);
    assert.deepEqual(w.recorder.stepsOf('tenant[t].server[vm]'), ['boot', 'attach_volumes', 'floating_ip', 'verify']);
    assert.deepEqual(w.cloud.anomalies, []);
    assert.deepEqual(w.cloud.objects.filter((o) => o.temp), [], 'the snapshot temporary was cleaned');
    const state = await w.state();
    assert.deepEqual(state.temporaries, []);
    assert.equal(findObject(state, 'tenant[t].server[vm]')?.status, 'ready');
    assert.deepEqual(state.history.map((h) => h.result), ['failed', 'ok']);
    // Finished: the same plan cannot run a third time.
    await assert.rejects(w.apply(plan, { kinds }), code('PH_PLAN_STALE'));
  });

  test('a new plan re-planning a failed action runs it afresh, cleaning what the old attempt left', async () => {
    const w = world();
    const p = new TestPlan();
    p.add({ address: 'tenant[t].server[vm]', kind: 'server', action: 'migrate', after: { name: 'vm' } });
    const first = await w.apply(p.build(), { kinds: { fail: (_a, step) => (step === 'transfer' ? cloudError() : undefined) } });
    assert.equal(first.result, 'failed');
    assert.equal((await w.state()).temporaries.length, 1);
    const state = await w.state();
    const replan = p.build({ planId: '00000000-0000-4000-8000-00000000a002', prior: { lineage: state.lineage, serial: state.serial } });
    const second = await w.apply(replan, { name: 'replan.json' });
    assert.equal(second.result, 'ok');
    assert.equal(second.resumed, false);
    assert.deepEqual(w.recorder.stepsOf('tenant[t].server[vm]'), ['quiesce', 'snapshot', 'transfer', 'boot', 'attach_volumes', 'floating_ip', 'verify']);
    const after = await w.state();
    const o = findObject(after, 'tenant[t].server[vm]')!;
    assert.equal(o.plan_id, replan.plan_id);
    assert.deepEqual(o.steps_done, ['quiesce', 'snapshot', 'transfer', 'boot', 'attach_volumes', 'floating_ip', 'verify']);
    assert.deepEqual(after.temporaries, []);
    assert.deepEqual(w.cloud.objects.filter((x) => x.temp), []);
  });
});

test('resuming a chain runs only what did not finish: actions done earlier are never run again', async () => {
  const w = world();
  const p = new TestPlan();
  const a = p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
  const b = p.add({ address: 'tenant[a].network[n]', kind: 'network', action: 'create', deps: [a] });
  const c = p.add({ address: 'tenant[a].subnet[s]', kind: 'subnet', action: 'create', deps: [b] });
  p.add({ address: 'tenant[a].router[r]', kind: 'router', action: 'create', deps: [a, c] });
  const plan = p.build();
  let fail = true;
  const kinds = { fail: (x: { kind: string }) => (x.kind === 'subnet' && fail ? cloudError() : undefined) };
  assert.equal((await w.apply(plan, { kinds })).result, 'failed');
  fail = false;
  const r = await w.apply(plan, { kinds });
  assert.equal(r.result, 'ok');
  assert.deepEqual([r.counts.already, r.counts.done], [2, 2]);
  assert.deepEqual(w.recorder.calls.filter((x) => x.phase === 'run').map((x) => x.address), ['tenant[a].subnet[s]', 'tenant[a].router[r]']);
  assert.deepEqual(w.cloud.anomalies, []);
});
