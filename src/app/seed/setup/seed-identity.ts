import { randomBytes } from 'node:crypto';
import { PumphouseError } from '../../../errors/index.js';
import type { KeystoneRecord } from './keystone-seed.js';
import type { SeedContext } from './seed-context.js';
import type { TenantSpec } from './spec.js';

/** A seeded tenant: its project and user, and the password to record (when setup chose it now). */
export interface SeededIdentity {
  readonly project: KeystoneRecord;
  readonly user: KeystoneRecord;
  /** Set when this run created the user or reset its password: it goes to the passwords file. */
  readonly newPassword?: string;
  /** Takes back the admin role setup gave itself in the project (call when the tenant is seeded). */
  readonly releaseAdmin: () => Promise<void>;
}

/**
 * The tenant's project and user (member role), and the `admin` role for the admin running
 * setup inside the project, so setup can act with a token scoped to it (Nova and Cinder make
 * servers and volumes in the token's project). Unlike the original, which left that grant,
 * setup takes it back once the tenant is seeded (releaseAdmin): a migration of the tenant
 * would otherwise copy the admin's membership as if it were the tenant's own. A user found
 * without a known password (the passwords file was lost) gets a new one, so the file always
 * works.
 */
export async function seedIdentity(ctx: SeedContext, t: TenantSpec, knownPassword: string | undefined): Promise<SeededIdentity> {
  const [projects, users] = await Promise.all([ctx.keystone.projects(), ctx.keystone.users()]);
  const project = await ctx.once(
    'project',
    t.name,
    async () => {
      const p = projects.find((x) => x.name === t.name);
      return p ? { value: p, ours: p.setup } : undefined;
    },
    () => ctx.keystone.createProject(t.name, t.description),
  );
  // A workload password is the config's; a generated one goes to the passwords file.
  const chosen = t.password ?? knownPassword;
  let generated: string | undefined;
  let created = false;
  const user = await ctx.once(
    'user',
    t.username,
    async () => {
      const u = users.find((x) => x.name === t.username);
      // Where Keystone keeps no marker on users (no description on v2.0, extra attributes
      // dropped), a user whose default project is this setup project is setup's too.
      return u ? { value: u, ours: u.setup || u.defaultProjectId === project.id } : undefined;
    },
    () => {
      created = true;
      return ctx.keystone.createUser(t.username, chosen ?? (generated = newPassword()), project.id);
    },
  );
  if (!created && (chosen === undefined || t.password !== undefined)) {
    await ctx.cloud.identity.users.setPassword(user.id, chosen ?? (generated = newPassword()));
  }
  const identity = ctx.cloud.identity;
  const [admin, member] = await Promise.all([identity.roles.findByName('admin'), memberRole(ctx)]);
  if (!admin) throw new PumphouseError('PH_PRECONDITION_FAILED', 'the source Keystone has no admin role: setup needs it to act inside the test tenants');
  const adminGrant = { userId: ctx.cloud.session.userId, projectId: project.id, roleId: admin.id };
  const held = (await identity.roleAssignments.list({ userId: adminGrant.userId, projectId: project.id })).some((a) => a.roleId === admin.id);
  await Promise.all([identity.roleAssignments.grant({ userId: user.id, projectId: project.id, roleId: member.id }), held ? undefined : identity.roleAssignments.grant(adminGrant)]);
  return {
    project,
    user,
    ...(generated !== undefined ? { newPassword: generated } : {}),
    // Only a grant setup made is taken back; one the admin held before stays.
    releaseAdmin: held ? async () => {} : () => identity.roleAssignments.revoke(adminGrant),
  };
}

function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** `member` (modern) or `_member_` (legacy Keystone's default member role). */
async function memberRole(ctx: SeedContext): Promise<{ id: string }> {
  const roles = await ctx.cloud.identity.roles.list();
  const role = roles.find((r) => r.name === 'member') ?? roles.find((r) => r.name === '_member_');
  if (!role) throw new PumphouseError('PH_PRECONDITION_FAILED', "the source Keystone has neither a 'member' nor a '_member_' role for the test users");
  return role;
}
