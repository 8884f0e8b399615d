import { bool, obj, str, strOrNull, type Raw } from '../wire.js';
import type { Domain, Project, Role, RoleAssignment, User } from '../types/identity.js';

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

/** v3 role_assignments item; undefined for group or domain grants. */
export function toAssignment(r: Raw): RoleAssignment | undefined {
  const userId = str(obj(r['user'])['id']);
  const projectId = str(obj(obj(r['scope'])['project'])['id']);
  const roleId = str(obj(r['role'])['id']);
  if (!userId || !projectId || !roleId) return undefined;
  return { userId, projectId, roleId };
}
