import { badRequest, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { ServerGroupRecord } from '../../store/types/compute.js';
import { bodyOf, str, truthy, type NovaCall, type NovaRoute } from './context.js';
import { checkQuota, usageOf } from './quota-usage.js';

/** The view per microversion: `policies` + `metadata` below 2.64, `policy` + `rules` from 2.64; 2.13 adds owners. */
function view(c: NovaCall, g: ServerGroupRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.id, name: g.name };
  if (c.mv >= 64) Object.assign(out, { policy: g.policies[0] ?? 'affinity', rules: {} });
  else Object.assign(out, { policies: [...g.policies], metadata: { ...g.metadata } });
  out['members'] = [...g.members];
  if (c.mv >= 13) Object.assign(out, { project_id: g.projectId, user_id: g.userId });
  return out;
}

function groupOf(c: NovaCall): ServerGroupRecord {
  const id = c.req.params['id']!;
  const g = c.store.serverGroups.get(id);
  if (!g || (!c.auth.isAdmin && g.projectId !== c.projectId)) throw notFound(`Instance group ${id} could not be found.`);
  return g;
}

function list(c: NovaCall): SimReply {
  const all = c.auth.isAdmin && c.req.query.has('all_projects') && truthy(c.req.query.get('all_projects') || 'true');
  const groups = [...c.store.serverGroups.values()].filter((g) => all || g.projectId === c.projectId);
  return json(200, { server_groups: groups.map((g) => view(c, g)) });
}

async function create(c: NovaCall): Promise<SimReply> {
  const b = await bodyOf(c, 'server_group');
  const name = str(b['name']);
  if (!name) throw badRequest("Invalid input for field/attribute name. Value: None. None is not of type 'string'");
  const allowed = c.mv >= 15 ? ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] : ['affinity', 'anti-affinity'];
  let policies: string[];
  if (c.mv >= 64) {
    const policy = str(b['policy']);
    if (!policy) throw badRequest("Invalid input for field/attribute server_group. 'policy' is a required property");
    policies = [policy];
  } else {
    const raw = b['policies'];
    if (!Array.isArray(raw) || raw.length !== 1 || typeof raw[0] !== 'string') throw badRequest('Invalid input for field/attribute policies.');
    policies = [raw[0]];
  }
  if (!allowed.includes(policies[0]!)) throw badRequest(`Invalid input for field/attribute policies. Value: ${JSON.stringify(policies)}. '${policies[0]}' is not one of ${JSON.stringify(allowed)}`);
  if (c.profile.novaQuotaServerGroups) checkQuota(c.store, c.projectId, { server_groups: 1 }, usageOf(c.store, c.projectId));
  const g = c.store.serverGroups.insert({ id: c.store.ids.uuid(), name, projectId: c.projectId, userId: c.auth.userId, policies, members: [], metadata: {} });
  return json(200, { server_group: view(c, g) });
}

function remove(c: NovaCall): SimReply {
  const g = groupOf(c);
  c.store.serverGroups.delete(g.id);
  return empty(204);
}

/** os-server-groups (Icehouse+; index.ts leaves them out on Havana, which answers 404). */
export function serverGroupRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-server-groups', auth: 'token', handler: list },
    { method: 'POST', path: '/os-server-groups', auth: 'token', handler: create },
    { method: 'GET', path: '/os-server-groups/{id}', auth: 'token', handler: (c) => json(200, { server_group: view(c, groupOf(c)) }) },
    { method: 'DELETE', path: '/os-server-groups/{id}', auth: 'token', handler: remove },
  ];
}
