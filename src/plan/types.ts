/**
 * The plan data model: what the planner produces, what `show` renders and what apply walks.
 * A plan is a complete, self-describing record of every decision: apply never re-plans, it
 * only re-checks each action's preconditions and runs its steps (DESIGN.md §4-5).
 *
 * Everything here is plain JSON data (no classes, no Dates, no undefined inside arrays), so
 * that the canonical serialization in `write.ts` is a pure function of the value.
 */

/**
 * Every kind of object a plan can act on. An action's address ends with a segment named after
 * its kind (`...server[web-1]`), except projects, addressed `tenant[<name>]` in the
 * operator's word, and hosts, `host[<name>]` (kinds `host_evacuate`, `host_reassign`).
 */
export type ResourceKind =
  // identity
  | 'project'
  | 'user'
  | 'role'
  | 'role_assignment'
  | 'password_hash'
  // tenant settings
  | 'quota'
  | 'flavor'
  | 'flavor_access'
  | 'keypair'
  /**
   * All keypairs of one user on a legacy source (Nova below 2.10 shows them only to their
   * owner): listed as the owner at apply time, the missing ones imported for the user's copy.
   */
  | 'owner_keypairs'
  | 'security_group'
  | 'security_group_rule'
  // networking (destination is always Neutron; nova-network sources are translated)
  | 'network'
  | 'subnet'
  | 'router'
  | 'router_interface'
  /** A Neutron RBAC policy opening a network to another migrated project (Liberty+). */
  | 'rbac_policy'
  | 'port'
  | 'floating_ip'
  // data and compute
  | 'image'
  | 'volume'
  /** A Nova server group (affinity or anti-affinity) its migrated members boot into. */
  | 'server_group'
  | 'server'
  /** What happens to the source copy of a migrated server: keep, stop or delete it. */
  | 'source_after'
  // hosts
  /** Disable nova-compute on a source hypervisor and live-migrate what is left on it. */
  | 'host_evacuate'
  /** Move a freed bare-metal host from the source to the destination Fuel environment. */
  | 'host_reassign'
  /** Temporary admin role in a tenant so apply can act with a tenant-scoped token; revoked at the end. */
  | 'admin_membership';

/**
 * What an action does. Closed set; `ALLOWED_ACTIONS` in kinds.ts says which kind takes which.
 * - `create`: make the object in the destination from its source description.
 * - `update`: change an existing destination object in place to match.
 * - `delete`: remove an object (a source server after migration with `source_after: delete`,
 *   a destination object pumphouse made that is no longer wanted). Destructive.
 * - `migrate`: copy an object together with its data (image bits, volume bytes, server disk);
 *   multi-step, the heavy part of a plan.
 * - `adopt`: a matching destination object already exists (a half-made copy carrying our
 *   source-id marker, or Neutron's own `default` security group): record it, create nothing.
 * - `evacuate`: disable a source hypervisor and live-migrate the servers still on it.
 * - `reassign`: Fuel unassign + discover + assign + deploy of a host. Irreversible.
 * - `stop`: stop the source copy of a migrated server (`source_after: stop`).
 * - `grant` / `revoke`: the temporary `admin_membership` inside a tenant.
 * - `no-op`: the object is already as desired. Listed so the plan accounts for every object
 *   (`complete`); never counted as a change.
 */
export type ActionType =
  | 'create'
  | 'update'
  | 'delete'
  | 'migrate'
  | 'adopt'
  | 'evacuate'
  | 'reassign'
  | 'stop'
  | 'grant'
  | 'revoke'
  | 'no-op';

/** Which side an id, a precondition or drift belongs to. */
export type CloudSide = 'source' | 'destination' | 'fuel';

/** A plain JSON scalar. */
export type JsonScalar = string | number | boolean | null;

/**
 * A value that only exists once another action has run: its destination id, by default, or
 * another output it records (`field`, e.g. `fixed_ip`, `image_id`). Apply resolves it from
 * the id map in state.
 */
export interface ActionRef {
  readonly $ref: string;
  /** Output of the referenced action; default `id` (the destination id). */
  readonly field?: string;
}

/**
 * A secret apply fetches at run time; the plan never holds its value. Path grammar:
 * `<service>/<collection>/<source id>/<what>`, e.g. `keystone/user/<id>/password_hash`;
 * `<what>` may have further segments (`nova/server/<id>/metadata/db_password`) so that
 * user-supplied values under secret-looking keys can be referenced instead of copied.
 */
export interface SecretRef {
  readonly $secret: string;
}

/**
 * An attribute value in `before`/`after`: JSON, possibly holding refs. Object members may be
 * `undefined` for the planner's convenience; writePlan drops them (they never reach a file).
 */
export type AttributeValue =
  | JsonScalar
  | ActionRef
  | SecretRef
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue | undefined };

