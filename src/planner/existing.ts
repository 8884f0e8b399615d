import { markerIndex, type Inventory, type MarkedObject } from '../inventory/index.js';
import type { ResourceKind } from '../plan/index.js';
import type { StateFile, StateObject } from '../state/types.js';

/**
 * What is already there for one source object, from the two places that remember a
 * migration: the prior state's id map and the source-id marker on destination objects.
 * - `ready`: state says done and the destination still has it -> no-op.
 * - `marked`: a destination object carries our marker but state does not say done (crash
 *   between create and journal, or a lost state) -> adopt it.
 * - `resume`: state says an action started or failed (`pending`/`tainted`); `destinationId`
 *   is the half-made copy when one is known -> redo the action, adopting what exists.
 * - `vanished`: state says done but the destination lost it (drift) -> make it again.
 * - `none`: never migrated.
 */
export type Existing =
  | { readonly state: 'ready'; readonly destinationId: string; readonly object: StateObject }
  | { readonly state: 'marked'; readonly destinationId: string }
  | { readonly state: 'resume'; readonly destinationId: string | null; readonly object: StateObject }
  | { readonly state: 'vanished'; readonly object: StateObject }
  | { readonly state: 'none' };

/** What most objects of a first plan resolve to: one shared answer, not one per action. */
const NOTHING_KNOWN: Existing = Object.freeze({ state: 'none' });

/** Whether an id of `kind` exists in the destination inventory. */
export type DestinationLookup = (kind: ResourceKind, destinationId: string) => boolean;

/** Prior state and destination markers, indexed once for the whole plan. */
export class Memory {
  // Kind -> source id -> record: no key string is made per lookup (one per planned object).
  private readonly byKind = new Map<string, Map<string, StateObject>>();
  private readonly markers = new Map<string, Map<string, MarkedObject>>();
  readonly exists: DestinationLookup;

  constructor(prior: StateFile | null, destination: Inventory) {
    for (const o of prior?.objects ?? []) {
      // The latest record wins if a hand-edited state holds two for one source object.
      inner(this.byKind, o.kind).set(o.source_id, o);
    }
    for (const m of markerIndex(destination).values()) inner(this.markers, m.marker.kind).set(m.marker.sourceId, m);
    this.exists = destinationLookup(destination);
  }

  /** The state record of (kind, source id), if any. */
  stateOf(kind: ResourceKind, sourceId: string): StateObject | undefined {
    return this.byKind.get(kind)?.get(sourceId);
  }

  /** The destination object marked with (kind, source id), if any. */
  markedOf(kind: ResourceKind, sourceId: string): MarkedObject | undefined {
    return this.markers.get(kind)?.get(sourceId);
  }

  /** Classifies (kind, source id); see Existing. */
  resolve(kind: ResourceKind, sourceId: string): Existing {
    const object = this.stateOf(kind, sourceId);
    const marked = this.markedOf(kind, sourceId);
    if (object && object.status === 'ready' && object.destination_id !== null) {
      if (this.exists(kind, object.destination_id)) {
        return { state: 'ready', destinationId: object.destination_id, object };
      }
      if (marked) return { state: 'marked', destinationId: marked.id };
      return { state: 'vanished', object };
    }
    if (object && (object.status === 'pending' || object.status === 'tainted')) {
      const half =
        object.destination_id !== null && this.exists(kind, object.destination_id)
          ? object.destination_id
          : (marked?.id ?? null);
      return { state: 'resume', destinationId: half, object };
    }
    if (marked) return { state: 'marked', destinationId: marked.id };
    return NOTHING_KNOWN;
  }
}

function inner<T>(outer: Map<string, Map<string, T>>, kind: string): Map<string, T> {
  let map = outer.get(kind);
  if (!map) {
    map = new Map();
    outer.set(kind, map);
  }
  return map;
}

/**
 * Builds the destination existence check. Link kinds without ids of their own use composite
 * ids, the same ones the planner writes as their source/destination ids:
 * role_assignment `user/role/project`, keypair `user/name`, flavor_access `flavor/project`,
 * router_interface `router/subnet`; quota and admin_membership use the project id,
 * password_hash and owner_keypairs the user id.
 */
export function destinationLookup(inv: Inventory): DestinationLookup {
  const sets = new Map<string, Set<string>>();
  const set = (kind: string, ids: Iterable<string>): void => {
    sets.set(kind, new Set(ids));
  };
  const projects = inv.projects.map((p) => p.id);
  const users = inv.users.map((u) => u.id);
  set('project', projects);
  set('quota', projects);
  set('admin_membership', projects);
  set('user', users);
  set('password_hash', users);
  set('owner_keypairs', users);
  set('role', inv.roles.map((r) => r.id));
  set('role_assignment', inv.roleAssignments.map((a) => `${a.userId}/${a.roleId}/${a.projectId}`));
  set('flavor', inv.flavors.map((f) => f.id));
  set('flavor_access', inv.flavors.flatMap((f) => f.access.map((p) => `${f.id}/${p}`)));
  set('keypair', inv.keypairs.map((k) => `${k.userId}/${k.name}`));
  set('security_group', inv.securityGroups.map((g) => g.id));
  set('security_group_rule', inv.securityGroups.flatMap((g) => g.rules.map((r) => r.id)));
  set('network', inv.networks.map((n) => n.id));
  set('subnet', inv.subnets.map((s) => s.id));
  set('router', inv.routers.map((r) => r.id));
  set('router_interface', inv.routers.flatMap((r) => r.interfaces.map((i) => `${r.id}/${i.subnetId}`)));
  set('rbac_policy', (inv.rbacPolicies ?? []).map((p) => p.id));
  set('port', inv.ports.map((p) => p.id));
  set('floating_ip', inv.floatingIps.map((f) => f.id));
  set('image', inv.images.map((i) => i.id));
  set('volume', inv.volumes.map((v) => v.id));
  set('server', inv.servers.map((s) => s.id));
  set('server_group', (inv.serverGroups ?? []).map((g) => g.id));
  return (kind, id) => sets.get(kind)?.has(id) ?? false;
}
