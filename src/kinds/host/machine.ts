import { PumphouseError } from '../../errors/index.js';
import { FuelHttpError, hasMacs, type FuelClient, type FuelNode } from '../../fuel/index.js';
import type { Reassignment } from './reassignment.js';

/** The node with this id, or null when Nailgun has no such row (404). */
export async function nodeOrNull(fuel: FuelClient, id: number): Promise<FuelNode | null> {
  try {
    return await fuel.node(id);
  } catch (err) {
    if (err instanceof FuelHttpError && err.status === 404) return null;
    throw err;
  }
}

/**
 * The machine being reassigned, wherever it is now: its planned node id while that row
 * still carries its MACs, else the node with exactly its MAC set (a removed machine comes
 * back under a new id). Null while it has no row (removed, rebooting into bootstrap).
 * Nailgun never reuses ids, so a planned id carrying other MACs means the plan no longer
 * describes this master: PH_PRECONDITION_FAILED.
 */
export async function locateMachine(r: Reassignment): Promise<FuelNode | null> {
  const planned = await nodeOrNull(r.fuel, r.oldNodeId);
  if (planned) {
    if (hasMacs(planned, r.macs)) return planned;
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `${r.address}: Fuel node ${r.oldNodeId} now has MACs ${planned.macs.join(', ')}, not the planned machine's ${r.macs.join(', ')}`,
      { address: r.address, details: { node_id: r.oldNodeId, macs: planned.macs.join(','), planned_macs: r.macs.join(',') } },
    );
  }
  return (await r.fuel.findNodeByMacs(r.macs)) ?? null;
}

/** The machine as a node of the destination environment, or PH_PRECONDITION_FAILED saying where it is. */
export async function nodeInDestination(r: Reassignment): Promise<FuelNode> {
  const node = await r.fuel.findNodeByMacs(r.macs);
  if (node && node.clusterId === r.destinationEnv) return node;
  throw new PumphouseError(
    'PH_PRECONDITION_FAILED',
    `${r.address}: the machine with MACs ${r.macs.join(', ')} is ${node ? `node ${node.id} in ${envName(node.clusterId)}` : 'not registered in Fuel'}, not in destination environment ${r.destinationEnvName}`,
    { address: r.address, details: { node_id: node?.id ?? null, cluster_id: node?.clusterId ?? null } },
  );
}

export function envName(clusterId: number | null): string {
  return clusterId === null ? 'no environment' : `environment ${clusterId}`;
}

/** `node-9 (id 9)` for messages. */
export function nodeLabel(node: Pick<FuelNode, 'id' | 'hostname' | 'name'>): string {
  return `${node.hostname || node.name} (id ${node.id})`;
}
