import { badRequest, forbidden, notFound } from '../../../http/errors.js';
import { empty, json, type SimReply } from '../../../http/reply.js';
import { parseCidr } from '../../../store/addresses.js';
import type { NovaSecurityGroupRecord, NovaSecurityGroupRule } from '../../../store/types/network.js';
import type { ServerAction } from '../actions.js';
import { bodyOf, str, truthy, type NovaCall, type NovaRoute } from '../context.js';
import { limitsOf } from '../quota-usage.js';
import { ensureNovaDefaultGroup } from '../security-group-lookup.js';
import { gate } from './availability.js';
import * as proxy from './security-groups-neutron.js';

function ruleView(c: NovaCall, r: NovaSecurityGroupRule): Record<string, unknown> {
  const source = r.groupId !== null ? c.store.novaSecurityGroups.get(r.groupId) : undefined;
  return {
    id: r.id, parent_group_id: r.parentGroupId, ip_protocol: r.ipProtocol, from_port: r.fromPort, to_port: r.toPort,
    ip_range: r.groupId === null ? { cidr: r.cidr } : {}, group: source ? { name: source.name, tenant_id: source.projectId } : {},
  };
}

function groupView(c: NovaCall, g: NovaSecurityGroupRecord): Record<string, unknown> {
  return { id: g.id, name: g.name, description: g.description, tenant_id: g.projectId, rules: g.rules.map((r) => ruleView(c, r)) };
}

function groupOf(c: NovaCall, raw: string | undefined): NovaSecurityGroupRecord {
  const id = Number(raw);
  if (!Number.isInteger(id)) throw badRequest('Security group id should be integer');
  const g = c.store.novaSecurityGroups.get(id);
  if (!g || (!c.auth.isAdmin && g.projectId !== c.projectId)) throw notFound(`Security group ${raw} not found.`);
  return g;
}

