import type { RbacPolicy } from '../inventory/index.js';
import { byCodeUnits } from '../json/code-unit-order.js';
import type { PlanContext } from './context.js';
import { decide } from './decide.js';
import { refTo } from './draft.js';
import { sourcePresent } from './facts.js';
import { child, seg } from './names.js';

/** The address word of each network RBAC action: `tenant[a].network[n].shared_with[b]`. */
const SEGMENT: Readonly<Record<string, string>> = { access_as_shared: 'shared_with', access_as_external: 'external_for' };

/**
 * Neutron RBAC policies (Liberty+ sources) that open a migrated network to one other project:
 * each becomes the same policy on the network's copy for the project's copy, after both.
 * Without it the project's users no longer see the network, and boots in it fail.
 *
 * `*` policies are what a network's `shared` / `router:external` flags make; the network
 * action carries the flags, and the destination makes those policies itself. A policy whose
 * project is not migrated is a warning (planning again once it is makes the policy). A network
 * of a tenant not migrated, found in the destination by name, is not changed: a warning says
 * when the destination's is not open to a migrated project the source's was open to. Policies
 * on migrated security groups (Stein+) are warned about: the groups are copied unshared.
 */
export function planRbac(ctx: PlanContext): void {
  const policies = ctx.src.rbacPolicies;
  if (!policies || policies.length === 0) return;
  const inDestination = new Map<string, string>();
  for (const p of ctx.dst.rbacPolicies ?? []) inDestination.set(policyKey(p.objectId, p.action, p.targetProject), p.id);
  for (const p of [...policies].sort(bySubject)) {
    if (p.objectType === 'network') planNetworkPolicy(ctx, p, inDestination);
    else if (p.objectType === 'security_group') warnGroupPolicy(ctx, p);
  }
}

function planNetworkPolicy(ctx: PlanContext, p: RbacPolicy, inDestination: ReadonlyMap<string, string>): void {
  const nh = ctx.draft.get('network', p.objectId);
  if (!nh || p.targetProject === '*') return;
  const target = ctx.tenantByProject.get(p.targetProject);
  const word = SEGMENT[p.action];
  if (!word) {
    ctx.draft.warn(`network '${networkName(ctx, p.objectId)}' has an RBAC policy '${p.action}' for project ${projectName(ctx, p.targetProject)}, an action pumphouse does not know; it is not copied`, nh.address);
    return;
  }
  if (!target) {
    ctx.draft.warn(
      `network '${networkName(ctx, p.objectId)}' is open to project ${projectName(ctx, p.targetProject)} (${p.action}), which is not migrated: its copy is not; plan again once that project is migrated`,
      nh.address,
    );
    return;
  }
  if (nh.id === '') {
    // Not ours to change: a network of a tenant not migrated, found in the destination by name.
    const dst = nh.destinationId ? ctx.d.networksById.get(nh.destinationId) : undefined;
    const open = dst && (dst.shared || (target.handle?.destinationId && inDestination.has(policyKey(dst.id, p.action, target.handle.destinationId))));
    if (!open) {
      ctx.draft.warn(
        `network '${networkName(ctx, p.objectId)}' is open to tenant '${target.name}' in the source (${p.action}), and the destination network it is matched to is not: open it to the tenant's copy, or migrate the network's tenant too`,
        nh.address,
      );
    }
    return;
  }
  if (ctx.dst.capabilities.neutron?.rbac === false) {
    ctx.draft.error(
      `the network is open to tenant '${target.name}' through an RBAC policy, and the destination Neutron has no rbac-policies extension`,
      nh.address,
      'share the network in the destination by hand, or exclude one of the tenants',
    );
    return;
  }
  const owner = ctx.tenantByProject.get(ctx.s.networksById.get(p.objectId)?.projectId ?? '');
  const dstTarget = target.handle?.destinationId;
  const twin = nh.destinationId && dstTarget ? inDestination.get(policyKey(nh.destinationId, p.action, dstTarget)) : undefined;
  const natural = twin ? { id: twin, why: `the destination network is already open to the project (${p.action}, policy ${twin})` } : null;
  const key = policyKey(p.objectId, p.action, p.targetProject);
  const d = decide(ctx.memory.resolve('rbac_policy', key), { make: 'create', natural });
  ctx.draft.add(
    key,
    {
      address: child(nh.address, seg(word, target.name)),
      kind: 'rbac_policy',
      action: d.action,
      reason: d.reason,
      deps: [nh, target.handle, owner?.handle],
      ...(owner ? { tenant: owner.name } : {}),
      source: { cloud: 'source', id: key, name: `${networkName(ctx, p.objectId)}/${target.project.name}` },
      after: {
        object_type: 'network',
        object_id: refTo(nh),
        action: p.action,
        target_tenant: refTo(target.handle),
        // The network's owner owns the share, as in the source, so its users may withdraw it.
        project_id: owner ? refTo(owner.handle) : null,
      },
      preconditions: d.action === 'create' ? [sourcePresent('neutron', 'rbac_policies', p.id)] : [],
    },
    d.destinationId,
  );
}

function warnGroupPolicy(ctx: PlanContext, p: RbacPolicy): void {
  const gh = ctx.draft.get('security_group', p.objectId);
  if (!gh || gh.id === '') return;
  const whom = p.targetProject === '*' ? 'every project' : `project ${projectName(ctx, p.targetProject)}`;
  ctx.draft.warn(`security group '${gh.address}' is shared with ${whom} through RBAC (${p.action}); its copy is not shared`, gh.address);
}

function networkName(ctx: PlanContext, id: string): string {
  return ctx.s.networksById.get(id)?.name || id;
}

function projectName(ctx: PlanContext, id: string): string {
  const p = ctx.s.projectsById.get(id);
  return p ? `'${p.name}' (${id})` : id;
}

/**
 * A policy's key, in the draft and the state (source ids) and among the destination's
 * (destination ids): what it opens, how, to whom. Neutron refuses a second policy with the
 * same three (409 DuplicateRbacPolicy), so the key names one policy on either side.
 */
export function policyKey(objectId: string, action: string, target: string): string {
  return `${objectId}/${action}/${target}`;
}

function bySubject(a: RbacPolicy, b: RbacPolicy): number {
  return byCodeUnits(policyKey(a.objectId, a.action, a.targetProject), policyKey(b.objectId, b.action, b.targetProject));
}
