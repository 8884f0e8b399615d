import type { SimStore } from '../../store/store.js';
import type { SecurityGroupRecord } from '../../store/types/network.js';

/**
 * A project's `default` security group, made the way Neutron makes it the first time the
 * project needs one (listing its groups, creating a group, a network or a port:
 * `_ensure_default_security_group`): egress anywhere over IPv4 and IPv6, ingress from members
 * of the group itself over both. Neutron keeps it after the project is deleted (DESIGN §8), so
 * nothing here looks at whether the project still exists. Returns the existing one when there
 * is one; no group for an empty project id (a token without a project).
 */
export function ensureDefaultGroup(store: SimStore, projectId: string): SecurityGroupRecord | undefined {
  if (projectId === '') return undefined;
  const found = store.securityGroups.find((g) => g.projectId === projectId && g.name === 'default');
  if (found) return found;
  const g = store.securityGroups.insert({ id: store.ids.uuid(), name: 'default', description: 'Default security group', projectId, createdAt: store.now() });
  for (const [direction, ethertype] of [['egress', 'IPv4'], ['egress', 'IPv6'], ['ingress', 'IPv4'], ['ingress', 'IPv6']] as const) {
    store.securityGroupRules.insert({
      id: store.ids.uuid(), securityGroupId: g.id, direction, ethertype, protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null,
      remoteGroupId: direction === 'ingress' ? g.id : null, projectId, description: null,
    });
  }
  return g;
}

/** Every new group's rules: egress anywhere over IPv4 and IPv6. */
export function addEgressRules(store: SimStore, group: SecurityGroupRecord): void {
  for (const ethertype of ['IPv4', 'IPv6'] as const) {
    store.securityGroupRules.insert({
      id: store.ids.uuid(), securityGroupId: group.id, direction: 'egress', ethertype, protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null,
      remoteGroupId: null, projectId: group.projectId, description: null,
    });
  }
}
