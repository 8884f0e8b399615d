import { PumphouseError } from '../../errors/index.js';
import type { FuelNode } from '../../fuel/index.js';
import type { StepResult } from '../contract.js';
import { deployOnce } from './fuel-deploy.js';
import { envName, locateMachine, nodeLabel, nodeOrNull } from './machine.js';
import type { Reassignment } from './reassignment.js';
import { verifyLayoutSource } from './node-layout.js';

/**
 * `unassign`: takes the node out of the source environment. Nailgun marks it
 * `pending_deletion`; the source environment's deployment then removes it, which wipes the
 * machine and reboots it into bootstrap (legacy-apis.md §6.4). A node still in `discover`
 * leaves at once and needs no deployment. The planned id and the MACs are remembered first,
 * so that a resumed run finds the machine under its next id. Idempotent from what Fuel
 * shows: a node already pending deletion is not unassigned again, a running removal is
 * waited for, a machine already gone (or back in `discover`, or already in the destination)
 * is done.
 */
export async function unassign(r: Reassignment): Promise<StepResult> {
  await r.ctx.remember({ old_node_id: r.oldNodeId, macs: r.macs.join(',') });
  let node = await locateMachine(r);
  const base = { old_node_id: r.oldNodeId, macs: r.macs.join(',') };
  if (!node || node.clusterId === null || node.clusterId === r.destinationEnv) return { outputs: { ...base, removed_by: node ? 'earlier run' : 'removal under way' } };
  if (r.sourceEnv === null || node.clusterId !== r.sourceEnv) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: Fuel node ${nodeLabel(node)} is in ${envName(node.clusterId)}, but the plan has it ${r.sourceEnv === null ? 'in no environment' : `in source environment ${r.sourceEnv}`}`, {
      address: r.address,
      details: { node_id: node.id, cluster_id: node.clusterId },
    });
  }
  if (!node.pendingDeletion) {
    // The layout the reviewer saw must still be what its source says before the node is wiped.
    await verifyLayoutSource(r, node.id);
    try {
      await r.fuel.unassign(r.sourceEnv, [node.id]);
    } catch (err) {
      // A lost answer may have taken effect: only a node still not marked is a failure.
      const now = await nodeOrNull(r.fuel, node.id);
      if (now && now.clusterId === r.sourceEnv && !now.pendingDeletion) throw err;
    }
    const now = await nodeOrNull(r.fuel, node.id);
    // A node in `discover` leaves the environment at once, keeping its id: no deployment.
    if (!now || now.clusterId === null) return { outputs: { ...base, removed_by: 'unassignment' } };
    node = now;
  }
  const id = node.id;
  const { task } = await deployOnce(r, {
    clusterId: r.sourceEnv,
    what: `removal of node ${nodeLabel(node)} from environment ${r.sourceEnv}`,
    key: 'source_task_id',
    timeoutS: r.timeouts.sourceRemovalS,
    nodeStatus: async () => describe(await nodeOrNull(r.fuel, id)),
  });
  const after = await nodeOrNull(r.fuel, id);
  if (after && after.clusterId === r.sourceEnv) {
    throw new PumphouseError(
      'PH_FUEL_TASK_FAILED',
      `${r.address}: Fuel task ${task.id} finished but node ${nodeLabel(after)} is still in source environment ${r.sourceEnv} (${after.status})`,
      { address: r.address, details: { node_id: id, task_id: task.id, status: after.status } },
    );
  }
  return { outputs: { ...base, removed_by: 'deployment', source_task_id: task.id } };
}

function describe(node: FuelNode | null): string | null {
  return node ? `${node.status}${node.pendingDeletion ? ', pending deletion' : ''}` : 'removed';
}
