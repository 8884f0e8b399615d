import type { CloudContext } from '../../cloud/context.js';
import { badRequest, conflict, forbidden, notFound, SimHttpError } from '../../http/errors.js';
import { empty, json } from '../../http/reply.js';
import { caller, type SimRequest } from '../../http/request.js';
import type { Route } from '../../http/router.js';
import type { DomainRecord, ProjectRecord, RoleRecord, UserRecord } from '../../store/types/identity.js';
import { obj, str, v3Domain, v3List, v3Project, v3Role, v3User, V3_PROJECT_KEYS, V3_USER_KEYS, withExtra } from './render.js';

const get = <T>(kind: string, find: (id: string) => T | undefined, id: string | undefined): T => {
  const v = id === undefined ? undefined : find(id);
  if (v === undefined) throw notFound(`Could not find ${kind}: ${id}.`);
  return v;
};
export const projectOf = (c: CloudContext, id?: string): ProjectRecord => get('project', (i) => c.store.identity.projects.get(i), id);
export const userOf = (c: CloudContext, id?: string): UserRecord => get('user', (i) => c.store.identity.users.get(i), id);
export const roleOf = (c: CloudContext, id?: string): RoleRecord => get('role', (i) => c.store.identity.roles.get(i), id);
export const domainOf = (c: CloudContext, id?: string): DomainRecord => get('domain', (i) => c.store.identity.domains.get(i), id);

const dup = (kind: string, name: string) => conflict(`Conflict occurred attempting to store ${kind} - Duplicate entry found with name ${name}.`);

const filtered = <T extends { name: string }>(rows: T[], q: URLSearchParams, extra?: (r: T) => boolean): T[] => {
  const name = q.get('name');
  return rows.filter((r) => (name === null || r.name === name) && (extra?.(r) ?? true));
};

const enabledFilter = (q: URLSearchParams) => {
  const e = q.get('enabled');
  return (r: { enabled: boolean }) => e === null || r.enabled === !['0', 'false', 'False'].includes(e);
};

async function body(req: SimRequest, key: string): Promise<Record<string, unknown>> {
  const b = (await req.json())[key];
  if (typeof b !== 'object' || b === null) throw badRequest(`Expecting to find ${key} in request body.`);
  return b as Record<string, unknown>;
}

// ---- projects

async function createProject(req: SimRequest, cloud: CloudContext) {
  const { identity, ids } = cloud.store;
  const b = await body(req, 'project');
  const name = str(b['name']);
  if (!name) throw badRequest("Invalid input for field 'name': None is not of type 'string'");
  const domainId = str(b['domain_id']) ?? caller(req).userDomainId;
  domainOf(cloud, domainId);
  if (identity.projectByName(name, domainId)) throw dup('project', name);
  // v3 always generates the id, even when the body carries one (legacy-apis.md §1.3).
  const p = identity.projects.insert({
    id: ids.hex(), name, domainId, description: str(b['description']) ?? '', enabled: b['enabled'] !== false,
    parentId: str(b['parent_id']) ?? (cloud.profile.release === 'modern' ? domainId : null),
    tags: Array.isArray(b['tags']) ? b['tags'].filter((t): t is string => typeof t === 'string') : [], extra: withExtra(undefined, b, V3_PROJECT_KEYS),
  });
  return json(201, { project: v3Project(cloud, p) });
}

async function updateProject(req: SimRequest, cloud: CloudContext) {
  const p = projectOf(cloud, req.params['id']);
  const b = await body(req, 'project');
  const name = str(b['name']);
  if (name !== undefined && name !== p.name) {
    if (cloud.store.identity.projectByName(name, p.domainId)) throw dup('project', name);
    p.name = name;
  }
  if (typeof b['description'] === 'string') p.description = b['description'];
  if (typeof b['enabled'] === 'boolean') p.enabled = b['enabled'];
  if (Array.isArray(b['tags'])) p.tags = b['tags'].filter((t): t is string => typeof t === 'string');
  p.extra = withExtra(p.extra, b, V3_PROJECT_KEYS);
  // Modern Keystone answers an update with the row's raw `extra` too (to_dict(include_extra_dict=True); seen on Zed).
  const extra = cloud.profile.release === 'modern' ? { extra: { ...(p.extra ?? {}) } } : {};
  return json(200, { project: { ...v3Project(cloud, p), ...extra } });
}

// ---- users

