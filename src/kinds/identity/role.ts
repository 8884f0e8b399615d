import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { vanished } from '../common/marker.js';

/**
 * Roles, matched by their natural key, the name (Keystone keeps role names unique): `create`
 * adopts a role of that name made meanwhile (or by a crashed run) instead of making a second
 * one; `adopt` checks the planned role is still there.
 */
export const roleKind: KindHandler = kindHandler('role', {
  create: { create: createRole },
  adopt: { adopt: adoptRole },
});

async function createRole(action: Action, ctx: StepContext): Promise<StepResult> {
  const name = new AfterValues(await ctx.resolveAfter(), action.address).str('name');
  const roles = (await ctx.clouds.destination()).identity.roles;
  const { value } = await createOnce(
    () => roles.findByName(name),
    () => roles.create(name),
  );
  return { destinationId: value.id, outputs: { name: value.name } };
}

async function adoptRole(action: Action, ctx: StepContext): Promise<StepResult> {
  const roles = await (await ctx.clouds.destination()).identity.roles.list();
  const id = ctx.recorded.destinationId ?? action.destination?.id;
  const name = action.destination?.name;
  const role = id ? roles.find((r) => r.id === id) : roles.find((r) => r.name === name);
  if (!role) throw vanished(action.address, 'role', id ?? name ?? '?');
  return { destinationId: role.id, outputs: { name: role.name } };
}
