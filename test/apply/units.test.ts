import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actionProgress, applyGraph, checkFreshness, checkPrecondition } from '../../src/apply/index.js';
import { ProgressMeter } from '../../src/apply/progress-meter.js';
import { waitFor } from '../../src/apply/wait.js';
import { MemoryReporter } from '../../src/events/index.js';
import { emptyState, type HistoryEntry, type StateFile, type StateObject } from '../../src/state/index.js';
import { TestPlan } from './fixtures/plans.js';

const entry = (plan_id: string | null, result: HistoryEntry['result'], serial_before: number, operation = 'apply'): HistoryEntry => ({
  plan_id,
  operation,
  started_at: '2026-11-26T12:00:00Z',
  finished_at: result === 'running' ? null : '2026-11-26T12:01:00Z',
  result,
  done: 0,
  failed: 0,
  serial_before,
  serial_after: null,
});

describe('freshness', () => {
  const p = new TestPlan();
  p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
  const state = (serial: number, history: HistoryEntry[] = [], lineage = 'L'): StateFile => ({ ...emptyState(lineage), serial, history });
  const plan = (prior: { lineage: string; serial: number } | null) => p.build({ planId: 'P', prior });

  test('first apply: same lineage and serial, or no state at all', () => {
    assert.equal(checkFreshness(plan({ lineage: 'L', serial: 4 }), state(4), 's'), 'fresh');
    assert.equal(checkFreshness(plan(null), state(0), 's'), 'fresh');
    assert.equal(checkFreshness(plan({ lineage: 'random', serial: 0 }), state(0), 's'), 'fresh');
    assert.throws(() => checkFreshness(plan({ lineage: 'L', serial: 4 }), state(5), 's'), /serial 4.*serial 5/);
    assert.throws(() => checkFreshness(plan({ lineage: 'X', serial: 4 }), state(4), 's'), /lineage/);
    assert.throws(() => checkFreshness(plan(null), state(1, [entry('Q', 'ok', 0)]), 's'), /without a state file/);
  });

  test('resume: only while every entry since the first is this plan, from the plan serial', () => {
    const mine = [entry('P', 'interrupted', 4), entry('P', 'failed', 6)];
    assert.equal(checkFreshness(plan({ lineage: 'L', serial: 4 }), state(8, mine), 's'), 'resume');
    assert.equal(checkFreshness(plan(null), state(2, [entry('P', 'running', 0)]), 's'), 'resume');
    assert.throws(() => checkFreshness(plan({ lineage: 'L', serial: 4 }), state(9, [...mine, entry(null, 'ok', 8, 'state rm')]), 's'), /'state rm' changed the state/);
    assert.throws(() => checkFreshness(plan({ lineage: 'L', serial: 3 }), state(8, mine), 's'), /first apply started from serial 4/);
    assert.throws(() => checkFreshness(plan({ lineage: 'L', serial: 4 }), state(8, [...mine, entry('P', 'ok', 7)]), 's'), /already applied completely/);
  });
});

describe('preconditions', () => {
  test('match compares each listed field; absent and present test existence', () => {
    const match = { cloud: 'source' as const, ref: 'nova/servers/1', must: 'match' as const, fields: { status: 'ACTIVE', host: 'n1', gone: null } };
    assert.equal(checkPrecondition(match, { status: 'ACTIVE', host: 'n1' }), null);
    assert.equal(checkPrecondition(match, { status: 'SHUTOFF', host: 'n2' }), 'source nova/servers/1: status is "SHUTOFF", planned "ACTIVE"; host is "n2", planned "n1"');
    assert.equal(checkPrecondition(match, null), 'source nova/servers/1 no longer exists');
    const secret = { cloud: 'source' as const, ref: 'x/y/1', must: 'match' as const, fields: { password: 'a' } };
    assert.doesNotMatch(checkPrecondition(secret, { password: 'hunter2' })!, /hunter2/);
    assert.equal(checkPrecondition({ cloud: 'destination', ref: 'keystone/projects?name=a', must: 'absent' }, null), null);
    assert.match(checkPrecondition({ cloud: 'destination', ref: 'keystone/projects?name=a', must: 'absent' }, { id: 'p' })!, /exists now/);
    assert.match(checkPrecondition({ cloud: 'fuel', ref: 'fuel/nodes/3', must: 'present' }, null)!, /fuel fuel\/nodes\/3 no longer exists/);
  });
});

