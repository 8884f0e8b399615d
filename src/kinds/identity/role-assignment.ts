import { PumphouseError } from '../../errors/index.js';
import type { Action } from '../../plan/index.js';
import type { RoleAssignment } from '../../openstack/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';

/**
 * A user's role in a project. Granting is idempotent in Keystone (PUT), so `create` simply
 * grants; `adopt` checks the grant is there. The destination id is the composite
 * `user/role/project` the planner and discovery use for assignments.
 */
export const roleAssignmentKind: KindHandler = kindHandler('role_assignment', {
  create: { create: grantAssignment },
  adopt: { adopt: checkAssignment },
});

/** `user/role/project`, the id assignments have in plans and state. */
export function assignmentId(a: RoleAssignment): string {
  return `${a.userId}/${a.roleId}/${a.projectId}`;
}

async function assignmentOf(action: Action, ctx: StepContext): Promise<RoleAssignment> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  return { userId: a.str('user_id'), roleId: a.str('role_id'), projectId: a.str('project_id') };
}

async function grantAssignment(action: Action, ctx: StepContext): Promise<StepResult> {
  const grant = await assignmentOf(action, ctx);
  await (await ctx.clouds.destination()).identity.roleAssignments.grant(grant);
  return { destinationId: assignmentId(grant) };
}

async function checkAssignment(action: Action, ctx: StepContext): Promise<StepResult> {
  const want = await assignmentOf(action, ctx);
  const found = await (await ctx.clouds.destination()).identity.roleAssignments.list(want);
  if (!found.some((x) => assignmentId(x) === assignmentId(want))) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${action.address}: the destination no longer has the assignment ${assignmentId(want)}; plan again`, {
      address: action.address,
    });
  }
  return { destinationId: assignmentId(want) };
}
