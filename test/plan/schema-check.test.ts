import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { planSchemaPath } from '../../src/plan/index.js';
import { actionSchemaProblems, holesAreValid } from '../../src/plan/schema.js';
import { compileCheck } from '../../src/plan/schema-check.js';
import { largePlan, smallPlan } from './fixtures.js';
import { prng } from '../support/prng.js';

const schema = JSON.parse(readFileSync(planSchemaPath(), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false });
const byAjv = ajv.compile(schema);
const quick = compileCheck(schema);

// Values that hit the schema's edges: wrong types, patterns, enums, refs, non-finite numbers.
const ODD: readonly unknown[] = [
  null, true, 0, -1, 1.5, NaN, Infinity, '', 'x', 'X Y', 'create', 'no-op', 'server', 'source', 'match', 'absent',
  'aaaaaaaaaaaa', 'nova/servers/abc', 'nova/servers?name=x', 'http://a:b@h/', 'http://h:5000/v3', '2026-11-26T12:00:00Z',
  '0'.repeat(64), '😀', [], ['a', 'a'], ['a', 'b'], [1], {}, { $ref: 'abc' }, { $ref: 'abc', field: 'id' }, { $ref: 'a b' },
  { $ref: 'abc', extra: 1 }, { $secret: 'nova/x/y/z' }, { $secret: 'bad' }, { $ref: 'a', $secret: 'nova/x/y/z' }, { a: { $ref: 1 } },
  { code: 'up_to_date', text: 't' }, { downtime: false, destructive: false, irreversible: false }, undefined,
];

/** A deep copy with one random change somewhere: replace, delete or add a member / item. */
function damage(value: unknown, rnd: () => number): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let node: unknown = copy;
  for (let depth = 0; depth < 12; depth++) {
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : isObject(node) ? Object.keys(node) : [];
    if (keys.length === 0) break;
    const key = pick(keys);
    const child = (node as Record<string | number, unknown>)[key];
    const stop = rnd() < 0.25 || (!Array.isArray(child) && !isObject(child));
    if (!stop) {
      node = child;
      continue;
    }
    const r = rnd();
    const target = node as Record<string | number, unknown>;
    if (r < 0.6) target[key] = structuredClone(pick(ODD));
    else if (r < 0.8) {
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete target[key];
    } else if (Array.isArray(node)) node.push(structuredClone(pick(ODD)));
    else target[pick(['extra', '$ref', '$secret', 'fields', 'tenant', 'password', String(key)])] = structuredClone(pick(ODD));
    break;
  }
  return copy;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

describe('schema-check: the quick yes/no agrees with ajv', () => {
  test('the example plans are valid for both', () => {
    for (const p of [smallPlan(), largePlan()]) {
      const file = { ...JSON.parse(JSON.stringify(p)), checksum: 'a'.repeat(64) };
      assert.equal(byAjv(file), true);
      assert.equal(quick(file), true);
    }
  });

  test('thousands of damaged plans get the same verdict', () => {
    const rnd = prng(2026);
    const base = { ...JSON.parse(JSON.stringify(smallPlan())), checksum: 'a'.repeat(64) };
    let invalid = 0;
    for (let i = 0; i < 4000; i++) {
      let v: unknown = base;
      for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) v = damage(v, rnd);
      const expected = byAjv(v);
      if (!expected) invalid++;
      assert.equal(quick(v), expected, `damaged plan ${i}: ajv says ${expected}`);
    }
    assert.ok(invalid > 1000 && invalid < 3900, `${invalid} invalid: the damage must hit both valid and invalid cases`);
  });

  test('edges: non-finite numbers, undefined members, code points, duplicates', () => {
    const base = () => ({ ...JSON.parse(JSON.stringify(smallPlan())), checksum: 'a'.repeat(64) }) as Record<string, any>;
    const i = base().actions.findIndex((a: any) => a.impact.estimate_s !== undefined);
    const cases: ((p: Record<string, any>) => void)[] = [
      (p) => (p.actions[i].impact.estimate_s = NaN),
      (p) => (p.actions[i].impact.estimate_s = Infinity),
      (p) => (p.actions[i].impact.estimate_s = -1),
      (p) => (p.actions[i].impact.bytes = 1.5),
      (p) => (p.actions[0].tenant = undefined),
      (p) => (p.actions[0].colour = undefined),
      (p) => (p.actions[0].after = { ...p.actions[0].after, x: undefined }),
      (p) => (p.actions[0].address = '😀'),
      (p) => (p.actions[0].depends_on = ['a', 'a']),
      (p) => (p.actions[0].depends_on = ['b', 'a', 'c', 'a']),
      (p) => (p.actions[0].depends_on = [...Array.from({ length: 20 }, (_, k) => `d${k}`), 'd3']),
      (p) => (p.actions[0].depends_on = Array.from({ length: 20 }, (_, k) => `d${k}`)),
      (p) => (p.actions[0].depends_on = ['a', 1, 'a']),
      (p) => (p.actions[0].reason.text = ''),
      (p) => (p.actions[0].preconditions = [{ cloud: 'source', ref: 'nova/servers/x', must: 'present', fields: { a: 1 } }]),
      (p) => (p.actions[0].preconditions = [{ cloud: 'source', ref: 'nova/servers/x', must: 'match' }]),
      (p) => (p.summary.by_kind = { spaceship: 1 }),
      (p) => (p.prior_state = { lineage: 'l', serial: 1 }),
      (p) => (p.config.source.auth_url = 'http://u:p@h/'),
    ];
    for (const [n, change] of cases.entries()) {
      const v = base();
      change(v);
      assert.equal(quick(v), byAjv(v), `case ${n}`);
    }
  });

  test('keywords it does not know make it refuse to compile (ajv then decides alone)', () => {
    assert.throws(() => compileCheck({ type: 'string', format: 'email' }), /unsupported keyword format/);
    assert.throws(() => compileCheck({ items: [{ type: 'string' }] }), /tuple/);
  });
});

