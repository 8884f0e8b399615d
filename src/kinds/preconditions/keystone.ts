import type { Cloud, Project, User } from '../../openstack/index.js';
import type { Facts } from '../contract.js';
import { badRef, facts, orNull, type ParsedRef } from './ref.js';

/** Keystone facts: projects, users, roles, role assignments (`user/role/project`). */
export async function keystoneFacts(cloud: Cloud, ref: ParsedRef, raw: string): Promise<Facts | null> {
  const id = cloud.identity;
  switch (`${ref.collection}${ref.form === 'lookup' ? `?${ref.key}` : ''}`) {
    case 'projects':
      return projectFacts(await orNull(() => id.projects.get(path(ref))));
    case 'projects?name':
      return projectFacts(await id.projects.findByName(value(ref)) ?? null);
    case 'users':
      return userFacts(await orNull(() => id.users.get(path(ref))));
    case 'users?name':
      return userFacts(await id.users.findByName(value(ref)) ?? null);
    case 'roles': {
      const r = (await id.roles.list()).find((x) => x.id === path(ref));
      return r ? facts({ id: r.id, name: r.name }) : null;
    }
    case 'roles?name': {
      const r = await id.roles.findByName(value(ref));
      return r ? facts({ id: r.id, name: r.name }) : null;
    }
    case 'role_assignments': {
      const [userId, roleId, projectId] = path(ref).split('/');
      if (!userId || !roleId || !projectId) throw badRef(raw, 'names no user/role/project');
      const hit = (await id.roleAssignments.list({ userId, roleId, projectId })).some(
        (a) => a.userId === userId && a.roleId === roleId && a.projectId === projectId,
      );
      return hit ? facts({ userId, roleId, projectId }) : null;
    }
    default:
      throw badRef(raw, 'names no Keystone collection pumphouse reads');
  }
}

function projectFacts(p: Project | null): Facts | null {
  return p && facts({ id: p.id, name: p.name, description: p.description, enabled: p.enabled, domainId: p.domainId });
}

function userFacts(u: User | null): Facts | null {
  return u && facts({ id: u.id, name: u.name, email: u.email, enabled: u.enabled, defaultProjectId: u.defaultProjectId, domainId: u.domainId });
}

export function path(ref: ParsedRef): string {
  return ref.form === 'path' ? ref.id : '';
}

export function value(ref: ParsedRef): string {
  return ref.form === 'lookup' ? ref.value : '';
}
