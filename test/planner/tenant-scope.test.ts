import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAfter, at, changes, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { fakeApply } from './fixtures/fake-apply.js';
import { group, neutronDefaultRules } from './fixtures/records.js';

// The temporary admin membership (DESIGN.md §8) when the admin user apply acts as already
// holds a role in the tenant's destination project. Found on the real testbed: planning the
// `admin` tenant (where the admin token is scoped) threw PH_INTERNAL "two actions share the
// address tenant[admin].admin_membership" because grant and revoke both became no-ops.

function memberships(p: ReturnType<typeof run>, address: string) {
  return p.actions.filter((a) => a.address === address && a.kind === 'admin_membership');
}

describe('admin membership where the admin already has a role', () => {
  test('planning the admin tenant does not throw; nothing is granted or revoked', () => {
    const c = neutronClouds();
    // Something tenant-scoped to write in `admin`: a private network.
    c.source.networks.push({ ...c.source.networks.find((n) => n.id === 's-n-priv')!, id: 's-n-adm', name: 'adm-net', projectId: 's-p-admin' });
    const p = run({ desired: desired({ tenants: [tenant('admin')] }), source: c.source, destination: c.destination });
    const m = memberships(p, 'tenant[admin].admin_membership');
    assert.deepEqual(m.map((a) => a.action), ['no-op'], 'one no-op, no grant and above all no revoke');
    assert.equal(m[0]!.reason.code, 'exists_in_destination');
    const net = at(p, 'tenant[admin].network[adm-net]');
    assert.equal(net.action, 'create');
    assert.ok(!p.actions.some((a) => a.action === 'revoke'), 'the admin role the admin had before is never revoked');
  });

  test('the same tenant applied and planned again stays a no-op (no leftover revoke)', () => {
    const c = neutronClouds();
    c.source.networks.push({ ...c.source.networks.find((n) => n.id === 's-n-priv')!, id: 's-n-adm', name: 'adm-net', projectId: 's-p-admin' });
    const want = desired({ tenants: [tenant('admin')] });
    const first = run({ desired: want, source: c.source, destination: c.destination });
    const r = fakeApply(first, c.source, c.destination);
    assert.ok(r.destination.roleAssignments.some((x) => x.userId === 'd-u-admin' && x.roleId === 'd-r-admin' && x.projectId === 'd-p-admin'));
    const again = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(changes(again).map((a) => `${a.action} ${a.address}`), []);
  });

  test('a role other than admin: the admin role is granted and only that role is revoked', () => {
    const c = neutronClouds();
    // acme already exists in the destination and the admin user is a plain member there.
    c.destination.projects.push({ ...c.destination.projects[0]!, id: 'd-p-acme', name: 'acme' });
    c.destination.roleAssignments.push({ userId: 'd-u-admin', roleId: 'd-r-member', projectId: 'd-p-acme' });
    c.destination.securityGroups.push(group('d-sg-acmedef', 'default', 'd-p-acme', neutronDefaultRules('d-rac', 'd-sg-acmedef')));
    const p = run({ desired: desired({ tenants: [tenant('acme')] }), source: c.source, destination: c.destination });
    const grant = at(p, 'tenant[acme].admin_membership', 'grant');
    const revoke = at(p, 'tenant[acme].admin_membership', 'revoke');
    assert.deepEqual(grant.after, { project_id: 'd-p-acme', user_id: 'd-u-admin', role_id: 'd-r-admin' });
    assert.deepEqual(revoke.after, grant.after, 'the revoke names the admin role, never the member role');
    assertAfter(p, revoke, grant);
    const r = fakeApply(p, c.source, c.destination);
    assert.ok(
      r.destination.roleAssignments.some((x) => x.userId === 'd-u-admin' && x.roleId === 'd-r-member' && x.projectId === 'd-p-acme'),
      'the membership the admin had before is still there',
    );
    assert.ok(!r.destination.roleAssignments.some((x) => x.userId === 'd-u-admin' && x.roleId === 'd-r-admin' && x.projectId === 'd-p-acme'));
  });

  test('grant and revoke never share an action id, whatever the mix of state and roles', () => {
    const c = neutronClouds();
    c.destination.projects.push({ ...c.destination.projects[0]!, id: 'd-p-acme', name: 'acme' });
    c.destination.roleAssignments.push({ userId: 'd-u-admin', roleId: 'd-r-admin', projectId: 'd-p-acme' });
    const want = desired({ tenants: [tenant('acme'), tenant('admin')] });
    const p = run({ desired: want, source: c.source, destination: c.destination });
    assert.deepEqual(memberships(p, 'tenant[acme].admin_membership').map((a) => a.action), ['no-op']);
    const ids = p.actions.map((a) => a.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('admin membership copied from the source', () => {
  test('the source admin is admin in the tenant: the copied assignment is the scope; no grant, and no revoke that would remove it', () => {
    const c = neutronClouds();
    c.source.roleAssignments.push({ userId: 's-u-admin', roleId: 's-r-admin', projectId: 's-p-acme' });
    const p = run({ desired: desired({ tenants: [tenant('acme')] }), source: c.source, destination: c.destination });
    const copy = p.actions.find((a) => a.kind === 'role_assignment' && a.source?.id === 's-u-admin/s-r-admin/s-p-acme');
    assert.equal(copy?.action, 'create');
    const m = memberships(p, 'tenant[acme].admin_membership');
    assert.deepEqual(m.map((a) => a.action), ['no-op']);
    assert.equal(m[0]!.reason.code, 'scope_from_copied_assignment');
    assert.ok(!p.actions.some((a) => a.action === 'grant' || a.action === 'revoke'));
    assertAfter(p, at(p, 'tenant[acme].network[private]'), copy!);
    const r = fakeApply(p, c.source, c.destination);
    const dstAcme = r.destination.projects.find((x) => x.name === 'acme')!.id;
    assert.ok(r.destination.roleAssignments.some((x) => x.userId === 'd-u-admin' && x.roleId === 'd-r-admin' && x.projectId === dstAcme), 'the copied admin membership stays');
  });
});
