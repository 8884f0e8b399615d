import { isCloudHttpError, isNotFound } from '../errors.js';
import { collect, mapItems, pages, type ListSpec } from '../pagination.js';
import type { ServiceApi } from '../service-api.js';
import { list, member } from '../session/response.js';
import { splitVersion } from '../http/url.js';
import type { Grants, Project, ProjectPatch, RoleAssignment, User, UserInput, UserPatch } from '../types/identity.js';
import { isRaw, obj, objs, str, type Raw } from '../wire.js';
import type { IdentityClient, ProjectsApi, RoleAssignmentFilter, RoleAssignmentsApi, RolesApi, UsersApi } from './identity-client.js';
import { enc } from './identity-v3.js';
import { toGrants, toProject, toRole, toUser } from './normalize.js';
import { checkTruncated } from './truncated.js';

/** Keystone v2 tenants page by marker and stop on a short page (legacy-apis.md §0.3). */
const TENANT_PAGE = 500;

/**
 * Keystone v2.0 admin API (legacy-apis.md §1.2), called on the admin endpoint. v2.0 knows
 * one domain, `default`; every project and user is reported in it.
 */
export function identityV2(api: ServiceApi): IdentityClient {
  const tenantSpec: ListSpec = { path: '/tenants', key: 'tenants', paging: { kind: 'marker', limit: TENANT_PAGE } };

  /** `GET ?name=` answers one object, or 404 when there is none. */
  async function byName<T>(path: string, key: string, name: string, map: (r: import('../wire.js').Raw) => T): Promise<T | undefined> {
    try {
      return map(member(await api.get(path, { name }), key));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  const projects: ProjectsApi = {
    list: async (f) => (f?.name ? [await byName('/tenants', 'tenant', f.name, toProject)].filter((p): p is Project => p !== undefined) : collect(pages(api, tenantSpec), toProject)),
    iterate: (f) => (f?.name ? single(() => projects.list(f)) : mapItems(pages(api, tenantSpec), toProject)),
    get: async (id) => toProject(member(await api.get(`/tenants/${enc(id)}`), 'tenant')),
    findByName: (name) => byName('/tenants', 'tenant', name, toProject),
    create: async (p) => toProject(member(await api.post('/tenants', { tenant: { name: p.name, description: p.description ?? '', enabled: p.enabled ?? true } }), 'tenant')),
    update: async (id, patch: ProjectPatch) => toProject(member(await api.put(`/tenants/${enc(id)}`, { tenant: { ...patch, id } }), 'tenant')),
    delete: async (id) => void (await api.delete(`/tenants/${enc(id)}`)),
  };

  const userBody = (u: Partial<UserInput>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (u.name !== undefined) out['name'] = u.name;
    if (u.password !== undefined) out['password'] = u.password;
    if (u.email !== undefined) out['email'] = u.email;
    if (u.enabled !== undefined) out['enabled'] = u.enabled;
    if (u.defaultProjectId !== undefined) out['tenantId'] = u.defaultProjectId;
    return out;
  };

  const users: UsersApi = {
    list: async (f) => (f?.name ? [await byName('/users', 'user', f.name, toUser)].filter((u): u is User => u !== undefined) : collect(pages(api, { path: '/users', key: 'users', paging: { kind: 'none' } }), toUser)),
    iterate: (f) => single(() => users.list(f)),
    get: async (id) => toUser(member(await api.get(`/users/${enc(id)}`), 'user')),
    findByName: (name) => byName('/users', 'user', name, toUser),
    create: async (u) => toUser(member(await api.post('/users', { user: userBody({ enabled: true, ...u }) }), 'user')),
    update: async (id, patch: UserPatch) => toUser(member(await api.put(`/users/${enc(id)}`, { user: { ...userBody(patch), id } }), 'user')),
    setPassword: async (id, password) => void (await api.put(`/users/${enc(id)}/OS-KSADM/password`, { user: { password } })),
    delete: async (id) => void (await api.delete(`/users/${enc(id)}`)),
  };

  const roles: RolesApi = {
    list: () => collect(pages(api, { path: '/OS-KSADM/roles', key: 'roles', paging: { kind: 'none' } }), toRole),
    findByName: async (name) => (await roles.list()).find((r) => r.name === name),
    create: async (name) => toRole(member(await api.post('/OS-KSADM/roles', { role: { name } }), 'role')),
    delete: async (id) => void (await api.delete(`/OS-KSADM/roles/${enc(id)}`)),
  };

  // Keystone serves v3 next to v2.0 since Havana, and its role_assignments answers in one
  // call what v2.0 needs tenants x users calls for. Remember whether it worked.
  let v3Assignments: boolean | undefined;
  async function viaV3(f: RoleAssignmentFilter): Promise<Grants | undefined> {
    if (v3Assignments === false) return undefined;
    const split = splitVersion(api.url(''));
    if (!split) return undefined;
    try {
      const query = { 'user.id': f.userId, 'scope.project.id': f.projectId, 'role.id': f.roleId };
      const res = await api.get(`${split.root}/v3/role_assignments`, query);
      checkTruncated(api.session.name, `${split.root}/v3/role_assignments`, 'role_assignments', query, obj(res.data));
      const out = toGrants(list(res, 'role_assignments').filter(isRaw));
      v3Assignments = true;
      return out;
    } catch (err) {
      if (!isCloudHttpError(err, 400, 401, 403, 404, 405, 501)) throw err;
      v3Assignments = false;
      return undefined;
    }
  }

  const grantPath = (a: RoleAssignment) => `/tenants/${enc(a.projectId)}/users/${enc(a.userId)}/roles/OS-KSADM/${enc(a.roleId)}`;
  const grants = async (f: RoleAssignmentFilter = {}): Promise<Grants> => {
    const fast = await viaV3(f);
    if (fast) return fast;
    const tenantIds = f.projectId ? [f.projectId] : (await projects.list()).map((p) => p.id);
    const out: RoleAssignment[] = [];
    // A tenant or user deleted during the walk (404) holds no grants, as v3's one list would
    // say: one deletion in a big cloud must not fail a discovery that takes minutes.
    const goneAsEmpty = async (path: string, key: string): Promise<readonly Raw[]> => {
      try {
        return objs(list(await api.get(path), key));
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    };
    for (const projectId of tenantIds) {
      const members = await goneAsEmpty(`/tenants/${enc(projectId)}/users`, 'users');
      for (const u of members) {
        const userId = str(u['id']);
        if (!userId || (f.userId && userId !== f.userId)) continue;
        const granted = await goneAsEmpty(`/tenants/${enc(projectId)}/users/${enc(userId)}/roles`, 'roles');
        for (const r of granted) {
          const roleId = str(r['id']);
          if (roleId && (!f.roleId || roleId === f.roleId)) out.push({ userId, projectId, roleId });
        }
      }
    }
    // v2.0 alone has no groups, domains or inheritance.
    return { direct: out, others: [] };
  };
  const roleAssignments: RoleAssignmentsApi = {
    list: async (f) => (await grants(f)).direct,
    grants,
    grant: async (a) => {
      try {
        await api.put(grantPath(a), undefined);
      } catch (err) {
        if (!isCloudHttpError(err, 409)) throw err; // already granted
      }
    },
    revoke: async (a) => {
      try {
        await api.delete(grantPath(a));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };

  return {
    version: '2.0',
    // v2.0 has no domain API; everything it holds lives in the implicit `default` domain.
    domains: { list: async () => [{ id: 'default', name: 'Default', description: 'the implicit domain of Keystone v2.0', enabled: true }] },
    projects,
    users,
    roles,
    roleAssignments,
  };
}

async function* single<T>(load: () => Promise<T[]>): AsyncGenerator<T> {
  for (const item of await load()) yield item;
}
