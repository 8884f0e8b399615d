import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Session, openIdentity, type IdentityClient } from '../../../src/openstack/index.js';
import { FakeCloud, creds, fastRetry, send } from '../fake-cloud.js';

describe('identity v3', () => {
  let cloud: FakeCloud;
  let session: Session;
  let id: IdentityClient;
  const V3 = '/identity/v3';
  before(async () => {
    cloud = await FakeCloud.start();
    const fr = fastRetry();
    session = await Session.login(creds(cloud), { retry: fr.retry, sleep: fr.sleep });
    id = openIdentity(session);
  });
  after(async () => {
    await session.close();
    await cloud.close();
  });

  test('lists projects and users as normalized records', async () => {
    cloud.on('GET', `${V3}/projects`, (_req, res) =>
      send(res, 200, { projects: [{ id: 'p1', name: 'acme', description: 'Acme', enabled: true, domain_id: 'default', parent_id: 'default' }], links: { self: 'x', next: null } }),
    );
    cloud.on('GET', `${V3}/users`, (_req, res) =>
      send(res, 200, { users: [{ id: 'u1', name: 'alice', email: 'a@x', enabled: true, default_project_id: 'p1', domain_id: 'default' }, { id: 'u2', name: 'bob', domain_id: 'd2', enabled: false }], links: {} }),
    );
    assert.deepEqual(await id.projects.list(), [{ id: 'p1', name: 'acme', description: 'Acme', enabled: true, domainId: 'default', parentId: 'default' }]);
    const users = await id.users.list();
    assert.deepEqual(users[0], { id: 'u1', name: 'alice', email: 'a@x', enabled: true, defaultProjectId: 'p1', domainId: 'default', description: null });
    assert.equal(users[1]!.defaultProjectId, null);
  });

  test('role assignments keep user/project grants; group, domain and inherited ones are the others', async () => {
    cloud.on('GET', `${V3}/role_assignments`, (_req, res) =>
      send(res, 200, {
        role_assignments: [
          { role: { id: 'r1' }, user: { id: 'u1' }, scope: { project: { id: 'p1' } }, links: {} },
          { role: { id: 'r1' }, user: { id: 'u1' }, scope: { project: { id: 'p2' } }, links: {} },
          { role: { id: 'r2' }, group: { id: 'g1' }, scope: { project: { id: 'p1' } }, links: {} },
          { role: { id: 'r3' }, user: { id: 'u1' }, scope: { domain: { id: 'default' } }, links: {} },
          { role: { id: 'r4' }, user: { id: 'u1' }, scope: { project: { id: 'p1' }, 'OS-INHERIT:inherited_to': 'projects' }, links: {} },
          { role: { id: 'r5' }, group: { id: 'g2' }, scope: { domain: { id: 'd1' }, 'OS-INHERIT:inherited_to': 'projects' }, links: {} },
          { role: { id: 'r6' }, user: { id: 'u1' }, scope: { system: { all: true } }, links: {} },
        ],
        links: {},
      }),
    );
    const list = await id.roleAssignments.list({ userId: 'u1' });
    assert.deepEqual(list, [
      { userId: 'u1', projectId: 'p1', roleId: 'r1' },
      { userId: 'u1', projectId: 'p2', roleId: 'r1' },
    ], 'the same role on two projects is two assignments; an inherited one is not one');
    assert.equal(cloud.hits('GET', `${V3}/role_assignments`).at(-1)!.url.searchParams.get('user.id'), 'u1');
    const grants = await id.roleAssignments.grants();
    assert.equal(grants.direct.length, 2);
    assert.deepEqual(grants.others, [
      { holder: 'group', holderId: 'g1', roleId: 'r2', scope: 'project', scopeId: 'p1', inherited: false },
      { holder: 'user', holderId: 'u1', roleId: 'r3', scope: 'domain', scopeId: 'default', inherited: false },
      { holder: 'user', holderId: 'u1', roleId: 'r4', scope: 'project', scopeId: 'p1', inherited: true },
      { holder: 'group', holderId: 'g2', roleId: 'r5', scope: 'domain', scopeId: 'd1', inherited: true },
    ], 'beside them, the grants pumphouse leaves behind (a system grant is neither)');
  });

  test('creates a user and grants a role; revoking a missing grant succeeds', async () => {
    cloud.on('POST', `${V3}/users`, (req, res) => send(res, 201, { user: { ...req.json().user, id: 'u9' } }));
    cloud.on('PUT', `${V3}/projects/p1/users/u9/roles/r1`, (_req, res) => send(res, 204));
    cloud.on('DELETE', `${V3}/projects/p1/users/u9/roles/r1`, (_req, res) => send(res, 404, { error: { code: 404, title: 'Not Found', message: 'Could not find role assignment' } }));
    const u = await id.users.create({ name: 'carol', password: 'pw', defaultProjectId: 'p1' });
    assert.equal(u.id, 'u9');
    assert.deepEqual(cloud.hits('POST', `${V3}/users`)[0]!.json(), { user: { name: 'carol', password: 'pw', enabled: true, default_project_id: 'p1', domain_id: 'default' } });
    await id.roleAssignments.grant({ projectId: 'p1', userId: 'u9', roleId: 'r1' });
    await id.roleAssignments.revoke({ projectId: 'p1', userId: 'u9', roleId: 'r1' });
  });
});

