import type { Router, RouterInput } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted, markerOf } from '../common/marker.js';
import { NeutronMarks } from './neutron-marked.js';
import { createDescription, neutronOf, projectScope, tagCopy } from './neutron.js';

/**
 * Routers, with their external gateway on the destination external network the planner
 * chose (in the same create request, so a router found by its marker after a crash has it
 * too) and SNAT as the source had it when it said. Static routes are not migrated (the plan
 * warns). Interfaces are `router_interface` actions.
 */
export const routerKind: KindHandler = kindHandler('router', {
  create: { create: createRouter },
  adopt: { adopt: adoptRouter },
});

/** The create request `after` describes (pure; exported for tests). */
export function routerInput(a: AfterValues): RouterInput {
  const projectId = a.optStr('project_id');
  const gw = a.optObject('external_gateway');
  const snat = gw?.optBool('enable_snat') ?? null;
  // Pinned by the planner when the external range holds floating addresses to keep.
  const ip = gw?.optStr('ip_address') ?? null;
  const subnetId = gw?.optStr('subnet_id') ?? null;
  return {
    name: a.optStr('name') ?? '',
    adminStateUp: a.bool('admin_state_up', true),
    ...(projectId ? { tenantId: projectId } : {}),
    ...(a.bool('ha', false) ? { ha: true } : {}),
    ...(a.bool('distributed', false) ? { distributed: true } : {}),
    ...(gw
      ? {
          externalGateway: {
            networkId: gw.str('network_id'),
            ...(snat !== null ? { enableSnat: snat } : {}),
            ...(ip ? { externalFixedIps: [{ ipAddress: ip, ...(subnetId ? { subnetId } : {}) }] } : {}),
          },
        }
      : {}),
  };
}

async function createRouter(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { cloud, net } = await neutronOf(ctx, action.address);
  const marks = new NeutronMarks(net);
  const marker = markerOf(ctx);
  const input = routerInput(a);
  const { value } = await createOnce(
    () => marks.find('routers', net.routers, marker, projectScope(cloud, a.optStr('project_id'))),
    () => net.routers.create({ ...input, ...createDescription(ctx, action.address, marks, a.optStr('description'), marker) }),
  );
  await tagCopy(ctx, action.address, marks, 'routers', value, marker, a.strings('tags'));
  return { destinationId: value.id, outputs: outputsOf(value) };
}

async function adoptRouter(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net } = await neutronOf(ctx, action.address);
  const r = await getAdopted(action.address, 'router', ctx.recorded.destinationId ?? action.destination?.id, (id) => net.routers.get(id));
  return { destinationId: r.id, outputs: outputsOf(r) };
}

function outputsOf(r: Router): { name: string; external_network_id: string | null } {
  return { name: r.name, external_network_id: r.externalGateway?.networkId ?? null };
}
