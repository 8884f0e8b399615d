import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsSha512Crypt, releaseNumber } from '../../src/planner/index.js';
import { at, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { novaNetworkClouds } from './fixtures/nova-network-clouds.js';
import { user } from './fixtures/records.js';

describe('plan: identity', () => {
  test('members and server owners are users in scope; _member_ maps to the destination member role', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const users = p.actions.filter((a) => a.kind === 'user').map((a) => a.address);
    assert.deepEqual(users, ['user[alice]', 'user[bob]']);
    const member = at(p, 'role[_member_]');
    assert.equal(member.destination?.id, 'd-r-member');
    assert.deepEqual(at(p, 'tenant[acme].user[alice].role[_member_]').after?.['role_id'], 'd-r-member');
    assert.deepEqual(at(p, 'user[alice]').after?.['default_project_id'], { $ref: at(p, 'tenant[acme]').id });
  });

  test('users: all, roles: all', () => {
    const c = neutronClouds();
    const p = run({ desired: desired({ identity: { users: 'all', roles: 'all', passwords: 'copy-hash' } }), source: c.source, destination: c.destination });
    assert.ok(at(p, 'user[carol]'));
    assert.ok(!p.actions.some((a) => a.address.startsWith('tenant[other]')), 'assignments only in migrated tenants');
    assert.equal(at(p, 'role[admin]').action, 'adopt');
  });

  test('a destination user of the same name is used and its password never touched', () => {
    const c = neutronClouds();
    c.destination.users.push(user('d-u-alice', 'alice'));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(at(p, 'user[alice]').action, 'adopt');
    assert.match(at(p, 'user[alice]').warnings?.[0] ?? '', /password is never changed/);
    assert.ok(!p.actions.some((a) => a.address === 'user[alice].password_hash'));
    assert.equal(at(p, 'user[bob].password_hash').action, 'update');
  });

  test('copied $6$ hashes on Keystone 2025.1+ warn and suggest a reset', () => {
    const c = neutronClouds();
    c.destination.capabilities = { ...c.destination.capabilities, keystoneRelease: '2025.1' };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.match(at(p, 'user[alice].password_hash').warnings?.[0] ?? '', /no longer verifies/);
    const d = p.diagnostics.find((x) => x.summary.includes('will not verify'));
    assert.equal(d?.severity, 'warning');
    assert.match(d?.detail ?? '', /passwords: reset/);
  });

  test('passwords: reset refers to a generated secret; skip plans nothing', () => {
    const c = neutronClouds();
    const reset = run({ desired: desired({ identity: { users: 'tenant-members', roles: 'used', passwords: 'reset' } }), source: c.source, destination: c.destination });
    const a = at(reset, 'user[alice].password_hash');
    assert.deepEqual(a.after?.['password'], { $secret: 'pumphouse/user/s-u-alice/reset_password' });
    assert.deepEqual(a.steps, ['generate_password', 'write_destination_password', 'verify']);
    const skip = run({ desired: desired({ identity: { users: 'tenant-members', roles: 'used', passwords: 'skip' } }), source: c.source, destination: c.destination });
    assert.ok(!skip.actions.some((x) => x.kind === 'password_hash'));
  });

  test('release numbers and hash support', () => {
    assert.equal(releaseNumber('havana'), 2013.2);
    assert.equal(releaseNumber('zed'), 2022.2);
    assert.equal(releaseNumber('epoxy'), 2025.1);
    assert.equal(releaseNumber('26.1.0'), 2024.2);
    assert.equal(releaseNumber('unknown'), null);
    const caps = neutronClouds().destination.capabilities;
    assert.equal(acceptsSha512Crypt({ ...caps, keystoneRelease: 'dalmatian' }), true);
    assert.equal(acceptsSha512Crypt({ ...caps, keystoneRelease: '2025.2' }), false);
  });
});

