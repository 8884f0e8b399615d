import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addressMatches } from '../../src/planner/index.js';
import { at, dependsOn, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';

const HOST = { name: 'node-1', environment: 'new', roles: ['compute'], layout: { kind: 'plugin' as const } };

function planWith(targets: string[], excludes: string[]) {
  const c = neutronClouds();
  return run({
    desired: desired({ tenants: [tenant('acme', { sourceAfter: 'delete' })], hosts: [HOST] }),
    source: c.source,
    destination: c.destination,
    fuel: c.fuel,
    options: { targets, excludes },
  });
}

describe('plan: --target and --exclude', () => {
  test('addresses match themselves and what they contain', () => {
    assert.equal(addressMatches('tenant[acme].server[web-1]', 'tenant[acme]'), true);
    assert.equal(addressMatches('tenant[acme]', 'tenant[acme]'), true);
    assert.equal(addressMatches('tenant[acme2].server[x]', 'tenant[acme]'), false);
    assert.equal(addressMatches('host[node-1].evacuation', 'host[node-1]'), true);
  });

  test('--target keeps the target and everything it depends on, nothing else', () => {
    const p = planWith(['tenant[acme].server[web-1]'], []);
    const web = at(p, 'tenant[acme].server[web-1]');
    const kept = new Set(p.actions.map((a) => a.address));
    // The server's own source_after lies inside its address, so it is targeted too.
    for (const a of ['tenant[acme].port[web-1/10.0.0.5]', 'image[cirros]', 'flavor[m1.small]', 'user[alice].keypair[k1]', 'tenant[acme].router[r1]', 'tenant[acme].server[web-1].source_after']) {
      assert.ok(kept.has(a), a);
    }
    for (const a of ['tenant[acme].server[db-1]', 'tenant[acme].volume[scratch]', 'image[ubuntu]', 'host[node-1]', 'user[bob]']) {
      assert.ok(!kept.has(a), a);
    }
    assert.equal(web.reason.code, 'missing_in_destination');
    assert.equal(at(p, 'image[cirros]').reason.code, 'dependency_of_target');
    // The temporary grant is always revoked.
    const revoke = at(p, 'tenant[acme].admin_membership', 'revoke');
    assert.ok(dependsOn(p, revoke, web));
    assert.ok(dependsOn(p, revoke, at(p, 'tenant[acme].admin_membership', 'grant')));
    assert.equal(p.complete, false);
  });

  test('--exclude drops the match and its dependents, with a diagnostic listing them', () => {
    const p = planWith([], ['tenant[acme].port[web-1/10.0.0.5]']);
    const gone = ['tenant[acme].port[web-1/10.0.0.5]', 'tenant[acme].floating_ip[172.24.4.10]', 'tenant[acme].server[web-1]', 'tenant[acme].server[web-1].source_after', 'host[node-1].evacuation', 'host[node-1]'];
    for (const a of gone) assert.ok(!p.actions.some((x) => x.address === a), a);
    assert.ok(at(p, 'tenant[acme].server[db-1]'));
    assert.equal(at(p, 'tenant[acme].admin_membership', 'revoke').action, 'revoke', 'the revoke stays');
    const d = p.diagnostics.find((x) => x.summary.startsWith('--exclude dropped 6 action(s)'));
    assert.ok(d);
    assert.deepEqual(d.detail?.split('\n'), [...gone].sort());
  });

  test('excluding a tenant drops its grant and revoke together', () => {
    const p = planWith([], ['tenant[acme]']);
    assert.ok(!p.actions.some((a) => a.kind === 'admin_membership'));
    assert.ok(p.actions.some((a) => a.address === 'image[cirros]'), 'public images do not depend on the tenant');
  });

  test('a --target that matches nothing is an error; a malformed one too', () => {
    const p = planWith(['tenant[nobody]'], []);
    assert.equal(p.applyable, false);
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.summary.includes('matches nothing')));
    const q = planWith(['tenant[acme'], []);
    assert.ok(q.diagnostics.some((d) => d.severity === 'error' && d.summary.startsWith('--target tenant[acme:')));
  });

  test('targeting a host brings the tenant migrations it waits for', () => {
    const p = planWith(['host[node-1]'], []);
    assert.ok(at(p, 'host[node-1]'));
    assert.ok(at(p, 'host[node-1].evacuation'));
    assert.ok(at(p, 'tenant[acme].server[web-1]'));
    assert.ok(!p.actions.some((a) => a.address === 'tenant[acme].server[bfv-1]'), 'bfv-1 is on node-2');
  });
});
