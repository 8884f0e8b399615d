import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { applyPlan } from '../../src/apply/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { StateLock } from '../../src/state/index.js';
import { TestPlan, writeTestPlan } from './fixtures/plans.js';
import { code, NO_CLOUDS, World, worldsOfThisFile } from './helpers.js';

const world = worldsOfThisFile();

function small(planId = '00000000-0000-4000-8000-00000000b001', prior: { lineage: string; serial: number } | null = null) {
  const p = new TestPlan();
  const a = p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
  p.add({ address: 'tenant[a].network[n]', kind: 'network', action: 'create', deps: [a] });
  return p.build({ planId, prior });
}

/** Everything apply could have changed, to compare before and after a refusal. */
function snapshot(w: World): string {
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '<absent>');
  return JSON.stringify([read(w.statePath), read(`${w.statePath}.journal.ndjson`), read(`${w.statePath}.lock`), w.cloud.normalized()]);
}

describe('refusals change nothing', () => {
  test('a stale plan (the serial moved) is refused with PH_PLAN_STALE', async () => {
    const w = world();
    assert.equal((await w.apply(small())).result, 'ok');
    const first = await w.state();
    const next = new TestPlan();
    next.add({ address: 'tenant[b]', kind: 'project', action: 'create' });
    assert.equal((await w.apply(next.build({ planId: '00000000-0000-4000-8000-00000000b012', prior: { lineage: first.lineage, serial: first.serial } }), { name: 'next.json' })).result, 'ok');
    const state = await w.state();
    // Made from the state as it was after the first apply: the second moved the serial.
    const stale = small('00000000-0000-4000-8000-00000000b002', { lineage: first.lineage, serial: first.serial });
    const before = snapshot(w);
    await assert.rejects(w.apply(stale, { name: 'stale.json' }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'PH_PLAN_STALE');
      assert.match(err.message, new RegExp(`serial ${first.serial}.*serial ${state.serial}`));
      return true;
    });
    assert.equal(snapshot(w), before);
    assert.equal(w.recorder.calls.length, 0);
  });

  test('another lineage, or a state written since a plan made without one, is stale', async () => {
    const w = world();
    await w.apply(small());
    const state = await w.state();
    const before = snapshot(w);
    await assert.rejects(w.apply(small('00000000-0000-4000-8000-00000000b003', { lineage: 'another-lineage', serial: state.serial }), { name: 'l.json' }), /lineage/);
    await assert.rejects(w.apply(small('00000000-0000-4000-8000-00000000b004', null), { name: 'n.json' }), /without a state file/);
    assert.equal(snapshot(w), before);
  });

  test('a plan made against a missing state (serial 0, any lineage) applies to a missing state', async () => {
    const w = world();
    const r = await w.apply(small('00000000-0000-4000-8000-00000000b005', { lineage: 'made-up-when-read', serial: 0 }));
    assert.equal(r.result, 'ok');
  });

  test('a failed plan cannot be resumed once another plan changed the state', async () => {
    const w = world();
    const failing = small('00000000-0000-4000-8000-00000000b006');
    const r = await w.apply(failing, { kinds: { fail: (a) => (a.kind === 'network' ? new Error('boom') : undefined) } });
    assert.equal(r.result, 'failed');
    const state = await w.state();
    const other = new TestPlan();
    other.add({ address: 'tenant[z]', kind: 'project', action: 'create' });
    assert.equal((await w.apply(other.build({ planId: '00000000-0000-4000-8000-00000000b007', prior: { lineage: state.lineage, serial: state.serial } }), { name: 'o.json' })).result, 'ok');
    const before = snapshot(w);
    await assert.rejects(w.apply(failing), (err: Error & { code?: string }) => err.code === 'PH_PLAN_STALE' && /cannot be resumed/.test(err.message));
    assert.equal(snapshot(w), before);
  });

  test('a tampered plan is refused with PH_PLAN_TAMPERED, and a wrong --expect-sha256 too', async () => {
    const w = world();
    const { path, sha256 } = await writeTestPlan(small(), w.dir);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"tenant[a].network[n]"', '"tenant[a].network[m]"'));
    const before = snapshot(w);
    await assert.rejects(w.applyFile(path), code('PH_PLAN_TAMPERED'));
    writeFileSync(path, text);
    await assert.rejects(w.applyFile(path, { expectSha256: 'f'.repeat(64) }), code('PH_PLAN_TAMPERED'));
    assert.equal(snapshot(w), before);
    assert.equal(w.recorder.calls.length, 0);
    assert.equal((await w.applyFile(path, { expectSha256: sha256.toUpperCase() })).result, 'ok');
  });

  test('a plan made by another pumphouse version is refused (PH_PLAN_VERSION)', async () => {
    const w = world();
    const { path } = await writeTestPlan(small(), w.dir);
    await assert.rejects(w.applyFile(path, { runningVersion: '9.9.9' }), code('PH_PLAN_VERSION'));
    assert.equal(existsSync(w.statePath), false);
  });

  test('a plan with error diagnostics is refused (PH_PLAN_INVALID)', async () => {
    const w = world();
    const plan = small();
    const broken = { ...plan, diagnostics: [{ severity: 'error' as const, summary: 'host node-9 is not a Fuel node' }], applyable: false };
    await assert.rejects(w.apply(broken), (err: Error & { code?: string }) => err.code === 'PH_PLAN_INVALID' && /node-9/.test(err.message));
    assert.equal(existsSync(w.statePath), false);
  });

  test('a second apply on a locked state is refused with PH_STATE_LOCKED; the first finishes', async () => {
    const w = world();
    const plan = small();
    const first = w.apply(plan, { kinds: { delayMs: () => 150 } });
    while (!existsSync(`${w.statePath}.lock`)) await new Promise((r) => setTimeout(r, 5));
    const { path } = await writeTestPlan(plan, w.dir, 'copy.json');
    await assert.rejects(w.applyFile(path), code('PH_STATE_LOCKED'));
    assert.equal((await first).result, 'ok');
  });

  test('a held lock is waited for up to the lock timeout, then PH_STATE_LOCKED names the holder', async () => {
    const w = world();
    const lock = await StateLock.acquire(w.statePath, { operation: 'state rm', who: 'ops@jump' });
    try {
      const before = snapshot(w);
      await assert.rejects(w.apply(small(), { lockTimeoutMs: 300 }), (err: Error & { code?: string }) => err.code === 'PH_STATE_LOCKED' && /ops@jump/.test(err.message));
      assert.equal(snapshot(w), before);
    } finally {
      await lock.release();
    }
  });

  test('a build lacking a kind or a step refuses before touching anything (PH_INTERNAL)', async () => {
    const w = world();
    const { path } = await writeTestPlan(small(), w.dir);
    const none = applyPlan({ planPath: path, statePath: w.statePath, registry: kindRegistry({ handlers: [] }), clouds: NO_CLOUDS });
    await assert.rejects(none, (err: Error & { code?: string }) => err.code === 'PH_INTERNAL' && /network, project/.test(err.message));
    const partial = kindRegistry({
      handlers: [
        { kind: 'project', steps: { create: ['create'] }, runStep: async () => ({}) },
        { kind: 'network', steps: { create: ['make'] }, runStep: async () => ({}) },
      ],
    });
    await assert.rejects(applyPlan({ planPath: path, statePath: w.statePath, registry: partial, clouds: NO_CLOUDS }), /has no step create/);
    assert.equal(existsSync(w.statePath), false);
    assert.equal(existsSync(`${w.statePath}.lock`), false);
  });
});
