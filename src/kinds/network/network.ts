import { emit } from '../../events/index.js';
import { isCloudHttpError, type Network, type NetworkInput } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted, markerOf } from '../common/marker.js';
import { NeutronMarks } from './neutron-marked.js';
import { createDescription, neutronOf, portSecurity, projectScope, tagCopy } from './neutron.js';

/**
 * Networks, made as `after` says (a nova-network network arrives already translated by the
 * planner): name, owner project (none: the admin project owns a shared network), shared,
 * admin state, port security as planned, and the MTU when the destination lets it be set. A source MTU the
 * destination refuses (a VLAN 1500 network onto a VXLAN cloud) is dropped with a warning
 * and the destination's default is used; that 400 made nothing, so the retry is safe.
 * Provider attributes are the destination's choice. Marked in the description and tags.
 */
export const networkKind: KindHandler = kindHandler('network', {
  create: { create: createNetwork },
  adopt: { adopt: adoptNetwork },
});

async function createNetwork(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { cloud, net } = await neutronOf(ctx, action.address);
  const marks = new NeutronMarks(net);
  const marker = markerOf(ctx);
  const projectId = a.optStr('project_id');
  const mtu = a.optNum('mtu');
  const input: NetworkInput = {
    name: a.optStr('name') ?? '',
    shared: a.bool('shared', false),
    adminStateUp: a.bool('admin_state_up', true),
    ...portSecurity(a.optBool('port_security_enabled'), net.extensions),
    ...(projectId ? { tenantId: projectId } : {}),
    ...createDescription(ctx, action.address, marks, a.optStr('description'), marker),
  };
  const withMtu = mtu !== null && net.extensions.has('net-mtu-writable') ? { ...input, mtu } : input;
  const { value } = await createOnce(
    () => marks.find('networks', net.networks, marker, projectScope(cloud, projectId)),
    async () => {
      try {
        return await net.networks.create(withMtu);
      } catch (err) {
        if (withMtu === input || !isCloudHttpError(err, 400) || !/mtu/i.test(err.cloudMessage)) throw err;
        const summary = `${action.address}: the destination refuses MTU ${mtu} (${err.cloudMessage}); the network gets the destination's default`;
        emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address: action.address });
        return net.networks.create(input);
      }
    },
  );
  await tagCopy(ctx, action.address, marks, 'networks', value, marker, a.strings('tags'));
  return { destinationId: value.id, outputs: outputsOf(value) };
}

async function adoptNetwork(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net } = await neutronOf(ctx, action.address);
  const n = await getAdopted(action.address, 'network', ctx.recorded.destinationId ?? action.destination?.id, (id) => net.networks.get(id));
  return { destinationId: n.id, outputs: outputsOf(n) };
}

function outputsOf(n: Network): { name: string; shared: boolean } {
  return { name: n.name, shared: n.shared };
}
