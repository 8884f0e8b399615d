import { PumphouseError } from '../../errors/index.js';
import type { FuelNode } from '../../fuel/index.js';
import type { StepResult } from '../contract.js';
import { deployOnce } from './fuel-deploy.js';
import { nodeInDestination, nodeLabel, nodeOrNull } from './machine.js';
import type { Reassignment } from './reassignment.js';

/**
 * `deploy`: provisions and deploys the node into the destination environment with ONE
 * `PUT /clusters/{dst}/changes`, and waits for the task with its progress in `wait` events.
 * A node already deployed (ready, nothing pending, the planned roles) is adopted; a
 * deployment already running there is waited for, not started again (after a kill -9 during
 * the wait the resumed run finds it). If an adopted deployment did not include the node (it
 * was started before the node was assigned), the node's own deployment follows.
 */
export async function deploy(r: Reassignment): Promise<StepResult> {
  let node = await nodeInDestination(r);
  let taskId: number | null = null;
  for (let round = 0; round < 2 && !deployed(r, node); round++) {
    const id = node.id;
    const label = nodeLabel(node);
    const { task, started } = await deployOnce(r, {
      clusterId: r.destinationEnv,
      what: `deployment of node ${label} into environment ${r.destinationEnvName}`,
      key: 'deploy_task_id',
      timeoutS: r.timeouts.deployS,
      nodeStatus: async () => {
        const n = await nodeOrNull(r.fuel, id);
        return n ? `${n.status} ${n.progress}%` : null;
      },
    });
    taskId = task.id;
    node = await nodeInDestination(r);
    if (started) break;
  }
  if (!deployed(r, node)) {
    throw new PumphouseError(
      'PH_FUEL_TASK_FAILED',
      `${r.address}: the deployment${taskId === null ? '' : ` (task ${taskId})`} finished but node ${nodeLabel(node)} is ${node.status}${node.pendingAddition ? ', still pending addition' : ''}`,
      { address: r.address, details: { node_id: node.id, task_id: taskId, status: node.status } },
    );
  }
  return {
    destinationId: String(node.id),
    outputs: { node_id: node.id, fqdn: node.fqdn, hostname: node.hostname, ...(taskId === null ? {} : { deploy_task_id: taskId }) },
  };
}

/** Ready in the destination with every planned role and nothing pending. */
export function deployed(r: Pick<Reassignment, 'roles'>, node: FuelNode): boolean {
  return node.status === 'ready' && !node.pendingAddition && !node.pendingDeletion && r.roles.every((x) => node.roles.includes(x));
}
