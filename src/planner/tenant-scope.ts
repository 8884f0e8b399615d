import type { PlanContext, TenantScope } from './context.js';
import { isScopedWrite, refTo, WorkingAction } from './draft.js';
import { all } from './indexes.js';
import { child, seg } from './names.js';

/**
 * The temporary admin membership in each tenant (DESIGN.md §8: real Nova looks security
 * groups, networks and keypairs up in the token's project, so apply works inside each tenant
 * with a tenant-scoped token). Planned only for tenants with destination work to do: a
 * `grant` before every tenant-scoped action and a `revoke` after all of them. Also planned
 * (revoke only) when state shows a grant an earlier apply never revoked.
 *
 * When the user apply acts as (the destination Inventory's `session`) already holds the admin
 * role there (an existing project, e.g. `admin` itself), nothing is granted and nothing is
 * revoked: one `no-op` stands for both, so pumphouse never removes a membership it did not
 * add (and grant and revoke never collide at one action id). Another role of that user there
 * (say `member`) does not give a scoped token admin rights, so the admin role is still granted
 * and revoked; the revoke names only that role, never the one the user had.
 */
export function planTenantScopes(ctx: PlanContext): void {
  const byScope = new Map<string, WorkingAction[]>();
  const actions = ctx.draft.actions;
  for (let i = 0; i < actions.length; i++) {
    const w = actions[i]!;
    // Only writes need the tenant-scoped token; no-ops and adoptions only read.
    if (w.scopedTo === undefined || !isScopedWrite(w)) continue;
    const list = byScope.get(w.scopedTo);
    if (list) list.push(w);
    else byScope.set(w.scopedTo, [w]);
  }
  for (const t of ctx.tenants) planTenantScope(ctx, t, byScope.get(t.address) ?? []);
}

function planTenantScope(ctx: PlanContext, t: TenantScope, work: readonly WorkingAction[]): void {
  const leftover = ctx.memory.stateOf('admin_membership', t.project.id)?.status === 'ready';
  if (work.length === 0 && !leftover) return;
  const address = child(t.address, seg('admin_membership'));
  const adminRole = ctx.dst.roles.find((r) => r.name === 'admin');
  if (!adminRole) {
    ctx.draft.error("the destination has no 'admin' role to grant inside the tenants", address);
  }
  const session = ctx.dst.session;
  const dstProject = t.handle?.destinationId ?? null;
  const already =
    session !== undefined &&
    adminRole !== undefined &&
    dstProject !== null &&
    ctx.d.assignmentKeys.has(`${session.userId}/${adminRole.id}/${dstProject}`) &&
    !leftover;
  const after = {
    project_id: refTo(t.handle),
    user_id: session?.userId ?? null,
    role_id: adminRole?.id ?? null,
  };
  const source = { cloud: 'source' as const, id: t.project.id, name: t.project.name };
  const copied = already || !session || !adminRole ? undefined : copiedAdminAssignment(ctx, t, session.userId);
  if (copied) {
    // The source's admin user is admin in this tenant, and the plan copies that: the copy is
    // the membership. A grant then a revoke would remove the copied assignment at the end.
    ctx.draft.gateScope(t.address, copied);
    ctx.draft.add(`${t.project.id}#membership`, {
      address,
      kind: 'admin_membership',
      action: 'no-op',
      reason: {
        code: 'scope_from_copied_assignment',
        text: `the copied assignment ${copied.address} makes the admin user admin in this project; nothing is granted or revoked`,
      },
      deps: [t.handle],
      tenant: t.name,
      source,
      after,
    });
    return;
  }
  if (already) {
    // The membership predates pumphouse: no grant, and above all no revoke. Scoped work does
    // not wait on a no-op, and apply records nothing for it, so a later plan sees no leftover.
    ctx.draft.add(`${t.project.id}#membership`, {
      address,
      kind: 'admin_membership',
      action: 'no-op',
      reason: {
        code: 'exists_in_destination',
        text: 'the admin user already has the admin role in this project; nothing is granted or revoked',
      },
      deps: [t.handle],
      tenant: t.name,
      source,
      after,
    });
    return;
  }
  let grant: WorkingAction | null = null;
  if (work.length > 0) {
    grant = ctx.draft.add(`${t.project.id}#grant`, {
      address,
      kind: 'admin_membership',
      action: 'grant',
      reason: { code: 'needs_tenant_scope', text: 'apply needs a token scoped to this tenant; granted for the duration' },
      deps: [t.handle],
      tenant: t.name,
      source,
      after,
    });
    ctx.draft.gateScope(t.address, grant);
  }
  const revoke = ctx.draft.add(`${t.project.id}#revoke`, {
    address,
    kind: 'admin_membership',
    action: 'revoke',
    reason: { code: 'tenant_scope_done', text: 'the temporary admin membership goes once the tenant is done' },
    deps: [t.handle],
    tenant: t.name,
    source,
    after,
  });
  if (grant) revoke.deps.push(grant);
  for (const s of work) revoke.deps.push(s);
}

/**
 * The plan's `create` of an assignment giving the destination session user the `admin` role
 * in this tenant (the source admin held it there, and is the destination admin by name).
 */
function copiedAdminAssignment(ctx: PlanContext, t: TenantScope, sessionUserId: string): WorkingAction | undefined {
  for (const a of all(ctx.s.assignmentsByProject, t.project.id)) {
    if (ctx.users.get(a.userId)?.handle?.destinationId !== sessionUserId) continue;
    if (ctx.s.rolesById.get(a.roleId)?.name !== 'admin') continue;
    const h = ctx.draft.get('role_assignment', `${a.userId}/${a.roleId}/${a.projectId}`);
    if (h instanceof WorkingAction && h.action === 'create') return h;
  }
  return undefined;
}
