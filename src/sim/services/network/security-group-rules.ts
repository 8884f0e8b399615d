import { badRequest, conflict } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { SecurityGroupRuleRecord } from '../../store/types/network.js';
import { CREATE_ONLY, describedAttrs, int, ownerFor, readOnly, REQUIRED, resourceBody, tenantAttrs, text, type AttributeTable, type NeutronCall, type NeutronRoute } from './call.js';
import { renderContext, render } from './fields.js';
import { parseCidrAny } from './ip.js';
import { listReply } from './listing.js';
import { groupOf, notFoundOf, ruleOf, ruleVisible } from './lookup.js';
import { checkQuota } from './quotas.js';
import { ruleFields } from './render.js';
import { forget } from './standard-attrs.js';

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  return {
    ...readOnly('id'),
    security_group_id: REQUIRED,
    direction: REQUIRED,
    ethertype: CREATE_ONLY,
    protocol: CREATE_ONLY,
    port_range_min: CREATE_ONLY,
    port_range_max: CREATE_ONLY,
    remote_ip_prefix: CREATE_ONLY,
    remote_group_id: CREATE_ONLY,
    ...tenantAttrs(p),
    ...(p.neutronModernApi ? { ...describedAttrs(p), description: CREATE_ONLY, remote_address_group_id: CREATE_ONLY, ...readOnly('normalized_cidr') } : {}),
  };
}

/** Protocol names Neutron knows, with their IANA numbers (used to spot duplicates like `tcp` / `6`). */
const LEGACY_PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1 };
const MODERN_PROTOCOLS: Readonly<Record<string, number>> = {
  ...LEGACY_PROTOCOLS, ah: 51, dccp: 33, egp: 8, esp: 50, gre: 47, icmpv6: 58, igmp: 2, ipip: 4, 'ipv6-encap': 41, 'ipv6-frag': 44, 'ipv6-icmp': 58,
  'ipv6-nonxt': 59, 'ipv6-opts': 60, 'ipv6-route': 43, ospf: 89, pgm: 113, rsvp: 46, sctp: 132, udplite: 136, vrrp: 112,
};

const reply = (c: NeutronCall, status: number, r: SecurityGroupRuleRecord) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return json(status, { security_group_rule: render(ruleFields(ctx, false), r, ctx) });
};

function listRules(c: NeutronCall): SimReply {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return listReply(c, {
    collection: 'security_group_rules', urlPath: '/v2.0/security-group-rules', rows: c.store.securityGroupRules.values(), visible: (r) => ruleVisible(c, r),
    fields: ruleFields(ctx, false), ctx, notFound: notFoundOf.rule, exists: (id) => c.store.securityGroupRules.has(id),
  });
}

function oneOf(c: NeutronCall, name: string, v: unknown, allowed: readonly string[]): string {
  if (typeof v === 'string' && allowed.includes(v)) return v;
  const reason = c.profile.neutronModernApi ? `${String(v)} is not in valid_values` : `'${String(v)}' is not in [${allowed.map((a) => `'${a}'`).join(', ')}]`;
  throw badRequest(`Invalid input for ${name}. Reason: ${reason}.`);
}

/** `tcp`, `6`, 6 or null; anything else is a 400 listing what is supported. */
function protocolOf(c: NeutronCall, v: unknown): string | null {
  if (v === undefined || v === null || v === '' || (c.profile.neutronModernApi && v === 'any')) return null;
  const known = c.profile.neutronModernApi ? MODERN_PROTOCOLS : LEGACY_PROTOCOLS;
  const s = String(v).toLowerCase();
  if (s in known) return s;
  if (/^\d+$/.test(s) && Number(s) <= 255) return s;
  throw badRequest(`Security group rule protocol ${String(v)} not supported. Only protocol values [${Object.keys(known).map((k) => `'${k}'`).join(', ')}, None] and integer representations [0 to 255] are supported.`, 'SecurityGroupRuleInvalidProtocol');
}

const protocolNumber = (c: NeutronCall, p: string | null): string | null => (p === null ? null : String((c.profile.neutronModernApi ? MODERN_PROTOCOLS : LEGACY_PROTOCOLS)[p] ?? p));
const optInt = (name: string, v: unknown) => (v === undefined || v === null ? null : int(name, v));

