import { randomBytes } from 'node:crypto';
import { PumphouseError } from '../../../errors/index.js';
import type { KeystoneRecord } from './keystone-seed.js';
import type { SeedContext } from './seed-context.js';
import type { TenantSpec } from './spec.js';

/** A seeded tenant: its project and user, and the password to record (when setup chose it now). */
export interface SeededIdentity {
  readonly project: KeystoneRecord;
  readonly user: KeystoneRecord;
  /** The user's password, in memory only: setup logs in as the user to make what the tenant owns. */
  readonly password: string;
  /** Set when this run created the user or reset its password: it goes to the passwords file. */
  readonly newPassword?: string;
}

/**
 * The tenant's project and user (member role). Setup then acts inside the tenant as that
 * user, as the original booted its servers, so the servers are the user's own; the admin
 * gets no role in the project (the original gave itself `admin` there and left it, which a
 * migration of the tenant would copy as if it were the tenant's). A user found without a
 * known password (the passwords file was lost) gets a new one, so the file always works.
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
  const member = await memberRole(ctx);
  await ctx.cloud.identity.roleAssignments.grant({ userId: user.id, projectId: project.id, roleId: member.id });
  return { project, user, password: chosen ?? generated!, ...(generated !== undefined ? { newPassword: generated } : {}) };
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
