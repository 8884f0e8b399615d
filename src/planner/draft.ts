import { PumphouseError } from '../errors/index.js';
import { actionId, standardSteps, type ActionSpill } from '../plan/index.js';
import { IdPositions } from '../plan/id-positions.js';
import { destinationPresent } from './facts.js';
import type {
  Action,
  ActionRef,
  ActionType,
  AttributeValue,
  Attributes,
  DestinationObject,
  Diagnostic,
  Impact,
  Precondition,
  Reason,
  ResourceKind,
  SourceObject,
} from '../plan/index.js';

/** What later actions need to know about a planned one: how to depend on it and refer to it. */
export interface Handle {
  readonly id: string;
  readonly address: string;
  readonly kind: ResourceKind;
  readonly action: ActionType;
  /** Destination id when it is already known and final (no-op, adopt). */
  readonly destinationId: string | null;
  /** The `{"$ref": id}` every reference to this action shares (made on first use by refTo). */
  ref?: ActionRef;
}

/** An action as a kind planner describes it; ids, steps and ordering are filled in here. */
export interface ActionDraft {
  readonly address: string;
  readonly kind: ResourceKind;
  readonly action: ActionType;
  readonly reason: Reason;
  /** Handles (or action ids) this action must run after; null/undefined entries are ignored. */
  readonly deps?: readonly (Handle | null | undefined)[];
  readonly tenant?: string;
  readonly host?: string;
  readonly source?: SourceObject;
  readonly destination?: DestinationObject;
  readonly before?: Attributes | null;
  readonly after?: Attributes;
  readonly preconditions?: readonly Precondition[];
  readonly impact?: Impact;
  /** Defaults to standardSteps(kind, action). */
  readonly steps?: readonly string[];
  readonly warnings?: readonly string[];
  /**
   * Address of the tenant whose destination project this action acts in with a tenant-scoped
   * token: it then runs after the tenant's admin grant and before its revoke (DESIGN.md §8).
   */
  readonly scopedTo?: string;
}

export const NO_IMPACT: Impact = { downtime: false, destructive: false, irreversible: false };
const NO_DEPS: readonly never[] = [];
const NO_STEPS: readonly string[] = [];

/** Where a kind's destination objects live, for `present` preconditions (link kinds have none). */
const DESTINATION_COLLECTION: { readonly [K in ResourceKind]?: readonly [string, string] } = {
  project: ['keystone', 'projects'],
  user: ['keystone', 'users'],
  role: ['keystone', 'roles'],
  flavor: ['nova', 'flavors'],
  security_group: ['neutron', 'security_groups'],
  security_group_rule: ['neutron', 'security_group_rules'],
  network: ['neutron', 'networks'],
  subnet: ['neutron', 'subnets'],
  router: ['neutron', 'routers'],
  port: ['neutron', 'ports'],
  floating_ip: ['neutron', 'floatingips'],
  image: ['glance', 'images'],
  volume: ['cinder', 'volumes'],
  server: ['nova', 'servers'],
};

/**
 * The draft's record of one action, which is also its Handle: one object per action rather
 * than two (a plan has hundreds of thousands of actions, all alive at the end of planning).
 */
export class WorkingAction implements Handle {
  /** The action (a SpilledAction when the draft spills); selection rewrites its reason, assembly sets its depends_on. */
  readonly entry: { -readonly [K in keyof Action]: Action[K] };
  /**
   * The actions this one runs after (its tenant's gate aside: see PlanDraft.dependencies);
   * assembly removes duplicates and itself. The actions themselves, not their ids: assembly
   * orders the plan by their positions without looking 2 million ids up.
   */
  deps: WorkingAction[];
  readonly scopedTo: string | undefined;
  readonly destinationId: string | null;
  ref?: ActionRef;
  /** Position in the assembled order (-1 until assembly, and for an action selection removed). */
  position = -1;
  /** The entry's address, held here too: assembly sorts 610,000 actions by it. */
  readonly address: string;

  constructor(entry: WorkingAction['entry'], deps: WorkingAction[], scopedTo: string | undefined, destinationId: string | null) {
    this.entry = entry;
    this.address = entry.address;
    this.deps = deps;
    this.scopedTo = scopedTo;
    this.destinationId = destinationId;
  }

  get id(): string {
    return this.entry.id;
  }

  get kind(): ResourceKind {
    return this.entry.kind;
  }

  get action(): ActionType {
    return this.entry.action;
  }
}

/**
 * The plan being assembled: actions by id, handles by (kind, source id), diagnostics.
 * Kind planners add actions in dependency order (a dependency's handle exists before its
 * dependents are described), which is what makes `$ref`s resolvable.
 */
