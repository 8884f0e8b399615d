import type { Action } from '../../plan/index.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { disableService } from './disable-service.js';
import { liveMigrateAll, type Evacuation } from './live-migrate.js';
import { timeoutsOf, type HostSettings } from './settings.js';
import { verifyEmpty } from './verify-empty.js';

/**
 * `host_evacuate` / `evacuate` (address `host[X].evacuation`): `disable_service` (nova-compute
 * disabled with the reason `pumphouse: evacuating for reassignment`), `live_migrate` (every
 * server still on the host moves to a host the scheduler picks), `verify_empty`. Source cloud
 * only. Every step reads the cloud afresh, so a step run again after a crash or a failure
 * continues from what is there. The executor runs one action per host at a time.
 */
export function hostEvacuateKind(settings: HostSettings): KindHandler {
  const run = (step: (e: Evacuation) => Promise<StepResult>) => async (action: Action, ctx: StepContext) => step(await evacuation(action, ctx, settings));
  return kindHandler('host_evacuate', {
    evacuate: {
      disable_service: run((e) => disableService(e.address, e.host, e.ctx)),
      live_migrate: run(liveMigrateAll),
      verify_empty: run(verifyEmpty),
    },
  });
}

async function evacuation(action: Action, ctx: StepContext, settings: HostSettings): Promise<Evacuation> {
  const after = new AfterValues(await ctx.resolveAfter(), action.address);
  const host = after.optStr('host') ?? action.host ?? after.str('host');
  return { address: action.address, host, ctx, settings, timeouts: timeoutsOf(settings, action) };
}
