import { PumphouseError } from '../../errors/index.js';
import { isCloudHttpError, type NetworkClient, type RbacPolicy, type RbacPolicyInput } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';
import { neutronOf } from './neutron.js';

/**
 * A Neutron RBAC policy opening a network to another project (Liberty+). Its natural key is
 * (object, action, target project): Neutron refuses a second one (409 DuplicateRbacPolicy),
 * so a rerun, or a create whose answer was lost, finds the policy instead of failing. The
 * destination id is the policy's own.
 */
export const rbacPolicyKind: KindHandler = kindHandler('rbac_policy', {
  create: { create: openObject },
  adopt: { adopt: checkPolicy },
});

async function planned(action: Action, ctx: StepContext): Promise<{ net: NetworkClient; input: RbacPolicyInput }> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const owner = a.optStr('project_id');
  const input: RbacPolicyInput = {
    objectType: a.str('object_type'),
    objectId: a.str('object_id'),
    action: a.str('action'),
    targetTenant: a.str('target_tenant'),
    ...(owner ? { tenantId: owner } : {}),
  };
  const { net } = await neutronOf(ctx, action.address);
  if (!net.hasRbac) {
    throw new PumphouseError('PH_CLOUD_UNSUPPORTED', `${action.address}: the destination Neutron has no RBAC policies (rbac-policies extension)`, { address: action.address });
  }
  return { net, input };
}

async function findPolicy(net: NetworkClient, p: RbacPolicyInput): Promise<RbacPolicy | undefined> {
  const found = await net.rbacPolicies.list({ object_id: p.objectId, action: p.action, target_tenant: p.targetTenant });
  return found.find((x) => x.objectType === p.objectType && x.objectId === p.objectId && x.action === p.action && x.targetTenant === p.targetTenant);
}

async function openObject(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net, input } = await planned(action, ctx);
  let policy = await findPolicy(net, input);
  if (!policy) {
    try {
      policy = await net.rbacPolicies.create(input);
    } catch (err) {
      // Made meanwhile (another run, or a create whose answer was lost): take that one.
      if (!isCloudHttpError(err, 409)) throw err;
      policy = await findPolicy(net, input);
      if (!policy) throw err;
    }
  }
  return { destinationId: policy.id };
}

async function checkPolicy(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net, input } = await planned(action, ctx);
  const policy = await findPolicy(net, input);
  if (!policy) {
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `${action.address}: the destination ${input.objectType} ${input.objectId} is no longer open to project ${input.targetTenant} (${input.action}); plan again`,
      { address: action.address },
    );
  }
  return { destinationId: policy.id };
}
