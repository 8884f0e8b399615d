import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionSpill, SpilledAction, readPlan, serializePlan, writePlan, type Action, type Plan } from '../../src/plan/index.js';
import { plan, type PlanInput } from '../../src/planner/index.js';
import { desired, planOptions, tenant } from '../planner/fixtures/manifest.js';
import { neutronClouds } from '../planner/fixtures/neutron-clouds.js';
import { novaNetworkClouds } from '../planner/fixtures/nova-network-clouds.js';
import { rejection } from '../support/rejection.js';

const HOST = { name: 'node-1', environment: 'new', roles: ['compute'], layout: { kind: 'plugin' as const } };
const IDENTITY = { plan_id: '00000000-0000-4000-8000-000000000001', created_at: '2026-11-27T00:00:00.000Z' };

function input(options: Partial<PlanInput['options']> = {}, clouds = neutronClouds()): PlanInput {
  return {
    desired: desired({ tenants: [tenant('acme', { sourceAfter: 'delete' })], hosts: [HOST] }),
    source: clouds.source,
    destination: clouds.destination,
    fuel: clouds.fuel,
    prior: null,
    options: planOptions(options),
  };
}

/** Where a spill checks its actions: on this thread (small plans) or all on the plan text thread (big ones). */
const CHECKS = [
  ['checked here', undefined],
  ['checked on the plan text thread', 0],
] as const;