/** Attributes of one object, as the executor needs them to create or compare it. */
export type Attributes = { readonly [key: string]: AttributeValue | undefined };

/** Why an action is in the plan. `code` is stable (machine), `text` is for the reviewer. */
export interface Reason {
  readonly code: ReasonCode;
  readonly text: string;
}

/**
 * Stable reason codes. Renderers and scripts may branch on them; readers must tolerate codes
 * added by later minor versions (the schema accepts any snake_case word).
 */
export type ReasonCode =
  /** In the manifest, absent in the destination (and not in state). */
  | 'missing_in_destination'
  /** Present in the destination but differs from what the manifest and source say. */
  | 'differs_in_destination'
  /** The destination holds a copy carrying our source-id marker (crash during apply). */
  | 'found_half_made'
  /** The destination made its own equivalent (Neutron `default` security group, `_member_` role). */
  | 'exists_in_destination'
  /** Already migrated and unchanged. */
  | 'up_to_date'
  /** State says an earlier apply failed part-way on this object; it is redone. */
  | 'tainted_in_state'
  /** In state, no longer in the manifest: the destination copy goes. */
  | 'removed_from_manifest'
  /** The manifest says what to do with the source copy (`keep | stop | delete`). */
  | 'source_after_manifest'
  /** A host named in the manifest still runs servers in the source. */
  | 'host_not_empty'
  /** A host named in the manifest belongs to the source Fuel environment. */
  | 'host_in_source_environment'
  /** Apply needs a tenant-scoped token there (DESIGN.md §8, acting inside a tenant). */
  | 'needs_tenant_scope'
  /** The tenant-scoped work is done; the temporary grant goes. */
  | 'tenant_scope_done'
  /** A copied role assignment gives apply's user the tenant scope; no temporary grant. */
  | 'scope_from_copied_assignment'
  /** Required by a targeted object (`--target`), though not targeted itself. */
  | 'dependency_of_target'
  /** nova-network object translated into its Neutron equivalent. */
  | 'translated_from_nova_network';

/** Where an action's object lives in the source (or in Fuel, for hosts). */
export interface SourceObject {
  readonly cloud: 'source' | 'fuel';
  readonly id: string;
  readonly name: string;
}

/** The destination object; `id` is known only when it already exists (update, adopt, delete). */
export interface DestinationObject {
  readonly cloud?: 'destination' | 'fuel';
  readonly id?: string;
  readonly name: string;
}

/**
 * A fact the action was planned on; apply re-reads `ref` just before the action and refuses
 * (`PH_PRECONDITION_FAILED`, the action and its dependents are skipped) if it no longer holds.
 *
 * `ref` grammar: `<service>/<collection>/<id>` (e.g. `nova/servers/<id>`, `fuel/nodes/12`,
 * `keystone/projects/<id>`) or a lookup `<service>/<collection>?<key>=<value>` (e.g.
 * `keystone/projects?name=acme`, `nova/servers?pumphouse_source=<source id>`).
 */
export type Precondition =
  | {
      readonly cloud: CloudSide;
      readonly ref: string;
      /** The object exists and each listed field has exactly this value. */
      readonly must: 'match';
      readonly fields: { readonly [field: string]: JsonScalar };
    }
  | {
      readonly cloud: CloudSide;
      readonly ref: string;
      /** The object exists / does not exist (e.g. nothing took the name in the destination). */
      readonly must: 'present' | 'absent';
    };

/** What running the action costs or risks; the renderers list risky actions first. */
export interface Impact {
  /** Something a user sees stops for a while (a server cut-over, an evacuation). */
  readonly downtime: boolean;
  /** Deletes or overwrites data or an object somewhere. */
  readonly destructive: boolean;
  /** Cannot be undone by pumphouse (host reprovisioning wipes disks; deleting a source server). */
  readonly irreversible: boolean;
  /** Bytes to copy (images, volumes, server disks). */
  readonly bytes?: number;
  /** Expected wall time of the whole action, seconds. */
  readonly estimate_s?: number;
  /** Expected time the object is unavailable, seconds (only with `downtime`). */
  readonly downtime_s?: number;
}

/**
 * One node of the apply graph. `id` is deterministic (`actionId(address, action)`), never
 * random, so that the same inputs give the same plan bytes and `$ref`s are stable.
 */
