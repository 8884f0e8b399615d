import type { CloudContext } from '../../cloud/context.js';
import { badRequest, notFound, SimHttpError } from '../../http/errors.js';
import { empty, json } from '../../http/reply.js';
import type { SimRequest } from '../../http/request.js';
import type { Route } from '../../http/router.js';
import type { DomainRecord, ProjectRecord, UserRecord } from '../../store/types/identity.js';
import { obj, str } from './render.js';
import { v3Token } from './token-body.js';

const unauthorized = (cloud: CloudContext, message = 'The request you have made requires authentication.') =>
  new SimHttpError(401, message, 'Unauthorized', { 'WWW-Authenticate': `Keystone uri="${cloud.authUrl}"` });

function domainRef(cloud: CloudContext, ref: Record<string, unknown>): DomainRecord | undefined {
  const { identity } = cloud.store;
  const id = str(ref['id']);
  if (id !== undefined) return identity.domains.get(id);
  const name = str(ref['name']);
  return name !== undefined ? identity.domainByName(name) : undefined;
}

function findUser(cloud: CloudContext, u: Record<string, unknown>): UserRecord | undefined {
  const { identity } = cloud.store;
  const id = str(u['id']);
  if (id !== undefined) return identity.users.get(id);
  const name = str(u['name']);
  if (name === undefined) throw badRequest('Expecting to find id or name in user - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.');
  if (u['domain'] === undefined) throw badRequest('Expecting to find domain in user - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.');
  const d = domainRef(cloud, obj(u['domain']));
  return d ? identity.userByName(name, d.id) : undefined;
}

function findProject(cloud: CloudContext, p: Record<string, unknown>): ProjectRecord | undefined {
  const { identity } = cloud.store;
  const id = str(p['id']);
  if (id !== undefined) return identity.projects.get(id);
  const name = str(p['name']);
  if (name === undefined) throw badRequest('Expecting to find id or name in project.');
  const d = domainRef(cloud, obj(p['domain']));
  return d ? identity.projectByName(name, d.id) : undefined;
}

/** `POST /v3/auth/tokens`: password or token methods, project/domain/no scope. 201 + X-Subject-Token. */
async function issue(req: SimRequest, cloud: CloudContext) {
  const { identity } = cloud.store;
  const auth = obj((await req.json())['auth']);
  const ident = obj(auth['identity']);
  const methods = Array.isArray(ident['methods']) ? ident['methods'].filter((m): m is string => typeof m === 'string') : [];
  if (methods.length === 0) throw badRequest('Expecting to find identity in auth - the server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.');
  let userId: string;
  let expiresAt: number | undefined;
  if (methods.includes('password')) {
    const u = obj(obj(ident['password'])['user']);
    const password = str(u['password']);
    const user = findUser(cloud, u);
    if (!user || password === undefined || !(await identity.verifyPassword(user.id, password))) throw unauthorized(cloud);
    if (!user.enabled) throw unauthorized(cloud);
    userId = user.id;
  } else if (methods.includes('token')) {
    const old = cloud.tokens.validate(str(obj(ident['token'])['id']));
    if (!old) throw unauthorized(cloud);
    userId = old.userId;
    expiresAt = old.expiresAt;
  } else {
    throw unauthorized(cloud, `Attempted to authenticate with an unsupported method.`);
  }
  const scope = auth['scope'];
  let projectId: string | undefined;
  let domainScopeId: string | undefined;
  if (scope !== undefined && scope !== 'unscoped') {
    const s = obj(scope);
    if (s['project'] !== undefined) {
      const p = findProject(cloud, obj(s['project']));
      if (!p) throw unauthorized(cloud);
      if (!p.enabled || identity.rolesOn(userId, { kind: 'project', id: p.id }).length === 0) throw unauthorized(cloud);
      projectId = p.id;
    } else if (s['domain'] !== undefined) {
      const d = domainRef(cloud, obj(s['domain']));
      if (!d || identity.rolesOn(userId, { kind: 'domain', id: d.id }).length === 0) throw unauthorized(cloud);
      domainScopeId = d.id;
    }
  } else if (scope === undefined) {
    // No scope: Keystone scopes to the default project when the user has a role there.
    const def = identity.users.get(userId)?.defaultProjectId;
    if (def !== undefined && identity.projects.get(def)?.enabled && identity.rolesOn(userId, { kind: 'project', id: def }).length > 0) projectId = def;
  }
  const rec = cloud.tokens.issue({
    userId,
    ...(projectId !== undefined ? { projectId } : {}),
    ...(domainScopeId !== undefined ? { domainScopeId } : {}),
    methods: methods.includes('password') ? ['password'] : ['token'],
    ...(expiresAt !== undefined ? { expiresAt } : {}),
  });
  return json(201, v3Token(cloud, rec), { 'X-Subject-Token': rec.id, Vary: 'X-Auth-Token' });
}

function subject(req: SimRequest, cloud: CloudContext) {
  const id = req.header('x-subject-token');
  const rec = cloud.tokens.validate(id);
  if (!rec) throw notFound(cloud.profile.tokenFormat === 'fernet' ? 'Could not recognize Fernet token' : `Could not find token: ${id ?? ''}`);
  return rec;
}

export function v3AuthRoutes(): Route[] {
  return [
    { method: 'POST', path: '/v3/auth/tokens', auth: 'none', handler: issue },
    {
      method: 'GET',
      path: '/v3/auth/tokens',
      auth: 'token',
      handler: (req, cloud) => {
        const rec = subject(req, cloud);
        return json(200, v3Token(cloud, rec), { 'X-Subject-Token': rec.id });
      },
    },
    { method: 'HEAD', path: '/v3/auth/tokens', auth: 'token', handler: (req, cloud) => (subject(req, cloud), empty(200)) },
    {
      method: 'DELETE',
      path: '/v3/auth/tokens',
      auth: 'token',
      handler: (req, cloud) => {
        cloud.tokens.revoke(subject(req, cloud).id);
        return empty(204);
      },
    },
  ];
}
