/**
 * Identity kinds against the simulator's Keystone v2.0 (a Juno-era destination, which the Zed
 * testbed cannot play): tenants marked in their description with a caller-chosen id, roles,
 * grants through the v2.0 admin API, the temporary admin membership, and a password reset
 * proven by logging in. (The simulator has Keystone only so far; its v3 and v2.0 users do not
 * keep extra attributes yet, so marker adoption of users is proven on the real testbed.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../../src/errors/index.js';
import { openCloud, Session, type Cloud } from '../../../src/openstack/index.js';
import { startSimCloud, type SimCloud } from '../../../src/sim/index.js';
import { IdentityDbAccess } from '../../../src/kinds/common/identity-db-access.js';
import { secretResolver } from '../../../src/kinds/secrets.js';
import {
  adminMembershipKind,
  KeystoneMarked,
  passwordHashKind,
  projectKind,
  resetPasswordFile,
  roleAssignmentKind,
  roleKind,
  userKind,
} from '../../../src/kinds/identity/index.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../support/step-harness.js';

describe('identity kinds on a simulated Keystone v2.0 destination', { concurrency: false }, () => {
  let sim: SimCloud;
  let dst: Cloud;
  let dir: string;

  before(async () => {
    sim = await startSimCloud({ release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' }, { name: 'destination' });
    dst = await openCloud({ authUrl: sim.authUrlV2!, username: sim.admin.username, password: sim.admin.password, projectName: sim.admin.projectName }, { name: 'destination' });
    dir = await mkdtemp(join(tmpdir(), 'phk-sim-'));
  });

  after(async () => {
    await dst?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('makes a tenant with the planned id and a description marker, and adopts it on a rerun', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const create = makeAction({ kind: 'project', action: 'create', address: 'tenant[acme]', sourceId: 'src-acme', after: { name: 'acme', description: 'the acme tenant', enabled: true, id: 'cafe0000cafe0000cafe0000cafe0000' } });
    const [r] = await h.run(projectKind, create);
    assert.deepEqual(r, { destinationId: 'cafe0000cafe0000cafe0000cafe0000', outputs: { name: 'acme', description: 'the acme tenant', enabled: true } });
    const found = await new KeystoneMarked(dst).findProject('acme');
    assert.deepEqual(found?.marker, { sourceId: 'src-acme', kind: 'project' });
    assert.equal((await dst.identity.projects.get(r!.destinationId!)).description, 'the acme tenant [pumphouse_source=src-acme kind=project]');
    h.forget(create);
    assert.equal((await h.run(projectKind, create))[0]!.destinationId, r!.destinationId);
    assert.equal((await dst.identity.projects.list()).filter((p) => p.name === 'acme').length, 1);

    const other = makeAction({ kind: 'project', action: 'create', address: 'tenant[acme]', sourceId: 'another', after: { name: 'acme', description: '', enabled: true } });
    await assert.rejects(h.run(projectKind, other), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PRECONDITION_FAILED');
  });

  it('creates a user in its tenant, a role and the grant, grants and revokes the admin membership, and resets the password', async () => {
    const sink = resetPasswordFile(join(dir, 'passwords.txt'));
    const secrets = secretResolver({ sourceDb: new IdentityDbAccess(undefined, 'source') });
    const h = new StepHarness(cloudAccess(undefined, dst), secrets);
    const project = makeAction({ kind: 'project', action: 'create', address: 'tenant[beta]', sourceId: 'src-beta', after: { name: 'beta', description: '', enabled: true } });
    await h.run(projectKind, project);
    const user = makeAction({ kind: 'user', action: 'create', address: 'user[bob]', sourceId: 'src-bob', name: 'bob', after: { name: 'bob', email: 'bob@example.org', enabled: true, default_project_id: ref(project) } });
    const [u] = await h.run(userKind, user);
    const projectId = h.results.get(project.id)!.destinationId!;
    assert.equal((await dst.identity.users.get(u!.destinationId!)).defaultProjectId, projectId);

    const role = makeAction({ kind: 'role', action: 'create', address: 'role[auditor]', sourceId: 'src-role', after: { name: 'auditor' } });
    const roleId = (await h.run(roleKind, role))[0]!.destinationId!;
    h.forget(role);
    assert.equal((await h.run(roleKind, role))[0]!.destinationId, roleId, 'a role is matched by name');
    const grant = makeAction({ kind: 'role_assignment', action: 'create', address: 'tenant[beta].user[bob].role[auditor]', sourceId: 'x', after: { user_id: ref(user), role_id: ref(role), project_id: ref(project) } });
    await h.run(roleAssignmentKind, grant);
    await h.run(roleAssignmentKind, grant);
    const adopt = makeAction({ kind: 'role_assignment', action: 'adopt', address: 'tenant[beta].user[bob].role[auditor]', sourceId: 'x', after: { user_id: u!.destinationId!, role_id: roleId, project_id: projectId } });
    assert.deepEqual(await h.run(roleAssignmentKind, adopt), [{ destinationId: `${u!.destinationId}/${roleId}/${projectId}` }]);

    const membership = { kind: 'admin_membership' as const, address: 'tenant[beta].admin_membership', sourceId: 'src-beta', after: { project_id: projectId, user_id: null, role_id: null } };
    await h.run(adminMembershipKind, makeAction({ ...membership, action: 'grant' }));
    assert.equal((await dst.scopedTo(projectId)).session.projectId, projectId, 'the admin can now log in to the tenant');
    await h.run(adminMembershipKind, makeAction({ ...membership, action: 'revoke' }));
    assert.equal((await dst.identity.roleAssignments.list({ userId: dst.session.userId, projectId })).length, 0);

    const reset = makeAction({
      kind: 'password_hash',
      action: 'update',
      address: 'user[bob].password_hash',
      sourceId: 'src-bob',
      name: 'bob',
      after: { user_id: ref(user), mode: 'reset', password: { $secret: 'pumphouse/user/src-bob/reset_password' } },
      steps: ['generate_password', 'write_destination_password', 'verify'],
    });
    const kind = passwordHashKind({ destinationDb: new IdentityDbAccess(undefined, 'destination'), resetPasswords: sink });
    const steps = await h.run(kind, reset);
    assert.deepEqual(steps.at(-1), { destinationId: u!.destinationId, outputs: { verified: 'login' } });
    const [name, id, password] = (await readFile(join(dir, 'passwords.txt'), 'utf8')).trim().split('\t');
    assert.deepEqual([name, id], ['bob', u!.destinationId]);
    const bob = await Session.login({ authUrl: sim.authUrlV2!, username: 'bob', password: password!, projectId }, { name: 'bob' });
    await bob.close();

    // A verify after a crash (a new process: another reset secret) sets and delivers the new one.
    const fresh = new StepHarness(cloudAccess(undefined, dst), secretResolver({ sourceDb: new IdentityDbAccess(undefined, 'source') }));
    fresh.results.set(user.id, { destinationId: u!.destinationId!, outputs: {} });
    await fresh.run(kind, reset, ['verify']);
    const lines = (await readFile(join(dir, 'passwords.txt'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 2);
    const latest = lines[1]!.split('\t')[2]!;
    assert.notEqual(latest, password);
    await (await Session.login({ authUrl: sim.authUrlV2!, username: 'bob', password: latest, projectId }, { name: 'bob' })).close();
  });
});
