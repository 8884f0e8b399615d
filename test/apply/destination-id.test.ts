import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findObject } from '../../src/state/index.js';
import { TestPlan } from './fixtures/plans.js';
import { worldsOfThisFile } from './helpers.js';

const world = worldsOfThisFile();

// ctx.recorded.destinationId: the plan's id at the start of an action, then whatever a step
// of this very action recorded; never an id an earlier action left in the state.
describe('which destination id a step sees', () => {
  test("an adopt planned on an observed copy sees the plan's id, not the vanished one an earlier apply recorded", async () => {
    const w = world();
    const first = new TestPlan();
    first.add({ address: 'tenant[a]', kind: 'project', action: 'create', after: { name: 'a' } });
    assert.equal((await w.apply(first.build({ planId: '00000000-0000-4000-8000-00000000d001' }))).result, 'ok');
    const s1 = await w.state();
    const made = findObject(s1, 'tenant[a]')!.destination_id;
    assert.ok(made);

    // The planner found `made` gone and a marked copy `observed-copy` instead: adopt it.
    const second = new TestPlan();
    second.add({ address: 'tenant[a]', kind: 'project', action: 'adopt', destinationId: 'observed-copy', after: { name: 'a' } });
    const seen: (string | null)[] = [];
    const r = await w.apply(second.build({ planId: '00000000-0000-4000-8000-00000000d002', prior: { lineage: s1.lineage, serial: s1.serial } }), {
      name: 'adopt.json',
      kinds: {
        inspect: async (_a, _step, ctx) => {
          seen.push(ctx.recorded.destinationId);
        },
      },
    });
    assert.equal(r.result, 'ok');
    assert.ok(seen.length >= 1);
    assert.ok(seen.every((id) => id === 'observed-copy'), `steps saw ${seen.join(', ')} (the state's stale id is ${made})`);
  });

  test('a create planned after the recorded object vanished starts without the old id', async () => {
    const w = world();
    const first = new TestPlan();
    first.add({ address: 'tenant[a]', kind: 'project', action: 'create', after: { name: 'a' } });
    await w.apply(first.build({ planId: '00000000-0000-4000-8000-00000000d011' }));
    const s1 = await w.state();
    const old = findObject(s1, 'tenant[a]')!.destination_id!;
    w.cloud.remove(old);

    const again = new TestPlan();
    again.add({ address: 'tenant[a]', kind: 'project', action: 'create', after: { name: 'a' } });
    let seen: string | null | undefined;
    const r = await w.apply(again.build({ planId: '00000000-0000-4000-8000-00000000d012', prior: { lineage: s1.lineage, serial: s1.serial } }), {
      name: 'again.json',
      kinds: {
        inspect: async (_a, step, ctx) => {
          if (step === 'create') seen = ctx.recorded.destinationId;
        },
      },
    });
    assert.equal(r.result, 'ok');
    assert.equal(seen, null);
    const now = findObject(await w.state(), 'tenant[a]')!.destination_id;
    assert.ok(now && now !== old);
  });

  test("a resumed apply sees the id a step of this action recorded, not the plan's", async () => {
    const w = world();
    const p = new TestPlan();
    // Planned against a destination object that this migrate replaces (its boot makes a new one).
    p.add({ address: 'tenant[t].server[vm]', kind: 'server', action: 'migrate', destinationId: 'planned-id', steps: ['boot', 'verify'] });
    const plan = p.build({ planId: '00000000-0000-4000-8000-00000000d021' });
    let failVerify = true;
    const first = await w.apply(plan, {
      kinds: { fail: (_a, step) => (step === 'verify' && failVerify ? new Error('verify broke') : undefined) },
    });
    assert.equal(first.result, 'failed');
    const booted = findObject(await w.state(), 'tenant[t].server[vm]')!.destination_id;
    assert.ok(booted && booted !== 'planned-id');

    failVerify = false;
    let seen: string | null | undefined;
    const resumed = await w.apply(plan, {
      kinds: {
        inspect: async (_a, step, ctx) => {
          if (step === 'verify') seen = ctx.recorded.destinationId;
        },
      },
    });
    assert.equal(resumed.result, 'ok');
    assert.equal(seen, booted);
    assert.equal(findObject(await w.state(), 'tenant[t].server[vm]')!.destination_id, booted);
  });
});