function withSpill<T>(fn: (dir: string, spill: ActionSpill) => T, checkHere?: number): T {
  const dir = mkdtempSync(join(tmpdir(), 'ph-spill-'));
  const spill = ActionSpill.open(dir, checkHere === undefined ? {} : { checkHere });
  try {
    return fn(dir, spill);
  } finally {
    spill.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every field of every action as plain data. */
function plain(p: Plan): unknown {
  return JSON.parse(JSON.stringify(p.actions)) as unknown;
}

for (const [checks, checkHere] of CHECKS) describe(`ActionSpill (${checks}): the plan is the same, its actions held on disk`, () => {
  for (const [name, clouds] of [
    ['neutron source', () => neutronClouds()],
    ['nova-network FlatDHCP source', () => novaNetworkClouds('FlatDHCP')],
    ['nova-network VLAN source', () => novaNetworkClouds('VLAN')],
  ] as const) {
    test(`${name}: same file bytes and the same actions as without a spill`, () => {
      const held = plan(input({}, clouds()));
      withSpill((_dir, spill) => {
        const spilled = plan({ ...input({}, clouds()), spill });
        assert.ok(spilled.actions.length > 20);
        assert.ok(spilled.actions.every((a) => a instanceof SpilledAction));
        assert.equal(spill.size, spilled.actions.length);
        assert.deepEqual(spill.problems, []);
        const a = serializePlan(held, { fixedIdentity: IDENTITY });
        const b = serializePlan(spilled, { fixedIdentity: IDENTITY });
        assert.equal(b.text, a.text);
        assert.equal(b.sha256, a.sha256);
        assert.deepEqual(plain(spilled), plain(held));
        // The getters read the spilled members back.
        const server = spilled.actions.find((x) => x.kind === 'server')!;
        const same = held.actions.find((x) => x.id === server.id)!;
        assert.deepEqual(server.after, same.after);
        assert.deepEqual(server.preconditions, same.preconditions);
        assert.deepEqual(server.source, same.source);
      }, checkHere);
    });
  }

  test('a reason rewritten by --target and the assembled depends_on reach the file', async () => {
    const options = { targets: ['tenant[acme].server[web-1]'] };
    const held = plan(input(options));
    const dir = mkdtempSync(join(tmpdir(), 'ph-spill-'));
    const spill = ActionSpill.open(dir, checkHere === undefined ? {} : { checkHere });
    try {
      const spilled = plan({ ...input(options), spill });
      const rewritten = spilled.actions.filter((a) => a.reason.code === 'dependency_of_target');
      assert.ok(rewritten.length > 0, 'some dependency of the target is kept with a rewritten reason');
      const file = join(dir, 'plan.json');
      // Hashed on the plan text thread too when the spill checks there.
      const sha = await writePlan(spilled, file, { fixedIdentity: IDENTITY, ...(checkHere === undefined ? {} : { hashOnThreadFrom: 0 }) });
      assert.equal(sha, serializePlan(held, { fixedIdentity: IDENTITY }).sha256);
      const loaded = await readPlan(file, { expectSha256: sha });
      const byId = new Map(loaded.plan.actions.map((a) => [a.id, a]));
      for (const a of rewritten) assert.equal(byId.get(a.id)!.reason.code, 'dependency_of_target');
      assert.ok(loaded.plan.actions.some((a) => a.depends_on.length > 0));
    } finally {
      spill.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('text reads back the same whether still in flight or written, in any order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spill-'));
    const spill = ActionSpill.open(dir);
    try {
      const base = plan(input()).actions.find((a) => a.kind === 'server')!;
      // ~5,000 actions of ~1.5 KB: several 1 MB chunks, reads across chunk ends.
      const made = Array.from({ length: 5000 }, (_, i) => ({ ...base, id: `id-${i}`, address: `${base.address}-${i}`, warnings: [`warning ${i}`] }));
      const spilled = made.map((a) => spill.put(a));
      const check = (order: readonly number[]): void => {
        for (const i of order) assert.deepEqual(JSON.parse(JSON.stringify(spilled[i])), JSON.parse(JSON.stringify(made[i])), `action ${i}`);
      };
      const reversed = made.map((_, i) => made.length - 1 - i);
      check(reversed); // the first reads find chunks still in flight
      await new Promise((r) => setTimeout(r, 50));
      check(made.map((_, i) => i));
      check(made.map((_, i) => (i * 7919) % made.length));
      assert.ok(spill.bytes > 4 * 2 ** 20);
    } finally {
      spill.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the spill file is unlinked as soon as it is made', () => {
    withSpill((dir, spill) => {
      plan({ ...input(), spill });
      assert.ok(spill.bytes > 0);
      assert.deepEqual(readdirSync(dir), []);
    });
  });

  test('a closed spill cannot be read or written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spill-'));
    try {
      const spill = ActionSpill.open(dir);
      const p = plan({ ...input(), spill });
      spill.close();
      assert.throws(() => p.actions[0]!.after);
      assert.throws(() => spill.put(p.actions[0]!), /closed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const [checks, checkHere] of CHECKS) describe(`ActionSpill (${checks}): what is wrong in a spilled action stops the plan file`, () => {
  async function damaged(change: (a: Action) => Action, expected: RegExp): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spill-'));
    const spill = ActionSpill.open(dir, checkHere === undefined ? {} : { checkHere });
    try {
      const held = plan(input());
      const i = held.actions.findIndex((a) => a.kind === 'user');
      const actions = held.actions.map((a, j) => spill.put(j === i ? change(a) : a));
      const file = join(dir, 'plan.json');
      const err = await rejection(writePlan({ ...held, actions }, file));
      assert.equal(err.code, 'PH_INTERNAL');
      assert.match(err.message, expected);
      assert.ok(!`${err.message} ${JSON.stringify(err)}`.includes('$6$rounds'), 'the secret is not repeated');
      assert.equal(existsSync(file), false);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      spill.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('a secret value', () => damaged((a) => ({ ...a, after: { ...a.after, note: '$6$rounds=5000$salt$hash' } }), /^refusing to write an invalid plan: \/actions\/user\[[^/]+\]\/after\/note looks like a password hash/));
  test('a member the schema does not know', () => damaged((a) => ({ ...a, extra: 1 }) as Action, /^refusing to write an invalid plan: \/actions\/user\[[^/]+\] has an unknown field 'extra'/));
  test('a reason set after spilling is checked when the plan is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-spill-'));
    const spill = ActionSpill.open(dir, checkHere === undefined ? {} : { checkHere });
    try {
      const p = plan({ ...input(), spill });
      (p.actions[3] as SpilledAction).reason = { code: 'Not A Code', text: '' } as unknown as SpilledAction['reason'];
      const err = await rejection(writePlan(p, join(dir, 'plan.json')));
      assert.equal(err.code, 'PH_INTERNAL');
      assert.match(err.message, /\/actions\/3\/reason/);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      spill.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