async function createUser(req: SimRequest, cloud: CloudContext) {
  const { identity, ids } = cloud.store;
  const b = await body(req, 'user');
  const name = str(b['name']);
  if (!name) throw badRequest("Invalid input for field 'name': None is not of type 'string'");
  const domainId = str(b['domain_id']) ?? caller(req).userDomainId;
  domainOf(cloud, domainId);
  if (identity.userByName(name, domainId)) throw dup('user', name);
  const def = str(b['default_project_id']);
  if (def !== undefined) projectOf(cloud, def);
  const u = identity.users.insert({
    id: ids.hex(), name, domainId, email: str(b['email']), description: str(b['description']), enabled: b['enabled'] !== false,
    defaultProjectId: def, createdAt: cloud.store.now(), extra: withExtra(undefined, b, V3_USER_KEYS),
  });
  identity.passwords.syncUser(u);
  const password = str(b['password']);
  if (password !== undefined) identity.passwords.setPassword(u, password);
  await identity.passwords.flush();
  return json(201, { user: v3User(cloud, u) });
}

/** `PATCH /v3/users/{id}`: `{"user": {"password"}}` is the admin reset. */
async function updateUser(req: SimRequest, cloud: CloudContext) {
  const u = userOf(cloud, req.params['id']);
  const b = await body(req, 'user');
  const name = str(b['name']);
  if (name !== undefined && name !== u.name) {
    if (cloud.store.identity.userByName(name, u.domainId)) throw dup('user', name);
    u.name = name;
  }
  if (typeof b['email'] === 'string') u.email = b['email'];
  if (typeof b['description'] === 'string') u.description = b['description'];
  if (typeof b['enabled'] === 'boolean') u.enabled = b['enabled'];
  if (typeof b['default_project_id'] === 'string') u.defaultProjectId = projectOf(cloud, b['default_project_id']).id;
  u.extra = withExtra(u.extra, b, V3_USER_KEYS);
  cloud.store.identity.passwords.syncUser(u);
  const password = str(b['password']);
  if (password !== undefined) {
    cloud.store.identity.passwords.setPassword(u, password);
    cloud.tokens.revokeUser(u.id);
  }
  await cloud.store.identity.passwords.flush();
  // As for projects; email and description have no column either, so they are in the raw `extra` (seen on Zed).
  const extra = cloud.profile.release === 'modern'
    ? { extra: { ...(u.email !== undefined ? { email: u.email } : {}), ...(u.description !== undefined ? { description: u.description } : {}), ...(u.extra ?? {}) } }
    : {};
  return json(200, { user: { ...v3User(cloud, u), ...extra } });
}

/** `POST /v3/users/{id}/password`: self-service change, needs the original password. */
async function changeOwnPassword(req: SimRequest, cloud: CloudContext) {
  const u = userOf(cloud, req.params['id']);
  if (caller(req).userId !== u.id) throw forbidden('You are not authorized to perform the requested action: identity:change_password.');
  const b = await body(req, 'user');
  const original = str(b['original_password']);
  const password = str(b['password']);
  if (original === undefined || password === undefined) throw badRequest('Expecting to find original_password and password in user.');
  if (!(await cloud.store.identity.verifyPassword(u.id, original))) throw new SimHttpError(401, 'The request you have made requires authentication.', 'Unauthorized', { 'WWW-Authenticate': `Keystone uri="${cloud.authUrl}"` });
  cloud.store.identity.passwords.setPassword(u, password);
  cloud.tokens.revokeUser(u.id);
  await cloud.store.identity.passwords.flush();
  return empty(204);
}

async function deleteUser(req: SimRequest, cloud: CloudContext) {
  const u = userOf(cloud, req.params['id']);
  const { identity } = cloud.store;
  identity.users.delete(u.id);
  identity.passwords.remove(u.id);
  identity.dropGrants({ userId: u.id });
  await identity.passwords.flush();
  return empty(204);
}

function userProjects(req: SimRequest, cloud: CloudContext) {
  const u = userOf(cloud, req.params['id']);
  const me = caller(req);
  if (!me.isAdmin && me.userId !== u.id) throw forbidden('You are not authorized to perform the requested action: identity:list_user_projects.');
  const { identity } = cloud.store;
  const rows = identity.projects.filter((p) => identity.rolesOn(u.id, { kind: 'project', id: p.id }).length > 0);
  return json(200, v3List(cloud, 'projects', rows.map((p) => v3Project(cloud, p)), req.query));
}

// ---- roles, domains

async function createRole(req: SimRequest, cloud: CloudContext) {
  const b = await body(req, 'role');
  const name = str(b['name']);
  if (!name) throw badRequest("Invalid input for field 'name': None is not of type 'string'");
  if (cloud.store.identity.roleByName(name)) throw dup('role', name);
  const r = cloud.store.identity.roles.insert({ id: cloud.store.ids.hex(), name, description: str(b['description']), domainId: str(b['domain_id']) ?? null });
  return json(201, { role: v3Role(cloud, r) });
}

