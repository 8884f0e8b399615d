import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted } from '../common/marker.js';

/**
 * A server group, made with the tenant-scoped token (Nova puts a group in the caller's
 * project, and takes no other). Groups carry no marker (no description, and metadata went
 * in 2.64), so the natural key is (name, policy) in the project: a rerun, or a create whose
 * answer was lost, finds the group. The servers' boots name it (`group` scheduler hint).
 */
export const serverGroupKind: KindHandler = kindHandler('server_group', {
  create: { create: makeGroup },
  adopt: { adopt: checkGroup },
});

async function makeGroup(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const policy = a.str('policy');
  const groups = (await ctx.clouds.scoped('destination', a.str('project_id'))).compute.serverGroups;
  const { value } = await createOnce(
    async () => (await groups.list()).find((g) => g.name === name && g.policies[0] === policy),
    () => groups.create(name, policy),
  );
  return { destinationId: value.id };
}

async function checkGroup(action: Action, ctx: StepContext): Promise<StepResult> {
  const groups = (await ctx.clouds.destination()).compute.serverGroups;
  const g = await getAdopted(action.address, 'server group', ctx.recorded.destinationId ?? action.destination?.id, (id) => groups.get(id));
  return { destinationId: g.id };
}
