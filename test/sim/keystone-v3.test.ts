import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimCloud } from '../../src/sim/index.js';
import { call, cloudOf, loginV3 } from './helpers.js';

describe('Keystone v3', () => {
  let cloud: SimCloud;
  let token: string;
  let v3: string;
  before(async () => {
    cloud = await cloudOf('modern:neutron');
    token = (await loginV3(cloud)).id;
    v3 = cloud.authUrlV3!;
  });
  after(() => cloud.close());

  test('projects: 201, the id is always generated, 409 on a duplicate name, PATCH 200, DELETE 204', async () => {
    const c = await call('POST', `${v3}/projects`, { token, body: { project: { name: 'acme', domain_id: 'default', description: 'd', id: 'ffff0000ffff0000ffff0000ffff0000' } } });
    assert.equal(c.status, 201);
    assert.notEqual(c.body.project.id, 'ffff0000ffff0000ffff0000ffff0000');
    assert.equal(c.body.project.domain_id, 'default');
    assert.equal(c.body.project.parent_id, 'default');
    assert.equal(c.body.project.links.self, `${v3}/projects/${c.body.project.id}`);
    const dup = await call('POST', `${v3}/projects`, { token, body: { project: { name: 'acme' } } });
    assert.equal(dup.status, 409);
    assert.deepEqual(Object.keys(dup.body.error).sort(), ['code', 'message', 'title']);
    const p = await call('PATCH', `${v3}/projects/${c.body.project.id}`, { token, body: { project: { description: 'e', enabled: false } } });
    assert.equal(p.status, 200);
    assert.equal(p.body.project.enabled, false);
    const list = await call('GET', `${v3}/projects?name=acme`, { token });
    assert.equal(list.body.projects.length, 1);
    assert.deepEqual(list.body.links, { self: `${v3}/projects?name=acme`, previous: null, next: null });
    assert.equal((await call('DELETE', `${v3}/projects/${c.body.project.id}`, { token })).status, 204);
    const gone = await call('GET', `${v3}/projects/${c.body.project.id}`, { token });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, `Could not find project: ${c.body.project.id}.`);
  });

  test('users: create with a password, PATCH password is the admin reset, self-service change needs the original', async () => {
    const proj = (await call('POST', `${v3}/projects`, { token, body: { project: { name: 'u-proj' } } })).body.project;
    const u = await call('POST', `${v3}/users`, { token, body: { user: { name: 'dave', password: 'one', default_project_id: proj.id, email: 'd@x' } } });
    assert.equal(u.status, 201);
    assert.equal(u.body.user.password_expires_at, null);
    assert.equal('password' in u.body.user, false);
    const member = (await call('GET', `${v3}/roles?name=member`, { token })).body.roles[0];
    assert.equal((await call('PUT', `${v3}/projects/${proj.id}/users/${u.body.user.id}/roles/${member.id}`, { token })).status, 204);
    const dave = await loginV3(cloud, 'dave', 'one', 'u-proj');
    assert.equal(dave.token.project.id, proj.id);
    assert.equal((await call('PATCH', `${v3}/users/${u.body.user.id}`, { token, body: { user: { password: 'two' } } })).status, 200);
    await assert.rejects(loginV3(cloud, 'dave', 'one', 'u-proj'), /401/);
    const daveTok = (await loginV3(cloud, 'dave', 'two', 'u-proj')).id;
    const wrong = await call('POST', `${v3}/users/${u.body.user.id}/password`, { token: daveTok, body: { user: { original_password: 'nope', password: 'three' } } });
    assert.equal(wrong.status, 401);
    const ok = await call('POST', `${v3}/users/${u.body.user.id}/password`, { token: daveTok, body: { user: { original_password: 'two', password: 'three' } } });
    assert.equal(ok.status, 204);
    assert.equal((await call('GET', `${v3}/users/${u.body.user.id}`, { token: daveTok })).status, 401, 'a password change revokes the user\'s tokens');
    const daveNow = (await loginV3(cloud, 'dave', 'three', 'u-proj')).id;
    assert.equal((await call('GET', `${v3}/users/${u.body.user.id}`, { token: daveNow })).body.user.name, 'dave');
    // Without a scope the token is scoped to the default project.
    const unscopedReq = await call('POST', `${v3}/auth/tokens`, { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'dave', domain: { name: 'Default' }, password: 'three' } } } } } });
    assert.equal(unscopedReq.body.token.project.id, proj.id);
    const mine = await call('GET', `${v3}/users/${u.body.user.id}/projects`, { token: daveNow });
    assert.deepEqual(mine.body.projects.map((x: any) => x.name), ['u-proj']);
    const forbidden = await call('GET', `${v3}/users`, { token: daveNow });
    assert.equal(forbidden.status, 403);
  });

  test('users and projects keep attributes Keystone has no column for (its `extra`), merged on PATCH; never the password', async () => {
    const p = await call('POST', `${v3}/projects`, { token, body: { project: { name: 'x-proj', cost_center: 'cc-7', labels: { env: 'prod' } } } });
    assert.equal(p.status, 201);
    assert.equal(p.body.project.cost_center, 'cc-7');
    assert.deepEqual(p.body.project.labels, { env: 'prod' });
    const pp = await call('PATCH', `${v3}/projects/${p.body.project.id}`, { token, body: { project: { owner_team: 'ops', cost_center: 'cc-8' } } });
    assert.deepEqual([pp.body.project.cost_center, pp.body.project.owner_team, pp.body.project.labels], ['cc-8', 'ops', { env: 'prod' }]);
    assert.deepEqual(pp.body.project.extra, { cost_center: 'cc-8', labels: { env: 'prod' }, owner_team: 'ops' }, 'an update answer carries the raw extra (Zed)');
    const read = (await call('GET', `${v3}/projects/${p.body.project.id}`, { token })).body.project;
    assert.equal(read.owner_team, 'ops');
    assert.equal('extra' in read, false, 'only update answers carry the raw extra');
    const u = await call('POST', `${v3}/users`, { token, body: { user: { name: 'xavier', password: 'pw-x', phone: '+1 555', name_id: 7 } } });
    assert.equal(u.status, 201);
    assert.deepEqual([u.body.user.phone, u.body.user.name_id, 'password' in u.body.user], ['+1 555', 7, false]);
    const uu = await call('PATCH', `${v3}/users/${u.body.user.id}`, { token, body: { user: { phone: null, site: 'b' } } });
    assert.deepEqual([uu.body.user.phone, uu.body.user.site, uu.body.user.name_id], [null, 'b', 7]);
    assert.deepEqual(uu.body.user.extra, { phone: null, name_id: 7, site: 'b' });
    const listed = (await call('GET', `${v3}/users?name=xavier`, { token })).body.users[0];
    assert.equal(listed.site, 'b');
    assert.equal(listed.name, 'xavier', 'a known attribute is never replaced by an extra');
  });

  test('grants: PUT/HEAD/GET/DELETE 204, HEAD and GET 404 once revoked; role_assignments filters', async () => {
    const proj = (await call('POST', `${v3}/projects`, { token, body: { project: { name: 'g-proj' } } })).body.project;
    const user = (await call('POST', `${v3}/users`, { token, body: { user: { name: 'erin', password: 'pw' } } })).body.user;
    const role = (await call('POST', `${v3}/roles`, { token, body: { role: { name: 'observer' } } }));
    assert.equal(role.status, 201);
    const path = `${v3}/projects/${proj.id}/users/${user.id}/roles/${role.body.role.id}`;
    assert.equal((await call('PUT', path, { token })).status, 204);
    assert.equal((await call('HEAD', path, { token })).status, 204);
    assert.equal((await call('GET', path, { token })).status, 204);
    const ra = await call('GET', `${v3}/role_assignments?user.id=${user.id}&scope.project.id=${proj.id}`, { token });
    assert.deepEqual(ra.body.role_assignments, [
      { links: { assignment: path }, scope: { project: { id: proj.id } }, user: { id: user.id }, role: { id: role.body.role.id } },
    ]);
    const named = await call('GET', `${v3}/role_assignments?user.id=${user.id}&include_names`, { token });
    assert.equal(named.body.role_assignments[0].role.name, 'observer');
    assert.equal((await call('DELETE', path, { token })).status, 204);
    assert.equal((await call('HEAD', path, { token })).status, 404);
    assert.equal((await call('GET', path, { token })).status, 404);
    const none = await call('GET', `${v3}/role_assignments?user.id=${user.id}`, { token });
    assert.deepEqual(none.body.role_assignments, []);
  });

  test('domains: default exists; a domain must be disabled before deletion', async () => {
    const list = await call('GET', `${v3}/domains`, { token });
    assert.deepEqual(list.body.domains.map((d: any) => [d.id, d.name]), [['default', 'Default']]);
    const d = (await call('POST', `${v3}/domains`, { token, body: { domain: { name: 'other' } } })).body.domain;
    assert.equal((await call('DELETE', `${v3}/domains/${d.id}`, { token })).status, 403);
    await call('PATCH', `${v3}/domains/${d.id}`, { token, body: { domain: { enabled: false } } });
    assert.equal((await call('DELETE', `${v3}/domains/${d.id}`, { token })).status, 204);
  });

  test('legacy v3 (Havana) has no audit_ids, no region_id; errors share the Keystone body', async () => {
    const h = await cloudOf('havana:neutron');
    try {
      const { token: t, id } = await loginV3(h);
      assert.equal('audit_ids' in t, false);
      const users = await call('GET', `${h.authUrlV3}/users`, { token: id });
      assert.equal('password_expires_at' in users.body.users[0], false);
      const missing = await call('GET', `${h.authUrlV3}/users/nope`, { token: id });
      assert.deepEqual(missing.body, { error: { code: 404, title: 'Not Found', message: 'Could not find user: nope.' } });
      const notJson = await fetch(`${h.authUrlV3}/projects`, { method: 'POST', headers: { 'X-Auth-Token': id, 'Content-Type': 'application/json' }, body: '{oops' });
      assert.equal(notJson.status, 400);
      assert.equal(((await notJson.json()) as any).error.code, 400);
    } finally {
      await h.close();
    }
  });
});
