import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import type { PumphouseEvent, Reporter } from '../../src/events/index.js';
import { TestPlan } from './fixtures/plans.js';
import { World } from './helpers.js';

const w = new World();
after(() => w.cleanup());

test('Ctrl-C: in-flight steps finish and are journaled, nothing new starts, the state is saved; the same plan then continues', async () => {
  const p = new TestPlan();
  for (let i = 0; i < 10; i++) p.add({ address: `tenant[t].server[s${i}]`, kind: 'server', action: 'migrate', after: { name: `s${i}` } });
  const plan = p.build();
  const controller = new AbortController();
  let starts = 0;
  const events: PumphouseEvent[] = [];
  const reporter: Reporter = {
    emit(e) {
      events.push(e);
      if (e.type === 'step_start' && ++starts === 4) controller.abort();
    },
  };
  const first = await w.apply(plan, { parallelism: 3, signal: controller.signal, reporter, kinds: { delayMs: () => 15 } });
  assert.equal(first.result, 'interrupted');
  const ran = w.recorder.calls.filter((c) => c.phase === 'run');
  assert.ok(ran.every((c) => c.end > 0), 'every started step finished');
  const startedActions = new Set(ran.map((c) => c.address));
  assert.ok(startedActions.size <= 3, `only the in-flight actions ran (${startedActions.size})`);
  assert.equal(first.counts.interrupted, 10 - first.counts.done);
  assert.ok(first.counts.interrupted >= 7);
  const state = await w.state();
  assert.equal(state.history.at(-1)?.result, 'interrupted');
  assert.equal(readFileSync(`${w.statePath}.journal.ndjson`, 'utf8'), '', 'compacted');
  for (const c of ran) {
    const o = state.objects.find((x) => x.address === c.address)!;
    assert.ok(o.steps_done.includes(c.step), `${c.address} ${c.step} journaled done`);
    assert.equal(o.pending, null);
  }
  assert.ok(events.some((e) => e.type === 'apply_complete'));

  const firstCalls = ran.map((c) => `${c.address} ${c.step}`);
  const second = await w.apply(plan, { parallelism: 3 });
  assert.equal(second.result, 'ok');
  assert.equal(second.resumed, true);
  const all = [...firstCalls, ...w.recorder.calls.filter((c) => c.phase === 'run').map((c) => `${c.address} ${c.step}`)];
  assert.equal(all.length, 10 * 7, 'every step ran exactly once over the two runs');
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual(w.cloud.anomalies, []);
  assert.equal(w.cloud.objects.filter((o) => o.kind === 'server').length, 10);
});
