import { collect, mapItems, pages, type ListSpec } from '../pagination.js';
import type { ServiceApi } from '../service-api.js';
import { member } from '../session/response.js';
import type { Grants, ProjectInput, ProjectPatch, RoleAssignment, UserInput, UserPatch } from '../types/identity.js';
import { isNotFound } from '../errors.js';
import type { IdentityClient, ProjectFilter, ProjectsApi, RoleAssignmentFilter, RoleAssignmentsApi, RolesApi, UsersApi } from './identity-client.js';
import { toDomain, toGrants, toGroup, toProject, toRole, toUser } from './normalize.js';
import { checkTruncated } from './truncated.js';
import type { Raw } from '../wire.js';

/** Keystone v3 (legacy-apis.md §1.3). Lists are not paginated; a `truncated` list is PH_LIST_TRUNCATED (truncated.ts). */
export function identityV3(api: ServiceApi): IdentityClient {
  const listSpec = (path: string, key: string, query?: ListSpec['query']): ListSpec => ({
    path,
    key,
    paging: { kind: 'links' },
    ...(query ? { query } : {}),
    onPage: (body: Raw) => checkTruncated(api.session.name, path, key, query, body),
  });
  const filterQuery = (f: ProjectFilter = {}) => ({ domain_id: f.domainId, name: f.name });

  const projects: ProjectsApi = {
    list: (f) => collect(pages(api, listSpec('/projects', 'projects', filterQuery(f))), toProject),
    iterate: (f) => mapItems(pages(api, listSpec('/projects', 'projects', filterQuery(f))), toProject),
    get: async (id) => toProject(member(await api.get(`/projects/${enc(id)}`), 'project')),
    findByName: async (name, domainId) => (await projects.list({ name, ...(domainId ? { domainId } : {}) }))[0],
    create: async (p: ProjectInput) =>
      toProject(
        member(
          await api.post('/projects', { project: { name: p.name, description: p.description ?? '', enabled: p.enabled ?? true, domain_id: p.domainId ?? 'default' } }),
          'project',
        ),
      ),
    // Keystone's PATCH sets the given fields to the given values (as the v2.0 PUT does):
    // sending it twice has the effect of sending it once, so a 5xx or reset is retried.
    update: async (id, patch: ProjectPatch) => toProject(member(await api.call('PATCH', `/projects/${enc(id)}`, { json: { project: patch }, idempotent: true }), 'project')),
    delete: async (id) => void (await api.delete(`/projects/${enc(id)}`)),
  };

  const userBody = (u: Partial<UserInput>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (u.name !== undefined) out['name'] = u.name;
    if (u.password !== undefined) out['password'] = u.password;
    if (u.email !== undefined) out['email'] = u.email;
    if (u.enabled !== undefined) out['enabled'] = u.enabled;
    if (u.defaultProjectId !== undefined) out['default_project_id'] = u.defaultProjectId;
    if (u.description !== undefined) out['description'] = u.description;
    if (u.domainId !== undefined) out['domain_id'] = u.domainId;
    return out;
  };

  const users: UsersApi = {
    list: (f) => collect(pages(api, listSpec('/users', 'users', filterQuery(f))), toUser),
    iterate: (f) => mapItems(pages(api, listSpec('/users', 'users', filterQuery(f))), toUser),
    get: async (id) => toUser(member(await api.get(`/users/${enc(id)}`), 'user')),
    findByName: async (name, domainId) => (await users.list({ name, ...(domainId ? { domainId } : {}) }))[0],
    create: async (u) => toUser(member(await api.post('/users', { user: userBody({ enabled: true, domainId: 'default', ...u }) }), 'user')),
    // Field values (and a password) set twice are set once: idempotent, retried like PUT.
    update: async (id, patch: UserPatch) => toUser(member(await api.call('PATCH', `/users/${enc(id)}`, { json: { user: userBody(patch) }, idempotent: true }), 'user')),
    setPassword: async (id, password) => void (await api.call('PATCH', `/users/${enc(id)}`, { json: { user: { password } }, idempotent: true })),
    delete: async (id) => void (await api.delete(`/users/${enc(id)}`)),
  };

  const roles: RolesApi = {
    list: () => collect(pages(api, listSpec('/roles', 'roles')), toRole),
    findByName: async (name) => (await collect(pages(api, listSpec('/roles', 'roles', { name })), toRole))[0],
    create: async (name) => toRole(member(await api.post('/roles', { role: { name } }), 'role')),
    delete: async (id) => void (await api.delete(`/roles/${enc(id)}`)),
  };

  const grantPath = (a: RoleAssignment) => `/projects/${enc(a.projectId)}/users/${enc(a.userId)}/roles/${enc(a.roleId)}`;
  const grants = async (f: RoleAssignmentFilter = {}): Promise<Grants> => {
    const query = { 'user.id': f.userId, 'scope.project.id': f.projectId, 'role.id': f.roleId };
    const items: Raw[] = [];
    for await (const raw of pages(api, { ...listSpec('/role_assignments', 'role_assignments', query), idOf: () => undefined })) items.push(raw);
    return toGrants(items);
  };
  const roleAssignments: RoleAssignmentsApi = {
    list: async (f) => (await grants(f)).direct,
    grants,
    grant: async (a) => void (await api.put(grantPath(a), undefined)),
    revoke: async (a) => {
      try {
        await api.delete(grantPath(a));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
  };

  return {
    version: '3',
    domains: { list: () => collect(pages(api, listSpec('/domains', 'domains')), toDomain) },
    projects,
    users,
    roles,
    roleAssignments,
    groups: { list: () => collect(pages(api, listSpec('/groups', 'groups')), toGroup) },
  };
}

export function enc(s: string): string {
  return encodeURIComponent(s);
}
