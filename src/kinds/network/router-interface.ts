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
 * `router/subnet`, as the planner and discovery have it. The router's last interface carries
 * its static routes (`after.routes`): once plugged (or found), the routes the router lacks are
 * added to its list.
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
  await addRoutes(net, routerId, a);
  return { destinationId: `${routerId}/${subnetId}`, outputs: { port_id: portId } };
}

/**
 * The planned routes the router lacks, added with one update of its whole list (what every
 * release since Havana takes; `add_extraroutes` is Train+). Only this action writes the
 * router's routes, after its other interfaces, so nothing races the read and the write; a
 * rerun finds them there and writes nothing. Routes made by hand in the destination stay.
 */
async function addRoutes(net: NetworkClient, routerId: string, a: AfterValues): Promise<void> {
  const planned = a.objects('routes').map((r) => ({ destination: r.str('destination'), nexthop: r.str('nexthop') }));
  if (planned.length === 0) return;
  const have = (await net.routers.get(routerId)).routes;
  const missing = planned.filter((p) => !have.some((h) => h.destination === p.destination && h.nexthop === p.nexthop));
  if (missing.length === 0) return;
  await net.routers.update(routerId, { routes: [...have.map((h) => ({ destination: h.destination, nexthop: h.nexthop })), ...missing] });
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
  await addRoutes(net, routerId, a);
  return { destinationId: `${routerId}/${subnetId}`, outputs: { port_id: portId } };
}