describe('progress of actions sharing an address', () => {
  test('grant then revoke on one object: the recorded action decides who is done', () => {
    const p = new TestPlan();
    const grant = p.add({ address: 'tenant[a].admin_membership', kind: 'admin_membership', action: 'grant' });
    const revoke = p.add({ address: 'tenant[a].admin_membership', kind: 'admin_membership', action: 'revoke' });
    const plan = p.build({ planId: 'P' });
    const graph = applyGraph(plan);
    assert.deepEqual(graph.prerequisites.get(revoke), [grant], 'revoke waits for grant even without depends_on');
    const obj = (o: Partial<StateObject>): StateFile => ({
      ...emptyState('L'),
      objects: [
        {
          address: 'tenant[a].admin_membership',
          kind: 'admin_membership',
          source_id: 's',
          destination_id: null,
          status: 'pending',
          step: null,
          steps_done: [],
          pending: null,
          attributes: {},
          error: null,
          plan_id: 'P',
          action_id: grant,
          updated_at: 'now',
          ...o,
        },
      ],
    });
    const states = (s: StateFile) => [...actionProgress(plan, graph, s).values()].map((x) => x.state);
    assert.deepEqual(states(obj({ status: 'ready' })), ['done', 'new']);
    assert.deepEqual(states(obj({ action_id: revoke, status: 'pending', steps_done: [] })), ['done', 'started']);
    assert.deepEqual(states(obj({ action_id: revoke, status: 'deleted' })), ['done', 'done']);
    assert.deepEqual(states(obj({ plan_id: 'other', status: 'ready' })), ['new', 'new'], 'another plan says nothing about this one');
  });
});

describe('progress meter and wait', () => {
  test('progress events carry rate and ETA, are throttled, and the last one always goes out', () => {
    const r = new MemoryReporter();
    let now = 0;
    const meter = new ProgressMeter(r, () => now);
    const p = new TestPlan();
    p.add({ address: 'tenant[t].image[i]', kind: 'image', action: 'migrate' });
    const action = p.build().actions[0]!;
    meter.report(action, 'data', 0, 1000);
    now = 100;
    meter.report(action, 'data', 100, 1000);
    now = 1000;
    meter.report(action, 'data', 500, 1000);
    now = 1100;
    meter.report(action, 'data', 1000, 1000);
    const events = r.ofType('progress');
    assert.deepEqual(events.map((e) => e.done_bytes), [0, 500, 1000], 'the 100 ms report was dropped');
    assert.equal(events[1]!.rate_bps, 500);
    assert.equal(events[1]!.eta_s, 1);
    assert.equal(events[2]!.eta_s, 0);
  });

  test('wait polls until done, reports status changes, times out with PH_TIMEOUT', async () => {
    const r = new MemoryReporter();
    let n = 0;
    const value = await waitFor('a', 'ACTIVE', async () => (++n >= 3 ? { done: true, value: 'ok' } : { done: false, status: 'BUILD' }), { timeoutS: 5, intervalMs: 1 }, r, new AbortController().signal);
    assert.equal(value, 'ok');
    assert.equal(r.ofType('wait').length, 1, 'one event per status change');
    await assert.rejects(
      waitFor('a', 'ACTIVE', async () => ({ done: false, status: 'BUILD' }), { timeoutS: 0.02, intervalMs: 5 }, r, new AbortController().signal),
      (err: Error & { code?: string }) => err.code === 'PH_TIMEOUT' && /last status: BUILD/.test(err.message),
    );
    const c = new AbortController();
    c.abort();
    await assert.rejects(waitFor('a', 'x', async () => ({ done: false, status: 's' }), { timeoutS: 5 }, r, c.signal), (err: Error & { code?: string }) => err.code === 'PH_ABORTED');
  });
});
