import type { CloudContext } from '../../cloud/context.js';
import { badRequest, conflict, notFound, notImplemented } from '../../http/errors.js';
import { empty, json } from '../../http/reply.js';
import type { SimRequest } from '../../http/request.js';
import type { Route } from '../../http/router.js';
import { pageRequest, paginate } from '../../http/pagination.js';
import type { ProjectRecord, UserRecord } from '../../store/types/identity.js';
import { obj, str, v2Role, v2Tenant, v2User, V2_TENANT_KEYS, V2_USER_KEYS, withExtra } from './render.js';

/** The member role a v2 `tenantId` on user create grants (`_member_` legacy, `member` modern). */
export function memberRole(cloud: CloudContext) {
  const { identity } = cloud.store;
  return identity.roleByName('_member_') ?? identity.roleByName('member');
}

const tenantOr404 = (cloud: CloudContext, id: string | undefined): ProjectRecord => {
  const p = id === undefined ? undefined : cloud.store.identity.projects.get(id);
  if (!p) throw notFound(`Could not find project: ${id}`);
  return p;
};
const userOr404 = (cloud: CloudContext, id: string | undefined): UserRecord => {
  const u = id === undefined ? undefined : cloud.store.identity.users.get(id);
  if (!u) throw notFound(`Could not find user: ${id}`);
  return u;
};
const roleOr404 = (cloud: CloudContext, id: string | undefined) => {
  const r = id === undefined ? undefined : cloud.store.identity.roles.get(id);
  if (!r) throw notFound(`Could not find role: ${id}`);
  return r;
};

function listTenants(req: SimRequest, cloud: CloudContext) {
  const { identity } = cloud.store;
  const name = req.query.get('name');
  if (name !== null) {
    const p = identity.projectByName(name, 'default');
    if (!p) throw notFound(`Could not find project: ${name}`);
    return json(200, { tenant: v2Tenant(p) });
  }
  // Keystone v2 pages by marker; tenants_links stays empty (legacy-apis.md §0.3).
  const page = paginate(identity.projects.all(), pageRequest(req.query), (p) => p.id, { unknownMarker: 'empty' });
  return json(200, { tenants: page.items.map(v2Tenant), tenants_links: [] });
}

async function createTenant(req: SimRequest, cloud: CloudContext) {
  const { identity, ids } = cloud.store;
  const t = obj((await req.json())['tenant']);
  const name = str(t['name']);
  if (!name) throw badRequest('Name field is required and cannot be empty');
  if (identity.projectByName(name, 'default')) throw conflict(`Conflict occurred attempting to store project - Duplicate Entry`);
  const id = str(t['id']) ?? ids.hex();
  if (identity.projects.has(id)) throw conflict(`Conflict occurred attempting to store project - Duplicate Entry`);
  const p = identity.projects.insert({
    id, name, domainId: 'default', description: str(t['description']) ?? '', enabled: t['enabled'] !== false,
    parentId: null, tags: [], extra: withExtra(undefined, t, V2_TENANT_KEYS),
  });
  return json(200, { tenant: v2Tenant(p) });
}

async function updateTenant(req: SimRequest, cloud: CloudContext) {
  const p = tenantOr404(cloud, req.params['id']);
  const t = obj((await req.json())['tenant']);
  const name = str(t['name']);
  if (name !== undefined && name !== p.name) {
    if (cloud.store.identity.projectByName(name, 'default')) throw conflict('Conflict occurred attempting to update project - Duplicate Entry');
    p.name = name;
  }
  if (typeof t['description'] === 'string') p.description = t['description'];
  if (typeof t['enabled'] === 'boolean') p.enabled = t['enabled'];
  p.extra = withExtra(p.extra, t, V2_TENANT_KEYS);
  return json(200, { tenant: v2Tenant(p) });
}

function deleteTenant(req: SimRequest, cloud: CloudContext) {
  const p = tenantOr404(cloud, req.params['id']);
  cloud.store.identity.projects.delete(p.id);
  cloud.store.identity.dropGrants({ scopeId: p.id });
  return empty(204);
}

function tenantUsers(req: SimRequest, cloud: CloudContext) {
  const p = tenantOr404(cloud, req.params['id']);
  const { identity } = cloud.store;
  const users = identity.users.filter((u) => identity.rolesOn(u.id, { kind: 'project', id: p.id }).length > 0);
  return json(200, { users: users.map((u) => v2User(cloud, u)) });
}

function userRolesOnTenant(req: SimRequest, cloud: CloudContext) {
  const p = tenantOr404(cloud, req.params['tid']);
  const u = userOr404(cloud, req.params['uid']);
  const roles = cloud.store.identity.rolesOn(u.id, { kind: 'project', id: p.id }).map((id) => cloud.store.identity.roles.get(id)!);
  return json(200, { roles: roles.map(v2Role) });
}

