import { PumphouseError } from '../../errors/index.js';
import { isCloudHttpError, type NetworkClient, type SecurityGroup } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted, markerOf } from '../common/marker.js';
import { NeutronMarks } from './neutron-marked.js';
import { neutronOf, tagCopy } from './neutron.js';
import { sameRule, type RuleSpec } from './security-group-rule.js';

/**
 * Security groups. The source `default` group maps onto the `default` Neutron makes in each
 * project: `adopt` (or a `create` of a group named `default`, which Neutron would refuse)
 * finds that one, making Neutron create it when the project has none yet (an admin listing
 * filtered by project does), and never makes a second. Other groups are created in the
 * project with the marker; Neutron adds its egress rules, which the planner adopts. Those
 * the plan lists in `remove_automatic_rules` (automatic rules the source group lacks) are
 * deleted right after the group is made or found, each time the step runs (idempotent).
 */
export const securityGroupKind: KindHandler = kindHandler('security_group', {
  create: { create: createGroup },
  adopt: { adopt: adoptGroup },
});

/** The project's `default` group, asking Neutron to make it when missing. */
export async function defaultGroup(net: NetworkClient, projectId: string, address: string): Promise<SecurityGroup> {
  // Neutron makes the default group of the filtered project on this very listing when it
  // lacks one; the second listing covers releases that make it only after answering.
  for (let i = 0; i < 2; i++) {
    const found = (await net.securityGroups.list({ tenant_id: projectId, name: 'default' })).find((g) => g.name === 'default' && g.tenantId === projectId);
    if (found) return found;
  }
  throw new PumphouseError('PH_CLOUD_UNSUPPORTED', `${address}: the destination made no 'default' security group for project ${projectId}`, {
    address,
    details: { project_id: projectId },
  });
}

async function createGroup(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { net } = await neutronOf(ctx, action.address);
  const name = a.str('name');
  const projectId = a.str('project_id');
  if (name === 'default') {
    const g = await defaultGroup(net, projectId, action.address);
    await removeAutomatic(net, g, a);
    return { destinationId: g.id, outputs: { name: g.name } };
  }
  const marks = new NeutronMarks(net);
  const marker = markerOf(ctx);
  const description = marks.description(a.optStr('description'), marker);
  const { value } = await createOnce(
    () => marks.find('security-groups', net.securityGroups, marker, { tenant_id: projectId }),
    () => net.securityGroups.create({ name, tenantId: projectId, ...(description !== undefined ? { description } : {}) }),
  );
  await tagCopy(ctx, action.address, marks, 'security-groups', value, marker, a.strings('tags'));
  await removeAutomatic(net, value, a);
  return { destinationId: value.id, outputs: { name: value.name } };
}

/**
 * Deletes the group's rules that match an entry of `remove_automatic_rules` (any protocol,
 * port and address; from the group itself or from anywhere). One already gone (404) is fine.
 */
async function removeAutomatic(net: NetworkClient, g: SecurityGroup, a: AfterValues): Promise<void> {
  const specs: RuleSpec[] = a.objects('remove_automatic_rules').map((s) => ({
    securityGroupId: g.id,
    direction: s.str('direction') === 'egress' ? 'egress' : 'ingress',
    ethertype: s.str('ethertype') === 'IPv6' ? 'IPv6' : 'IPv4',
    protocol: null,
    portRangeMin: null,
    portRangeMax: null,
    remoteIpPrefix: null,
    remoteGroupId: s.bool('from_itself', false) ? g.id : null,
  }));
  if (specs.length === 0) return;
  for (const r of (await net.securityGroups.get(g.id)).rules) {
    if (!specs.some((s) => sameRule(r, s))) continue;
    try {
      await net.securityGroupRules.delete(r.id);
    } catch (err) {
      if (!isCloudHttpError(err, 404)) throw err;
    }
  }
}

async function adoptGroup(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net } = await neutronOf(ctx, action.address);
  const id = ctx.recorded.destinationId ?? action.destination?.id;
  if (!id) {
    const a = new AfterValues(await ctx.resolveAfter(), action.address);
    const g = await defaultGroup(net, a.str('project_id'), action.address);
    await removeAutomatic(net, g, a);
    return { destinationId: g.id, outputs: { name: g.name } };
  }
  const g = await getAdopted(action.address, 'security group', id, (x) => net.securityGroups.get(x));
  return { destinationId: g.id, outputs: { name: g.name } };
}