/** `GET /os-security-groups[?all_tenants=1]`: the project's groups (its `default` made on first use), sorted by (tenant, name). */
function list(c: NovaCall): SimReply {
  gate(c, 'proxy');
  const all = c.auth.isAdmin && truthy(c.req.query.get('all_tenants') ?? '');
  if (c.profile.neutron) return proxy.list(c, all);
  ensureNovaDefaultGroup(c.store, c.projectId, c.auth.userId);
  const groups = c.store.novaSecurityGroups.filter((g) => all || g.projectId === c.projectId);
  groups.sort((a, b) => (a.projectId !== b.projectId ? (a.projectId < b.projectId ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return json(200, { security_groups: groups.map((g) => groupView(c, g)) });
}

function show(c: NovaCall): SimReply {
  gate(c, 'proxy');
  if (c.profile.neutron) return proxy.show(c);
  return json(200, { security_group: groupView(c, groupOf(c, c.req.params['id'])) });
}

/** Name and description as nova validates them (both strings, 1-255 characters). */
export function checkGroupProperties(b: Record<string, unknown>): { readonly name: string; readonly description: string } {
  const check = (key: string) => {
    const v = b[key];
    if (typeof v !== 'string') throw badRequest(`Security group ${key} is not a string or unicode`);
    if (v.trim() === '') throw badRequest(`Security group ${key} should not be empty.`);
    if (v.length > 255) throw badRequest(`Security group ${key} should not be greater than 255 characters.`);
    return v;
  };
  return { name: check('name'), description: check('description') };
}

async function create(c: NovaCall): Promise<SimReply> {
  gate(c, 'proxy');
  const b = await bodyOf(c, 'security_group');
  const { name, description } = checkGroupProperties(b);
  if (c.profile.neutron) return proxy.create(c, name, description);
  const { store } = c;
  ensureNovaDefaultGroup(store, c.projectId, c.auth.userId);
  if (store.novaSecurityGroups.find((g) => g.projectId === c.projectId && g.name === name)) throw badRequest(`Security group ${name} already exists`);
  const limit = limitsOf(store, c.projectId)['security_groups'] ?? 10;
  if (limit >= 0 && store.novaSecurityGroups.filter((g) => g.projectId === c.projectId).length >= limit) throw forbidden('Quota exceeded, too many security groups.');
  const g = store.novaSecurityGroups.insert({ id: store.ids.next('security_group'), name, description, projectId: c.projectId, userId: c.auth.userId, rules: [] });
  return json(200, { security_group: groupView(c, g) });
}

function remove(c: NovaCall): SimReply {
  gate(c, 'proxy');
  if (c.profile.neutron) return proxy.remove(c);
  const g = groupOf(c, c.req.params['id']);
  if (g.name === 'default') throw badRequest("Unable to delete system group 'default'");
  if (c.store.servers.find((s) => s.projectId === g.projectId && s.securityGroups.includes(g.name))) throw badRequest('Security group is still in use');
  c.store.novaSecurityGroups.delete(g.id);
  return empty(202);
}

/** Protocol and ports as nova-network checks them (tcp/udp 1-65535 with from <= to, icmp -1..255). */
export function checkRule(b: Record<string, unknown>): { readonly protocol: string | null; readonly from: number | null; readonly to: number | null } {
  const raw = b['ip_protocol'];
  if (raw === undefined || raw === null || raw === '') return { protocol: null, from: null, to: null };
  const protocol = String(raw).toLowerCase();
  if (!['tcp', 'udp', 'icmp'].includes(protocol)) throw badRequest(`Invalid IP protocol ${String(raw)}.`);
  const from = Number(b['from_port']);
  const to = Number(b['to_port']);
  if (!Number.isInteger(from) || !Number.isInteger(to)) throw badRequest(`Invalid port range ${String(b['from_port'])}:${String(b['to_port'])}. Ports must be integers.`);
  if (protocol === 'icmp') {
    if (from < -1 || from > 255 || to < -1 || to > 255) throw badRequest(`Invalid port range ${from}:${to}. For ICMP, the type:code must be valid`);
  } else if (from < 1 || to > 65535 || from > to) {
    throw badRequest(`Invalid port range ${from}:${to}. Valid ${protocol.toUpperCase()} ports should be between 1-65535`);
  }
  return { protocol, from, to };
}

/** `POST /os-security-group-rules`: `cidr` (default 0.0.0.0/0) or `group_id` of the same project; a duplicate is a 400. */
async function createRule(c: NovaCall): Promise<SimReply> {
  gate(c, 'proxy');
  const b = await bodyOf(c, 'security_group_rule');
  const cidr = str(b['cidr']);
  if (cidr !== undefined && cidr !== '') {
    try {
      parseCidr(cidr);
    } catch {
      if (!cidr.includes(':')) throw badRequest(`Invalid cidr ${cidr}.`);
    }
  }
  const rule = checkRule(b);
  if (c.profile.neutron) return proxy.createRule(c, b, rule, cidr);
  const parent = groupOf(c, String(b['parent_group_id'] ?? ''));
  const groupIdRaw = b['group_id'];
  let groupId: number | null = null;
  if (groupIdRaw !== undefined && groupIdRaw !== null && groupIdRaw !== '') groupId = groupOf(c, String(groupIdRaw)).id;
  const fields = { ipProtocol: rule.protocol, fromPort: rule.from, toPort: rule.to, cidr: groupId === null ? cidr || '0.0.0.0/0' : null, groupId };
  if (parent.rules.some((r) => r.ipProtocol === fields.ipProtocol && r.fromPort === fields.fromPort && r.toPort === fields.toPort && r.cidr === fields.cidr && r.groupId === fields.groupId)) {
    throw badRequest(`This rule already exists in group ${parent.id}`);
  }
  const limit = limitsOf(c.store, parent.projectId)['security_group_rules'] ?? 20;
  if (limit >= 0 && parent.rules.length >= limit) throw forbidden('Quota exceeded, too many security group rules.');
  const r: NovaSecurityGroupRule = { id: c.store.ids.next('security_group_rule'), parentGroupId: parent.id, ...fields };
  parent.rules.push(r);
  return json(200, { security_group_rule: ruleView(c, r) });
}

function removeRule(c: NovaCall): SimReply {
  gate(c, 'proxy');
  if (c.profile.neutron) return proxy.removeRule(c);
  const id = Number(c.req.params['id']);
  for (const g of c.store.novaSecurityGroups.values()) {
    if (!c.auth.isAdmin && g.projectId !== c.projectId) continue;
    const i = g.rules.findIndex((r) => r.id === id);
    if (i < 0) continue;
    g.rules.splice(i, 1);
    return empty(202);
  }
  throw notFound(`Rule (${c.req.params['id']}) not found`);
}

/** `addSecurityGroup {"name"}`: a group of the TOKEN's project joins the server (Neutron: its ports). */
export const addSecurityGroup: ServerAction = (c, s, arg) => {
  const name = str(((arg ?? {}) as Record<string, unknown>)['name']);
  if (!name) throw badRequest('Missing parameter dict');
  if (c.profile.neutron) return proxy.addToServer(c, s, name);
  const g = c.store.novaSecurityGroups.find((x) => x.projectId === c.projectId && x.name === name);
  if (!g) throw notFound(`Security group ${name} not found for project ${c.projectId}.`);
  if (s.securityGroups.includes(name)) throw badRequest(`Security group ${name} is already associated with the instance ${s.id}`);
  s.securityGroups = [...s.securityGroups, name];
  return empty(202);
};

export const removeSecurityGroup: ServerAction = (c, s, arg) => {
  const name = str(((arg ?? {}) as Record<string, unknown>)['name']);
  if (!name) throw badRequest('Missing parameter dict');
  if (c.profile.neutron) return proxy.removeFromServer(c, s, name);
  if (!c.store.novaSecurityGroups.find((x) => x.projectId === c.projectId && x.name === name)) throw notFound(`Security group ${name} not found for project ${c.projectId}.`);
  if (!s.securityGroups.includes(name)) throw badRequest(`Security group ${name} not associated with the instance ${s.id}`);
  s.securityGroups = s.securityGroups.filter((n) => n !== name);
  return empty(202);
};

/** os-security-groups and os-security-group-rules: nova-network's own, or proxied to Neutron (legacy-apis.md §2.7). */
export function securityGroupRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-security-groups', auth: 'token', handler: list },
    { method: 'POST', path: '/os-security-groups', auth: 'token', handler: create },
    { method: 'GET', path: '/os-security-groups/{id}', auth: 'token', handler: show },
    { method: 'DELETE', path: '/os-security-groups/{id}', auth: 'token', handler: remove },
    { method: 'POST', path: '/os-security-group-rules', auth: 'token', handler: createRule },
    { method: 'DELETE', path: '/os-security-group-rules/{id}', auth: 'token', handler: removeRule },
  ];
}