function grantRole(req: SimRequest, cloud: CloudContext) {
  const p = tenantOr404(cloud, req.params['tid']);
  const u = userOr404(cloud, req.params['uid']);
  const r = roleOr404(cloud, req.params['rid']);
  if (!cloud.store.identity.grant({ userId: u.id, roleId: r.id, scope: { kind: 'project', id: p.id } })) {
    throw conflict(`Conflict occurred attempting to store role grant. User ${u.id} already has role ${r.id} in tenant ${p.id}`);
  }
  return json(200, { role: v2Role(r) });
}

function revokeRole(req: SimRequest, cloud: CloudContext) {
  const p = tenantOr404(cloud, req.params['tid']);
  const u = userOr404(cloud, req.params['uid']);
  const r = roleOr404(cloud, req.params['rid']);
  if (!cloud.store.identity.revoke({ userId: u.id, roleId: r.id, scope: { kind: 'project', id: p.id } })) throw notFound(`Could not find role: ${r.id}`);
  return empty(204);
}

function listUsers(req: SimRequest, cloud: CloudContext) {
  const name = req.query.get('name');
  if (name !== null) {
    const u = cloud.store.identity.userByName(name, 'default');
    if (!u) throw notFound(`Could not find user: ${name}`);
    return json(200, { user: v2User(cloud, u) });
  }
  return json(200, { users: cloud.store.identity.users.all().map((u) => v2User(cloud, u)) });
}

async function createUser(req: SimRequest, cloud: CloudContext) {
  const { identity, ids } = cloud.store;
  const b = obj((await req.json())['user']);
  const name = str(b['name']);
  if (!name) throw badRequest('Name field is required and cannot be empty');
  if (identity.userByName(name, 'default')) throw conflict('Conflict occurred attempting to store user - Duplicate Entry');
  const tenantId = str(b['tenantId']) ?? undefined;
  if (tenantId !== undefined) tenantOr404(cloud, tenantId);
  const u = identity.users.insert({
    id: ids.hex(), name, domainId: 'default', email: str(b['email']), description: undefined, enabled: b['enabled'] !== false,
    defaultProjectId: tenantId, createdAt: cloud.store.now(), extra: withExtra(undefined, b, V2_USER_KEYS),
  });
  identity.passwords.syncUser(u);
  const password = str(b['password']) ?? str(b['OS-KSADM:password']);
  if (password !== undefined) identity.passwords.setPassword(u, password);
  await identity.passwords.flush();
  const member = memberRole(cloud);
  if (tenantId !== undefined && member) identity.grant({ userId: u.id, roleId: member.id, scope: { kind: 'project', id: tenantId } });
  return json(200, { user: v2User(cloud, u) });
}

async function updateUser(req: SimRequest, cloud: CloudContext) {
  const u = userOr404(cloud, req.params['id']);
  const b = obj((await req.json())['user']);
  const name = str(b['name']);
  if (name !== undefined && name !== u.name) {
    if (cloud.store.identity.userByName(name, 'default')) throw conflict('Conflict occurred attempting to update user - Duplicate Entry');
    u.name = name;
  }
  if (typeof b['email'] === 'string') u.email = b['email'];
  if (typeof b['enabled'] === 'boolean') u.enabled = b['enabled'];
  if (typeof b['tenantId'] === 'string') u.defaultProjectId = tenantOr404(cloud, b['tenantId']).id;
  u.extra = withExtra(u.extra, b, V2_USER_KEYS);
  cloud.store.identity.passwords.syncUser(u);
  const password = str(b['password']);
  if (password !== undefined) {
    cloud.store.identity.passwords.setPassword(u, password);
    cloud.tokens.revokeUser(u.id);
  }
  await cloud.store.identity.passwords.flush();
  return json(200, { user: v2User(cloud, u) });
}

async function setPassword(req: SimRequest, cloud: CloudContext) {
  const u = userOr404(cloud, req.params['id']);
  const password = str(obj((await req.json())['user'])['password']);
  if (password === undefined) throw badRequest('Expecting to find password in user.');
  cloud.store.identity.passwords.setPassword(u, password);
  cloud.tokens.revokeUser(u.id);
  await cloud.store.identity.passwords.flush();
  return json(200, { user: v2User(cloud, u) });
}

