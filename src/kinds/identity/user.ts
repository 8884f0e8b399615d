import { randomBytes } from 'node:crypto';
import { isNotFound } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { markerOf, sameMarker, taken, vanished } from '../common/marker.js';
import { KeystoneMarked } from './keystone-marked.js';

/**
 * Users. `create` makes the user with a random throwaway password (held only in this
 * function: never logged, journaled or returned) and the marker in the same request; the
 * `password_hash` action then puts the source hash (or a reset password) in its place.
 * A user of that name carrying our marker is adopted; one without it stops the action.
 * `adopt` checks the planned user is still there; pumphouse never changes its password
 * (the planner plans no password_hash for users it did not make).
 */
export const userKind: KindHandler = kindHandler('user', {
  create: { create: createUser },
  adopt: { adopt: adoptUser },
});

/**
 * A password nobody knows: 32 random base64url characters plus a fixed tail, so that common
 * Keystone `password_regex` rules (upper, lower, digit, symbol) accept it.
 */
export function throwawayPassword(): string {
  return `${randomBytes(24).toString('base64url')}-Aa1`;
}

async function createUser(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const email = a.optStr('email');
  const enabled = a.bool('enabled', true);
  const defaultProjectId = a.optStr('default_project_id');
  const keystone = new KeystoneMarked(await ctx.clouds.destination());
  const marker = markerOf(ctx);
  const { value } = await createOnce(
    async () => {
      const found = await keystone.findUser(name);
      if (found && !sameMarker(found.marker, marker)) throw taken(action.address, `a user named '${name}'`, found.id);
      return found;
    },
    () => keystone.createUser({ name, password: throwawayPassword(), email, enabled, defaultProjectId }, marker),
  );
  return { destinationId: value.id, outputs: { name: value.name, email: value.email, enabled: value.enabled } };
}

async function adoptUser(action: Action, ctx: StepContext): Promise<StepResult> {
  const dst = await ctx.clouds.destination();
  const id = ctx.recorded.destinationId ?? action.destination?.id;
  if (!id) {
    const name = new AfterValues(await ctx.resolveAfter(), action.address).str('name');
    const found = await new KeystoneMarked(dst).findUser(name);
    if (!found) throw vanished(action.address, 'the user named', name);
    return { destinationId: found.id, outputs: { name: found.name, email: found.email, enabled: found.enabled } };
  }
  try {
    const u = await dst.identity.users.get(id);
    return { destinationId: u.id, outputs: { name: u.name, email: u.email, enabled: u.enabled } };
  } catch (err) {
    if (isNotFound(err)) throw vanished(action.address, 'user', id);
    throw err;
  }
}
