import { PumphouseError } from '../../errors/index.js';
import type { StepResult } from '../contract.js';
import { envName, nodeLabel } from './machine.js';
import type { Reassignment } from './reassignment.js';

/**
 * `assign`: puts the rediscovered node (found by its MAC set, whatever its id) into the
 * destination environment with the planned roles (`pending_addition`). A node already
 * there is adopted.
 */
export async function assign(r: Reassignment): Promise<StepResult> {
  let node = await r.fuel.findNodeByMacs(r.macs);
  if (!node) throw lost(r);
  if (node.clusterId === null) {
    await r.ctx.remember({ new_node_id: node.id });
    try {
      await r.fuel.assign(r.destinationEnv, [{ id: node.id, roles: r.roles }]);
    } catch (err) {
      // A lost answer may have taken effect: only a node still unassigned is a failure.
      const now = await r.fuel.findNodeByMacs(r.macs);
      if (!now || now.clusterId !== r.destinationEnv) throw err;
    }
    node = await r.fuel.findNodeByMacs(r.macs);
    if (!node) throw lost(r);
  }
  if (node.clusterId !== r.destinationEnv) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: Fuel node ${nodeLabel(node)} is in ${envName(node.clusterId)}, not destination environment ${r.destinationEnvName}`, {
      address: r.address,
      details: { node_id: node.id, cluster_id: node.clusterId },
    });
  }
  const roles = new Set([...node.roles, ...node.pendingRoles]);
  const missing = r.roles.filter((x) => !roles.has(x));
  if (missing.length > 0) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: Fuel node ${nodeLabel(node)} is in the destination environment without role(s) ${missing.join(', ')}`, {
      address: r.address,
      details: { node_id: node.id, missing_roles: missing.join(',') },
    });
  }
  return { destinationId: String(node.id), outputs: { node_id: node.id, roles: [...r.roles].sort().join(',') } };
}

function lost(r: Reassignment): PumphouseError {
  return new PumphouseError('PH_PRECONDITION_FAILED', `${r.address}: no Fuel node has the MACs ${r.macs.join(', ')} any more`, {
    address: r.address,
    details: { macs: r.macs.join(',') },
  });
}
