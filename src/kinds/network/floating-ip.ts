import { PumphouseError } from '../../errors/index.js';
import { isCloudHttpError, type FloatingIp, type NetworkClient } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted, markerOf } from '../common/marker.js';
import type { Marker } from '../../inventory/types.js';
import { NeutronMarks } from './neutron-marked.js';
import { createDescription, neutronOf, projectScope, tagCopy } from './neutron.js';

/**
 * Floating IPs. `allocate` takes one on the planned external network: the source address
 * when the plan keeps it (`floating_ip_address`, admin only), else any; an address taken
 * meanwhile stops the action (the plan promised it). `associate` points it at the server's
 * port (and the planned fixed IP) once the router gateway and interface exist, which the
 * plan's order guarantees; an address already on that port is left alone. A floating IP
 * the tenant held without a server has only `allocate`.
 */
export const floatingIpKind: KindHandler = kindHandler('floating_ip', {
  create: { allocate, associate },
  // The planner writes `steps: [allocate]` for every floating IP without a port, adoptions
  // included: an adoption's `allocate` records the marked copy, like `adopt`.
  adopt: { adopt: adoptFloatingIp, allocate: adoptFloatingIp },
});

async function find(net: NetworkClient, marks: NeutronMarks, marker: Marker, scope: Record<string, string>): Promise<FloatingIp | undefined> {
  return marks.find('floatingips', net.floatingIps, marker, scope);
}

async function allocate(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { cloud, net } = await neutronOf(ctx, action.address);
  const marks = new NeutronMarks(net);
  const marker = markerOf(ctx);
  const projectId = a.optStr('project_id');
  const address = a.optStr('floating_ip_address');
  const { value } = await createOnce(
    () => find(net, marks, marker, projectScope(cloud, projectId)),
    async () => {
      try {
        return await net.floatingIps.create({
          floatingNetworkId: a.str('floating_network_id'),
          ...(address ? { floatingIpAddress: address } : {}),
          ...(projectId ? { tenantId: projectId } : {}),
          ...createDescription(ctx, action.address, marks, a.optStr('description'), marker),
        });
      } catch (err) {
        if (address && isCloudHttpError(err, 409)) {
          throw new PumphouseError('PH_PRECONDITION_FAILED', `${action.address}: the planned address ${address} is already allocated in the destination; plan again`, {
            address: action.address,
            cause: err,
          });
        }
        throw err;
      }
    },
  );
  await tagCopy(ctx, action.address, marks, 'floatingips', value, marker, a.strings('tags'));
  return { destinationId: value.id, outputs: outputsOf(value, address) };
}

async function associate(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { cloud, net } = await neutronOf(ctx, action.address);
  const portId = a.str('port_id');
  const fixedIp = a.optStr('fixed_ip_address');
  const id =
    ctx.recorded.destinationId ?? (await find(net, new NeutronMarks(net), markerOf(ctx), projectScope(cloud, a.optStr('project_id'))))?.id;
  const fip = await getAdopted(action.address, 'floating IP', id, (x) => net.floatingIps.get(x));
  const done = fip.portId === portId && (fixedIp === null || fip.fixedIpAddress === fixedIp);
  const now = done ? fip : await net.floatingIps.associate(fip.id, portId, fixedIp ?? undefined);
  return { destinationId: now.id, outputs: { ...outputsOf(now, a.optStr('floating_ip_address')), port_id: portId } };
}

async function adoptFloatingIp(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net } = await neutronOf(ctx, action.address);
  const f = await getAdopted(action.address, 'floating IP', ctx.recorded.destinationId ?? action.destination?.id, (id) => net.floatingIps.get(id));
  return { destinationId: f.id, outputs: outputsOf(f, null) };
}

function outputsOf(f: FloatingIp, planned: string | null): { floating_ip_address: string; keeps_address: boolean | null } {
  return { floating_ip_address: f.floatingIpAddress, keeps_address: planned === null ? null : f.floatingIpAddress === planned };
}