export interface Action {
  readonly id: string;
  /** e.g. `tenant[acme].server[web-1]`, `host[node-12]`; see address.ts. */
  readonly address: string;
  readonly kind: ResourceKind;
  readonly action: ActionType;
  readonly reason: Reason;
  /** Ids of actions that must finish first. Sorted; no duplicates; no cycles. */
  readonly depends_on: readonly string[];
  /** Tenant (project) name the object belongs to; absent for global objects and hosts. */
  readonly tenant?: string;
  /** Hypervisor / Fuel node name, for hosts and for servers (their source host). */
  readonly host?: string;
  readonly source?: SourceObject;
  readonly destination?: DestinationObject;
  /** The destination object as observed (update/delete/adopt/no-op); null = it does not exist. */
  readonly before?: Attributes | null;
  /**
   * What the executor needs to create or update the object, with `$ref`s to other actions'
   * outputs and `$secret`s for secrets. Never a secret value (checked by readPlan/writePlan).
   */
  readonly after?: Attributes;
  readonly preconditions: readonly Precondition[];
  readonly impact: Impact;
  /** Ordered step names the executor journals one by one; see STANDARD_STEPS in kinds.ts. */
  readonly steps: readonly string[];
  /** Things the reviewer must know (e.g. a floating IP that changes address). */
  readonly warnings?: readonly string[];
}

/** Something changed outside pumphouse since the last apply (state vs fresh discovery). */
export interface DriftItem {
  readonly address: string;
  readonly kind: ResourceKind;
  readonly cloud: CloudSide;
  /** `changed`: attributes differ; `deleted`: gone; `appeared`: an unexpected object took its place. */
  readonly change: 'changed' | 'deleted' | 'appeared';
  /** Attribute names that differ (for `changed`). */
  readonly fields?: readonly string[];
  readonly text: string;
}

/** A planning finding. Errors make the plan non-applyable; warnings are shown to reviewers. */
export interface Diagnostic {
  readonly severity: 'warning' | 'error';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/** A cloud endpoint as recorded in a plan: enough to recognise it, no credentials. */
export interface CloudEndpoint {
  /** Keystone URL without user info. */
  readonly auth_url: string;
  readonly region?: string;
  /** Identity API version spoken. */
  readonly identity_api?: 'v2.0' | 'v3';
  /** Release name when known (`havana`, `juno`, `zed`...). */
  readonly release?: string;
  readonly networking?: 'nova-network' | 'neutron';
}

/** The Fuel master, when hosts are reassigned. */
export interface FuelEndpoint {
  readonly url: string;
  /** Fuel environment (cluster) ids. */
  readonly source_environment?: number;
  readonly destination_environment?: number;
}

/** What discovery saw of one cloud when the plan was made. */
export interface Observation {
  /** sha256 of the canonical normalized inventory; apply may compare it to a fresh one. */
  readonly fingerprint: string;
  /** RFC 3339 time discovery finished. */
  readonly at: string;
  /** API calls discovery made (shows it stayed cheap). */
  readonly calls: number;
}

export interface PlanSummary {
  /** Every action type, zero included. */
  readonly by_action: { readonly [A in ActionType]: number };
  /** Only kinds that occur (no-ops excluded), by kind name. */
  readonly by_kind: { readonly [K in ResourceKind]?: number };
  /** Actions that change something (everything but `no-op`). */
  readonly total: number;
  /** Sum of `impact.bytes`. */
  readonly bytes: number;
  /** Server actions with `impact.downtime`. */
  readonly downtime_servers: number;
  /** Actions with `impact.destructive`. */
  readonly destructive: number;
  /** Actions with `impact.irreversible`. */
  readonly irreversible: number;
}

export const PLAN_FORMAT_VERSION = '1.0' as const;

/** A plan as the planner returns it and readPlan gives back (without its `checksum`). */
export interface Plan {
  readonly format_version: typeof PLAN_FORMAT_VERSION;
  /** Version of the tool that made the plan; apply refuses an incompatible one. */
  readonly pumphouse_version: string;
  /** UUID; with `created_at`, the only bytes that differ between two plans of the same inputs. */
  readonly plan_id: string;
  readonly created_at: string;
  readonly manifest: {
    readonly path: string;
    /** Digest of the normalized desired state (manifest/). */
    readonly sha256: string;
    /** Digest of the manifest file bytes. */
    readonly text_sha256: string;
  };
  readonly config: {
    readonly source: CloudEndpoint;
    readonly destination: CloudEndpoint;
    readonly fuel?: FuelEndpoint;
  };
  /** The state the plan was made against; apply refuses if its lineage/serial moved. */
  readonly prior_state: { readonly lineage: string; readonly serial: number } | null;
  readonly observed: {
    readonly source: Observation;
    readonly destination: Observation;
    readonly fuel?: Observation;
  };
  readonly options: {
    readonly targets: readonly string[];
    readonly excludes: readonly string[];
  };
  /** In a valid topological order (dependencies first), then by address. */
  readonly actions: readonly Action[];
  readonly drift: readonly DriftItem[];
  readonly summary: PlanSummary;
  readonly diagnostics: readonly Diagnostic[];
  /** No error diagnostics and at least one change. */
  readonly applyable: boolean;
  /** Every object in manifest ∪ state got an action; false = plan and apply again afterwards. */
  readonly complete: boolean;
}

/** The plan as stored: the plan plus the sha256 of its own canonical form without this field. */
export type PlanFile = Plan & { readonly checksum: string };
