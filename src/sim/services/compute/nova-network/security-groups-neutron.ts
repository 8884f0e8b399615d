import { badRequest, notFound } from '../../../http/errors.js';
import { empty, json, type SimReply } from '../../../http/reply.js';
import type { ServerRecord } from '../../../store/types/compute.js';
import type { SecurityGroupRecord, SecurityGroupRuleRecord } from '../../../store/types/network.js';
import type { NovaCall } from '../context.js';
import { ensureNeutronDefaultGroup } from '../security-group-lookup.js';

/**
 * Nova's security-group proxy on Neutron clouds (`neutron_driver.py`): uuid ids, ingress rules
 * only, a rule without ports on tcp/udp shown as 1-65535 (icmp -1), a remote group as `group`.
 */
function ruleView(c: NovaCall, r: SecurityGroupRuleRecord): Record<string, unknown> {
  let from = r.portRangeMin;
  let to = r.portRangeMax;
  if (r.protocol && from === null && to === null) [from, to] = ['tcp', 'udp'].includes(r.protocol.toLowerCase()) ? [1, 65535] : [-1, -1];
  const remote = r.remoteGroupId ? c.store.securityGroups.get(r.remoteGroupId) : undefined;
  return {
    id: r.id, parent_group_id: r.securityGroupId, ip_protocol: r.protocol, from_port: from, to_port: to,
    ip_range: r.remoteGroupId ? {} : { cidr: r.remoteIpPrefix ?? (r.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0') },
    group: remote ? { name: remote.name, tenant_id: remote.projectId } : {},
  };
}

function groupView(c: NovaCall, g: SecurityGroupRecord): Record<string, unknown> {
  const rules = c.store.securityGroupRules.filter((r) => r.securityGroupId === g.id && r.direction === 'ingress');
  return { id: g.id, name: g.name, description: g.description, tenant_id: g.projectId, rules: rules.map((r) => ruleView(c, r)) };
}

function groupOf(c: NovaCall, id: string | undefined): SecurityGroupRecord {
  const g = id === undefined ? undefined : c.store.securityGroups.get(id);
  if (!g || (!c.auth.isAdmin && g.projectId !== c.projectId)) throw notFound(`Security group ${id} not found.`);
  return g;
}

export function list(c: NovaCall, all: boolean): SimReply {
  ensureNeutronDefaultGroup(c.store, c.projectId);
  const groups = c.store.securityGroups.filter((g) => all || g.projectId === c.projectId);
  return json(200, { security_groups: groups.map((g) => groupView(c, g)) });
}

export function show(c: NovaCall): SimReply {
  return json(200, { security_group: groupView(c, groupOf(c, c.req.params['id'])) });
}

/** A Neutron group with the two egress rules Neutron gives every new group. */
export function create(c: NovaCall, name: string, description: string): SimReply {
  const { store } = c;
  ensureNeutronDefaultGroup(store, c.projectId);
  const g = store.securityGroups.insert({ id: store.ids.uuid(), name, description, projectId: c.projectId, createdAt: store.now() });
  for (const ethertype of ['IPv4', 'IPv6'] as const) {
    store.securityGroupRules.insert({
      id: store.ids.uuid(), securityGroupId: g.id, direction: 'egress', ethertype, protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null,
      projectId: c.projectId, description: '',
    });
  }
  return json(200, { security_group: groupView(c, g) });
}

export function remove(c: NovaCall): SimReply {
  const g = groupOf(c, c.req.params['id']);
  if (g.name === 'default') throw badRequest('Insufficient rights for removing default security group.');
  if (c.store.ports.find((p) => p.securityGroups.includes(g.id))) throw badRequest(`Security Group ${g.id} in use.`);
  for (const r of c.store.securityGroupRules.filter((x) => x.securityGroupId === g.id)) c.store.securityGroupRules.delete(r.id);
  c.store.securityGroups.delete(g.id);
  return empty(202);
}

export function createRule(c: NovaCall, b: Record<string, unknown>, rule: { protocol: string | null; from: number | null; to: number | null }, cidr: string | undefined): SimReply {
  const parent = groupOf(c, String(b['parent_group_id'] ?? ''));
  const remoteRaw = b['group_id'];
  const remote = remoteRaw !== undefined && remoteRaw !== null && remoteRaw !== '' ? groupOf(c, String(remoteRaw)).id : null;
  const prefix = remote ? null : cidr || '0.0.0.0/0';
  const icmpAny = rule.protocol === 'icmp' && rule.from === -1;
  const fields = {
    protocol: rule.protocol, portRangeMin: icmpAny ? null : rule.from, portRangeMax: icmpAny || (rule.protocol === 'icmp' && rule.to === -1) ? null : rule.to,
    remoteIpPrefix: prefix, remoteGroupId: remote, ethertype: (prefix?.includes(':') ? 'IPv6' : 'IPv4') as 'IPv4' | 'IPv6',
  };
  const dup = c.store.securityGroupRules.find((r) =>
    r.securityGroupId === parent.id && r.direction === 'ingress' && r.protocol === fields.protocol && r.portRangeMin === fields.portRangeMin &&
    r.portRangeMax === fields.portRangeMax && r.remoteIpPrefix === fields.remoteIpPrefix && r.remoteGroupId === fields.remoteGroupId && r.ethertype === fields.ethertype);
  if (dup) throw badRequest(`Security group rule already exists. Rule id is ${dup.id}.`);
  const r = c.store.securityGroupRules.insert({ id: c.store.ids.uuid(), securityGroupId: parent.id, direction: 'ingress', ...fields, projectId: parent.projectId, description: '' });
  return json(200, { security_group_rule: ruleView(c, r) });
}

export function removeRule(c: NovaCall): SimReply {
  const id = c.req.params['id']!;
  const r = c.store.securityGroupRules.get(id);
  const parent = r ? c.store.securityGroups.get(r.securityGroupId) : undefined;
  if (!r || !parent || (!c.auth.isAdmin && parent.projectId !== c.projectId)) throw notFound(`Rule (${id}) not found`);
  c.store.securityGroupRules.delete(id);
  return empty(202);
}

function serverPorts(c: NovaCall, s: ServerRecord) {
  const ports = c.store.ports.filter((p) => p.deviceId === s.id && p.deviceOwner.startsWith('compute:'));
  if (ports.length === 0) throw badRequest(`Server ${s.id} has no ports`);
  return ports;
}

function projectGroup(c: NovaCall, name: string): SecurityGroupRecord {
  const g = c.store.securityGroups.get(name) ?? c.store.securityGroups.find((x) => x.projectId === c.projectId && x.name === name);
  if (!g || (g.projectId !== c.projectId && !c.auth.isAdmin)) throw notFound(`Security group ${name} not found.`);
  return g;
}

export function addToServer(c: NovaCall, s: ServerRecord, name: string): SimReply {
  const g = projectGroup(c, name);
  const ports = serverPorts(c, s);
  if (ports.every((p) => p.securityGroups.includes(g.id))) throw badRequest(`Security group ${name} is already associated with the instance ${s.id}`);
  for (const p of ports) if (!p.securityGroups.includes(g.id)) p.securityGroups.push(g.id);
  if (!s.securityGroups.includes(g.name)) s.securityGroups = [...s.securityGroups, g.name];
  return empty(202);
}

export function removeFromServer(c: NovaCall, s: ServerRecord, name: string): SimReply {
  const g = projectGroup(c, name);
  const ports = serverPorts(c, s);
  if (!ports.some((p) => p.securityGroups.includes(g.id))) throw badRequest(`Security group ${name} not associated with the instance ${s.id}`);
  for (const p of ports) p.securityGroups = p.securityGroups.filter((id) => id !== g.id);
  s.securityGroups = s.securityGroups.filter((n) => n !== g.name);
  return empty(202);
}
