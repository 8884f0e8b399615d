import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerGroup } from '../../src/inventory/index.js';
import { fakeApply } from './fixtures/fake-apply.js';
import { assertAfter, at, changes, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { computeService } from './fixtures/records.js';

const GROUP: ServerGroup = { id: 's-grp-ha', name: 'ha', policy: 'anti-affinity', members: ['s-sv-web1', 's-sv-db1'], projectId: 's-p-acme' };

function grouped(group: Partial<ServerGroup> = {}) {
  const c = neutronClouds();
  c.source.serverGroups = [{ ...GROUP, ...group }];
  // Two destination hosts: room for two anti-affinity members.
  c.destination.computeServices.push(computeService('new-compute-2'));
  return c;
}

describe('plan: server groups', () => {
  test("a group of a migrated tenant is made in its project before its members' copies, which boot into it", () => {
    const c = grouped();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const g = at(p, 'tenant[acme].server_group[ha]');
    assert.deepEqual([g.kind, g.action, g.tenant], ['server_group', 'create', 'acme']);
    assert.deepEqual(g.after, { name: 'ha', policy: 'anti-affinity', project_id: { $ref: at(p, 'tenant[acme]').id } });
    assert.deepEqual(g.preconditions, [{ cloud: 'source', ref: 'nova/server_groups/s-grp-ha', must: 'present' }]);
    assert.equal(g.warnings, undefined, 'two hosts for two members');
    for (const name of ['web-1', 'db-1']) {
      const sv = at(p, `tenant[acme].server[${name}]`);
      assert.deepEqual(sv.after?.['server_group'], { $ref: g.id });
      assertAfter(p, sv, g);
      assert.equal(sv.warnings?.some((w) => /server group/.test(w)) ?? false, false);
    }
    // A server in no group says nothing of one.
    assert.equal('server_group' in at(p, 'tenant[acme].server[bfv-1]').after!, false);
  });

  test('anti-affinity with more migrated members than enabled destination compute hosts warns that boots beyond them fail', () => {
    const c = grouped();
    c.destination.computeServices = c.destination.computeServices.map((x) => (x.host === 'new-compute-2' ? { ...x, status: 'disabled' as const } : x));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.deepEqual(at(p, 'tenant[acme].server_group[ha]').warnings, [
      'it is anti-affinity with 2 migrated member(s) and the destination has 1 enabled compute host(s): each member needs a host of its own, so the boots beyond 1 fail (NoValidHost) until more hosts are moved to the destination',
    ]);
    // Affinity needs one host only.
    const q = run({ desired: desired(), source: { ...c.source, serverGroups: [{ ...GROUP, policy: 'affinity' }] }, destination: c.destination });
    assert.equal(at(q, 'tenant[acme].server_group[ha]').warnings, undefined);
  });

  test('a group deleted in the destination after apply is drift, and is made again', () => {
    const c = grouped();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const done = fakeApply(p, c.source, c.destination);
    done.destination.serverGroups = [];
    const again = run({ desired: desired(), source: done.source, destination: done.destination, prior: done.state });
    assert.deepEqual(again.drift.map((d) => [d.address, d.change]), [['tenant[acme].server_group[ha]', 'deleted']]);
    assert.equal(at(again, 'tenant[acme].server_group[ha]').action, 'create');
  });

  test('a soft policy is a plan error where the destination Nova is below 2.15', () => {
    const c = grouped({ policy: 'soft-anti-affinity' });
    c.destination.capabilities = { ...c.destination.capabilities, computeMicroversion: '2.12' };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.address === 'tenant[acme].server_group[ha]' && /needs microversion 2.15/.test(d.summary)));
    c.destination.capabilities = { ...c.destination.capabilities, computeMicroversion: '2.15' };
    assert.equal(run({ desired: desired(), source: c.source, destination: c.destination }).applyable, true);
  });

  test('only groups holding a migrated server are made; a group with the same name and policy in the destination project is adopted', () => {
    const c = grouped({ members: ['s-sv-web1'] });
    const only = desired({ tenants: [tenant('acme', { servers: { kind: 'some', refs: [{ by: 'name', value: 'db-1' }] } })] });
    assert.equal(run({ desired: only, source: c.source, destination: c.destination }).actions.some((a) => a.kind === 'server_group'), false);
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const done = fakeApply(p, c.source, c.destination);
    const again = run({ desired: desired(), source: done.source, destination: done.destination, prior: done.state });
    assert.deepEqual(changes(again).map((a) => `${a.address} ${a.action}`), []);
    // Without the state, the destination's group of the same name and policy is found.
    const fresh = run({ desired: desired(), source: done.source, destination: done.destination });
    const g = at(fresh, 'tenant[acme].server_group[ha]');
    assert.equal(g.action, 'adopt');
    assert.equal(g.reason.code, 'exists_in_destination');
  });
});
