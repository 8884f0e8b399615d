import { badRequest, conflict, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { SimStore } from '../../store/store.js';
import { invalidInput, type NeutronCall, type NeutronRoute } from './call.js';

/** The quota keys a cloud counts, and how many objects of each a project holds. */
const COUNTERS: Readonly<Record<string, (s: SimStore, projectId: string) => number>> = {
  network: (s, p) => count(s.networks.values(), p),
  subnet: (s, p) => count(s.subnets.values(), p),
  port: (s, p) => count(s.ports.values(), p),
  router: (s, p) => count(s.routers.values(), p),
  floatingip: (s, p) => count(s.floatingIps.values(), p),
  security_group: (s, p) => count(s.securityGroups.values(), p),
  security_group_rule: (s, p) => count(s.securityGroupRules.values(), p),
  rbac_policy: (s, p) => count(s.rbacPolicies.values(), p),
};

function count(rows: Iterable<{ readonly projectId: string }>, projectId: string): number {
  let n = 0;
  for (const r of rows) if (r.projectId === projectId) n++;
  return n;
}

/** A project's limits: the profile's defaults overlaid with what was set. */
export function quotaOf(c: NeutronCall, projectId: string): Record<string, number> {
  return c.store.quotaOf('network', projectId, c.profile.neutronQuotaDefaults);
}

/**
 * Refuses a create that would take the project over its quota (409 `OverQuota`, Neutron's
 * words). -1 is unlimited. Objects without a project (router gateway ports) never count.
 */
export function checkQuota(c: NeutronCall, resource: keyof typeof COUNTERS, projectId: string, adding = 1): void {
  if (projectId === '') return;
  const limit = quotaOf(c, projectId)[resource];
  if (limit === undefined || limit < 0) return;
  const counter = COUNTERS[resource];
  if (counter && counter(c.store, projectId) + adding > limit) throw conflict(`Quota exceeded for resources: ['${resource}'].`, 'OverQuota');
}

function mayRead(c: NeutronCall, projectId: string): void {
  if (!c.isAdmin && projectId !== c.projectId) throw forbidden('Non-admin is not authorised to access quotas for another project', 'HTTPForbidden');
}

const body = (c: NeutronCall, limits: Record<string, number>) => {
  const keys = Object.keys(c.profile.neutronQuotaDefaults);
  return Object.fromEntries(keys.map((k) => [k, limits[k]]));
};

/** `GET /quotas`: projects with limits of their own (legacy-apis.md §5), admin only. */
function list(c: NeutronCall): SimReply {
  const out = c.store.quotas.filter((q) => q.service === 'network' && Object.keys(q.limits).length > 0).map((q) => ({
    ...body(c, quotaOf(c, q.projectId)),
    ...(c.profile.neutronProjectId ? { project_id: q.projectId } : {}),
    tenant_id: q.projectId,
  }));
  return json(200, { quotas: out });
}

function show(c: NeutronCall): SimReply {
  const projectId = c.req.params['project_id'] ?? '';
  mayRead(c, projectId);
  return json(200, { quota: body(c, quotaOf(c, projectId)) });
}

function defaults(c: NeutronCall): SimReply {
  mayRead(c, c.req.params['project_id'] ?? '');
  return json(200, { quota: body(c, { ...c.profile.neutronQuotaDefaults }) });
}

async function update(c: NeutronCall): Promise<SimReply> {
  const projectId = c.req.params['project_id'] ?? '';
  const raw = await c.req.json<Record<string, unknown>>(true);
  const q = raw['quota'];
  if (typeof q !== 'object' || q === null || Array.isArray(q)) throw badRequest("Unable to find 'quota' in request body");
  const given = q as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !(k in c.profile.neutronQuotaDefaults) && k !== 'force' && k !== 'check_limit');
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const limits: Record<string, number> = {};
  for (const [k, v] of Object.entries(given)) {
    if (k === 'force' || k === 'check_limit') continue;
    const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidInput(`'${String(v)}' is not an integer`);
    if (n < -1) throw invalidInput(`'${n}' should be greater than or equal to -1`);
    limits[k] = n;
  }
  c.store.setQuota('network', projectId, limits);
  return json(200, { quota: body(c, quotaOf(c, projectId)) });
}

function reset(c: NeutronCall): SimReply {
  const projectId = c.req.params['project_id'] ?? '';
  const row = c.store.quotas.get(`network/${projectId}`);
  if (!row || Object.keys(row.limits).length === 0) throw notFound(`Quota for tenant ${projectId} could not be found.`, 'TenantQuotaNotFound');
  c.store.quotas.delete(row.id);
  return empty(204);
}

export function quotaRoutes(modern: boolean): NeutronRoute[] {
  return [
    { method: 'GET', path: '/quotas', handler: list, auth: 'admin' },
    ...(modern ? [{ method: 'GET' as const, path: '/quotas/{project_id}/default', handler: defaults }] : []),
    { method: 'GET', path: '/quotas/{project_id}', handler: show },
    { method: 'PUT', path: '/quotas/{project_id}', handler: update, auth: 'admin' },
    { method: 'DELETE', path: '/quotas/{project_id}', handler: reset, auth: 'admin' },
  ];
}
