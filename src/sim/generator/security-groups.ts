import type { SimStore } from '../store/store.js';

/**
 * A tenant's security groups: `default`, `web` (ssh + http from anywhere, icmp) and `db`
 * (3306 from members of `web`: the group-reference rule a migration must translate).
 * Returns the group names and, on Neutron, their ids (for ports).
 */
export function tenantSecurityGroups(store: SimStore, projectId: string, userId: string): { readonly names: readonly string[]; readonly neutronIds: ReadonlyMap<string, string> } {
  const { ids } = store;
  if (!store.profile.neutron) {
    const def = store.novaSecurityGroups.insert({ id: ids.next('security_group'), name: 'default', description: 'default', projectId, userId, rules: [] });
    const web = store.novaSecurityGroups.insert({ id: ids.next('security_group'), name: 'web', description: 'web servers', projectId, userId, rules: [] });
    const rule = (parent: number, proto: string | null, from: number | null, to: number | null, cidr: string | null, groupId: number | null) => ({
      id: ids.next('security_group_rule'), parentGroupId: parent, ipProtocol: proto, fromPort: from, toPort: to, cidr, groupId,
    });
    web.rules.push(rule(web.id, 'tcp', 22, 22, '0.0.0.0/0', null), rule(web.id, 'tcp', 80, 80, '0.0.0.0/0', null), rule(web.id, 'icmp', -1, -1, '0.0.0.0/0', null));
    const db = store.novaSecurityGroups.insert({ id: ids.next('security_group'), name: 'db', description: 'databases', projectId, userId, rules: [] });
    db.rules.push(rule(db.id, 'tcp', 3306, 3306, null, web.id));
    void def;
    return { names: ['default', 'web', 'db'], neutronIds: new Map() };
  }
  const now = store.now();
  const out = new Map<string, string>();
  const group = (name: string, description: string) => {
    const g = store.securityGroups.insert({ id: ids.uuid(), name, description, projectId, createdAt: now });
    for (const ethertype of ['IPv4', 'IPv6'] as const) {
      store.securityGroupRules.insert({ id: ids.uuid(), securityGroupId: g.id, direction: 'egress', ethertype, protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null, projectId, description: '' });
    }
    out.set(name, g.id);
    return g;
  };
  const ingress = (groupId: string, protocol: string | null, min: number | null, max: number | null, prefix: string | null, remote: string | null, ethertype: 'IPv4' | 'IPv6' = 'IPv4') =>
    store.securityGroupRules.insert({ id: ids.uuid(), securityGroupId: groupId, direction: 'ingress', ethertype, protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix: prefix, remoteGroupId: remote, projectId, description: '' });
  const def = group('default', 'Default security group');
  ingress(def.id, null, null, null, null, def.id, 'IPv4');
  ingress(def.id, null, null, null, null, def.id, 'IPv6');
  const web = group('web', 'web servers');
  ingress(web.id, 'tcp', 22, 22, '0.0.0.0/0', null);
  ingress(web.id, 'tcp', 80, 80, '0.0.0.0/0', null);
  ingress(web.id, 'icmp', null, null, '0.0.0.0/0', null);
  const db = group('db', 'databases');
  ingress(db.id, 'tcp', 3306, 3306, null, web.id);
  return { names: ['default', 'web', 'db'], neutronIds: out };
}
