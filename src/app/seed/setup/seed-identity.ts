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
}

/**
 * The tenant's project and user (member role), and the `admin` role for the admin running
 * setup inside the project (as the original did), so setup (and later cleanup) can act with
 * a token scoped to it: Nova and Cinder make servers and volumes in the token's project.
 * The grant goes with the project when cleanup deletes it. A user found without a known
 * password (the passwords file was lost) gets a new one, so the file always works.
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
  const adminUserId = ctx.cloud.session.userId;
  await Promise.all([
    identity.roleAssignments.grant({ userId: user.id, projectId: project.id, roleId: member.id }),
    identity.roleAssignments.grant({ userId: adminUserId, projectId: project.id, roleId: admin.id }),
  ]);
  return { project, user, ...(generated !== undefined ? { newPassword: generated } : {}) };
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