export class PlanDraft {
  /**
   * The actions in the order they were added (selection removes some: keepOnly). A list, not
   * a map by id: nothing looks actions up by id while planning (handles are the actions), and
   * 610,000 map entries cost a second and a half at 10,000 tenants.
   */
  #actions: WorkingAction[] = [];
  /** Every id added, to catch two actions at one address (a typed-array table, no strings kept). */
  readonly #ids = new IdPositions(1024);
  readonly diagnostics: Diagnostic[] = [];
  /** Objects in scope that got no action (unsupported status, missing dependency). */
  skipped = 0;
  // Kind -> source id -> handle: no key string is made per lookup (several per action).
  readonly #handles = new Map<string, KindHandles>();
  readonly #stepLists = new Map<string, readonly string[]>();
  readonly #singleSteps = new Map<string, readonly string[]>();
  readonly #stepArrays = new Map<readonly string[], readonly string[]>();
  readonly #spill: ActionSpill | undefined;
  /**
   * Per tenant (its address): the id of the action every scoped write in it runs after (the
   * admin grant, or the copied assignment that makes the admin user admin there). Kept here
   * rather than pushed onto each action's dependencies: that would regrow half a million
   * arrays with room to spare at the end of planning.
   */
  readonly #scopeGates = new Map<string, WorkingAction>();

  /** With `spill`, each action's bulky members go to it as the action is added (see ActionSpill). */
  constructor(spill?: ActionSpill) {
    this.#spill = spill;
  }

  /** Adds an action for the source object `sourceId` of `kind`; returns its handle. */
  add(sourceId: string, draft: ActionDraft, destinationId: string | null = null): WorkingAction {
    const id = actionId(draft.address, draft.action);
    // Sized exactly: an array grown by push keeps room for ~16 more, and at the end of
    // planning 610,000 of these are alive at once.
    const given = draft.deps ?? NO_DEPS;
    let n = 0;
    for (const d of given) if (d && d.id !== '' && d.id !== id) n++;
    const deps = new Array<WorkingAction>(n);
    n = 0;
    for (const d of given) if (d && d.id !== '' && d.id !== id) deps[n++] = actionOf(d);
    // Built field by field (no spreads): the planner makes hundreds of thousands of these.
    const action: { -readonly [K in keyof Action]: Action[K] } = {
      id,
      address: draft.address,
      kind: draft.kind,
      action: draft.action,
      reason: draft.reason,
      depends_on: NO_DEPS,
      preconditions: draft.preconditions ?? NO_DEPS,
      impact: draft.impact ?? NO_IMPACT,
      steps: this.#steps(draft.steps ?? standardSteps(draft.kind, draft.action)),
    };
    if (draft.tenant !== undefined) action.tenant = draft.tenant;
    if (draft.host !== undefined) action.host = draft.host;
    if (draft.source) action.source = draft.source;
    if (draft.destination) action.destination = draft.destination;
    if (draft.before !== undefined) action.before = draft.before;
    if (draft.after) action.after = draft.after;
    if (draft.warnings && draft.warnings.length > 0) action.warnings = draft.warnings;
    const where = DESTINATION_COLLECTION[draft.kind];
    if (draft.action === 'adopt' && destinationId && where) {
      // Adoption records an object that must still be there when apply gets to it.
      action.preconditions = [...action.preconditions, destinationPresent(where[0], where[1], destinationId)];
    }
    const known = draft.action === 'no-op' || draft.action === 'adopt' ? destinationId : null;
    const w = new WorkingAction(this.#spill ? this.#spill.put(action) : action, deps, draft.scopedTo, known);
    if (this.#ids.add(id, this.#actions.length) >= 0) {
      // Addresses are made unique before actions are added; a clash is a planner bug.
      throw new PumphouseError('PH_INTERNAL', `two actions share the address ${draft.address} (${draft.action})`, {
        address: draft.address,
      });
    }
    this.#actions.push(w);
    this.#handlesOf(draft.kind).add(sourceId, w);
    return w;
  }

  /** The actions, in the order they were added. */
  get actions(): readonly WorkingAction[] {
    return this.#actions;
  }

  /** Keeps only the actions `keep` says yes to (--target and --exclude; nothing is added after). */
  keepOnly(keep: (w: WorkingAction) => boolean): void {
    this.#actions = this.#actions.filter(keep);
  }

  /**
   * Registers a destination object that no action manages but others refer to (a shared
   * network found by name, the external network): its handle has the id '' and never
   * becomes a dependency.
   */
  existing(kind: ResourceKind, sourceId: string, destinationId: string, address: string): Handle {
    const handle: Handle = { id: '', address, kind, action: 'no-op', destinationId };
    this.#handlesOf(kind).add(sourceId, handle);
    return handle;
  }

  /** The handle of the action planned for (kind, source id), if any. */
  get(kind: ResourceKind, sourceId: string): Handle | undefined {
    const handles = this.#handles.get(kind);
    if (handles === undefined) return undefined;
    return (handles.bySource ?? handles.index()).get(sourceId);
  }

  /** Every scoped write (see isScopedWrite) of the tenant at `scope` runs after the action `gate`. */
  gateScope(scope: string, gate: WorkingAction): void {
    this.#scopeGates.set(scope, gate);
  }

  /** How many actions dependencies(w) lists (without making the list). */
  dependencyCount(w: WorkingAction): number {
    const gate = w.scopedTo !== undefined && isScopedWrite(w) ? this.#scopeGates.get(w.scopedTo) : undefined;
    return w.deps.length + (gate === undefined || gate === w ? 0 : 1);
  }

  /** The actions `w` runs after: its own dependencies and, for a scoped write, its tenant's gate. */
  dependencies(w: WorkingAction): readonly WorkingAction[] {
    const gate = w.scopedTo !== undefined && isScopedWrite(w) ? this.#scopeGates.get(w.scopedTo) : undefined;
    if (gate === undefined || gate === w) return w.deps;
    const all = new Array<WorkingAction>(w.deps.length + 1);
    for (let i = 0; i < w.deps.length; i++) all[i] = w.deps[i]!;
    all[w.deps.length] = gate;
    return all;
  }

  #handlesOf(kind: string): KindHandles {
    let handles = this.#handles.get(kind);
    if (!handles) {
      handles = new KindHandles();
      this.#handles.set(kind, handles);
    }
    return handles;
  }

