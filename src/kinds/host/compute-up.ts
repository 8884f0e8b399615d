import type { ComputeService, Hypervisor } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import { hypervisorsOf, servicesOf } from './host-names.js';
import { nodeInDestination, nodeLabel } from './machine.js';
import type { Reassignment } from './reassignment.js';
import { waitOptions } from './settings.js';

/**
 * `wait_compute_up`: the deployed node's nova-compute is up and enabled in the DESTINATION
 * cloud, and its hypervisor is listed. The node is known there by its new Fuel name
 * (`node-<new id>`, or its fqdn; Nailgun renames a node when it provisions it), matched
 * exactly. Pumphouse does not register the host itself: Fuel's deployment does.
 */
export async function waitComputeUp(r: Reassignment): Promise<StepResult> {
  const node = await nodeInDestination(r);
  const names = [...new Set([node.fqdn, node.hostname].filter((n) => n !== '' && n !== 'bootstrap'))];
  const cloud = await r.ctx.clouds.destination();
  const found = await r.ctx.wait<{ service: ComputeService; hypervisor: Hypervisor }>(
    `nova-compute of node ${nodeLabel(node)} to be up and enabled in the destination`,
    async () => {
      const services = await servicesOf(cloud, names, 'nova-compute');
      const service = services.find((s) => s.state === 'up' && s.status === 'enabled');
      if (!service) {
        const seen = services.map((s) => `${s.host} ${s.status}/${s.state}`).join(', ');
        return { done: false, status: seen === '' ? 'no nova-compute registered yet' : `nova-compute ${seen}` };
      }
      const hypervisor = (await hypervisorsOf(cloud, names))[0];
      if (!hypervisor) return { done: false, status: `nova-compute ${service.host} up, no hypervisor yet` };
      return { done: true, value: { service, hypervisor } };
    },
    waitOptions(r.settings, r.timeouts.computeUpS),
  );
  return {
    destinationId: String(node.id),
    outputs: {
      node_id: node.id,
      compute_host: found.service.host,
      hypervisor_id: found.hypervisor.id,
      hypervisor_hostname: found.hypervisor.hostname,
    },
  };
}
