import { notFound, type SimHttpError } from '../../http/errors.js';
import type { FloatingIpRecord, NetworkRecord, PortRecord, RouterRecord, SecurityGroupRecord, SecurityGroupRuleRecord, SubnetRecord } from '../../store/types/network.js';
import { policy, type NeutronCall } from './call.js';
import { grantedTo } from './rbac-records.js';

/** Neutron's 404s, word for word as Zed sends them. */
export const notFoundOf = {
  network: (id: string): SimHttpError => notFound(`Network ${id} could not be found.`, 'NetworkNotFound'),
  subnet: (id: string): SimHttpError => notFound(`Subnet ${id} could not be found.`, 'SubnetNotFound'),
  port: (id: string): SimHttpError => notFound(`Port ${id} could not be found.`, 'PortNotFound'),
  router: (id: string): SimHttpError => notFound(`Router ${id} could not be found`, 'RouterNotFound'),
  floatingip: (id: string): SimHttpError => notFound(`Floating IP ${id} could not be found`, 'FloatingIPNotFound'),
  securityGroup: (id: string): SimHttpError => notFound(`Security group ${id} does not exist`, 'SecurityGroupNotFound'),
  rule: (id: string): SimHttpError => notFound(`Security group rule ${id} does not exist`, 'SecurityGroupRuleNotFound'),
};

// Visibility: what a non-admin caller may see (admins see every project's objects).

export const networkVisible = (c: NeutronCall, n: NetworkRecord): boolean => c.isAdmin || n.projectId === c.projectId || grantedTo(c.store, n, c.projectId);

export function subnetVisible(c: NeutronCall, s: SubnetRecord): boolean {
  if (c.isAdmin || s.projectId === c.projectId) return true;
  const n = c.store.networks.get(s.networkId);
  return n !== undefined && grantedTo(c.store, n, c.projectId);
}

export function portVisible(c: NeutronCall, p: PortRecord): boolean {
  return c.isAdmin || p.projectId === c.projectId || c.store.networks.get(p.networkId)?.projectId === c.projectId;
}

export const ownerVisible = (c: NeutronCall, r: { readonly projectId: string }): boolean => c.isAdmin || r.projectId === c.projectId;

export function ruleVisible(c: NeutronCall, r: SecurityGroupRuleRecord): boolean {
  return c.isAdmin || r.projectId === c.projectId || c.store.securityGroups.get(r.securityGroupId)?.projectId === c.projectId;
}

function lookup<T>(row: T | undefined, visible: boolean, miss: () => SimHttpError): T {
  if (row === undefined || !visible) throw miss();
  return row;
}

export function networkOf(c: NeutronCall, id: string | undefined): NetworkRecord {
  const n = id === undefined ? undefined : c.store.networks.get(id);
  return lookup(n, n !== undefined && networkVisible(c, n), () => notFoundOf.network(id ?? ''));
}

export function subnetOf(c: NeutronCall, id: string | undefined): SubnetRecord {
  const s = id === undefined ? undefined : c.store.subnets.get(id);
  return lookup(s, s !== undefined && subnetVisible(c, s), () => notFoundOf.subnet(id ?? ''));
}

export function portOf(c: NeutronCall, id: string | undefined): PortRecord {
  const p = id === undefined ? undefined : c.store.ports.get(id);
  return lookup(p, p !== undefined && portVisible(c, p), () => notFoundOf.port(id ?? ''));
}

export function routerOf(c: NeutronCall, id: string | undefined): RouterRecord {
  const r = id === undefined ? undefined : c.store.routers.get(id);
  return lookup(r, r !== undefined && ownerVisible(c, r), () => notFoundOf.router(id ?? ''));
}

export function floatingIpOf(c: NeutronCall, id: string | undefined): FloatingIpRecord {
  const f = id === undefined ? undefined : c.store.floatingIps.get(id);
  return lookup(f, f !== undefined && ownerVisible(c, f), () => notFoundOf.floatingip(id ?? ''));
}

export function groupOf(c: NeutronCall, id: string | undefined): SecurityGroupRecord {
  const g = id === undefined ? undefined : c.store.securityGroups.get(id);
  return lookup(g, g !== undefined && ownerVisible(c, g), () => notFoundOf.securityGroup(id ?? ''));
}

export function ruleOf(c: NeutronCall, id: string | undefined): SecurityGroupRuleRecord {
  const r = id === undefined ? undefined : c.store.securityGroupRules.get(id);
  return lookup(r, r !== undefined && ruleVisible(c, r), () => notFoundOf.rule(id ?? ''));
}

/**
 * Changing an object the caller can see but does not own (a shared network, an external
 * subnet) is a policy 403, not a 404: Neutron hides only what the caller cannot read.
 */
export function requireOwner(c: NeutronCall, r: { readonly projectId: string }, action: string, alsoAllowed = false): void {
  if (!c.isAdmin && r.projectId !== c.projectId && !alsoAllowed) throw policy(action);
}