  /** One shared array per distinct step list (most actions have one of a few). */
  #steps(steps: readonly string[]): readonly string[] {
    // Most lists are kinds.ts's own constants, or a fresh [] / [action] from standardSteps:
    // those are told apart without making a key string per action.
    if (steps.length === 0) return NO_STEPS;
    const known = this.#stepArrays.get(steps);
    if (known !== undefined) return known;
    const shared = steps.length === 1 ? this.#oneStep(steps[0]!, steps) : this.#stepsByText(steps);
    // Kept by identity only when the list is one of a few (a planner's constant), not a new
    // array per action: those are bounded by the count of distinct texts below.
    if (shared === steps && this.#stepArrays.size < 256) this.#stepArrays.set(steps, shared);
    return shared;
  }

  #oneStep(step: string, steps: readonly string[]): readonly string[] {
    const known = this.#singleSteps.get(step);
    if (known !== undefined) return known;
    this.#singleSteps.set(step, steps);
    return steps;
  }

  #stepsByText(steps: readonly string[]): readonly string[] {
    const key = steps.join('\u0000');
    const known = this.#stepLists.get(key);
    if (known) return known;
    this.#stepLists.set(key, steps);
    return steps;
  }

  warn(summary: string, address?: string, detail?: string): void {
    this.diagnostics.push(diag('warning', summary, address, detail));
  }

  error(summary: string, address?: string, detail?: string): void {
    this.diagnostics.push(diag('error', summary, address, detail));
  }
}

/** A handle with an id is an action of the draft (existing() makes the only other kind, with id ''). */
function actionOf(h: Handle): WorkingAction {
  if (h instanceof WorkingAction) return h;
  throw new PumphouseError('PH_INTERNAL', `a dependency on ${h.address} is not an action of this plan`, { address: h.address });
}

/**
 * One kind's handles by source id. The map is made on the first lookup of the kind; until
 * then the handles wait in a list, in order. Most actions are of kinds nothing looks up
 * (servers and their source_after unless hosts are evacuated, rules, assignments, quotas,
 * memberships): at 10,000 tenants their map entries were 360,000 of the draft's 610,000, and
 * each insert into a map that size cost ~2 µs in cache misses.
 */
class KindHandles {
  bySource: Map<string, Handle> | undefined;
  /** Source id, handle, source id, handle... added before the map was made. */
  #waiting: (string | Handle)[] = [];

  add(sourceId: string, handle: Handle): void {
    if (this.bySource !== undefined) this.bySource.set(sourceId, handle);
    else this.#waiting.push(sourceId, handle);
  }

  /** Makes the map (a later handle of a source id replaces an earlier one, as set() does). */
  index(): Map<string, Handle> {
    const map = new Map<string, Handle>();
    const waiting = this.#waiting;
    for (let i = 0; i < waiting.length; i += 2) map.set(waiting[i] as string, waiting[i + 1] as Handle);
    this.#waiting = [];
    this.bySource = map;
    return map;
  }
}

/**
 * True for an action that writes inside its tenant with a tenant-scoped token (it then runs
 * after the tenant's admin grant and before its revoke); no-ops and adoptions only read.
 */
export function isScopedWrite(w: WorkingAction): boolean {
  return w.scopedTo !== undefined && w.action !== 'no-op' && w.action !== 'adopt';
}

/**
 * How an action's `after` refers to another object: its destination id when already known
 * (the object exists and is unchanged), else a `$ref` to the action that makes it.
 */
export function refTo(handle: Handle | undefined | null, field?: string): AttributeValue {
  if (!handle) return null;
  if (field === undefined && handle.destinationId !== null) return handle.destinationId;
  if (field !== undefined) return { $ref: handle.id, field };
  // Every reference to one action shares one object: plans are read-only once made, and a
  // server alone refers to half a dozen actions.
  return (handle.ref ??= { $ref: handle.id });
}

function diag(severity: Diagnostic['severity'], summary: string, address?: string, detail?: string): Diagnostic {
  return {
    severity,
    summary,
    ...(detail !== undefined ? { detail } : {}),
    ...(address !== undefined ? { address } : {}),
  };
}