async function createDomain(req: SimRequest, cloud: CloudContext) {
  const b = await body(req, 'domain');
  const name = str(b['name']);
  if (!name) throw badRequest("Invalid input for field 'name': None is not of type 'string'");
  if (cloud.store.identity.domainByName(name)) throw dup('domain', name);
  const d = cloud.store.identity.domains.insert({ id: cloud.store.ids.hex(), name, description: str(b['description']) ?? '', enabled: b['enabled'] !== false });
  return json(201, { domain: v3Domain(cloud, d) });
}

async function updateDomain(req: SimRequest, cloud: CloudContext) {
  const d = domainOf(cloud, req.params['id']);
  const b = await body(req, 'domain');
  if (typeof b['name'] === 'string') d.name = b['name'];
  if (typeof b['description'] === 'string') d.description = b['description'];
  if (typeof b['enabled'] === 'boolean') d.enabled = b['enabled'];
  return json(200, { domain: v3Domain(cloud, d) });
}

function deleteDomain(req: SimRequest, cloud: CloudContext) {
  const d = domainOf(cloud, req.params['id']);
  if (d.enabled) throw forbidden('Cannot delete a domain that is enabled, please disable it first.');
  cloud.store.identity.domains.delete(d.id);
  cloud.store.identity.dropGrants({ scopeId: d.id });
  return empty(204);
}

const identityOf = (c: CloudContext) => c.store.identity;

export function v3ResourceRoutes(): Route[] {
  const admin = (method: Route['method'], path: string, handler: Route['handler']): Route => ({ method, path: `/v3${path}`, auth: 'admin', handler });
  const token = (method: Route['method'], path: string, handler: Route['handler']): Route => ({ method, path: `/v3${path}`, auth: 'token', handler });
  return [
    admin('GET', '/projects', (req, c) =>
      json(200, v3List(c, 'projects', filtered(identityOf(c).projects.all(), req.query, (p) => (req.query.get('domain_id') ?? p.domainId) === p.domainId && enabledFilter(req.query)(p)).map((p) => v3Project(c, p)), req.query)),
    ),
    admin('POST', '/projects', createProject),
    admin('GET', '/projects/{id}', (req, c) => json(200, { project: v3Project(c, projectOf(c, req.params['id'])) })),
    admin('PATCH', '/projects/{id}', updateProject),
    admin('DELETE', '/projects/{id}', (req, c) => {
      const p = projectOf(c, req.params['id']);
      identityOf(c).projects.delete(p.id);
      identityOf(c).dropGrants({ scopeId: p.id });
      return empty(204);
    }),
    admin('GET', '/users', (req, c) =>
      json(200, v3List(c, 'users', filtered(identityOf(c).users.all(), req.query, (u) => (req.query.get('domain_id') ?? u.domainId) === u.domainId && enabledFilter(req.query)(u)).map((u) => v3User(c, u)), req.query)),
    ),
    admin('POST', '/users', createUser),
    token('GET', '/users/{id}', (req, c) => {
      const me = caller(req);
      if (!me.isAdmin && me.userId !== req.params['id']) throw forbidden('You are not authorized to perform the requested action: identity:get_user.');
      return json(200, { user: v3User(c, userOf(c, req.params['id'])) });
    }),
    admin('PATCH', '/users/{id}', updateUser),
    admin('DELETE', '/users/{id}', deleteUser),
    token('POST', '/users/{id}/password', changeOwnPassword),
    token('GET', '/users/{id}/projects', userProjects),
    admin('GET', '/roles', (req, c) => json(200, v3List(c, 'roles', filtered(identityOf(c).roles.all(), req.query).map((r) => v3Role(c, r)), req.query))),
    admin('POST', '/roles', createRole),
    admin('GET', '/roles/{id}', (req, c) => json(200, { role: v3Role(c, roleOf(c, req.params['id'])) })),
    admin('DELETE', '/roles/{id}', (req, c) => {
      const r = roleOf(c, req.params['id']);
      identityOf(c).roles.delete(r.id);
      identityOf(c).dropGrants({ roleId: r.id });
      return empty(204);
    }),
    admin('GET', '/domains', (req, c) => json(200, v3List(c, 'domains', filtered(identityOf(c).domains.all(), req.query, enabledFilter(req.query)).map((d) => v3Domain(c, d)), req.query))),
    admin('POST', '/domains', createDomain),
    admin('GET', '/domains/{id}', (req, c) => json(200, { domain: v3Domain(c, domainOf(c, req.params['id'])) })),
    admin('PATCH', '/domains/{id}', updateDomain),
    admin('DELETE', '/domains/{id}', deleteDomain),
  ];
}
