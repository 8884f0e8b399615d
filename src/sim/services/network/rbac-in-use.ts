import { conflict, type SimHttpError } from '../../http/errors.js';
import type { SimStore } from '../../store/store.js';
import type { NetworkRecord, RbacPolicyRecord } from '../../store/types/network.js';
import { invalidInput } from './call.js';

/**
 * What Neutron refuses when a project would lose access to a network it still uses: removing
 * or retargeting a policy (409 `RbacPolicyInUse`, from the plugins' RBAC callbacks) and
 * unsharing a network (409 `InvalidSharedSetting`, `_validate_shared_update`).
 */

const ML2_CALLBACK = 'neutron.plugins.ml2.plugin.NeutronDbPluginV2.validate_network_rbac_policy_change';

/**
 * A create refused by the ML2 plugin's RBAC callback: Neutron wraps the callback's failure in
 * a 400 `InvalidInput` naming the callback (Zed names three, each with a Python object id;
 * one without the id is enough here).
 */
export function callbackFailed(message: string): SimHttpError {
  return invalidInput(`Callback ${ML2_CALLBACK} failed with "${message}"`);
}

function inUse(objectId: string, details: string): SimHttpError {
  return conflict(`RBAC policy on object ${objectId} cannot be removed because other objects depend on it. Details: ${details}`, 'RbacPolicyInUse');
}

/**
 * Refuses the removal of `policy` (or the move of its target to `newTarget`) while the
 * project losing access has ports on the network (`access_as_shared`,
 * `ensure_no_tenant_ports_on_network`) or routers with their gateway on it
 * (`access_as_external`, `_validate_ext_not_in_use_by_tenant`). Real Neutron names each
 * failing callback (three times on Zed); one is enough here.
 */
export function checkPolicyRemoval(store: SimStore, n: NetworkRecord, policy: RbacPolicyRecord, newTarget?: string): void {
  if (newTarget === policy.targetTenant) return;
  const others = store.rbacPolicies.filter((p) => p.objectId === n.id && p.action === policy.action && p.id !== policy.id);
  if (policy.action === 'access_as_shared') {
    // Sharing with the owner grants nothing the owner lacks.
    if (policy.targetTenant === n.projectId) return;
    if (portsLeftWithout(store, n, policy, others)) {
      throw inUse(n.id, `Callback ${ML2_CALLBACK} failed with "Unable to reconfigure sharing settings for network ${n.id}. Multiple tenants are using it."`);
    }
    return;
  }
  if (routersLeftWithout(store, n, policy, others, newTarget)) {
    throw inUse(n.id, 'There are routers attached to this network that depend on this policy for access.');
  }
}

function portsLeftWithout(store: SimStore, n: NetworkRecord, policy: RbacPolicyRecord, others: readonly RbacPolicyRecord[]): boolean {
  const ports = store.ports.filter((p) => p.networkId === n.id);
  if (policy.targetTenant === '*') {
    const allowed = new Set([...others.map((p) => p.targetTenant), n.projectId]);
    return ports.some((p) => !allowed.has(p.projectId));
  }
  if (others.some((p) => p.targetTenant === '*')) return false;
  return ports.some((p) => p.projectId === policy.targetTenant);
}

function routersLeftWithout(store: SimStore, n: NetworkRecord, policy: RbacPolicyRecord, others: readonly RbacPolicyRecord[], newTarget: string | undefined): boolean {
  const routers = store.routers.filter((r) => r.gateway?.networkId === n.id);
  if (policy.targetTenant !== '*') {
    if (others.some((p) => p.targetTenant === '*')) return false;
    return routers.some((r) => r.projectId === policy.targetTenant);
  }
  // Neutron does not spare the network's owner here: its routers need an entry too.
  const allowed = new Set([...others.map((p) => p.targetTenant).filter((t) => t !== '*'), ...(newTarget === undefined ? [] : [newTarget])]);
  return routers.some((r) => !allowed.has(r.projectId));
}

/**
 * `shared` true -> false: refused while projects other than the owner have ports (other than
 * Neutron's own `network:*` ones) or subnets on the network and no policy of their own.
 */
export function checkUnshare(store: SimStore, n: NetworkRecord): void {
  const users = new Set<string>();
  for (const p of store.ports.values()) if (p.networkId === n.id && !p.deviceOwner.startsWith('network:')) users.add(p.projectId);
  for (const id of n.subnets) {
    const s = store.subnets.get(id);
    if (s) users.add(s.projectId);
  }
  const allowed = new Set(store.rbacPolicies.filter((p) => p.objectId === n.id && p.action === 'access_as_shared' && p.targetTenant !== '*').map((p) => p.targetTenant));
  allowed.add(n.projectId);
  if ([...users].some((u) => !allowed.has(u))) {
    throw conflict(`Unable to reconfigure sharing settings for network ${n.name}. Multiple tenants are using it.`, 'InvalidSharedSetting');
  }
}
