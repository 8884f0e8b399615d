import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before } from 'node:test';
import { isNotFound, openIdentity, Session, type CloudCredentials, type IdentityClient, type Project, type Role, type User } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { unversioned, v2Probe, v2SkipReason, v2Url } from './auth.js';
import { need, type ContractRun } from './contract-run.js';
import { expectAuthFailed, expectHttpError } from './expect-error.js';
import { keystoneSendsRequestIds } from './release-facts.js';

/** Credentials of a user the suite made, in the default domain. */
export function userCredentials(run: ContractRun, authUrl: string, name: string, password: string, projectId: string): CloudCredentials {
  const { region, interface: iface, cacert, insecure } = run.target.credentials;
  return {
    authUrl,
    username: name,
    password,
    projectId,
    userDomainId: 'default',
    ...(region ? { region } : {}),
    ...(iface ? { interface: iface } : {}),
    ...(cacert ? { cacert } : {}),
    ...(insecure ? { insecure } : {}),
  };
}

/**
 * Projects (tenants), users, roles, role assignments and domains over one Keystone API:
 * create, read, list, update, grant, log in as the new user, refuse its old password, delete.
 */
export function identityArea(run: ContractRun, version: '3' | '2.0'): void {
  const skip = version === '2.0' ? v2SkipReason(run) : run.target.capabilities.identity?.includes('3') === false ? `${run.target.name} has no Keystone v3` : false;
  area(run, `identity (Keystone v${version})`, { skip, ...(version === '2.0' ? { skipIf: v2Probe(run) } : {}) }, (a) => {
    const tag = version === '3' ? 'v3' : 'v2';
    const authUrl = version === '3' ? `${unversioned(run.target.credentials.authUrl)}/v3` : v2Url(run);
    let idc: IdentityClient | undefined;
    let own: Session | undefined;
    let project: Project | undefined;
    let user: User | undefined;
    let role: Role | undefined;
    let password = `phc-${randomBytes(9).toString('base64url')}`;

    before(async () => {
      if (version === '2.0' && (await v2Probe(run)())) return;
      if (run.cloud.session.identityVersion === version) idc = run.cloud.identity;
      else {
        own = await Session.login({ ...run.target.credentials, authUrl }, { name: run.target.name });
        a.ledger.add('session', { label: 'identity session', remove: () => own?.close() ?? Promise.resolve() });
        idc = openIdentity(own);
      }
    });
    const id = (): IdentityClient => need(idc, 'the identity client');

    a.step('lists domains (v2.0: the implicit default one)', async () => {
      const domains = await id().domains.list();
      const d = domains.find((x) => x.id === 'default');
      assert.ok(d, `domain "default" among ${domains.map((x) => x.id).join(', ')}`);
      assert.equal(d.name, 'Default');
      assert.equal(d.enabled, true);
    });

    a.step('creates a project', async () => {
      const name = run.name(`${tag}-project`);
      project = await id().projects.create({ name, description: 'pumphouse contract suite' });
      const p = project;
      a.ledger.add(p.id, { label: `project ${name} (${p.id})`, remove: () => id().projects.delete(p.id) });
      assert.match(p.id, /^[0-9a-f]{32}$/);
      assert.equal(p.name, name);
      assert.equal(p.description, 'pumphouse contract suite');
      assert.equal(p.enabled, true);
      assert.equal(p.domainId, 'default');
    });

    a.step('reads, lists, finds and updates the project', async () => {
      const p = need(project, 'the project');
      assert.deepEqual(await id().projects.get(p.id), p);
      assert.ok((await id().projects.list()).some((x) => x.id === p.id), 'listed');
      assert.equal((await id().projects.findByName(p.name))?.id, p.id);
      assert.equal(await id().projects.findByName(run.name('no-such-project')), undefined);
      const updated = await id().projects.update(p.id, { description: 'updated by the contract suite' });
      assert.equal(updated.description, 'updated by the contract suite');
      assert.equal((await id().projects.get(p.id)).description, 'updated by the contract suite');
    });

    a.step('creates a user with a password, an email and a default project', async () => {
      const p = need(project, 'the project');
      const name = run.name(`${tag}-user`);
      user = await id().users.create({ name, password, email: `${name}@example.invalid`, defaultProjectId: p.id });
      const u = user;
      a.ledger.add(u.id, { label: `user ${name} (${u.id})`, remove: () => id().users.delete(u.id) });
      assert.match(u.id, /^[0-9a-f]{32}$/);
      assert.equal(u.name, name);
      assert.equal(u.email, `${name}@example.invalid`);
      assert.equal(u.enabled, true);
      assert.equal(u.defaultProjectId, p.id);
      assert.equal(u.domainId, 'default');
    });

    a.step('reads, lists and finds the user', async () => {
      const u = need(user, 'the user');
      const got = await id().users.get(u.id);
      assert.equal(got.name, u.name);
      assert.equal(got.defaultProjectId, u.defaultProjectId);
      assert.ok((await id().users.list()).some((x) => x.id === u.id), 'listed');
      assert.equal((await id().users.findByName(u.name))?.id, u.id);
    });

    a.step('creates a role and finds it', async () => {
      const name = run.name(`${tag}-role`);
      role = await id().roles.create(name);
      const r = role;
      a.ledger.add(r.id, { label: `role ${name} (${r.id})`, remove: () => id().roles.delete(r.id) });
      assert.equal(r.name, name);
      assert.ok((await id().roles.list()).some((x) => x.id === r.id));
      assert.equal((await id().roles.findByName(name))?.id, r.id);
    });

    a.step('grants the role on the project (twice: the second grant is a no-op) and lists the assignment', async () => {
      const grant = { userId: need(user, 'the user').id, projectId: need(project, 'the project').id, roleId: need(role, 'the role').id };
      await id().roleAssignments.grant(grant);
      await id().roleAssignments.grant(grant);
      // Keystone v2.0 gives a user created with a tenantId the default member role there too.
      const byUser = await id().roleAssignments.list({ userId: grant.userId });
      assert.deepEqual(byUser.filter((x) => x.roleId === grant.roleId), [grant]);
      assert.ok(byUser.every((x) => x.userId === grant.userId), 'the user filter applies');
      const byProject = await id().roleAssignments.list({ projectId: grant.projectId });
      assert.ok(byProject.some((x) => x.userId === grant.userId && x.roleId === grant.roleId));
    });

    a.step('the new user logs in to the project with its password and holds the role', async () => {
      const u = need(user, 'the user');
      const p = need(project, 'the project');
      const s = await Session.login(userCredentials(run, authUrl, u.name, password, p.id), { name: run.target.name });
      try {
        assert.equal(s.userId, u.id);
        assert.equal(s.projectId, p.id);
        assert.ok(s.roles.includes(need(role, 'the role').name), `roles: ${s.roles.join(', ')}`);
      } finally {
        await s.close();
      }
    });

    a.step('after a password reset the old password is PH_AUTH_FAILED and the new one works', async () => {
      const u = need(user, 'the user');
      const p = need(project, 'the project');
      const old = password;
      password = `phc-${randomBytes(9).toString('base64url')}`;
      await id().users.setPassword(u.id, password);
      await expectAuthFailed(Session.login(userCredentials(run, authUrl, u.name, old, p.id), { name: run.target.name }), u.name, old);
      const s = await Session.login(userCredentials(run, authUrl, u.name, password, p.id), { name: run.target.name });
      await s.close();
    });

    a.step('revokes the role (twice: revoking a missing grant is a no-op)', async () => {
      const grant = { userId: need(user, 'the user').id, projectId: need(project, 'the project').id, roleId: need(role, 'the role').id };
      await id().roleAssignments.revoke(grant);
      await id().roleAssignments.revoke(grant);
      assert.deepEqual((await id().roleAssignments.list({ userId: grant.userId })).filter((x) => x.roleId === grant.roleId), []);
    });

    a.step('a duplicate project name is a 409 CloudHttpError', async () => {
      const p = need(project, 'the project');
      // Havana-Juno Keystone sends no request id (its request_id middleware is Newton's).
      const requestId = await keystoneSendsRequestIds(run.cloud);
      await expectHttpError(id().projects.create({ name: p.name }), { status: 409, service: 'identity', cloud: run.target.name, method: 'POST', faultType: 'Conflict', requestId });
    });

    a.step('deletes role, user and project; each is then a 404', async () => {
      const r = need(role, 'the role');
      const u = need(user, 'the user');
      const p = need(project, 'the project');
      await id().roles.delete(r.id);
      await id().users.delete(u.id);
      await id().projects.delete(p.id);
      for (const key of [r.id, u.id, p.id]) a.ledger.forget(key);
      const requestId = await keystoneSendsRequestIds(run.cloud);
      await expectHttpError(id().users.get(u.id), { status: 404, service: 'identity', cloud: run.target.name, pathIncludes: u.id, faultType: 'Not Found', requestId });
      await expectHttpError(id().projects.get(p.id), { status: 404, service: 'identity', cloud: run.target.name, pathIncludes: p.id, faultType: 'Not Found', requestId });
      assert.equal(await id().roles.findByName(r.name), undefined);
      await assert.rejects(id().projects.delete(p.id), isNotFound);
    });
  });
}
