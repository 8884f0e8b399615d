import type { CloudContext } from '../../cloud/context.js';
import type { DomainRecord, ProjectRecord, RoleRecord, UserRecord } from '../../store/types/identity.js';

/** Keystone entities in the v2.0 and v3 shapes of the cloud's release. */

/**
 * Keystone keeps every attribute it has no column for in the entity's `extra` JSON and sends
 * it back (v2 and v3; `additionalProperties: true` in v3's schemas). `known` are the keys the
 * caller handles itself (and `password`, never stored as is). An update merges over the old
 * extras, as Keystone's `update_user` / `update_project` do.
 */
export function withExtra(current: Record<string, unknown> | undefined, body: Record<string, unknown>, known: ReadonlySet<string>): Record<string, unknown> | undefined {
  const added = Object.entries(body).filter(([k]) => !known.has(k) && k !== 'password');
  if (added.length === 0) return current;
  return { ...(current ?? {}), ...Object.fromEntries(added) };
}

export const V3_USER_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'domain_id', 'enabled', 'email', 'description', 'default_project_id', 'links', 'options', 'password_expires_at', 'federated']);
export const V3_PROJECT_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'domain_id', 'description', 'enabled', 'parent_id', 'is_domain', 'tags', 'options', 'links']);
export const V2_USER_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'username', 'email', 'enabled', 'tenantId', 'OS-KSADM:password']);
export const V2_TENANT_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'description', 'enabled']);

export function v2Tenant(p: ProjectRecord): Record<string, unknown> {
  return { ...(p.extra ?? {}), id: p.id, name: p.name, description: p.description, enabled: p.enabled };
}

export function v2User(cloud: CloudContext, u: UserRecord): Record<string, unknown> {
  return {
    ...(u.extra ?? {}),
    id: u.id,
    name: u.name,
    ...(cloud.profile.v2UsersHaveUsername ? { username: u.name } : {}),
    ...(u.email !== undefined ? { email: u.email } : {}),
    enabled: u.enabled,
    ...(u.defaultProjectId !== undefined ? { tenantId: u.defaultProjectId } : {}),
  };
}

export function v2Role(r: RoleRecord): Record<string, unknown> {
  return { id: r.id, name: r.name, ...(r.description !== undefined ? { description: r.description } : {}) };
}

const modern = (cloud: CloudContext) => cloud.profile.release === 'modern';
const self = (cloud: CloudContext, path: string) => ({ self: `${cloud.serviceUrl('identity')}/v3/${path}` });

export function v3Project(cloud: CloudContext, p: ProjectRecord): Record<string, unknown> {
  return {
    ...(p.extra ?? {}),
    id: p.id,
    name: p.name,
    domain_id: p.domainId,
    description: p.description,
    enabled: p.enabled,
    ...(modern(cloud) ? { parent_id: p.parentId, is_domain: false, tags: p.tags, options: {} } : {}),
    links: self(cloud, `projects/${p.id}`),
  };
}

export function v3User(cloud: CloudContext, u: UserRecord): Record<string, unknown> {
  return {
    ...(u.extra ?? {}),
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    enabled: u.enabled,
    ...(u.email !== undefined ? { email: u.email } : {}),
    ...(u.description !== undefined ? { description: u.description } : {}),
    ...(u.defaultProjectId !== undefined ? { default_project_id: u.defaultProjectId } : {}),
    ...(modern(cloud) ? { password_expires_at: null, options: {} } : {}),
    links: self(cloud, `users/${u.id}`),
  };
}

export function v3Role(cloud: CloudContext, r: RoleRecord): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    ...(modern(cloud) ? { domain_id: r.domainId, description: r.description ?? null, options: {} } : {}),
    links: self(cloud, `roles/${r.id}`),
  };
}

export function v3Domain(cloud: CloudContext, d: DomainRecord): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled,
    ...(modern(cloud) ? { tags: [], options: {} } : {}),
    links: self(cloud, `domains/${d.id}`),
  };
}

/** v3 list envelope: never paginated, links always present. */
export function v3List(cloud: CloudContext, key: string, items: unknown[], query: URLSearchParams): Record<string, unknown> {
  const q = query.toString();
  const links = { self: `${cloud.serviceUrl('identity')}/v3/${key}${q ? `?${q}` : ''}`, previous: null, next: null };
  // Keystone's list_limit (Icehouse+; Havana's paginate() returns early): cut after the
  // filters, `truncated` only when something was left out (a list of exactly the limit is whole).
  const limit = cloud.knobs.keystoneListLimit;
  if (limit !== null && cloud.profile.release !== 'havana' && items.length > limit) return { [key]: items.slice(0, limit), links, truncated: true };
  return { [key]: items, links };
}

/** Reads a string field or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
