// plans/ holds example plans made by the real planner against the simulator
// (scripts/golden-plans.ts). They must stay exactly what the planner writes today, so a change
// to discovery, the planner or the plan format shows up here as a reviewed regeneration:
//   node --import tsx scripts/golden-plans.ts
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GOLDEN_IDENTITY, goldenPlans } from '../../scripts/golden-plans.js';
import { readPlan } from '../../src/plan/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('plans/: the committed example plans are what the planner writes', () => {
  let made: Map<string, string>;
  before(async () => {
    made = await goldenPlans();
  });

  test('every example has its manifest, plan and Markdown rendering', () => {
    assert.deepEqual([...made.keys()].sort(), [
      'plans/example-500.manifest.yaml', 'plans/example-500.md', 'plans/example-500.plan.json',
      'plans/example-small.manifest.yaml', 'plans/example-small.md', 'plans/example-small.plan.json',
    ]);
  });

  test('each committed file equals what scripts/golden-plans.ts produces', async () => {
    for (const [path, text] of made) {
      const committed = await readFile(join(root, path), 'utf8');
      if (committed === text) continue;
      const a = text.split('\n');
      const e = committed.split('\n');
      const i = a.findIndex((l, k) => l !== e[k]);
      assert.fail(`${path} differs at line ${i + 1}:\n  committed: ${e[i]}\n  planner:   ${a[i]}\nReview the change, then: node --import tsx scripts/golden-plans.ts`);
    }
  });

  test('the plans verify, come from the planner with the fixed identity, and are applyable', async () => {
    for (const name of ['small', '500']) {
      const loaded = await readPlan(join(root, `plans/example-${name}.plan.json`));
      assert.equal(loaded.plan.plan_id, GOLDEN_IDENTITY.plan_id);
      assert.equal(loaded.plan.manifest.path, `plans/example-${name}.manifest.yaml`);
      assert.equal(loaded.plan.applyable, true, name);
      assert.ok(!loaded.plan.diagnostics.some((d) => d.severity === 'error'), name);
    }
  });

  test('the 500-server example has 500 servers, hosts to move, and every source_after', async () => {
    const { plan } = await readPlan(join(root, 'plans/example-500.plan.json'));
    assert.equal(plan.actions.filter((a) => a.kind === 'server').length, 500);
    assert.deepEqual(new Set(plan.actions.filter((a) => a.kind === 'source_after').map((a) => a.action)), new Set(['no-op', 'stop', 'delete']));
    assert.equal(plan.actions.filter((a) => a.kind === 'host_reassign' && a.action === 'reassign').length, 2);
  });
});
