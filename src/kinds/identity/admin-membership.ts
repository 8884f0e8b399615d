import { PumphouseError } from '../../errors/index.js';
import type { Cloud, RoleAssignment } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';

/**
 * The temporary admin role of the user apply acts as, inside one destination project, so that
 * tenant-scoped work can log in to that project (DESIGN.md §8). `grant` before the tenant's
 * scoped actions, `revoke` after them (a missing grant revokes fine, so a revoke after a
 * crash is safe). The destination id is the project id, as the planner and discovery have it.
 * When the plan leaves the user or role open (null), the destination session's user and the
 * role named `admin` are used.
 */
export const adminMembershipKind: KindHandler = kindHandler('admin_membership', {
  grant: { grant: grantMembership },
  revoke: { revoke: revokeMembership },
});

async function membershipOf(action: Action, ctx: StepContext): Promise<{ cloud: Cloud; grant: RoleAssignment }> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const cloud = await ctx.clouds.destination();
  const projectId = a.str('project_id');
  const userId = a.optStr('user_id') ?? cloud.session.userId;
  let roleId = a.optStr('role_id');
  if (roleId === null) {
    const admin = await cloud.identity.roles.findByName('admin');
    if (!admin) {
      throw new PumphouseError('PH_CLOUD_UNSUPPORTED', `${action.address}: the destination has no 'admin' role to grant`, { address: action.address });
    }
    roleId = admin.id;
  }
  return { cloud, grant: { userId, roleId, projectId } };
}

async function grantMembership(action: Action, ctx: StepContext): Promise<StepResult> {
  const { cloud, grant } = await membershipOf(action, ctx);
  await cloud.identity.roleAssignments.grant(grant);
  return { destinationId: grant.projectId, outputs: { user_id: grant.userId, role_id: grant.roleId } };
}

async function revokeMembership(action: Action, ctx: StepContext): Promise<StepResult> {
  const { cloud, grant } = await membershipOf(action, ctx);
  await cloud.identity.roleAssignments.revoke(grant);
  return { destinationId: grant.projectId, outputs: { user_id: grant.userId, role_id: grant.roleId } };
}
