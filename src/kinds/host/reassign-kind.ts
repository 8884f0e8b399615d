import type { Action } from '../../plan/index.js';
import { kindHandler } from '../common/handler.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { assign } from './assign.js';
import { waitComputeUp } from './compute-up.js';
import { deploy } from './deploy.js';
import { resolveDeployPending } from './fuel-deploy.js';
import { configureDisksNics } from './node-layout.js';
import { reassignment, type Reassignment } from './reassignment.js';
import { waitDiscovered } from './rediscovery.js';
import type { HostSettings } from './settings.js';
import { unassign } from './unassign.js';

/**
 * `host_reassign` / `reassign` (address `host[X]`): moves a bare-metal node from the source
 * Fuel environment to the destination one, in the order the original tool proved
 * (pumphouse-original.md §6.1, legacy-apis.md §6.4): `unassign` (+ the source's removal
 * deployment), `wait_discovered` (new id, same MACs; stale source services deleted),
 * `assign` (roles), `configure_disks_nics`, `deploy` (once), `wait_compute_up` (destination
 * nova-compute up and enabled, hypervisor listed). Destructive: the node is wiped. Every
 * step finds the machine by its MAC set and decides from what Fuel shows, so a step run
 * again after a crash continues instead of repeating; the two deploying steps also report a
 * deployment that failed while nobody watched (resolvePending) before deploying again.
 */
export function hostReassignKind(settings: HostSettings): KindHandler {
  const run = (step: (r: Reassignment) => Promise<StepResult>) => async (action: Action, ctx: StepContext) => step(await reassignment(action, ctx, settings));
  return kindHandler(
    'host_reassign',
    {
      reassign: {
        unassign: run(unassign),
        wait_discovered: run(waitDiscovered),
        assign: run(assign),
        configure_disks_nics: run(configureDisksNics),
        deploy: run(deploy),
        wait_compute_up: run(waitComputeUp),
      },
    },
    async (step, _action, ctx) => {
      if (step === 'unassign') return resolveDeployPending(ctx, await ctx.clouds.fuel(), 'source_task_id');
      if (step === 'deploy') return resolveDeployPending(ctx, await ctx.clouds.fuel(), 'deploy_task_id');
      return 'redo';
    },
  );
}
