import type { Project, Server, User } from '../inventory/index.js';
import type { ObjectRef, TenantRef } from '../manifest/index.js';
import type { PlanContext } from './context.js';
import { refMatches, refText } from './desired.js';
import { all } from './indexes.js';
import { addr, seg, uniqueNames } from './names.js';

/**
 * Resolves the manifest's tenants to source projects, their server selections, and the users
 * in identity scope. Every manifest entry that names nothing becomes an error diagnostic
 * naming that entry (the plan is then not applyable).
 */
export function resolveScope(ctx: PlanContext): void {
  const { draft, s, desired } = ctx;
  const chosen: { project: Project; desired: (typeof desired.tenants)[number] }[] = [];
  const seen = new Set<string>();
  for (const t of desired.tenants) {
    const project = findProject(ctx, t.ref, t.entry);
    if (!project) continue;
    if (seen.has(project.id)) {
      draft.warn(`manifest ${t.entry}: tenant ${refText(t.ref)} names the same project as another entry; the first is used`);
      continue;
    }
    seen.add(project.id);
    chosen.push({ project, desired: t });
  }
  const names = uniqueNames(chosen, (c) => c.project.name, (c) => c.project.id);
  for (const c of chosen) {
    const name = names.get(c.project.id)!;
    const servers = selectServers(ctx, all(s.serversByProject, c.project.id), c.desired.servers, c.desired.entry);
    const scope = { project: c.project, name, address: addr(seg('tenant', name)), desired: c.desired, servers, migrated: [], nics: [] };
    ctx.tenants.push(scope);
    ctx.tenantByProject.set(c.project.id, scope);
  }
  resolveUsers(ctx);
}

function findProject(ctx: PlanContext, ref: TenantRef, entry: string): Project | undefined {
  if (ref.by === 'id') {
    const byId = ctx.s.projectsById.get(ref.value);
    if (byId) return byId;
  }
  const byName = ref.by === 'name' ? all(ctx.s.projectsByName, ref.value) : [];
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    ctx.draft.error(
      `manifest ${entry}: tenant name '${ref.value}' matches ${byName.length} source projects`,
      undefined,
      `name it by id instead: ${byName.map((p) => p.id).join(', ')}`,
    );
    return undefined;
  }
  // A tenant migrated earlier may have left the source since; state still knows it.
  const known = ctx.input.prior?.objects.some(
    (o) =>
      o.kind === 'project' &&
      (ref.by === 'id' ? o.source_id === ref.value : o.address === addr(seg('tenant', ref.value))),
  );
  if (known) {
    ctx.draft.warn(`manifest ${entry}: tenant ${refText(ref)} is no longer in the source; state records it as migrated`);
  } else {
    ctx.draft.error(`manifest ${entry}: tenant ${refText(ref)} not found in the source cloud`);
  }
  return undefined;
}

function selectServers(
  ctx: PlanContext,
  servers: readonly Server[],
  wanted: 'all' | readonly ObjectRef[],
  entry: string,
): readonly Server[] {
  if (wanted === 'all') return servers;
  const picked = new Set<string>();
  for (const w of wanted) {
    const hits = servers.filter((sv) => refMatches(w, sv.id, sv.name));
    if (hits.length === 0) ctx.draft.error(`manifest ${entry}: server ${refText(w)} not found in this tenant`);
    for (const h of hits) picked.add(h.id);
  }
  return servers.filter((sv) => picked.has(sv.id));
}

/** Users in identity scope: everyone, or members and server owners of the migrated tenants. */
function resolveUsers(ctx: PlanContext): void {
  const { s, src } = ctx;
  let users: readonly User[];
  if (ctx.desired.identity.users === 'all') {
    users = src.users;
  } else {
    const ids = new Set<string>();
    for (const t of ctx.tenants) {
      for (const a of all(s.assignmentsByProject, t.project.id)) ids.add(a.userId);
      for (const sv of t.servers) ids.add(sv.userId);
    }
    users = src.users.filter((u) => ids.has(u.id));
  }
  const names = uniqueNames(users, (u) => u.name, (u) => u.id);
  for (const user of users) {
    const name = names.get(user.id)!;
    ctx.users.set(user.id, { user, name, address: addr(seg('user', name)) });
  }
}