function checkPorts(protocolNum: string | null, min: number | null, max: number | null): void {
  if (min === null && max === null) return;
  if (protocolNum === null) throw badRequest('Must also specify protocol if port range is given.', 'SecurityGroupProtocolRequiredWithPorts');
  if (['6', '17', '33', '132', '136'].includes(protocolNum)) {
    for (const port of [min, max]) if (port !== null && (port < 1 || port > 65535)) throw badRequest(`Invalid value for port ${port}.`, 'SecurityGroupInvalidPortValue');
    if (min !== null && max !== null && min > max) throw badRequest('For TCP/UDP protocols, port_range_min must be <= port_range_max', 'SecurityGroupInvalidPortRange');
  } else if (['1', '58'].includes(protocolNum)) {
    if (min !== null && (min < 0 || min > 255)) throw badRequest(`Invalid value for ICMP port_range_min: ${min}`, 'SecurityGroupInvalidIcmpValue');
    if (max !== null && (max < 0 || max > 255)) throw badRequest(`Invalid value for ICMP port_range_max: ${max}`, 'SecurityGroupInvalidIcmpValue');
    if (min === null && max !== null) throw badRequest(`ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`, 'SecurityGroupMissingIcmpType');
  }
}

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'security_group_rule', attributes(c), 'create');
  const group = groupOf(c, String(b['security_group_id']));
  const direction = oneOf(c, 'direction', b['direction'], ['ingress', 'egress']) as SecurityGroupRuleRecord['direction'];
  const ethertype = (b['ethertype'] === undefined ? 'IPv4' : oneOf(c, 'ethertype', b['ethertype'], ['IPv4', 'IPv6'])) as SecurityGroupRuleRecord['ethertype'];
  const protocol = protocolOf(c, b['protocol']);
  const min = optInt('port_range_min', b['port_range_min']);
  const max = optInt('port_range_max', b['port_range_max']);
  checkPorts(protocolNumber(c, protocol), min, max);
  const prefix = b['remote_ip_prefix'] === undefined || b['remote_ip_prefix'] === null ? null : text('remote_ip_prefix', b['remote_ip_prefix']);
  const remoteGroup = b['remote_group_id'] === undefined || b['remote_group_id'] === null ? null : text('remote_group_id', b['remote_group_id']);
  if (prefix !== null && remoteGroup !== null) {
    throw badRequest(
      c.profile.neutronModernApi ? 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.' : 'Only remote_ip_prefix or remote_group_id may be provided.',
      'SecurityGroupMultipleRemoteEntites',
    );
  }
  const cidr = prefix === null ? undefined : parseCidrAny(prefix.includes('/') ? prefix : `${prefix}/${prefix.includes(':') ? 128 : 32}`);
  if (prefix !== null && !cidr) throw badRequest(`Invalid input for remote_ip_prefix. Reason: '${prefix}' is not a valid IP subnet.`);
  if (cidr && `IPv${cidr.version}` !== ethertype) throw badRequest(`Conflicting value ethertype ${ethertype} for CIDR ${prefix}`, 'SecurityGroupRuleParameterConflict');
  if (remoteGroup !== null) groupOf(c, remoteGroup);
  const projectId = ownerFor(c, b);
  const same = (r: SecurityGroupRuleRecord) =>
    r.securityGroupId === group.id && r.direction === direction && r.ethertype === ethertype && protocolNumber(c, r.protocol) === protocolNumber(c, protocol) &&
    r.portRangeMin === min && r.portRangeMax === max && r.remoteGroupId === remoteGroup &&
    (r.remoteIpPrefix === null ? null : (parseCidrAny(r.remoteIpPrefix)?.text ?? r.remoteIpPrefix)) === (cidr?.text ?? null);
  const dup = c.store.securityGroupRules.find(same);
  if (dup) throw conflict(`Security group rule already exists. Rule id is ${dup.id}.`, 'SecurityGroupRuleExists');
  checkQuota(c, 'security_group_rule', projectId);
  const rule = c.store.securityGroupRules.insert({
    id: c.store.ids.uuid(), securityGroupId: group.id, direction, ethertype, protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix: prefix,
    remoteGroupId: remoteGroup, projectId, description: b['description'] === undefined ? '' : text('description', b['description']),
  });
  return reply(c, 201, rule);
}

function remove(c: NeutronCall): SimReply {
  const r = ruleOf(c, c.req.params['id']);
  c.store.securityGroupRules.delete(r.id);
  forget(c.store, r.id);
  return empty(204);
}

export function securityGroupRuleRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/security-group-rules', handler: listRules },
    { method: 'POST', path: '/security-group-rules', handler: create },
    { method: 'GET', path: '/security-group-rules/{id}', handler: (c) => reply(c, 200, ruleOf(c, c.req.params['id'])) },
    { method: 'DELETE', path: '/security-group-rules/{id}', handler: remove },
  ];
}
