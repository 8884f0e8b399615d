import type { Inventory, Port, Project, Server, User } from '../inventory/index.js';
import type { DriftItem } from '../plan/index.js';
import { plannerDesired, type PlannerDesired, type PlannerTenant } from './desired.js';
import { PlanDraft, type Handle } from './draft.js';
import { Memory } from './existing.js';
import { indexCloud, type CloudIndex } from './indexes.js';
import type { PlanInput } from './input.js';
import { sourceNet, type SourceNet } from './source-network.js';

/** A manifest tenant resolved to its source project. */
export interface TenantScope {
  readonly project: Project;
  /** Unique name used in addresses (`acme`, or `acme#1a2b3c4d` when names clash). */
  readonly name: string;
  /** `tenant[acme]`. */
  readonly address: string;
  readonly desired: PlannerTenant;
  /** Servers the manifest selects (all of the tenant's when it names none). */
  readonly servers: readonly Server[];
  /**
   * Those of `servers` that get a server action (ctx.migratedServers), in the same order;
   * filled by selectMigratable. The planners walk it instead of asking the set for each.
   */
  readonly migrated: Server[];
  /** The NIC ports (ctx.net.portsByServer) of each of `migrated`, at the same positions: looked up once. */
  readonly nics: (readonly Port[])[];
  /** The project action, set by the identity planner. */
  handle?: Handle;
}

/** A source user in scope. */
export interface UserScope {
  readonly user: User;
  readonly name: string;
  /** `user[alice]`. */
  readonly address: string;
  handle?: Handle;
}

/** Everything the kind planners share while one plan is assembled. */
export interface PlanContext {
  readonly input: PlanInput;
  readonly desired: PlannerDesired;
  readonly src: Inventory;
  readonly dst: Inventory;
  /** Source lookups. */
  readonly s: CloudIndex;
  /** Destination lookups. */
  readonly d: CloudIndex;
  /** The source's networking in Neutron terms (translated from nova-network if need be). */
  readonly net: SourceNet;
  readonly memory: Memory;
  readonly draft: PlanDraft;
  readonly drift: DriftItem[];
  readonly tenants: TenantScope[];
  readonly tenantByProject: Map<string, TenantScope>;
  readonly users: Map<string, UserScope>;
  /** Ids of the source servers that get a server action. */
  readonly migratedServers: Set<string>;
}

/** Indexes the inventories and state; scope is filled by resolveScope(). */
export function createContext(input: PlanInput): PlanContext {
  const s = indexCloud(input.source);
  return {
    input,
    desired: plannerDesired(input.desired, input.entries),
    src: input.source,
    dst: input.destination,
    s,
    d: indexCloud(input.destination),
    net: sourceNet(input.source, s),
    memory: new Memory(input.prior, input.destination),
    draft: new PlanDraft(input.spill),
    drift: [],
    tenants: [],
    tenantByProject: new Map(),
    users: new Map(),
    migratedServers: new Set(),
  };
}
