import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import { hasMacs, type FuelNode } from '../../fuel/index.js';
import { isNotFound } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import { hypervisorsOf, servicesOf } from './host-names.js';
import { envName } from './machine.js';
import type { Reassignment } from './reassignment.js';
import { waitOptions } from './settings.js';

/**
 * `wait_discovered`: waits for the wiped machine to register again (status `discover`, no
 * environment, a NEW id, exactly its MAC set), remembers the new id, then removes the
 * host's stale services from the SOURCE cloud (what the original's DeleteServicesFromNode
 * did): Nova keeps them, down, after Fuel removed the node. Deleting nova-compute also drops
 * its hypervisor record (Icehouse+). Services are deleted only once Nova reports them down,
 * and only those of exactly the host's names.
 */
export async function waitDiscovered(r: Reassignment): Promise<StepResult> {
  const node = await r.ctx.wait(
    `machine with MACs ${r.macs.join(', ')} to register again in Fuel`,
    async () => {
      const nodes = await r.fuel.nodes();
      const found = nodes.filter((n) => hasMacs(n, r.macs));
      if (found.length > 1) throw sharedMacs(r, found);
      const n = found[0];
      if (!n) return { done: false, status: 'no node with its MACs (rebooting into bootstrap)' };
      if (n.clusterId === r.destinationEnv || (n.clusterId === null && n.status === 'discover')) return { done: true, value: n };
      if (n.clusterId === null) return { done: false, status: `node ${n.id} is ${n.status}` };
      if (n.clusterId === r.sourceEnv && n.status === 'error' && !n.pendingDeletion) {
        throw new PumphouseError('PH_FUEL_TASK_FAILED', `${r.address}: Fuel could not remove node ${n.id} from source environment ${r.sourceEnv} (it is in error)`, {
          address: r.address,
          details: { node_id: n.id, cluster_id: n.clusterId },
        });
      }
      return { done: false, status: `node ${n.id} still in ${envName(n.clusterId)} (${n.status})` };
    },
    waitOptions(r.settings, r.timeouts.rediscoveryS),
  );
  await r.ctx.remember({ new_node_id: node.id });
  const stale = await removeStaleServices(r);
  return { outputs: { new_node_id: node.id, ...stale } };
}

function sharedMacs(r: Reassignment, nodes: readonly FuelNode[]): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: Fuel nodes ${nodes.map((n) => n.id).join(', ')} share the MACs ${r.macs.join(', ')}`, {
    address: r.address,
    details: { node_ids: nodes.map((n) => n.id) },
  });
}

/** The host's names in the source cloud: Nova's service host, and the Fuel host name it had. */
export function sourceNames(r: Pick<Reassignment, 'host' | 'hostname'>): string[] {
  return [...new Set([r.host, r.hostname].filter((n) => n !== ''))];
}

async function removeStaleServices(r: Reassignment): Promise<{ stale_services_deleted: number; stale_hypervisors_left: number }> {
  const cloud = await r.ctx.clouds.source();
  const names = sourceNames(r);
  const services = await r.ctx.wait(
    `the source's services of host ${r.host} to be reported down`,
    async () => {
      const found = await servicesOf(cloud, names);
      const up = found.filter((s) => s.state === 'up');
      return up.length === 0 ? { done: true, value: found } : { done: false, status: `${up.map((s) => s.binary).join(', ')} still up` };
    },
    waitOptions(r.settings, r.timeouts.staleServiceDownS),
  );
  let deleted = 0;
  for (const s of services) {
    if (s.id === null) {
      // Havana: services have no id and no DELETE; they stay listed as down.
      emit(r.ctx.reporter, 'log', 'warn', `${r.address}: the source cannot delete service ${s.binary} of host ${s.host} (no service ids); it stays listed, down`, {
        text: `stale ${s.binary} left on ${s.host}`,
      });
      continue;
    }
    try {
      await cloud.compute.services.delete(s.id);
      deleted++;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const left = (await hypervisorsOf(cloud, names)).length;
  if (left > 0) {
    emit(r.ctx.reporter, 'log', 'warn', `${r.address}: the source still lists ${left} hypervisor(s) of host ${r.host} after its services were deleted`, {
      text: `stale hypervisor left on ${r.host}`,
    });
  }
  return { stale_services_deleted: deleted, stale_hypervisors_left: left };
}