describe('schema-check: one action at a time (actionSchemaProblems)', () => {
  const actionAjv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false });
  const byAjvAction = actionAjv.compile({ definitions: (schema as { definitions: object }).definitions, $ref: '#/definitions/action' });

  test('a valid action has no problems, and the answer is the same shared empty array', () => {
    const actions = (JSON.parse(JSON.stringify(largePlan())) as { actions: unknown[] }).actions;
    const first = actionSchemaProblems(actions[0], '/actions/0');
    assert.deepEqual(first, []);
    for (const [i, a] of actions.entries()) assert.equal(actionSchemaProblems(a, `/actions/${i}`), first);
    assert.ok(Object.isFrozen(first));
  });

  test('damaged actions get the verdict ajv gives, problems named under the pointer', () => {
    const rnd = prng(77);
    const actions = (JSON.parse(JSON.stringify(smallPlan())) as { actions: unknown[] }).actions;
    let invalid = 0;
    for (let i = 0; i < 1500; i++) {
      const action = damage(actions[i % actions.length], rnd);
      const problems = actionSchemaProblems(action, '/actions/7');
      assert.equal(problems.length === 0, byAjvAction(action), `damaged action ${i}`);
      if (problems.length > 0) {
        invalid++;
        for (const p of problems) assert.match(String(p.location?.field), /^\/actions\/7(\/|$)/);
      }
    }
    assert.ok(invalid > 300 && invalid < 1400, `${invalid} invalid`);
  });

  test('a missing field is worded with the field and the action pointer', () => {
    const action = { ...(JSON.parse(JSON.stringify(smallPlan())) as { actions: Record<string, unknown>[] }).actions[0] };
    delete action['steps'];
    const problems = actionSchemaProblems(action, '/actions/3', 'plan.json');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.message, "/actions/3 is missing the field 'steps'");
    assert.deepEqual(problems[0]!.location, { file: 'plan.json', field: '/actions/3' });
  });
});

describe('schema-check: the two members a spilled action leaves out (holesAreValid)', () => {
  const actionAjv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false });
  const action = (schema as { definitions: { action: { properties: Record<string, object> } } }).definitions.action;
  const byAjv = actionAjv.compile({
    definitions: (schema as { definitions: object }).definitions,
    type: 'object',
    required: ['depends_on', 'reason'],
    properties: { depends_on: action.properties['depends_on']!, reason: action.properties['reason']! },
  });

  test('agrees with ajv on damaged depends_on and reason, whatever the rest holds', () => {
    const rnd = prng(91);
    const actions = (JSON.parse(JSON.stringify(smallPlan())) as { actions: Record<string, unknown>[] }).actions;
    let invalid = 0;
    for (let i = 0; i < 1500; i++) {
      const a = actions[i % actions.length]!;
      const holes = damage({ depends_on: a['depends_on'], reason: a['reason'] }, rnd) as Record<string, unknown>;
      // The rest of the action is broken on purpose: only the two members count.
      const value = { ...a, steps: 7, depends_on: holes['depends_on'], reason: holes['reason'] };
      const valid = holesAreValid(value);
      assert.equal(valid, byAjv(value), `damaged holes ${i}`);
      if (!valid) invalid++;
    }
    assert.ok(invalid > 100 && invalid < 1400, `${invalid} invalid`);
    assert.equal(holesAreValid({ depends_on: ['a1', 'a1'], reason: { code: 'x', text: 'y' } }), false, 'ids are unique');
    assert.equal(holesAreValid({ depends_on: [], reason: { code: 'Not A Code', text: 'y' } }), false);
    assert.equal(holesAreValid({ depends_on: ['a1'], reason: { code: 'x', text: 'y' } }), true);
  });
});
