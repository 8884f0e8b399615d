import { bool, obj, str, strOrNull, type Raw } from '../wire.js';
import type { Domain, Grants, Group, OtherGrant, Project, Role, RoleAssignment, User } from '../types/identity.js';

export function toProject(r: Raw): Project {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    enabled: bool(r['enabled'], true),
    domainId: str(r['domain_id']) ?? 'default',
    parentId: strOrNull(r['parent_id']),
  };
}

/** v2.0 users carry `tenantId`, v3 users `default_project_id`; Havana v2.0 lacks `username`. */
export function toUser(r: Raw): User {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? str(r['username']) ?? '',
    email: strOrNull(r['email']),
    enabled: bool(r['enabled'], true),
    defaultProjectId: strOrNull(r['default_project_id']) ?? strOrNull(r['tenantId']),
    domainId: str(r['domain_id']) ?? 'default',
    description: strOrNull(r['description']),
  };
}

export function toRole(r: Raw): Role {
  return { id: str(r['id']) ?? '', name: str(r['name']) ?? '' };
}

export function toDomain(r: Raw): Domain {
  return { id: str(r['id']) ?? '', name: str(r['name']) ?? '', description: str(r['description']) ?? '', enabled: bool(r['enabled'], true) };
}

/**
 * v3 role_assignments item: a user's direct role on a project, or another grant (a group's,
 * a domain's, an inherited one); undefined for what neither is (system scope).
 */
export function toGrant(r: Raw): { readonly direct: RoleAssignment } | { readonly other: OtherGrant } | undefined {
  const roleId = str(obj(r['role'])['id']);
  const userId = str(obj(r['user'])['id']);
  const groupId = str(obj(r['group'])['id']);
  const scope = obj(r['scope']);
  const projectId = str(obj(scope['project'])['id']);
  const domainId = str(obj(scope['domain'])['id']);
  // Inherited to the projects below: not a role on the project (or domain) itself.
  const inherited = scope['OS-INHERIT:inherited_to'] !== undefined;
  if (!roleId) return undefined;
  if (userId && projectId && !inherited) return { direct: { userId, projectId, roleId } };
  const holderId = userId ?? groupId;
  const scopeId = projectId ?? domainId;
  if (!holderId || !scopeId) return undefined;
  return { other: { holder: userId ? 'user' : 'group', holderId, roleId, scope: projectId ? 'project' : 'domain', scopeId, inherited } };
}

/** The grants of a role_assignments answer, sorted into what pumphouse migrates and the rest. */
export function toGrants(items: readonly Raw[]): Grants {
  const out: Grants = { direct: [], others: [] };
  for (const raw of items) {
    const g = toGrant(raw);
    if (g && 'direct' in g) out.direct.push(g.direct);
    else if (g) out.others.push(g.other);
  }
  return out;
}

export function toGroup(r: Raw): Group {
  return { id: str(r['id']) ?? '', name: str(r['name']) ?? '', domainId: str(r['domain_id']) ?? '' };
}
