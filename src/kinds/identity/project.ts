import { unmarkDescription } from '../../inventory/marker.js';
import { isNotFound } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { markerOf, sameMarker, taken, vanished } from '../common/marker.js';
import { KeystoneMarked } from './keystone-marked.js';

/**
 * Projects (tenants). `create` makes the project with the marker in the same request (v3
 * extra attributes, v2.0 description suffix); a project of that name carrying our marker is
 * adopted (crash after the create), one without it stops the action (the plan said the name
 * was free). The destination id is whatever Keystone made (v3 ignores caller ids); on a v2.0
 * destination an `after.id` the planner asks for is sent. `adopt` checks the planned project
 * is still there.
 */
export const projectKind: KindHandler = kindHandler('project', {
  create: { create: createProject },
  adopt: { adopt: adoptProject },
});

async function createProject(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const description = a.optStr('description') ?? '';
  const enabled = a.bool('enabled', true);
  const id = a.optStr('id');
  const keystone = new KeystoneMarked(await ctx.clouds.destination());
  const marker = markerOf(ctx);
  const { value } = await createOnce(
    async () => {
      const found = await keystone.findProject(name);
      if (found && !sameMarker(found.marker, marker)) throw taken(action.address, `a project named '${name}'`, found.id);
      return found;
    },
    () => keystone.createProject({ name, description, enabled, ...(id ? { id } : {}) }, marker),
  );
  return { destinationId: value.id, outputs: { name: value.name, description: value.description, enabled: value.enabled } };
}

async function adoptProject(action: Action, ctx: StepContext): Promise<StepResult> {
  const dst = await ctx.clouds.destination();
  const id = ctx.recorded.destinationId ?? action.destination?.id;
  if (!id) {
    // Planned by name without an id (not what the planner writes today): find it by name.
    const name = new AfterValues(await ctx.resolveAfter(), action.address).str('name');
    const found = await new KeystoneMarked(dst).findProject(name);
    if (!found) throw vanished(action.address, 'the project named', name);
    return { destinationId: found.id, outputs: { name: found.name, description: found.description, enabled: found.enabled } };
  }
  try {
    const p = await dst.identity.projects.get(id);
    return { destinationId: p.id, outputs: { name: p.name, description: unmarkDescription(p.description), enabled: p.enabled } };
  } catch (err) {
    if (isNotFound(err)) throw vanished(action.address, 'project', id);
    throw err;
  }
}
