import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SecretValue } from '../../src/kinds/contract.js';
import { findObject } from '../../src/state/index.js';
import { TestPlan } from './fixtures/plans.js';
import { worldsOfThisFile } from './helpers.js';

const world = worldsOfThisFile();

describe('what steps get and record', () => {
  test('$refs resolve to destination ids and named outputs, from this run and from no-ops', async () => {
    const w = world();
    const p = new TestPlan();
    const role = p.add({ address: 'role[member]', kind: 'role', action: 'no-op', destinationId: 'role-in-destination', after: { name: 'member', tag: 'plain' } });
    const project = p.add({ address: 'tenant[a]', kind: 'project', action: 'create', after: { name: 'a', enabled: true } });
    const net = p.add({ address: 'tenant[a].network[n]', kind: 'network', action: 'create', deps: [project, role], after: { name: 'n', project_id: { $ref: project } } });
    p.add({
      address: 'tenant[a].subnet[s]',
      kind: 'subnet',
      action: 'create',
      deps: [net, role],
      after: { network_id: { $ref: net }, made: { $ref: net, field: 'made_by' }, role: { $ref: role }, tag: { $ref: role, field: 'tag' }, list: [{ $ref: project }] },
    });
    const r = await w.apply(p.build());
    assert.equal(r.result, 'ok');
    const projectObj = w.cloud.find('project', 'src:tenant[a]')!;
    const netObj = w.cloud.find('network', 'src:tenant[a].network[n]')!;
    assert.equal(netObj.attrs.project_id, projectObj.id);
    assert.deepEqual(w.cloud.find('subnet', 'src:tenant[a].subnet[s]')!.attrs, {
      network_id: netObj.id,
      made: 'create',
      role: 'role-in-destination',
      tag: 'plain',
      list: [projectObj.id],
    });
    const state = await w.state();
    const o = findObject(state, 'tenant[a].network[n]')!;
    assert.equal(o.destination_id, netObj.id);
    // Planned literal facts and step outputs, never refs.
    assert.deepEqual(o.attributes, { made_by: 'create', name: 'n' });
  });

  test('$secrets reach the kind as SecretValues (masked when printed) and never the state', async () => {
    const w = world();
    const p = new TestPlan();
    const user = p.add({ address: 'user[u]', kind: 'user', action: 'create', after: { name: 'u' } });
    p.add({ address: 'user[u].password_hash', kind: 'password_hash', action: 'update', deps: [user], after: { user_id: { $ref: user }, password_hash: { $secret: 'keystone/user/x/password_hash' } } });
    let seen: unknown;
    const r = await w.apply(p.build(), {
      kinds: {
        inspect: async (a, step, ctx) => {
          if (a.kind === 'password_hash' && step === 'write_destination_hash') seen = (await ctx.resolveAfter()).password_hash;
        },
      },
    });
    assert.equal(r.result, 'ok');
    assert.ok(seen instanceof SecretValue);
    assert.equal(String(seen), '***');
    assert.equal(JSON.stringify({ seen }), '{"seen":"***"}');
    assert.equal((seen as SecretValue).reveal(), '$6$rounds=1$salt$fakehashvalue');
    assert.equal(w.cloud.find('password_hash', 'src:user[u].password_hash')!.attrs.password_hash, '$6$rounds=1$salt$fakehashvalue');
    assert.doesNotMatch(readFileSync(w.statePath, 'utf8'), /fakehashvalue/);
    assert.doesNotMatch(JSON.stringify(w.reporter.events), /fakehashvalue/);
  });

  test('temporaries are journaled while they exist and gone once cleaned; progress and wait events go out', async () => {
    const w = world();
    const p = new TestPlan();
    p.add({ address: 'tenant[t].server[vm]', kind: 'server', action: 'migrate' });
    let during: unknown[] = [];
    const r = await w.apply(p.build(), {
      kinds: {
        delayMs: (_a, step) => (step === 'boot' ? 30 : 0),
        inspect: async (_a, step, ctx) => {
          if (step === 'transfer') during = ctx.temporaries.list().map((t) => [t.id, t.kind, t.resource_id !== null]);
        },
      },
    });
    assert.equal(r.result, 'ok');
    assert.deepEqual(during, [[`${p.actions[0]!.id}/snapshot-image`, 'image', true]]);
    assert.deepEqual((await w.state()).temporaries, []);
    const progress = w.reporter.ofType('progress');
    assert.ok(progress.length >= 1);
    const last = progress.at(-1)!;
    assert.deepEqual([last.label, last.done_bytes, last.total_bytes, last.eta_s], ['data', 100, 100, 0]);
    const waits = w.reporter.ofType('wait');
    assert.equal(waits[0]?.status, 'BUILD');
    assert.equal(waits[0]?.address, 'tenant[t].server[vm]');
  });

  test('remembered facts are journaled with the pending step and readable by it', async () => {
    const w = world();
    const p = new TestPlan();
    p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
    let read: unknown;
    await w.apply(p.build(), {
      kinds: {
        inspect: async (_a, _step, ctx) => {
          await ctx.remember({ name: 'a-made-here' });
          await ctx.remember({ token: 'gAAAAA-secret', attempt: 1 });
          read = ctx.recorded.remembered;
        },
      },
    });
    assert.deepEqual(read, { name: 'a-made-here', token: '***', attempt: 1 });
  });
});
