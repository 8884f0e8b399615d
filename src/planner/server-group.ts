import type { ServerGroup } from '../inventory/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { refTo } from './draft.js';
import { sourcePresent } from './facts.js';
import { all } from './indexes.js';
import { child, seg, uniqueNames } from './names.js';
import { novaHas } from './releases.js';

/**
 * Nova server groups of the migrated tenants that hold a migrated server: each is made in the
 * tenant's destination project (a tenant-scoped token: Nova puts a group in the caller's
 * project) with the same name and policy, and the servers' copies boot into it (the boot's
 * `group` scheduler hint), so affinity and anti-affinity hold among the copies.
 *
 * A hard `anti-affinity` group needs a compute host per member: early in a forklift the
 * destination has few, so a group with more migrated members than the destination's enabled
 * compute hosts warns that the boots beyond them fail (NoValidHost) until more hosts are moved.
 * `soft-*` policies need Nova 2.15 in the destination (a plan error without it).
 * Copies booted before their group existed cannot join it (Nova has no API for that).
 */
export function planServerGroups(ctx: PlanContext): void {
  if ((ctx.src.serverGroups ?? []).length === 0) return;
  for (const t of ctx.tenants) {
    const migrated = new Set(t.migrated.map((sv) => sv.id));
    const groups = all(ctx.s.serverGroupsByProject, t.project.id).filter((g) => g.members.some((id) => migrated.has(id)));
    if (groups.length === 0) continue;
    const names = uniqueNames(groups, (g) => g.name, (g) => g.id);
    for (const g of groups) planGroup(ctx, t, g, child(t.address, seg('server_group', names.get(g.id)!)), g.members.filter((id) => migrated.has(id)).length);
  }
}

function planGroup(ctx: PlanContext, t: TenantScope, g: ServerGroup, address: string, members: number): void {
  const dstProject = t.handle?.destinationId;
  const same = dstProject ? all(ctx.d.serverGroupsByProject, dstProject).filter((x) => x.name === g.name && x.policy === g.policy) : [];
  const natural = same.length === 1 ? { id: same[0]!.id, why: `the destination project has a ${g.policy} server group '${g.name}'` } : null;
  const d = decide(ctx.memory.resolve('server_group', g.id), { make: 'create', natural });
  if (d.action === 'create' && g.policy.startsWith('soft-') && !novaHas(ctx.dst.capabilities, '2.15')) {
    ctx.draft.error(`server group '${g.name}' is ${g.policy}, which the destination Nova cannot make (it needs microversion 2.15)`, address, 'exclude the group\'s servers, or upgrade the destination');
  }
  const warnings: string[] = [];
  const hosts = ctx.dst.computeServices.filter((c) => c.binary === 'nova-compute' && c.status === 'enabled' && c.state === 'up').length;
  if (g.policy === 'anti-affinity' && members > hosts) {
    warnings.push(
      `it is anti-affinity with ${members} migrated member(s) and the destination has ${hosts} enabled compute host(s): each member needs a host of its own, so the boots beyond ${hosts} fail (NoValidHost) until more hosts are moved to the destination`,
    );
  }
  ctx.draft.add(
    g.id,
    {
      address,
      kind: 'server_group',
      action: d.action,
      reason: d.reason,
      deps: [t.handle],
      tenant: t.name,
      scopedTo: t.address,
      source: { cloud: 'source', id: g.id, name: g.name },
      destination: { name: g.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      after: { name: g.name, policy: g.policy, project_id: refTo(t.handle) },
      preconditions: d.action === 'create' ? [sourcePresent('nova', 'server_groups', g.id)] : [],
      ...(warnings.length > 0 && d.action !== 'no-op' ? { warnings } : {}),
    },
    d.destinationId,
  );
}
