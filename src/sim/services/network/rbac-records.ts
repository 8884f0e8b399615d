import type { SimStore } from '../../store/store.js';
import type { NetworkRecord, RbacPolicyRecord } from '../../store/types/network.js';

/**
 * The RBAC policies of networks, and how they stay in step with the networks' `shared` and
 * `router:external` flags. The flags remain the truth for "everyone" (Nova, the legacy
 * profiles and the generator read and write them); the `*` policies mirror them, as Neutron's
 * `create_network_db` / `_process_l3_create` make them. Policies for one project exist only
 * as records.
 */

export type RbacAction = RbacPolicyRecord['action'];

/**
 * The policies on an object, from an index the store keeps until anything changes. For
 * readers (visibility, rendering); every table insert or delete moves the store's count, so a
 * writer's own policy edits are seen too.
 */
export function policiesOn(store: SimStore, objectId: string): readonly RbacPolicyRecord[] {
  if (store.rbacPolicies.size === 0) return [];
  return store.derived('network/rbac-by-object', () => groupByObject(store.rbacPolicies.values())).get(objectId) ?? [];
}

/** Whether the project may use the network as if it were its own (Neutron's `_is_network_shared`). */
export function sharedWith(store: SimStore, n: NetworkRecord, projectId: string): boolean {
  return n.shared || policiesOn(store, n.id).some((p) => p.action === 'access_as_shared' && p.targetTenant === projectId);
}

/**
 * Whether any policy lets the project see the network: shared or external, to it or to
 * everyone (the network query hooks of db_base_plugin_v2 and external_net_db).
 */
export function grantedTo(store: SimStore, n: NetworkRecord, projectId: string): boolean {
  return n.shared || n.external || policiesOn(store, n.id).some((p) => p.targetTenant === projectId);
}

export function addPolicy(store: SimStore, p: Omit<RbacPolicyRecord, 'id'>): RbacPolicyRecord {
  return store.rbacPolicies.insert({ id: store.ids.uuid(), ...p });
}

const wildcard = (n: NetworkRecord, action: RbacAction): Omit<RbacPolicyRecord, 'id'> => ({ objectType: 'network', objectId: n.id, action, targetTenant: '*', projectId: n.projectId });

/**
 * Makes the `*` policies match the flags (after a network create or update): shared adds or
 * drops the `*` shared one; external adds a `*` one unless some project already has access
 * (a network made external by a policy for one project stays so), not external drops them all.
 */
export function policiesFromFlags(store: SimStore, n: NetworkRecord, on: readonly RbacPolicyRecord[] = store.rbacPolicies.filter((p) => p.objectId === n.id)): void {
  const star = on.find((p) => p.action === 'access_as_shared' && p.targetTenant === '*');
  if (n.shared && !star) addPolicy(store, wildcard(n, 'access_as_shared'));
  if (!n.shared && star) store.rbacPolicies.delete(star.id);
  const external = on.filter((p) => p.action === 'access_as_external');
  if (n.external && external.length === 0) addPolicy(store, wildcard(n, 'access_as_external'));
  if (!n.external) for (const p of external) store.rbacPolicies.delete(p.id);
}

/**
 * Sets the flags from the policies (after a policy create, update or delete): shared while a
 * `*` shared policy exists; external while any external policy does (Neutron makes a network
 * external for a policy to one project, and internal again when its last one goes).
 */
export function flagsFromPolicies(store: SimStore, n: NetworkRecord): void {
  const on = store.rbacPolicies.filter((p) => p.objectId === n.id);
  n.shared = on.some((p) => p.action === 'access_as_shared' && p.targetTenant === '*');
  n.external = on.some((p) => p.action === 'access_as_external');
}

/** Deletes every policy on an object (its network is gone). */
export function dropPolicies(store: SimStore, objectId: string): void {
  for (const p of store.rbacPolicies.filter((x) => x.objectId === objectId)) store.rbacPolicies.delete(p.id);
}

/**
 * Brings the policies in step with networks written without Neutron's API (bootstrap's
 * `public`, the generator, tests editing the store): `*` policies for their flags, none for
 * networks that are gone. Run before every RBAC request, so those networks need no hook.
 */
export function reconcile(store: SimStore): void {
  const byObject = groupByObject(store.rbacPolicies.values());
  for (const [objectId, list] of byObject) {
    if (!store.networks.has(objectId)) for (const p of list) store.rbacPolicies.delete(p.id);
  }
  for (const n of store.networks.values()) {
    const on = byObject.get(n.id);
    if (on || n.shared || n.external) policiesFromFlags(store, n, on ?? []);
  }
}

function groupByObject(rows: Iterable<RbacPolicyRecord>): Map<string, RbacPolicyRecord[]> {
  const m = new Map<string, RbacPolicyRecord[]>();
  for (const p of rows) {
    const l = m.get(p.objectId);
    if (l) l.push(p);
    else m.set(p.objectId, [p]);
  }
  return m;
}
