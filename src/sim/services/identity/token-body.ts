import type { TokenRecord } from '../../auth/tokens.js';
import { isoMicros, isoSeconds } from '../../auth/tokens.js';
import { renderV2Catalog, renderV3Catalog } from '../../cloud/catalog.js';
import type { CloudContext } from '../../cloud/context.js';

/** v2.0 `access` document of a token (legacy-apis.md §1.1). */
export function v2Access(cloud: CloudContext, t: TokenRecord): Record<string, unknown> {
  const ctx = cloud.tokens.authContext(t);
  const project = t.projectId !== undefined ? cloud.store.identity.projects.get(t.projectId) : undefined;
  const roles = ctx.roleIds.map((id) => cloud.store.identity.roles.get(id)).filter((r) => r !== undefined);
  return {
    access: {
      token: {
        id: t.id,
        expires: isoSeconds(t.expiresAt),
        issued_at: new Date(t.issuedAt).toISOString().replace('Z', '000'),
        ...(project ? { tenant: { id: project.id, name: project.name, description: project.description, enabled: project.enabled } } : {}),
        ...(cloud.profile.release === 'juno' ? { audit_ids: [t.auditId] } : {}),
      },
      serviceCatalog: renderV2Catalog(cloud.catalog(project?.id)),
      user: { id: ctx.userId, name: ctx.userName, username: ctx.userName, roles: roles.map((r) => ({ name: r.name })), roles_links: [] },
      metadata: { is_admin: 0, roles: roles.map((r) => r.id) },
    },
  };
}

/** v3 `token` document (legacy-apis.md §1.3; modern shape taken from the Zed testbed). */
export function v3Token(cloud: CloudContext, t: TokenRecord): Record<string, unknown> {
  const { identity } = cloud.store;
  const ctx = cloud.tokens.authContext(t);
  const user = identity.users.get(t.userId)!;
  const domainRef = (id: string) => ({ id, name: identity.domains.get(id)?.name ?? id });
  const project = t.projectId !== undefined ? identity.projects.get(t.projectId) : undefined;
  const domain = t.domainScopeId !== undefined ? identity.domains.get(t.domainScopeId) : undefined;
  const modern = cloud.profile.release === 'modern';
  const scoped = project !== undefined || domain !== undefined;
  return {
    token: {
      methods: t.methods,
      user: { domain: domainRef(user.domainId), id: user.id, name: user.name, ...(modern ? { password_expires_at: null } : {}) },
      ...(cloud.profile.release === 'juno' || modern ? { audit_ids: [t.auditId] } : {}),
      expires_at: isoMicros(t.expiresAt),
      issued_at: isoMicros(t.issuedAt),
      ...(project ? { project: { domain: domainRef(project.domainId), id: project.id, name: project.name } } : {}),
      ...(domain ? { domain: { id: domain.id, name: domain.name } } : {}),
      ...(modern && project ? { is_domain: false } : {}),
      ...(scoped ? { roles: ctx.roleIds.map((id) => ({ id, name: identity.roles.get(id)?.name ?? id })) } : {}),
      ...(project ? { catalog: renderV3Catalog(cloud.catalog(project.id), cloud.profile) } : domain ? { catalog: renderV3Catalog(cloud.catalog(undefined), cloud.profile) } : {}),
    },
  };
}
