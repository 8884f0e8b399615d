import type { DesiredState } from '../manifest/index.js';
import type * as os from '../openstack/index.js';
import type { StateFile } from '../state/index.js';
import { keystoneMarker } from './records/marks.js';
import type { CloudScope } from './types.js';

/**
 * Which objects get the per-object calls. Pure functions of what the bulk lists answered,
 * the manifest and the prior state; the planner decides what is really in scope, so these
 * err on the side of reading a little more (every project a tenant name matches).
 */

/** Source projects the manifest's tenants name (by id, or every project with the name). */
export function sourceProjects(desired: DesiredState, projects: readonly os.Project[]): Set<string> {
  // Indexed once: a manifest of 10,000 tenants against 10,000 projects was 10^8 comparisons.
  const byId = new Set(projects.map((p) => p.id));
  const byName = new Map<string, string[]>();
  for (const p of projects) {
    const list = byName.get(p.name);
    if (list) list.push(p.id);
    else byName.set(p.name, [p.id]);
  }
  const ids = new Set<string>();
  for (const t of desired.tenants) {
    if (t.ref.by === 'id') {
      if (byId.has(t.ref.value)) ids.add(t.ref.value);
    } else for (const id of byName.get(t.ref.value) ?? []) ids.add(id);
  }
  return ids;
}

/**
 * Source users in identity scope, as the planner picks them: everyone (`identity.users:
 * all`), or the members and server owners of the scoped projects.
 */
export function sourceUsers(
  desired: DesiredState,
  projectIds: ReadonlySet<string>,
  users: readonly os.User[],
  assignments: readonly os.RoleAssignment[],
  servers: readonly os.Server[],
): Set<string> {
  if (desired.identity.users === 'all') return new Set(users.map((u) => u.id));
  const ids = new Set<string>();
  for (const a of assignments) if (projectIds.has(a.projectId)) ids.add(a.userId);
  for (const s of servers) if (projectIds.has(s.tenantId)) ids.add(s.userId);
  return ids;
}

/** The source's scoped objects, as the destination's scope is derived from them. */
export interface SourceScope {
  readonly projects: readonly os.Project[];
  readonly users: readonly os.User[];
}

/**
 * Destination projects and users that may be copies of scoped source ones: carrying the
 * source id in their marker, recorded in the prior state as their copy, or of the same name
 * (an existing object the planner may adopt).
 */
export function destinationScope(source: SourceScope, projects: readonly os.Project[], users: readonly os.User[], prior: StateFile | null): CloudScope {
  return {
    projectIds: matching(source.projects, projects, 'project', prior),
    userIds: matching(source.users, users, 'user', prior),
  };
}

function matching(
  wanted: readonly { readonly id: string; readonly name: string }[],
  candidates: readonly (os.Project | os.User)[],
  kind: 'project' | 'user',
  prior: StateFile | null,
): Set<string> {
  const ids = new Set(wanted.map((w) => w.id));
  const names = new Set(wanted.map((w) => w.name));
  const recorded = new Set<string>();
  for (const o of prior?.objects ?? []) {
    if (o.kind === kind && o.destination_id !== null && ids.has(o.source_id)) recorded.add(o.destination_id);
  }
  const out = new Set<string>();
  for (const c of candidates) {
    const marker = keystoneMarker(c, kind).marker;
    if (recorded.has(c.id) || names.has(c.name) || (marker !== undefined && ids.has(marker.sourceId))) out.add(c.id);
  }
  return out;
}

/** Every project and user: discovery without a manifest. */
export function everything(projects: readonly os.Project[], users: readonly os.User[]): CloudScope {
  return { projectIds: new Set(projects.map((p) => p.id)), userIds: new Set(users.map((u) => u.id)) };
}
