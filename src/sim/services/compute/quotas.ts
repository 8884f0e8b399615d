import { badRequest } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import { bodyOf, policyRefusal, requireAdmin, truthy, type NovaCall, type NovaRoute } from './context.js';
import { limitsOf, quotaDefaults, usageOf } from './quota-usage.js';

const NETWORK_KEYS = ['floating_ips', 'fixed_ips', 'security_groups', 'security_group_rules'];
const FILE_KEYS = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** Keys a request's microversion shows: 2.36 drops the network ones, 2.57 the injected files. */
function visible(c: NovaCall, limits: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(limits)) {
    if (c.mv >= 36 && NETWORK_KEYS.includes(k)) continue;
    if (c.mv >= 57 && FILE_KEYS.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

function projectParam(c: NovaCall): string {
  const id = c.req.params['tenant']!;
  if (id !== c.projectId && !c.auth.isAdmin) throw policyRefusal(c, 'os_compute_api:os-quota-sets:show');
  return id;
}

function show(detail: boolean) {
  return (c: NovaCall): SimReply => {
    const projectId = projectParam(c);
    if (c.profile.novaQuotaVerifiesProject && !c.store.identity.projects.get(projectId)) throw badRequest(`Project ID ${projectId} is not a valid project.`);
    const limits = visible(c, limitsOf(c.store, projectId));
    if (!detail) return json(200, { quota_set: { id: projectId, ...limits } });
    const usage = usageOf(c.store, projectId, c.req.query.get('user_id') ?? c.auth.userId);
    const out: Record<string, unknown> = { id: projectId };
    for (const [k, limit] of Object.entries(limits)) out[k] = { in_use: usage[k] ?? 0, limit, reserved: 0 };
    return json(200, { quota_set: out });
  };
}

async function update(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-quota-sets:update');
  const projectId = c.req.params['tenant']!;
  const b = await bodyOf(c, 'quota_set');
  const force = truthy(b['force']);
  const known = visible(c, quotaDefaults(c.profile));
  const bad = Object.keys(b).filter((k) => k !== 'force' && !(k in known));
  if (bad.length > 0) throw badRequest(`Bad key(s) ${bad.join(',')} in quota_set`);
  const usage = usageOf(c.store, projectId);
  const set: Record<string, number> = {};
  for (const [k, raw] of Object.entries(b)) {
    if (k === 'force') continue;
    const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < -1) throw badRequest(`Quota value ${String(raw)} for ${k} is invalid: it must be an integer >= -1.`);
    const used = usage[k] ?? 0;
    if (!force && v !== -1 && v < used) throw badRequest(`Quota limit ${v} for ${k} must be greater than or equal to already used and reserved ${used}.`);
    set[k] = v;
  }
  c.store.setQuota('compute', projectId, set);
  return json(200, { quota_set: visible(c, limitsOf(c.store, projectId)) });
}

function reset(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-quota-sets:delete');
  c.store.quotas.delete(`compute/${c.req.params['tenant']!}`);
  return empty(202);
}

/** os-quota-sets (legacy-apis.md §2.5): show (own project, or any for an admin), detail, defaults, update, reset. */
export function quotaRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-quota-sets/{tenant}/defaults', auth: 'token', handler: (c) => json(200, { quota_set: { id: c.req.params['tenant']!, ...visible(c, quotaDefaults(c.profile)) } }) },
    { method: 'GET', path: '/os-quota-sets/{tenant}/detail', auth: 'token', handler: show(true) },
    { method: 'GET', path: '/os-quota-sets/{tenant}', auth: 'token', handler: show(false) },
    { method: 'PUT', path: '/os-quota-sets/{tenant}', auth: 'token', handler: update },
    { method: 'DELETE', path: '/os-quota-sets/{tenant}', auth: 'token', handler: reset },
  ];
}
