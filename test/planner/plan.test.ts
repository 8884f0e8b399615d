import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCE_KINDS, actionId } from '../../src/plan/index.js';
import { at, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';

const HOST = { name: 'node-1', environment: 'new', roles: ['compute'], layout: { kind: 'copy-from' as const, node: 'new-compute' } };

function full() {
  const c = neutronClouds();
  const want = desired({ tenants: [tenant('acme', { sourceAfter: 'delete' })], hosts: [HOST] });
  return { c, want, p: run({ desired: want, source: c.source, destination: c.destination, fuel: c.fuel }) };
}

describe('plan: a tenant with everything', () => {
  test('every resource kind gets an action', () => {
    const { c } = full();
    // RBAC needs a second migrated tenant to open acme's network to (test/planner/rbac.test.ts);
    // a server group (test/planner/server-group.test.ts).
    c.source.rbacPolicies = [{ id: 's-rbac', objectType: 'network', objectId: 's-n-priv', action: 'access_as_shared', targetProject: 's-p-other', projectId: 's-p-acme' }];
    c.source.serverGroups = [{ id: 's-grp', name: 'ha', policy: 'affinity', members: ['s-sv-web1'], projectId: 's-p-acme' }];
    const want = desired({ tenants: [tenant('acme', { sourceAfter: 'delete' }), tenant('other')], hosts: [HOST] });
    const p = run({ desired: want, source: c.source, destination: c.destination, fuel: c.fuel });
    const kinds = new Set(p.actions.map((a) => a.kind));
    assert.deepEqual([...RESOURCE_KINDS].filter((k) => !kinds.has(k)), []);
    assert.equal(p.applyable, true);
  });

  test('each object gets the expected action', () => {
    const { p } = full();
    const expect: [string, string][] = [
      ['tenant[acme]', 'create'],
      ['user[alice]', 'create'],
      ['user[alice].password_hash', 'update'],
      ['user[alice].keypair[k1]', 'create'],
      ['role[_member_]', 'adopt'],
      ['role[heat_stack_owner]', 'create'],
      ['tenant[acme].user[bob].role[heat_stack_owner]', 'create'],
      ['tenant[acme].quota', 'update'],
      ['flavor[m1.small]', 'adopt'],
      ['flavor[gold]', 'create'],
      ['flavor[gold].access[acme]', 'create'],
      ['tenant[acme].security_group[default]', 'adopt'],
      ['tenant[acme].security_group[web]', 'create'],
      ['tenant[acme].network[private]', 'create'],
      ['tenant[acme].subnet[private-subnet]', 'create'],
      ['tenant[acme].router[r1]', 'create'],
      ['tenant[acme].router[r1].interface[private-subnet]', 'create'],
      ['tenant[acme].port[web-1/10.0.0.5]', 'create'],
      ['tenant[acme].floating_ip[172.24.4.10]', 'create'],
      ['tenant[acme].floating_ip[172.24.4.11]', 'create'],
      ['image[cirros]', 'migrate'],
      ['tenant[acme].image[web-1-snap]', 'migrate'],
      ['tenant[acme].volume[data]', 'migrate'],
      ['tenant[acme].volume[scratch]', 'migrate'],
      ['tenant[acme].server[web-1]', 'migrate'],
      ['tenant[acme].server[web-1].source_after', 'delete'],
      ['host[node-1].evacuation', 'evacuate'],
      ['host[node-1]', 'reassign'],
    ];
    for (const [address, action] of expect) assert.equal(at(p, address).action, action, address);
  });

  test('what is not migrated: servers in ERROR, queued images, boot-from-volume snapshot images, the other tenant', () => {
    const { p } = full();
    const all = p.actions.map((a) => a.address);
    assert.ok(!all.some((a) => a.includes('err-1')));
    assert.ok(!all.some((a) => a.includes('half-upload') || a.includes('bfv-1-snap')));
    assert.ok(!all.some((a) => a.startsWith('tenant[other]') || a.includes('other-1') || a.includes('carol')));
    assert.ok(p.diagnostics.some((d) => d.severity === 'warning' && d.summary.includes("'err-1' is ERROR")));
    assert.ok(p.diagnostics.some((d) => d.summary.includes('boot-from-volume snapshot')));
    assert.equal(p.complete, false, 'skipped objects make the plan incomplete');
  });

  test('secrets are references; preconditions and impact say what the action relies on and risks', () => {
    const { p } = full();
    assert.deepEqual(at(p, 'user[alice].password_hash').after?.['password_hash'], { $secret: 'keystone/user/s-u-alice/password_hash' });
    const web = at(p, 'tenant[acme].server[web-1]');
    assert.deepEqual(web.preconditions, [
      { cloud: 'source', ref: 'nova/servers/s-sv-web1', must: 'match', fields: { status: 'ACTIVE', host: 'node-1', flavorId: 's-f-small' } },
    ]);
    assert.equal(web.impact.downtime, true);
    assert.equal(web.impact.bytes, 20 * 1024 ** 3);
    assert.deepEqual(web.steps, ['quiesce', 'snapshot', 'transfer', 'boot', 'floating_ip', 'verify']);
    const bfv = at(p, 'tenant[acme].server[bfv-1]');
    assert.deepEqual(bfv.steps, ['boot', 'verify'], 'a stopped boot-from-volume server needs no quiesce or snapshot');
    assert.equal(bfv.impact.downtime, false);
    const del = at(p, 'tenant[acme].server[web-1].source_after');
    assert.deepEqual([del.impact.destructive, del.impact.irreversible], [true, true]);
    const data = at(p, 'tenant[acme].volume[data]');
    assert.equal(data.steps[0], 'quiesce_server', 'a volume of a running server is copied after quiescing it');
    assert.equal(at(p, 'tenant[acme].volume[scratch]').steps[0], 'snapshot');
  });

  test('action ids are derived from address and action', () => {
    const { p } = full();
    for (const a of p.actions) assert.equal(a.id, actionId(a.address, a.action));
  });

  test('the same input twice gives deep-equal plans', () => {
    const a = full().p;
    const b = full().p;
    assert.deepEqual(a, b);
  });

  test('list order in the inventories does not change the plan', () => {
    const { c, want, p } = full();
    const shuffled = { ...c.source };
    for (const k of Object.keys(shuffled) as (keyof typeof shuffled)[]) {
      const v = shuffled[k];
      if (Array.isArray(v)) (shuffled as Record<string, unknown>)[k] = [...v].reverse();
    }
    const q = run({ desired: want, source: shuffled, destination: c.destination, fuel: c.fuel });
    assert.deepEqual(q, p);
  });

  test('the plan header carries the injected identity, observations and prior state', () => {
    const { p } = full();
    assert.equal(p.plan_id, '00000000-0000-4000-8000-000000000001');
    assert.equal(p.created_at, '2026-11-26T12:00:00Z');
    assert.match(p.observed.source.fingerprint, /^[0-9a-f]{64}$/);
    assert.ok(p.observed.fuel);
    assert.equal(p.prior_state, null);
  });
});
