import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimCloud } from '../../src/sim/index.js';
import { call, cloudOf, loginV2 } from './helpers.js';

describe('Keystone v2.0 admin API', () => {
  let cloud: SimCloud;
  let token: string;
  let admin: string;
  before(async () => {
    cloud = await cloudOf('icehouse:nova-network:vlan');
    token = (await loginV2(cloud)).token.id;
    admin = cloud.adminUrlV2!;
  });
  after(() => cloud.close());

  test('tenants: create honours a caller-supplied id, 200 on create, 204 on delete, 409 on duplicate name', async () => {
    const c = await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: 'acme', description: 'kept id', enabled: true, id: 'aaaabbbbccccdddd0000111122223333' } } });
    assert.equal(c.status, 200);
    assert.deepEqual(c.body.tenant, { id: 'aaaabbbbccccdddd0000111122223333', name: 'acme', description: 'kept id', enabled: true });
    assert.equal((await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: 'acme' } } })).status, 409);
    const byName = await call('GET', `${admin}/tenants?name=acme`, { token });
    assert.equal(byName.body.tenant.id, 'aaaabbbbccccdddd0000111122223333');
    const upd = await call('PUT', `${admin}/tenants/aaaabbbbccccdddd0000111122223333`, { token, body: { tenant: { description: 'changed' } } });
    assert.equal(upd.body.tenant.description, 'changed');
    assert.equal((await call('DELETE', `${admin}/tenants/aaaabbbbccccdddd0000111122223333`, { token })).status, 204);
    const missing = await call('GET', `${admin}/tenants/aaaabbbbccccdddd0000111122223333`, { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.title, 'Not Found');
  });

  test('tenants page by limit and marker with empty tenants_links', async () => {
    for (let i = 0; i < 5; i++) await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: `page-${i}` } } });
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const r = await call('GET', `${admin}/tenants?limit=3${marker ? `&marker=${marker}` : ''}`, { token });
      assert.deepEqual(r.body.tenants_links, []);
      seen.push(...r.body.tenants.map((t: any) => t.name));
      if (r.body.tenants.length < 3) break;
      marker = r.body.tenants.at(-1).id;
    }
    assert.equal(seen.length, cloud.store.identity.projects.size);
    assert.equal(new Set(seen).size, seen.length);
  });

  test('users: create with tenantId grants the member role; password reset lets the user log in', async () => {
    const t = await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: 'users-t' } } });
    const tid = t.body.tenant.id;
    const u = await call('POST', `${admin}/users`, { token, body: { user: { name: 'alice', password: 'first', email: 'a@x', enabled: true, tenantId: tid } } });
    assert.equal(u.status, 200);
    assert.equal(u.body.user.username, 'alice', 'Icehouse users carry username');
    assert.equal(u.body.user.tenantId, tid);
    const roles = await call('GET', `${admin}/tenants/${tid}/users/${u.body.user.id}/roles`, { token });
    assert.deepEqual(roles.body.roles.map((r: any) => r.name), ['_member_']);
    assert.equal((await loginV2(cloud, 'alice', 'first', 'users-t')).user.name, 'alice');
    const reset = await call('PUT', `${admin}/users/${u.body.user.id}/OS-KSADM/password`, { token, body: { user: { password: 'second' } } });
    assert.equal(reset.status, 200);
    await assert.rejects(loginV2(cloud, 'alice', 'first', 'users-t'), /401/);
    assert.equal((await loginV2(cloud, 'alice', 'second', 'users-t')).user.name, 'alice');
    const off = await call('PUT', `${admin}/users/${u.body.user.id}/OS-KSADM/enabled`, { token, body: { user: { enabled: false } } });
    assert.equal(off.body.user.enabled, false);
    await assert.rejects(loginV2(cloud, 'alice', 'second', 'users-t'), /401/);
    const members = await call('GET', `${admin}/tenants/${tid}/users`, { token });
    assert.deepEqual(members.body.users.map((x: any) => x.name), ['alice']);
  });

  test('role grants: 200 with the role, 409 when it exists, 204 on revoke; 501 without a tenant', async () => {
    const t = (await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: 'grants-t' } } })).body.tenant;
    const u = (await call('POST', `${admin}/users`, { token, body: { user: { name: 'bob', password: 'pw' } } })).body.user;
    const role = (await call('POST', `${admin}/OS-KSADM/roles`, { token, body: { role: { name: 'auditor' } } })).body.role;
    const path = `${admin}/tenants/${t.id}/users/${u.id}/roles/OS-KSADM/${role.id}`;
    const g = await call('PUT', path, { token });
    assert.equal(g.status, 200);
    assert.equal(g.body.role.name, 'auditor');
    assert.equal((await call('PUT', path, { token })).status, 409);
    assert.equal((await call('DELETE', path, { token })).status, 204);
    assert.equal((await call('DELETE', path, { token })).status, 404);
    const nr = await call('GET', `${admin}/users/${u.id}/roles`, { token });
    assert.equal(nr.status, 501);
    assert.equal(nr.body.error.message, 'User roles not supported: tenant ID required');
    const list = await call('GET', `${admin}/OS-KSADM/roles`, { token });
    assert.ok(list.body.roles.some((r: any) => r.name === 'auditor'));
  });

  test('the public endpoint lists only the caller\'s tenants; the admin API needs the admin role', async () => {
    const t = (await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: 'carol-t' } } })).body.tenant;
    await call('POST', `${admin}/users`, { token, body: { user: { name: 'carol', password: 'pw', tenantId: t.id } } });
    const carol = (await loginV2(cloud, 'carol', 'pw', 'carol-t')).token.id;
    const own = await call('GET', `${cloud.authUrlV2}/tenants`, { token: carol });
    assert.deepEqual(own.body.tenants.map((x: any) => x.name), ['carol-t']);
    const denied = await call('GET', `${admin}/tenants`, { token: carol });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 403);
    const unauth = await call('GET', `${admin}/tenants`, { token: 'bogus' });
    assert.equal(unauth.status, 401);
  });

  test('tenants and users keep attributes Keystone has no column for (its `extra`), merged on update', async () => {
    const t = await call('POST', `${admin}/tenants`, { token, body: { tenant: { name: 'extra-t', contact: 'ops@x' } } });
    assert.equal(t.body.tenant.contact, 'ops@x');
    const tu = await call('PUT', `${admin}/tenants/${t.body.tenant.id}`, { token, body: { tenant: { region_hint: 'r1' } } });
    assert.deepEqual([tu.body.tenant.contact, tu.body.tenant.region_hint], ['ops@x', 'r1']);
    const u = await call('POST', `${admin}/users`, { token, body: { user: { name: 'extra-u', password: 'pw', email: 'e@x', department: 'qa' } } });
    assert.equal(u.body.user.department, 'qa');
    assert.equal('password' in u.body.user, false);
    const uu = await call('PUT', `${admin}/users/${u.body.user.id}`, { token, body: { user: { floor: 3 } } });
    assert.deepEqual([uu.body.user.department, uu.body.user.floor], ['qa', 3]);
    const got = await call('GET', `${admin}/users/${u.body.user.id}`, { token });
    assert.equal(got.body.user.floor, 3);
  });

  test('Havana user items have no username', async () => {
    const h = await cloudOf('havana:nova-network:flatdhcp');
    try {
      const tok = (await loginV2(h)).token.id;
      const users = await call('GET', `${h.adminUrlV2}/users`, { token: tok });
      assert.equal(users.body.users[0].name, 'admin');
      assert.equal('username' in users.body.users[0], false);
    } finally {
      await h.close();
    }
  });
});
