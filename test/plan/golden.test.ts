import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderJson, renderMarkdown, renderText, serializePlan } from '../../src/plan/index.js';
import { FIXED_IDENTITY, largePlan, smallPlan } from './fixtures.js';

// UPDATE_GOLDEN=1 rewrites the golden renderings of the fixture plans (renderer tests). The
// example plans in plans/ come from the real planner: scripts/golden-plans.ts and golden-plans.test.ts.
const update = process.env.UPDATE_GOLDEN === '1';
const root = join(import.meta.dirname, '..', '..');

function golden(file: string, actual: string): void {
  const path = join(root, file);
  if (update) writeFileSync(path, actual);
  const expected = readFileSync(path, 'utf8');
  if (expected !== actual) {
    const a = actual.split('\n');
    const e = expected.split('\n');
    const i = a.findIndex((l, k) => l !== e[k]);
    assert.fail(`${file} differs at line ${i + 1}:\n  expected: ${e[i]}\n  actual:   ${a[i]}\n(UPDATE_GOLDEN=1 rewrites it after review)`);
  }
}

describe('golden renderings', () => {
  const small = serializePlan(smallPlan(), { fixedIdentity: FIXED_IDENTITY });
  const smallOpts = { sha256: small.sha256, path: 'plans/example-small.plan.json' };

  test('text', () => golden('test/plan/golden/example-small.txt', renderText(small.plan, smallOpts)));
  test('text with colour differs only by ANSI codes', () => {
    const coloured = renderText(small.plan, { ...smallOpts, color: true });
    assert.notEqual(coloured, renderText(small.plan, smallOpts));
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), renderText(small.plan, smallOpts));
  });
  test('markdown', () => golden('test/plan/golden/example-small.md', renderMarkdown(small.plan, smallOpts)));
  test('json is the plan without its checksum, canonical', () => {
    const json = renderJson(small.plan);
    golden('test/plan/golden/example-small.json', json);
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(smallPlan())));
  });

  test('markdown of the 500-server plan', () => {
    const large = serializePlan(largePlan(), { fixedIdentity: FIXED_IDENTITY });
    golden('test/plan/golden/example-500.md', renderMarkdown(large.plan, { sha256: large.sha256, path: 'plans/example-500.plan.json' }));
  });
});
