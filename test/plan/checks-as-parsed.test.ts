import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError, type Problem } from '../../src/errors/index.js';
import { canonicalJson, planChecksum, verifyPlanBytes } from '../../src/plan/index.js';
import { secretProblems } from '../../src/plan/secret-scan.js';
import { schemaProblems } from '../../src/plan/schema.js';
import { structureProblems } from '../../src/plan/validate.js';
import { largePlan, smallPlan } from './fixtures.js';

/** Canonical text with a correct checksum (integrity passes), and the record it holds. */
function forge(mutate: (p: Record<string, any>) => void, base = smallPlan()): { bytes: Uint8Array; record: Record<string, unknown> } {
  const p = JSON.parse(JSON.stringify(base)) as Record<string, any>;
  mutate(p);
  delete p.checksum;
  const text = canonicalJson({ ...p, checksum: planChecksum(p) });
  return { bytes: new TextEncoder().encode(text), record: JSON.parse(text) as Record<string, unknown> };
}

/** What the reader reports, and what the checks run on the whole parsed plan report. */
function both(mutate: (p: Record<string, any>) => void, base?: ReturnType<typeof smallPlan>): [readonly Problem[], readonly Problem[]] {
  const { bytes, record } = forge(mutate, base);
  const { checksum: _c, ...plan } = record;
  const expected = [...structureProblems(record, 'plan.json'), ...secretProblems(plan, 'plan.json')];
  try {
    verifyPlanBytes(bytes, { file: 'plan.json', toolVersion: 'any' });
    return [[], expected];
  } catch (e) {
    assert.ok(PumphouseError.is(e), String(e));
    assert.equal(e.code, 'PH_PLAN_INVALID', e.message);
    return [e.problems, expected];
  }
}

describe('PlanChecksAsParsed: the reader checks actions as they are parsed, with the same answers', () => {
  const cases: [string, (p: Record<string, any>) => void][] = [
    ['valid', () => {}],
    ['an action fails the schema', (p) => (p.actions[2].kind = 'spaceship')],
    ['two actions fail the schema', (p) => ((p.actions[1].steps = [1]), (p.actions[4].impact = {}))],
    ['the rest fails the schema', (p) => (p.summary.total = -1)],
    ['the rest and an action fail', (p) => ((p.summary.total = -1), (p.actions[0].id = 'a b'))],
    ['a secret in an action', (p) => (p.actions[3].after = { ...p.actions[3].after, password: 'x' })],
    ['a secret-looking value in an action and in the rest', (p) => ((p.actions[1].reason.text = 'http://u:p@h/'), (p.manifest.path = '$6$salt$hash'))],
    ['a secret in the rest only', (p) => (p.diagnostics = [{ severity: 'warning', summary: 'gAAAAA' + 'x'.repeat(40) }])],
    ['a duplicate id and a dependency on a later action', (p) => ((p.actions[3].id = p.actions[1].id), (p.actions[0].depends_on = [p.actions[5].id]))],
    ['a kind that cannot take the action, and a summary that does not match', (p) => (p.actions[0].action = 'evacuate')],
    ['schema fails and a secret', (p) => ((p.actions[2].address = ''), (p.actions[2].after = { token: 'x' }))],
  ];
  for (const [name, mutate] of cases) {
    test(name, () => {
      const [got, expected] = both(mutate);
      assert.deepEqual(got, expected);
      if (name !== 'valid') assert.ok(expected.length > 0, 'the case must be a problem');
    });
  }

  test('a large plan reads clean', () => {
    const [got, expected] = both(() => {}, largePlan());
    assert.deepEqual(got, []);
    assert.deepEqual(expected, []);
  });

  test('schemaProblems with actionsValid skips the actions, and only them', () => {
    const { record } = forge((p) => (p.actions[2].kind = 'spaceship'));
    assert.ok(schemaProblems(record).length > 0);
    assert.deepEqual(schemaProblems(record, undefined, { actionsValid: true }), []);
    const rest = forge((p) => (p.summary.total = -1)).record;
    assert.equal(schemaProblems(rest, undefined, { actionsValid: true }).length, schemaProblems(rest).length);
  });
});
