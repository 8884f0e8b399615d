import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import { isCloudHttpError, type Cloud, type ComputeService } from '../../openstack/index.js';
import type { StepContext, StepResult } from '../contract.js';
import { servicesOf } from './host-names.js';

/** The reason recorded on the disabled service, so that operators see who disabled it and why. */
export const EVACUATION_REASON = 'pumphouse: evacuating for reassignment';

/**
 * `disable_service`: stops the scheduler from placing servers on the host while it is
 * emptied. A service already disabled (by an earlier run, or by the operator) is left as it
 * is, reason included. Nova's `disable-log-reason` is used where the cloud has it
 * (os-extended-services); a cloud without it gets a plain disable.
 */
export async function disableService(address: string, host: string, ctx: StepContext): Promise<StepResult> {
  const cloud = await ctx.clouds.source();
  const service = await computeService(cloud, address, host);
  if (service.status === 'disabled') {
    // Our own reason means an earlier run of this step disabled it (and crashed before `done`).
    const ours = service.disabledReason === EVACUATION_REASON;
    return { outputs: { host, service_status: 'disabled', disabled_before: !ours, disabled_reason: service.disabledReason ?? '' } };
  }
  const ref = { host: service.host, binary: 'nova-compute' };
  try {
    await cloud.compute.services.disable(ref, EVACUATION_REASON);
  } catch (err) {
    // Havana without os-extended-services has no disable-log-reason (404); 422/400 on bad input are real errors.
    if (!isCloudHttpError(err, 404)) throw err;
    emit(ctx.reporter, 'log', 'info', `${address}: the source has no disable-log-reason; nova-compute on ${host} is disabled without a reason`, {
      text: 'disabled without a reason',
    });
    await cloud.compute.services.disable(ref);
  }
  const after = await computeService(cloud, address, host);
  if (after.status !== 'disabled') {
    throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${address}: nova-compute on ${host} is still ${after.status} after it was disabled`, {
      address,
      details: { host, status: after.status },
    });
  }
  return { outputs: { host, service_status: 'disabled', disabled_before: false, disabled_reason: after.disabledReason ?? EVACUATION_REASON } };
}

/** The host's one nova-compute service (exact host name), or PH_PRECONDITION_FAILED. */
export async function computeService(cloud: Cloud, address: string, host: string): Promise<ComputeService> {
  const found = await servicesOf(cloud, [host], 'nova-compute');
  if (found.length === 1) return found[0]!;
  throw new PumphouseError(
    'PH_PRECONDITION_FAILED',
    found.length === 0
      ? `${address}: the source runs no nova-compute on host ${host}`
      : `${address}: the source lists ${found.length} nova-compute services for host ${host}`,
    { address, details: { host, services: found.length } },
  );
}
