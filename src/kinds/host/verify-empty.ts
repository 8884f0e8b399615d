import { PumphouseError } from '../../errors/index.js';
import type { StepResult } from '../contract.js';
import { computeService } from './disable-service.js';
import { hypervisorsOf, serversOnHost } from './host-names.js';
import type { Evacuation } from './live-migrate.js';
import { waitOptions } from './settings.js';

/**
 * `verify_empty`: the host runs no server and its nova-compute is still disabled (nothing
 * can land there before the reassignment wipes it). The service stays disabled: the
 * reassignment that follows removes it; re-enabling is the operator's call if no
 * reassignment follows.
 */
export async function verifyEmpty(e: Evacuation): Promise<StepResult> {
  const { address, host, ctx } = e;
  const cloud = await ctx.clouds.source();
  const left = await serversOnHost(cloud, host);
  if (left.length > 0) {
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `${address}: host ${host} still runs ${left.length} server(s): ${left.map((s) => `${s.name} (${s.id}, ${s.status})`).join(', ')}`,
      { address, details: { host, servers: left.map((s) => s.id) } },
    );
  }
  const service = await computeService(cloud, address, host);
  if (service.status !== 'disabled') {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${address}: nova-compute on host ${host} was enabled again during the evacuation`, {
      address,
      details: { host, status: service.status },
    });
  }
  // running_vms is what the hypervisor reports (it also counts what Nova lost track of); the
  // resource tracker refreshes it periodically, so a count lagging behind the moves is waited for.
  await ctx.wait(
    `the hypervisor of host ${host} to report no running VM`,
    async () => {
      const vms = (await hypervisorsOf(cloud, [host])).reduce((n, h) => n + (h.runningVms ?? 0), 0);
      return vms === 0 ? { done: true, value: 0 } : { done: false, status: `${vms} running VM(s)` };
    },
    waitOptions(e.settings, e.timeouts.hypervisorIdleS),
  );
  return { outputs: { host, servers_left: 0, service_status: service.status } };
}
