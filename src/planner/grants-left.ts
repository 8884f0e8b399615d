import { groupBy, type OtherGrant } from '../inventory/index.js';
import type { PlanContext } from './context.js';

/**
 * Keystone v3 grants the plan does not migrate, said where they matter (audit finding 4):
 * a group's role on a migrated project (its members who reach the project only through the
 * group lose access), a role inherited to the projects under a migrated project or its
 * domain, and a migrated user's role on a domain. Warnings: migrating groups, domains and
 * inheritance is not built, and the operator must grant these by hand in the destination.
 */
export function warnGrantsLeftBehind(ctx: PlanContext): void {
  const grants = ctx.src.otherGrants ?? [];
  if (grants.length === 0) return;
  const role = (g: OtherGrant) => ctx.s.rolesById.get(g.roleId)?.name ?? g.roleId;
  const holder = (g: OtherGrant) => `${g.holder} '${g.holderName}'`;
  const byProject = groupBy(grants, (g) => (g.scope === 'project' ? g.scopeId : null));
  const byDomain = groupBy(grants, (g) => (g.scope === 'domain' ? g.scopeId : null));
  const usersOnDomains = groupBy(grants, (g) => (g.holder === 'user' && g.scope === 'domain' && !g.inherited ? g.holderId : null));
  const domainsWarned = new Set<string>();
  for (const t of ctx.tenants) {
    for (const g of byProject.get(t.project.id) ?? []) {
      if (g.inherited) {
        ctx.draft.warn(`${holder(g)} holds role '${role(g)}' inherited to the projects under this one; inherited grants are not migrated`, t.address);
      } else {
        ctx.draft.warn(
          `group '${g.holderName}' holds role '${role(g)}' on this project; Keystone groups and their grants are not migrated: members who reach the project only through the group lose access`,
          t.address,
          'grant the role to those users in the destination (or to a group made there) after the cut-over',
        );
      }
    }
    const d = t.project.domainId;
    if (d === null || domainsWarned.has(d)) continue;
    domainsWarned.add(d);
    for (const g of (byDomain.get(d) ?? []).filter((x) => x.inherited)) {
      ctx.draft.warn(`${holder(g)} holds role '${role(g)}' inherited to every project of domain ${d}, which migrated projects are in; inherited grants are not migrated`);
    }
  }
  for (const u of ctx.users.values()) {
    for (const g of usersOnDomains.get(u.user.id) ?? []) {
      ctx.draft.warn(`the user holds role '${role(g)}' on domain ${g.scopeId}; domain grants are not migrated`, u.address);
    }
  }
}