async function setEnabled(req: SimRequest, cloud: CloudContext) {
  const u = userOr404(cloud, req.params['id']);
  const enabled = obj((await req.json())['user'])['enabled'];
  if (typeof enabled !== 'boolean') throw badRequest('Expecting to find enabled in user.');
  u.enabled = enabled;
  cloud.store.identity.passwords.syncUser(u);
  await cloud.store.identity.passwords.flush();
  return json(200, { user: v2User(cloud, u) });
}

async function deleteUser(req: SimRequest, cloud: CloudContext) {
  const u = userOr404(cloud, req.params['id']);
  const { identity } = cloud.store;
  identity.users.delete(u.id);
  identity.passwords.remove(u.id);
  identity.dropGrants({ userId: u.id });
  await identity.passwords.flush();
  return empty(204);
}

async function createRole(req: SimRequest, cloud: CloudContext) {
  const b = obj((await req.json())['role']);
  const name = str(b['name']);
  if (!name) throw badRequest('Name field is required and cannot be empty');
  if (cloud.store.identity.roleByName(name)) throw conflict('Conflict occurred attempting to store role - Duplicate Entry');
  const r = cloud.store.identity.roles.insert({ id: cloud.store.ids.hex(), name, description: str(b['description']), domainId: null });
  return json(200, { role: v2Role(r) });
}

function deleteRole(req: SimRequest, cloud: CloudContext) {
  const r = roleOr404(cloud, req.params['id']);
  cloud.store.identity.roles.delete(r.id);
  cloud.store.identity.dropGrants({ roleId: r.id });
  return empty(204);
}

function services(_req: SimRequest, cloud: CloudContext) {
  return json(200, { 'OS-KSADM:services': cloud.catalog('%(tenant_id)s').map((s) => ({ id: s.id, type: s.type, name: s.name, description: '' })) });
}

function endpoints(_req: SimRequest, cloud: CloudContext) {
  // Substituting the template marker for itself gives back the URL templates Keystone stores.
  const templates = cloud.catalog('%(tenant_id)s');
  return json(200, {
    endpoints: templates.map((s) => {
      const url = (i: string) => s.endpoints.find((e) => e.interface === i)?.url;
      return { id: s.endpoints[0]?.id, region: cloud.profile.region, service_id: s.id, publicurl: url('public'), internalurl: url('internal'), adminurl: url('admin') };
    }),
  });
}

/** The v2.0 admin API (port 35357): OS-KSADM CRUD, grants, catalog administration. All need admin. */
export function v2AdminRoutes(): Route[] {
  const a = (method: Route['method'], path: string, handler: Route['handler']): Route => ({ method, path: `/v2.0${path}`, auth: 'admin', handler });
  return [
    a('GET', '/tenants', listTenants),
    a('POST', '/tenants', createTenant),
    a('GET', '/tenants/{id}', (req, cloud) => json(200, { tenant: v2Tenant(tenantOr404(cloud, req.params['id'])) })),
    a('PUT', '/tenants/{id}', updateTenant),
    a('POST', '/tenants/{id}', updateTenant),
    a('DELETE', '/tenants/{id}', deleteTenant),
    a('GET', '/tenants/{id}/users', tenantUsers),
    a('GET', '/tenants/{tid}/users/{uid}/roles', userRolesOnTenant),
    a('PUT', '/tenants/{tid}/users/{uid}/roles/OS-KSADM/{rid}', grantRole),
    a('DELETE', '/tenants/{tid}/users/{uid}/roles/OS-KSADM/{rid}', revokeRole),
    a('GET', '/users', listUsers),
    a('POST', '/users', createUser),
    a('GET', '/users/{id}', (req, cloud) => json(200, { user: v2User(cloud, userOr404(cloud, req.params['id'])) })),
    a('PUT', '/users/{id}', updateUser),
    a('POST', '/users/{id}', updateUser),
    a('DELETE', '/users/{id}', deleteUser),
    a('PUT', '/users/{id}/OS-KSADM/password', setPassword),
    a('PUT', '/users/{id}/password', setPassword),
    a('PUT', '/users/{id}/OS-KSADM/enabled', setEnabled),
    a('PUT', '/users/{id}/enabled', setEnabled),
    a('GET', '/users/{id}/roles', () => {
      throw notImplemented('User roles not supported: tenant ID required');
    }),
    a('GET', '/OS-KSADM/roles', (_req, cloud) => json(200, { roles: cloud.store.identity.roles.all().map(v2Role) })),
    a('POST', '/OS-KSADM/roles', createRole),
    a('GET', '/OS-KSADM/roles/{id}', (req, cloud) => json(200, { role: v2Role(roleOr404(cloud, req.params['id'])) })),
    a('DELETE', '/OS-KSADM/roles/{id}', deleteRole),
    a('GET', '/OS-KSADM/services', services),
    a('GET', '/endpoints', endpoints),
  ];
}
