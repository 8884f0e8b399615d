import type { CloudContext } from '../../cloud/context.js';
import { notFound } from '../../http/errors.js';
import { empty, json } from '../../http/reply.js';
import type { SimRequest } from '../../http/request.js';
import type { Route } from '../../http/router.js';
import type { AssignmentRecord } from '../../store/types/identity.js';
import { v3List, v3Role } from './render.js';
import { domainOf, projectOf, roleOf, userOf } from './v3-resources.js';

type ScopeKind = 'project' | 'domain';

function grantOf(req: SimRequest, cloud: CloudContext, kind: ScopeKind): AssignmentRecord {
  const scopeId = kind === 'project' ? projectOf(cloud, req.params['sid']).id : domainOf(cloud, req.params['sid']).id;
  return { userId: userOf(cloud, req.params['uid']).id, roleId: roleOf(cloud, req.params['rid']).id, scope: { kind, id: scopeId } };
}

const noGrant = (a: AssignmentRecord) => notFound(`Could not find role assignment with role: ${a.roleId}, user or group: ${a.userId}, project, domain, or system: ${a.scope.id}.`);

function grantRoutes(kind: ScopeKind): Route[] {
  const base = `/v3/${kind}s/{sid}/users/{uid}/roles`;
  return [
    {
      method: 'GET',
      path: base,
      auth: 'admin',
      handler: (req, cloud) => {
        const scopeId = kind === 'project' ? projectOf(cloud, req.params['sid']).id : domainOf(cloud, req.params['sid']).id;
        const roles = cloud.store.identity.rolesOn(userOf(cloud, req.params['uid']).id, { kind, id: scopeId }).map((id) => v3Role(cloud, cloud.store.identity.roles.get(id)!));
        return json(200, v3List(cloud, 'roles', roles, req.query));
      },
    },
    {
      method: 'PUT',
      path: `${base}/{rid}`,
      auth: 'admin',
      handler: (req, cloud) => {
        cloud.store.identity.grant(grantOf(req, cloud, kind)); // idempotent in v3
        return empty(204);
      },
    },
    // Checking a grant: 204 or 404, the same for HEAD and GET.
    ...(['HEAD', 'GET'] as const).map(
      (method): Route => ({
        method,
        path: `${base}/{rid}`,
        auth: 'admin',
        handler: (req, cloud) => {
          const a = grantOf(req, cloud, kind);
          if (!cloud.store.identity.hasGrant(a)) throw noGrant(a);
          return empty(204);
        },
      }),
    ),
    {
      method: 'DELETE',
      path: `${base}/{rid}`,
      auth: 'admin',
      handler: (req, cloud) => {
        const a = grantOf(req, cloud, kind);
        if (!cloud.store.identity.revoke(a)) throw noGrant(a);
        return empty(204);
      },
    },
  ];
}

/** `GET /v3/role_assignments` with user.id, scope.project.id, scope.domain.id, role.id filters. */
function roleAssignments(req: SimRequest, cloud: CloudContext) {
  const q = req.query;
  const { identity } = cloud.store;
  const user = q.get('user.id');
  const project = q.get('scope.project.id');
  const domain = q.get('scope.domain.id');
  const role = q.get('role.id');
  const names = cloud.profile.release === 'modern' && q.has('include_names') && !['0', 'false'].includes(q.get('include_names') ?? '');
  const base = cloud.serviceUrl('identity');
  const out: unknown[] = [];
  for (const a of identity.assignments()) {
    if (user !== null && a.userId !== user) continue;
    if (role !== null && a.roleId !== role) continue;
    if (project !== null && !(a.scope.kind === 'project' && a.scope.id === project)) continue;
    if (domain !== null && !(a.scope.kind === 'domain' && a.scope.id === domain)) continue;
    const r = identity.roles.get(a.roleId);
    const u = identity.users.get(a.userId);
    const s = a.scope.kind === 'project' ? identity.projects.get(a.scope.id) : identity.domains.get(a.scope.id);
    out.push({
      links: { assignment: `${base}/v3/${a.scope.kind}s/${a.scope.id}/users/${a.userId}/roles/${a.roleId}` },
      scope: { [a.scope.kind]: { id: a.scope.id, ...(names && s ? { name: s.name } : {}) } },
      user: { id: a.userId, ...(names && u ? { name: u.name, domain: { id: u.domainId } } : {}) },
      role: { id: a.roleId, ...(names && r ? { name: r.name } : {}) },
    });
  }
  return json(200, v3List(cloud, 'role_assignments', out, q));
}

export function v3GrantRoutes(): Route[] {
  return [...grantRoutes('project'), ...grantRoutes('domain'), { method: 'GET', path: '/v3/role_assignments', auth: 'admin', handler: roleAssignments }];
}
