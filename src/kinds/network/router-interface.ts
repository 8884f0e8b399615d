import { PumphouseError } from '../../errors/index.js';
import type { NetworkClient } from '../../openstack/index.js';
import { sendSettled } from '../common/settle.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';
import { neutronOf } from './neutron.js';

/**
 * A router's interface on a subnet (Neutron gives it the subnet's gateway address). Natural
 * key (router, subnet): the router's ports are checked first, so a rerun or an ambiguous
 * failure never plugs the subnet twice (Neutron would refuse). The destination id is
 * `router/subnet`, as the planner and discovery have it.
 */
export const routerInterfaceKind: KindHandler = kindHandler('router_interface', {
  create: { create: plugInterface },
  adopt: { adopt: checkInterface },
});

/** The router's port on the subnet, if plugged. */
export async function interfacePort(net: NetworkClient, routerId: string, subnetId: string): Promise<string | undefined> {
  const ports = await net.ports.list({ device_id: routerId });
  return ports.find((p) => p.deviceOwner.startsWith('network:') && p.fixedIps.some((f) => f.subnetId === subnetId))?.id;
}

async function plugInterface(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const routerId = a.str('router_id');
  const subnetId = a.str('subnet_id');
  const { net } = await neutronOf(ctx, action.address);
  let portId = await interfacePort(net, routerId, subnetId);
  if (!portId) {
    // A plug answered 5xx or cut off is looked up (the router's port on the subnet) at once
    // and after a settle time, and sent again only when not found (sendSettled).
    portId = (
      await sendSettled(async () => (await net.routers.addInterface(routerId, { subnetId })).portId, () => interfacePort(net, routerId, subnetId), {
        what: `the interface of router ${routerId} on subnet ${subnetId}`,
      })
    ).value;
  }
  return { destinationId: `${routerId}/${subnetId}`, outputs: { port_id: portId } };
}

async function checkInterface(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const routerId = a.str('router_id');
  const subnetId = a.str('subnet_id');
  const { net } = await neutronOf(ctx, action.address);
  const portId = await interfacePort(net, routerId, subnetId);
  if (!portId) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `${action.address}: router ${routerId} no longer has an interface on subnet ${subnetId}; plan again`, {
      address: action.address,
    });
  }
  return { destinationId: `${routerId}/${subnetId}`, outputs: { port_id: portId } };
}
