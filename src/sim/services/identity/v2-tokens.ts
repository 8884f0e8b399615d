import type { CloudContext } from '../../cloud/context.js';
import { badRequest, notFound, SimHttpError } from '../../http/errors.js';
import { json } from '../../http/reply.js';
import { caller, type SimRequest } from '../../http/request.js';
import type { Route } from '../../http/router.js';
import type { ProjectRecord } from '../../store/types/identity.js';
import { obj, str, v2Tenant } from './render.js';
import { v2Access } from './token-body.js';

const unauthorized = (cloud: CloudContext, message: string) =>
  new SimHttpError(401, message, 'Unauthorized', { 'WWW-Authenticate': `Keystone uri="${cloud.authUrl}"` });

/** `POST /v2.0/tokens` by password or by token (rescoping); 200 with the access document. */
async function issue(req: SimRequest, cloud: CloudContext) {
  const { identity } = cloud.store;
  const auth = obj((await req.json())['auth']);
  if (Object.keys(auth).length === 0) throw badRequest('Expecting to find auth in request body. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.');
  const creds = auth['passwordCredentials'];
  const tokenRef = auth['token'];
  let userId: string;
  let expiresAt: number | undefined;
  if (creds !== undefined) {
    const c = obj(creds);
    const password = str(c['password']);
    if (password === undefined) throw badRequest('Expecting to find password in passwordCredentials.');
    const user = str(c['userId']) !== undefined ? identity.users.get(str(c['userId'])!) : str(c['username']) !== undefined ? identity.userByName(str(c['username'])!, 'default') : undefined;
    if (str(c['userId']) === undefined && str(c['username']) === undefined) throw badRequest('Expecting to find username or userId in passwordCredentials.');
    if (!user || !(await identity.verifyPassword(user.id, password))) throw unauthorized(cloud, 'Invalid user / password');
    if (!user.enabled) throw unauthorized(cloud, `User is disabled: ${user.id}`);
    userId = user.id;
  } else if (tokenRef !== undefined) {
    const old = cloud.tokens.validate(str(obj(tokenRef)['id']));
    if (!old) throw unauthorized(cloud, 'The request you have made requires authentication.');
    userId = old.userId;
    expiresAt = old.expiresAt;
  } else {
    throw badRequest('Expecting to find passwordCredentials or token in auth.');
  }
  let project: ProjectRecord | undefined;
  const tenantId = str(auth['tenantId']);
  const tenantName = str(auth['tenantName']);
  if (tenantId !== undefined || tenantName !== undefined) {
    project = tenantId !== undefined ? identity.projects.get(tenantId) : identity.projectByName(tenantName!, 'default');
    if (!project) throw unauthorized(cloud, `Could not find project: ${tenantId ?? tenantName}`);
    if (!project.enabled) throw unauthorized(cloud, `Tenant is disabled: ${project.id}`);
    if (identity.rolesOn(userId, { kind: 'project', id: project.id }).length === 0) throw unauthorized(cloud, `User ${userId} is unauthorized for tenant ${project.id}`);
  }
  const rec = cloud.tokens.issue({ userId, ...(project ? { projectId: project.id } : {}), methods: [creds !== undefined ? 'password' : 'token'], ...(expiresAt !== undefined ? { expiresAt } : {}) });
  return json(200, v2Access(cloud, rec));
}

/** `GET /v2.0/tokens/{id}` (admin): validates another token. */
function validate(req: SimRequest, cloud: CloudContext) {
  const rec = cloud.tokens.validate(req.params['token_id']);
  if (!rec) throw notFound(`Could not find token: ${req.params['token_id']}`);
  const belongsTo = req.query.get('belongsTo');
  if (belongsTo && rec.projectId !== belongsTo) throw notFound(`Could not find token: ${req.params['token_id']}`);
  return json(200, v2Access(cloud, rec));
}

/** `GET /v2.0/tenants` on the public endpoint: only the tenants the caller has a role on. */
function ownTenants(req: SimRequest, cloud: CloudContext) {
  const me = caller(req);
  const { identity } = cloud.store;
  const mine = identity.projects.filter((p) => identity.rolesOn(me.userId, { kind: 'project', id: p.id }).length > 0);
  return json(200, { tenants: mine.map(v2Tenant), tenants_links: [] });
}

/** Routes every v2.0 endpoint has (public and admin); `ownTenants` only on the public one. */
export function v2TokenRoutes(publicEndpoint: boolean): Route[] {
  const routes: Route[] = [
    { method: 'POST', path: '/v2.0/tokens', auth: 'none', handler: issue },
    { method: 'GET', path: '/v2.0/tokens/{token_id}', auth: 'admin', handler: validate },
    {
      method: 'DELETE',
      path: '/v2.0/tokens/{token_id}',
      auth: 'admin',
      handler: (req, cloud) => {
        if (!cloud.tokens.revoke(req.params['token_id']!)) throw notFound(`Could not find token: ${req.params['token_id']}`);
        return { status: 204 };
      },
    },
  ];
  if (publicEndpoint) routes.push({ method: 'GET', path: '/v2.0/tenants', auth: 'token', handler: ownTenants });
  return routes;
}
