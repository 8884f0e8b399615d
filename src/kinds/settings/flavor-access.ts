import { PumphouseError } from '../../errors/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';

/**
 * A project's access to a private flavor. Nova answers an existing grant with 409, which the
 * client takes as success, so `create` is idempotent; `adopt` checks the grant is there.
 * The destination id is `flavor/project`, as the planner and discovery have it.
 */
export const flavorAccessKind: KindHandler = kindHandler('flavor_access', {
  create: { create: grantAccess },
  adopt: { adopt: checkAccess },
});

async function accessOf(action: Action, ctx: StepContext): Promise<{ flavorId: string; projectId: string }> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  return { flavorId: a.str('flavor_id'), projectId: a.str('project_id') };
}

async function grantAccess(action: Action, ctx: StepContext): Promise<StepResult> {
  const { flavorId, projectId } = await accessOf(action, ctx);
  await (await ctx.clouds.destination()).compute.flavors.addAccess(flavorId, projectId);
  return { destinationId: `${flavorId}/${projectId}` };
}

async function checkAccess(action: Action, ctx: StepContext): Promise<StepResult> {
  const { flavorId, projectId } = await accessOf(action, ctx);
  const flavors = (await ctx.clouds.destination()).compute.flavors;
  const flavor = await flavors.get(flavorId);
  // A public flavor needs no grant: every project may use it.
  if (!flavor.isPublic && !(await flavors.listAccess(flavorId)).includes(projectId)) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${action.address}: project ${projectId} no longer has access to flavor ${flavorId}; plan again`, {
      address: action.address,
    });
  }
  return { destinationId: `${flavorId}/${projectId}` };
}
