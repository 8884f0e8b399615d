import { emit } from '../../events/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';

/**
 * A project's quotas, set to the planned (source) limits: Nova with `force` (a limit below
 * current use is what the source had), Cinder and Neutron as given. Setting a quota is
 * idempotent, so a rerun simply sets it again. A service the plan has limits for but the
 * destination lacks is skipped with a warning. The destination id is the project id.
 */
export const quotaKind: KindHandler = kindHandler('quota', {
  update: { update: setQuotas },
});

async function setQuotas(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const projectId = a.str('project_id');
  const compute = a.optNumberMap('compute');
  const volume = a.optNumberMap('volume');
  const network = a.optNumberMap('network');
  const cloud = await ctx.clouds.destination();
  const set: string[] = [];
  if (compute && Object.keys(compute).length > 0) {
    await cloud.compute.quotas.update(projectId, compute, { force: true });
    set.push('compute');
  }
  if (volume && Object.keys(volume).length > 0) {
    if (cloud.volume) {
      await cloud.volume.quotas.update(projectId, volume);
      set.push('volume');
    } else {
      skipped(ctx, action, 'volume', 'the destination has no block storage service');
    }
  }
  if (network && Object.keys(network).length > 0) {
    if (cloud.network) {
      await cloud.network.quotas.update(projectId, network);
      set.push('network');
    } else {
      skipped(ctx, action, 'network', 'the destination has no Neutron');
    }
  }
  return { destinationId: projectId, outputs: { services: set.join(',') } };
}

function skipped(ctx: StepContext, action: Action, service: string, why: string): void {
  const summary = `${action.address}: ${service} quotas not set: ${why}`;
  emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address: action.address });
}
