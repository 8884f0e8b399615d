import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionOrder, consistencyProblems } from '../../src/plan/consistency.js';
import { ACTION_TYPES } from '../../src/plan/kinds.js';
import { summarize } from '../../src/plan/summary.js';
import type { Plan } from '../../src/plan/index.js';
import { largePlan, smallPlan } from './fixtures.js';

function copy(p: Plan): Plan & { actions: any[] } {
  return JSON.parse(JSON.stringify(p)) as Plan & { actions: any[] };
}

describe('consistencyProblems', () => {
  test('the example plans are consistent', () => {
    assert.deepEqual(consistencyProblems(smallPlan()), []);
    assert.deepEqual(consistencyProblems(largePlan()), []);
  });

  test('every problem, ids and pairs first, then dependencies in action order', () => {
    const p = copy(smallPlan());
    const a = p.actions;
    a[3].id = a[1].id; // duplicate
    a[2].depends_on = [a[6].id, 'ffffffffffff', 'not-hex-id']; // later, nowhere, nowhere
    a[4].depends_on = [a[4].id]; // itself: not earlier
    a[5].depends_on = [a[3].id]; // the duplicated id names its first place (1): fine
    a[0].kind = 'flavor';
    a[0].action = 'migrate';
    const fields = consistencyProblems(p, 'f.json').map((x) => [x.location?.field, x.location?.file]);
    assert.deepEqual(fields, [
      ['/actions/0/action', 'f.json'],
      ['/actions/3/id', 'f.json'],
      ['/actions/2/depends_on/0', 'f.json'],
      ['/actions/2/depends_on/1', 'f.json'],
      ['/actions/2/depends_on/2', 'f.json'],
      ['/actions/4/depends_on/0', 'f.json'],
      ['/summary', 'f.json'],
    ]);
    const messages = consistencyProblems(p).map((x) => x.message);
    assert.match(messages[1]!, /^\/actions\/3\/id duplicates the id of \/actions\/1$/);
    assert.match(messages[2]!, /comes later/);
    assert.match(messages[3]!, /names no action in the plan \(ffffffffffff\)/);
    assert.match(messages[4]!, /names no action in the plan \(not-hex-id\)/);
    assert.match(messages[5]!, /comes later/);
  });

  test('a plan whose ids are not the planner hex form is checked the same way', () => {
    const p = copy(smallPlan());
    const rename = new Map(p.actions.map((a, i) => [a.id as string, `Action-${i}`]));
    for (const a of p.actions) {
      a.id = rename.get(a.id);
      a.depends_on = a.depends_on.map((d: string) => rename.get(d));
    }
    assert.deepEqual(consistencyProblems(p), []);
    p.actions[1].depends_on = ['Action-9'];
    assert.deepEqual(consistencyProblems(p).map((x) => x.location?.field), ['/actions/1/depends_on/0']);
  });

  test("the summary counted while walking is summarize()'s, on changed actions too", () => {
    let seed = 5;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (const base of [smallPlan(), largePlan()]) {
      for (let round = 0; round < 20; round++) {
        const p = copy(base);
        for (const a of p.actions) {
          const r = next() % 10;
          if (r === 0) a.action = ACTION_TYPES[next() % ACTION_TYPES.length];
          if (r === 1) a.impact = { downtime: next() % 2 === 0, destructive: next() % 2 === 0, irreversible: next() % 2 === 0, bytes: next() % 1000 };
          if (r === 2) a.kind = 'server';
        }
        const order = new ActionOrder();
        for (const a of p.actions) order.add(a);
        assert.deepEqual(order.summary(), summarize(p.actions));
      }
    }
  });
});