describe('identity v2.0 (admin endpoint)', () => {
  let cloud: FakeCloud;
  let session: Session;
  let id: IdentityClient;
  const ADMIN = '/identity-admin/v2.0';
  before(async () => {
    cloud = await FakeCloud.start({ services: { identity: '/identity/v2.0', compute: '/compute/v2/{pid}' } });
    const fr = fastRetry();
    session = await Session.login(creds(cloud, 'v2.0'), { retry: fr.retry, sleep: fr.sleep });
    id = openIdentity(session);
  });
  after(async () => {
    await session.close();
    await cloud.close();
  });

  test('tenants page by marker on the admin endpoint and stop on a short page', async () => {
    const tenants = Array.from({ length: 650 }, (_, i) => ({ id: `t${String(i).padStart(4, '0')}`, name: `tenant-${i}`, description: '', enabled: true }));
    cloud.on('GET', `${ADMIN}/tenants`, (req, res) => {
      const limit = Number(req.url.searchParams.get('limit'));
      const marker = req.url.searchParams.get('marker');
      const start = marker ? tenants.findIndex((t) => t.id === marker) + 1 : 0;
      send(res, 200, { tenants: tenants.slice(start, start + limit), tenants_links: [] });
    });
    const projects = await id.projects.list();
    assert.equal(projects.length, 650);
    assert.equal(projects[0]!.domainId, 'default');
    const hits = cloud.hits('GET', `${ADMIN}/tenants`);
    assert.equal(hits.length, 2, 'the second page is short: no third request');
    assert.equal(hits[1]!.url.searchParams.get('marker'), tenants[499]!.id);
  });

  test('users: tenantId becomes defaultProjectId; Havana items without username are read', async () => {
    cloud.on('GET', `${ADMIN}/users`, (_req, res) => send(res, 200, { users: [{ id: 'u1', name: 'alice', email: 'a@x', enabled: true, tenantId: 't1' }] }));
    assert.deepEqual(await id.users.list(), [{ id: 'u1', name: 'alice', email: 'a@x', enabled: true, defaultProjectId: 't1', domainId: 'default', description: null }]);
  });

  test('role assignments: one v3 call when Keystone has it, else tenants x users x roles', async () => {
    cloud.on('GET', '/identity-admin/v3/role_assignments', (_req, res) => send(res, 404, { error: { code: 404, title: 'Not Found', message: 'no v3' } }));
    cloud.on('GET', `${ADMIN}/tenants/t1/users`, (_req, res) => send(res, 200, { users: [{ id: 'u1', name: 'alice' }, { id: 'u2', name: 'bob' }] }));
    cloud.on('GET', `${ADMIN}/tenants/t1/users/u1/roles`, (_req, res) => send(res, 200, { roles: [{ id: 'r-member', name: '_member_' }] }));
    cloud.on('GET', `${ADMIN}/tenants/t1/users/u2/roles`, (_req, res) => send(res, 200, { roles: [{ id: 'r-admin', name: 'admin' }, { id: 'r-member', name: '_member_' }] }));
    const list = await id.roleAssignments.list({ projectId: 't1' });
    assert.deepEqual(list, [
      { userId: 'u1', projectId: 't1', roleId: 'r-member' },
      { userId: 'u2', projectId: 't1', roleId: 'r-admin' },
      { userId: 'u2', projectId: 't1', roleId: 'r-member' },
    ]);
    await id.roleAssignments.list({ projectId: 't1' });
    assert.equal(cloud.hits('GET', '/identity-admin/v3/role_assignments').length, 1, 'v3 is not asked again');
  });

  test('role assignments walk: a tenant or user deleted during the walk (404) holds no grants; other refusals fail', async () => {
    cloud.on('GET', '/identity-admin/v3/role_assignments', (_req, res) => send(res, 404, { error: { code: 404, title: 'Not Found', message: 'no v3' } }));
    const tenants = [
      { id: 'ta', name: 'a', enabled: true },
      { id: 'tgone', name: 'gone', enabled: true },
      { id: 'tb', name: 'b', enabled: true },
    ];
    cloud.on('GET', `${ADMIN}/tenants`, (_req, res) => send(res, 200, { tenants, tenants_links: [] }));
    const notFound = (what: string) => ({ error: { code: 404, title: 'Not Found', message: `Could not find ${what}` } });
    cloud.on('GET', `${ADMIN}/tenants/ta/users`, (_req, res) => send(res, 200, { users: [{ id: 'u1' }, { id: 'ugone' }] }));
    cloud.on('GET', `${ADMIN}/tenants/ta/users/u1/roles`, (_req, res) => send(res, 200, { roles: [{ id: 'r1', name: 'member' }] }));
    cloud.on('GET', `${ADMIN}/tenants/ta/users/ugone/roles`, (_req, res) => send(res, 404, notFound('user, ugone')));
    cloud.on('GET', `${ADMIN}/tenants/tgone/users`, (_req, res) => send(res, 404, notFound('project, tgone')));
    cloud.on('GET', `${ADMIN}/tenants/tb/users`, (_req, res) => send(res, 200, { users: [{ id: 'u2' }] }));
    cloud.on('GET', `${ADMIN}/tenants/tb/users/u2/roles`, (_req, res) => send(res, 200, { roles: [{ id: 'r2', name: 'admin' }] }));
    assert.deepEqual(await id.roleAssignments.list(), [
      { userId: 'u1', projectId: 'ta', roleId: 'r1' },
      { userId: 'u2', projectId: 'tb', roleId: 'r2' },
    ]);
    assert.equal(cloud.hits('GET', `${ADMIN}/tenants/tgone/users`).length, 1);
    // Any other refusal is not taken for a deletion.
    cloud.on('GET', `${ADMIN}/tenants/tb/users`, (_req, res) => send(res, 403, { error: { code: 403, title: 'Forbidden', message: 'no' } }));
    await assert.rejects(id.roleAssignments.list(), (err: Error) => /403/.test(err.message));
  });

  test('grant of an existing role (409) succeeds; password reset uses OS-KSADM', async () => {
    cloud.on('PUT', `${ADMIN}/tenants/t1/users/u1/roles/OS-KSADM/r1`, (_req, res) => send(res, 409, { error: { code: 409, title: 'Conflict', message: 'already has role' } }));
    await id.roleAssignments.grant({ projectId: 't1', userId: 'u1', roleId: 'r1' });
    cloud.on('PUT', `${ADMIN}/users/u1/OS-KSADM/password`, (_req, res) => send(res, 200, { user: { id: 'u1' } }));
    await id.users.setPassword('u1', 'new-pw');
    assert.deepEqual(cloud.hits('PUT', `${ADMIN}/users/u1/OS-KSADM/password`)[0]!.json(), { user: { password: 'new-pw' } });
  });

  test('findByName answers undefined on 404', async () => {
    cloud.on('GET', `${ADMIN}/tenants`, (req, res) =>
      req.url.searchParams.get('name') === 'acme' ? send(res, 200, { tenant: { id: 't1', name: 'acme', enabled: true } }) : send(res, 404, { error: { code: 404, title: 'Not Found', message: 'no' } }),
    );
    assert.equal((await id.projects.findByName('acme'))?.id, 't1');
    assert.equal(await id.projects.findByName('nope'), undefined);
  });
});
