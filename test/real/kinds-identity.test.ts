/**
 * Identity kinds against the real Zed testbed: project, user, role, role assignment, admin
 * membership and password hash (copy through the Keystone databases, and reset), each run
 * twice to prove the second run adopts instead of duplicating.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/openstack/index.js';
import { keystoneMarker } from '../../src/discovery/records/marks.js';
import { PumphouseError } from '../../src/errors/index.js';
import { kindsPart1, type KindsPart1 } from '../../src/kinds/index-part-1.js';
import { adminMembershipKind, KeystoneMarked, projectKind, resetPasswordFile, roleAssignmentKind, roleKind, userKind } from '../../src/kinds/identity/index.js';
import type { KindHandler } from '../../src/kinds/contract.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../kinds/support/step-harness.js';
import { Cleanup, DESTINATION_DB, openTestbed, SOURCE_DB, testbedSkipReason, testPrefix, type Testbed } from './kinds-support.js';

const skip = await testbedSkipReason();

describe('identity kinds on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let kinds: KindsPart1;
  let dir: string;
  const cleanup = new Cleanup();
  const prefix = testPrefix();
  const sourcePassword = `Src-${prefix}-pw1`;
  const ids: { srcProject?: string; srcUser?: string; srcRole?: string } = {};

  before(async () => {
    tb = await openTestbed();
    dir = await mkdtemp(join(tmpdir(), 'phk-'));
    const s = tb.source.identity;
    const project = await s.projects.create({ name: `${prefix}-acme`, description: 'acme tenant' });
    cleanup.add('source project', () => s.projects.delete(project.id));
    const user = await s.users.create({ name: `${prefix}-alice`, password: sourcePassword, email: 'alice@example.com', defaultProjectId: project.id });
    cleanup.add('source user', () => s.users.delete(user.id));
    const role = await s.roles.create(`${prefix}-role`);
    cleanup.add('source role', () => s.roles.delete(role.id));
    await s.roleAssignments.grant({ userId: user.id, projectId: project.id, roleId: role.id });
    Object.assign(ids, { srcProject: project.id, srcUser: user.id, srcRole: role.id });
  });

  after(async () => {
    try {
      await cleanup.run();
    } finally {
      await kinds?.close();
      await tb?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  });

  it('migrates a project, a user, a role, an assignment and the password hash, and adopts on a second run', async () => {
    kinds = kindsPart1({
      sourceIdentityDbUrl: SOURCE_DB,
      destinationIdentityDbUrl: DESTINATION_DB,
      destinationKeystoneRelease: 'zed',
      resetPasswords: resetPasswordFile(join(dir, 'reset.txt')),
    });
    const h = new StepHarness(cloudAccess(tb.source, tb.destination), kinds.secrets);
    const d = tb.destination.identity;
    const tenant = `tenant[${prefix}-acme]`;
    const project = makeAction({
      kind: 'project',
      action: 'create',
      address: tenant,
      sourceId: ids.srcProject!,
      after: { name: `${prefix}-acme`, description: 'acme tenant', enabled: true },
    });
    const [p] = await h.run(projectKind, project);
    const projectId = p!.destinationId!;
    cleanup.add('destination project', () => d.projects.delete(projectId));
    assert.notEqual(projectId, ids.srcProject, 'a v3 destination makes its own id');
    const marked = await new KeystoneMarked(tb.destination).findProject(`${prefix}-acme`);
    assert.deepEqual(marked?.marker, { sourceId: ids.srcProject, kind: 'project' });
    assert.equal(marked?.description, 'acme tenant');
    // What discovery sees through the identity client (no extra attributes): the description suffix.
    assert.deepEqual(keystoneMarker(await d.projects.get(projectId), 'project').marker, { sourceId: ids.srcProject, kind: 'project' });

    const user = makeAction({
      kind: 'user',
      action: 'create',
      address: `user[${prefix}-alice]`,
      sourceId: ids.srcUser!,
      after: { name: `${prefix}-alice`, email: 'alice@example.com', enabled: true, default_project_id: ref(project) },
    });
    const [u] = await h.run(userKind, user);
    const userId = u!.destinationId!;
    cleanup.add('destination user', () => d.users.delete(userId));
    assert.equal((await d.users.get(userId)).defaultProjectId, projectId);
    assert.deepEqual(keystoneMarker(await d.users.get(userId), 'user').marker, { sourceId: ids.srcUser, kind: 'user' });

    const role = makeAction({ kind: 'role', action: 'create', address: `role[${prefix}-role]`, sourceId: ids.srcRole!, after: { name: `${prefix}-role` } });
    const [r] = await h.run(roleKind, role);
    const roleId = r!.destinationId!;
    cleanup.add('destination role', () => d.roles.delete(roleId));

    const assignment = makeAction({
      kind: 'role_assignment',
      action: 'create',
      address: `${tenant}.user[${prefix}-alice].role[${prefix}-role]`,
      sourceId: `${ids.srcUser}/${ids.srcRole}/${ids.srcProject}`,
      after: { user_id: ref(user), role_id: ref(role), project_id: ref(project) },
    });
    const [a] = await h.run(roleAssignmentKind, assignment);
    assert.equal(a!.destinationId, `${userId}/${roleId}/${projectId}`);
    assert.equal((await d.roleAssignments.list({ userId, projectId })).filter((x) => x.roleId === roleId).length, 1);

    const hash = makeAction({
      kind: 'password_hash',
      action: 'update',
      address: `user[${prefix}-alice].password_hash`,
      sourceId: ids.srcUser!,
      after: { user_id: ref(user), mode: 'copy-hash', password_hash: { $secret: `keystone/user/${ids.srcUser}/password_hash` } },
    });
    const steps = await h.run(handler(kinds, 'password_hash'), hash);
    assert.equal(steps[0]!.outputs?.['algorithm'], 'bcrypt');
    assert.equal(steps[0]!.outputs?.['verifiable'], true);
    assert.equal(steps[2]!.outputs?.['verified'], 'hash');
    // The proof: the user logs in to the destination with the password it had in the source.
    const login = await Session.login(
      { authUrl: tb.destination.session.authUrl, username: `${prefix}-alice`, password: sourcePassword, userDomainName: 'Default', projectId },
      { name: 'alice' },
    );
    assert.equal(login.userId, userId);
    await login.close();
    const again = await h.run(handler(kinds, 'password_hash'), hash, ['write_destination_hash']);
    assert.equal(again[0]!.outputs?.['outcome'], 'unchanged');

    // Second run of the same plan after its state was lost: everything is adopted, nothing made twice.
    for (const act of [project, user, role, assignment]) h.forget(act);
    assert.equal((await h.run(projectKind, project))[0]!.destinationId, projectId);
    assert.equal((await h.run(userKind, user))[0]!.destinationId, userId);
    assert.equal((await h.run(roleKind, role))[0]!.destinationId, roleId);
    assert.equal((await h.run(roleAssignmentKind, assignment))[0]!.destinationId, `${userId}/${roleId}/${projectId}`);
    assert.equal((await d.projects.list()).filter((x) => x.name === `${prefix}-acme`).length, 1);
    assert.equal((await d.roles.list()).filter((x) => x.name === `${prefix}-role`).length, 1);

    // Adopting what exists: the project by id.
    const adopt = makeAction({ kind: 'project', action: 'adopt', address: tenant, sourceId: ids.srcProject!, destinationId: projectId, after: { name: `${prefix}-acme` } });
    assert.deepEqual((await h.run(projectKind, adopt))[0], {
      destinationId: projectId,
      outputs: { name: `${prefix}-acme`, description: 'acme tenant', enabled: true },
    });

    // Reset mode: a new password, delivered to the operator's file, proven by a login.
    const reset = makeAction({
      kind: 'password_hash',
      action: 'update',
      address: `user[${prefix}-alice].password_hash`,
      sourceId: ids.srcUser!,
      name: `${prefix}-alice`,
      after: { user_id: ref(user), mode: 'reset', password: { $secret: `pumphouse/user/${ids.srcUser}/reset_password` } },
      steps: ['generate_password', 'write_destination_password', 'verify'],
    });
    const r2 = await h.run(handler(kinds, 'password_hash'), reset);
    assert.equal(r2[2]!.outputs?.['verified'], 'login');
    const file = join(dir, 'reset.txt');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const line = (await readFile(file, 'utf8')).trim().split('\n').at(-1)!.split('\t');
    assert.deepEqual(line.slice(0, 2), [`${prefix}-alice`, userId]);
    const relogin = await Session.login(
      { authUrl: tb.destination.session.authUrl, username: `${prefix}-alice`, password: line[2]!, userDomainName: 'Default' },
      { name: 'alice' },
    );
    await relogin.close();
    // Nothing was ever written to the source user: it still logs in with its own password.
    const src = await Session.login(
      { authUrl: tb.source.session.authUrl, username: `${prefix}-alice`, password: sourcePassword, userDomainName: 'Default' },
      { name: 'alice-source' },
    );
    await src.close();
  });

  it('grants and revokes the temporary admin membership, so a token can be scoped to the tenant', async () => {
    const h = new StepHarness(cloudAccess(tb.source, tb.destination));
    const d = tb.destination.identity;
    const project = await d.projects.create({ name: `${prefix}-scope` });
    cleanup.add('destination scope project', () => d.projects.delete(project.id));
    const admin = (await d.roles.findByName('admin'))!;
    const base = { kind: 'admin_membership' as const, address: `tenant[${prefix}-scope].admin_membership`, sourceId: 'src-scope' };
    const after = { project_id: project.id, user_id: tb.destination.session.userId, role_id: null };
    const grant = makeAction({ ...base, action: 'grant', after });
    const [g] = await h.run(adminMembershipKind, grant);
    assert.deepEqual(g, { destinationId: project.id, outputs: { user_id: tb.destination.session.userId, role_id: admin.id } });
    const scoped = await tb.destination.scopedTo(project.id);
    assert.equal(scoped.session.projectId, project.id);
    const revoke = makeAction({ ...base, action: 'revoke', after });
    await h.run(adminMembershipKind, revoke);
    await h.run(adminMembershipKind, revoke); // a second revoke (after a crash) is fine
    const left = await d.roleAssignments.list({ userId: tb.destination.session.userId, projectId: project.id });
    assert.deepEqual(left, []);
  });

  it('refuses to take over a destination project of the same name that pumphouse did not make', async () => {
    const h = new StepHarness(cloudAccess(tb.source, tb.destination));
    const d = tb.destination.identity;
    const squatter = await d.projects.create({ name: `${prefix}-taken` });
    cleanup.add('destination squatter', () => d.projects.delete(squatter.id));
    const create = makeAction({ kind: 'project', action: 'create', address: `tenant[${prefix}-taken]`, sourceId: 'another-source-id', after: { name: `${prefix}-taken` } });
    await assert.rejects(h.run(projectKind, create), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_PRECONDITION_FAILED' && err.message.includes(squatter.id));
  });
});

function handler(kinds: KindsPart1, kind: string): KindHandler {
  const h = kinds.handlers.find((x) => x.kind === kind);
  if (!h) throw new Error(`no handler ${kind}`);
  return h;
}