describe('plan: Keystone v3 grants it does not migrate', () => {
  test("a group's role on a migrated project, inherited roles and a user's domain role are warned about where they matter; other projects' say nothing", () => {
    const c = neutronClouds();
    const i = c.source.projects.findIndex((p) => p.id === 's-p-acme');
    c.source.projects[i] = { ...c.source.projects[i]!, domainId: 'd-corp' };
    c.source.otherGrants = [
      { holder: 'group', holderId: 'g-ops', holderName: 'ops', roleId: 's-r-member', scope: 'project', scopeId: 's-p-acme', inherited: false },
      { holder: 'group', holderId: 'g-ops', holderName: 'ops', roleId: 's-r-member', scope: 'project', scopeId: 's-p-other', inherited: false },
      { holder: 'user', holderId: 's-u-bob', holderName: 'bob', roleId: 's-r-admin', scope: 'project', scopeId: 's-p-acme', inherited: true },
      { holder: 'group', holderId: 'g-audit', holderName: 'audit', roleId: 's-r-heat', scope: 'domain', scopeId: 'd-corp', inherited: true },
      { holder: 'group', holderId: 'g-audit', holderName: 'audit', roleId: 's-r-heat', scope: 'domain', scopeId: 'd-corp', inherited: false },
      { holder: 'user', holderId: 's-u-alice', holderName: 'alice', roleId: 's-r-admin', scope: 'domain', scopeId: 'd-corp', inherited: false },
    ];
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const warned = p.diagnostics.filter((d) => /not migrated/.test(d.summary) && /grant|group/.test(d.summary)).map((d) => [d.address ?? '', d.summary]);
    assert.deepEqual(warned.sort(), [
      ['', "group 'audit' holds role 'heat_stack_owner' inherited to every project of domain d-corp, which migrated projects are in; inherited grants are not migrated"],
      ['tenant[acme]', "group 'ops' holds role '_member_' on this project; Keystone groups and their grants are not migrated: members who reach the project only through the group lose access"],
      ['tenant[acme]', "user 'bob' holds role 'admin' inherited to the projects under this one; inherited grants are not migrated"],
      ['user[alice]', "the user holds role 'admin' on domain d-corp; domain grants are not migrated"],
    ]);
    assert.equal(p.applyable, true, 'warnings, not errors');
  });
});

describe('plan: quotas', () => {
  test('source limits in destination terms: nova network keys go to Neutron, unknown keys are dropped', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const q = at(p, 'tenant[acme].quota');
    assert.equal(q.action, 'update');
    assert.deepEqual(q.after?.['compute'], { instances: 20, cores: 40, ram: 51200, key_pairs: 100 });
    assert.deepEqual(q.after?.['network'], { floatingip: 10, network: 5, port: 50, router: 2, subnet: 5 });
  });

  test('a nova-network source gets Neutron quotas from its compute quotas', () => {
    const c = novaNetworkClouds('VLAN');
    c.source.quotas.push({ projectId: '1a', compute: { instances: 5, floating_ips: 3, security_groups: 4, security_group_rules: 20, fixed_ips: -1 }, volume: null, network: null });
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const q = at(p, 'tenant[acme].quota');
    assert.deepEqual(q.after?.['compute'], { instances: 5 });
    // Nova counts rules per group, Neutron per project: 4 groups x (20 + 2 automatic egress
    // rules), and default's 2 automatic ingress rules.
    assert.deepEqual(q.after?.['network'], { floatingip: 3, security_group: 4, security_group_rule: 90 });
  });

  test('nova-network rules per group: unlimited groups make the project\'s rules unlimited; without a groups limit Neutron keeps its default', () => {
    const quota = (compute: Record<string, number>) => {
      const c = novaNetworkClouds('VLAN');
      c.source.quotas.push({ projectId: '1a', compute, volume: null, network: null });
      return at(run({ desired: desired(), source: c.source, destination: c.destination }), 'tenant[acme].quota').after?.['network'];
    };
    assert.deepEqual(quota({ security_groups: -1, security_group_rules: 20 }), { security_group: -1, security_group_rule: -1 });
    assert.deepEqual(quota({ floating_ips: 3, security_group_rules: 20 }), { floatingip: 3 });
  });
});

describe('plan: names Keystone v3 keeps apart by domain', () => {
  test('two projects or users of one name in scope (other domains) are plan errors on each; the copies would meet in the default domain', () => {
    const c = neutronClouds();
    c.source.projects.push({ ...c.source.projects.find((p) => p.id === 's-p-acme')!, id: 's-p-acme-b', domainId: 'd-b' });
    c.source.users.push({ ...c.source.users.find((u) => u.id === 's-u-bob')!, id: 's-u-bob-b', domainId: 'd-b', defaultProjectId: null });
    c.source.roleAssignments.push({ userId: 's-u-bob-b', roleId: 's-r-member', projectId: 's-p-acme-b' });
    const byId = (id: string) => tenant(id, { ref: { by: 'id', value: id } });
    const p = run({ desired: desired({ tenants: [byId('s-p-acme'), byId('s-p-acme-b')] }), source: c.source, destination: c.destination });
    assert.equal(p.applyable, false);
    const clashes = p.diagnostics.filter((d) => d.severity === 'error' && /are named/.test(d.summary));
    assert.equal(clashes.filter((d) => /source projects are named 'acme'/.test(d.summary)).length, 2);
    assert.equal(clashes.filter((d) => /source users are named 'bob'/.test(d.summary)).length, 2);
    assert.equal(new Set(clashes.map((d) => d.address)).size, 4, 'one error on each object');
  });

  test('one of each name: no such error', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.diagnostics.some((d) => /are named/.test(d.summary)), false);
  });
});
