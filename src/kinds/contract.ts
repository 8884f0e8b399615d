/**
 * The narrow contract between the apply executor (src/apply/) and the per-kind step code
 * (src/kinds/<kind>/). The executor owns ordering, concurrency, preconditions, the journal,
 * resume and events; a kind owns what one named step of one action does in a cloud, and how
 * to find what a step made before a crash. See docs/architecture/apply.md.
 *
 * Everything a kind needs comes through StepContext; a kind never touches the state file,
 * the lock or the reporter's transport, and never prints.
 */
import { inspect } from 'node:util';
import type { Reporter } from '../events/index.js';
import type { FuelClient } from '../fuel/index.js';
import type { Cloud } from '../openstack/index.js';
import type { Action, ActionType, AttributeValue, JsonScalar, Precondition, ResourceKind } from '../plan/index.js';
import type { Temporary, TemporarySide } from '../state/index.js';

/** Flat, non-secret facts: what steps record as outputs and what precondition reads return. */
export type Facts = Readonly<Record<string, JsonScalar>>;

/**
 * A secret fetched at run time (`{"$secret": ...}` in the plan). It prints, serializes and
 * inspects as `***`, so that a secret passed by mistake to a log, an event, an output or an
 * error message does not leak; `reveal()` is the only way to the value, called at the moment
 * it is sent to a cloud.
 */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The secret itself. Only for the request that needs it. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [inspect.custom](): string {
    return 'SecretValue(***)';
  }
}

/** An `after` value with `$ref`s replaced by what they point at and `$secret`s fetched. */
export type ResolvedValue = JsonScalar | SecretValue | readonly ResolvedValue[] | { readonly [key: string]: ResolvedValue };

/**
 * The clouds, opened on first use (an apply that only touches the destination never logs in
 * to the source). Each call after the first returns the same client.
 */
export interface CloudAccess {
  source(): Promise<Cloud>;
  destination(): Promise<Cloud>;
  /**
   * The cloud acting inside a project with a token scoped to it (DESIGN.md §8: Nova looks
   * security groups, networks and keypairs up in the token's project). Cached per project.
   */
  scoped(side: 'source' | 'destination', projectId: string): Promise<Cloud>;
  /** The Fuel master's Nailgun client (PH_CONFIG_INVALID when the config names none). */
  fuel(): Promise<FuelClient>;
}

/** What services outside one action (precondition reads, secret fetches) get. */
export interface ServiceContext {
  readonly clouds: CloudAccess;
  /** Aborted when work must stop at once (the state lock was lost). */
  readonly signal: AbortSignal;
  readonly reporter: Reporter;
}

/** What a step left behind for its action, as the journal has it (also after a crash). */
export interface RecordedProgress {
  /** The destination id the action's steps reported so far (or the planned one), else null. */
  readonly destinationId: string | null;
  /** Outputs recorded by the action's finished steps, merged (the state object's attributes). */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Steps of this action that finished, in this plan. */
  readonly stepsDone: readonly string[];
  /** What the current step wrote with `remember()` before a crash (or now), if anything. */
  readonly remembered: Readonly<Record<string, unknown>> | null;
}

/** A temporary object the step is about to make or has made (snapshot image, role grant...). */
export interface TemporaryInput {
  /** Unique within the action, e.g. `snapshot-image`; the state key is `<action id>/<key>`. */
  readonly key: string;
  /** What it is: `image`, `volume_snapshot`, `role_assignment`... */
  readonly kind: string;
  readonly cloud: TemporarySide;
  /** Its id once known; null when recorded before it is made (then the marker finds it). */
  readonly resourceId: string | null;
  readonly projectId?: string | null;
  /** Coordinates needed to delete it; never secrets. */
  readonly details?: Facts;
}

/** The journaled list of an action's temporaries; each call is fsynced before it returns. */
export interface Temporaries {
  /** Records (or updates, same key) a temporary. Call before making it, and again with its id. */
  record(temporary: TemporaryInput): Promise<void>;
  /** Records that the temporary `key` is gone. */
  cleaned(key: string): Promise<void>;
  /** This action's temporaries still recorded: after a crash, what a cleanup step must remove. */
  list(): readonly Temporary[];
}

/** One poll of `wait()`: finished with a value, or not yet with a status to report. */
export type WaitPoll<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly status: string };

export interface WaitOptions {
  /** Give up after this long: PH_TIMEOUT naming the address, what and the last status. */
  readonly timeoutS: number;
  /** First delay between polls; doubled up to `maxIntervalMs`. Default 1000. */
  readonly intervalMs?: number;
  /** Default 10000. */
  readonly maxIntervalMs?: number;
}

/** The marker every destination object a kind creates must carry (DESIGN.md §5). */
export interface SourceMarker {
  /** The source object's id (or Fuel node id): what a lookup after a crash searches for. */
  readonly sourceId: string;
  readonly kind: ResourceKind;
  readonly planId: string;
}

/**
 * Everything one step gets. Built fresh for each step; reading `recorded` always gives the
 * journal's current view.
 */
export interface StepContext {
  readonly planId: string;
  readonly step: string;
  readonly marker: SourceMarker;
  readonly clouds: CloudAccess;
  /**
   * Resolves a value of `action.after`: `{"$ref": id, "field"?}` becomes the destination id
   * (or the named output) of that action, from this run or the state; `{"$secret": path}`
   * becomes a SecretValue fetched through the registry's SecretResolver. Refs to actions that
   * have not finished are a planner bug (PH_INTERNAL).
   */
  resolve(value: AttributeValue | undefined): Promise<ResolvedValue>;
  /** `action.after` with every member resolved (undefined members dropped). */
  resolveAfter(): Promise<{ readonly [key: string]: ResolvedValue }>;
  /** What this action recorded so far (journal view; survives crashes). */
  readonly recorded: RecordedProgress;
  /**
   * Journals facts about the current step before it acts (e.g. the name it is about to
   * create), so that `resolvePending` after a crash can look for it. Fsynced before returning.
   * Values under secret-looking keys are stored as `***`.
   */
  remember(facts: Facts): Promise<void>;
  readonly temporaries: Temporaries;
  /**
   * Reports data moved so far; the executor adds rate and ETA and throttles `progress`
   * events (at most two a second per label, always the last one).
   */
  progress(label: string, doneBytes: number, totalBytes: number | null): void;
  /**
   * Polls until `poll` says done, with backoff, emitting `wait` events when the status
   * changes; PH_TIMEOUT after `timeoutS`; stops with PH_ABORTED when `signal` aborts.
   */
  wait<T>(what: string, poll: () => Promise<WaitPoll<T>>, options: WaitOptions): Promise<T>;
  readonly reporter: Reporter;
  /**
   * Aborted only when the step must stop at once (the state lock was lost). Ctrl-C does NOT
   * abort it: apply lets in-flight steps finish, then stops before the next step.
   */
  readonly signal: AbortSignal;
}

/** What a finished step reports; journaled with the step's `done` record. */
export interface StepResult {
  /** The destination object's id, once made or found (becomes the state's destination_id). */
  readonly destinationId?: string;
  /** Non-secret outputs for later steps and for `$ref`s with a `field` (state attributes). */
  readonly outputs?: Facts;
}

/**
 * The code of one resource kind. Steps run in the order of `action.steps`; each is journaled
 * `pending` before and `done` after, so after a crash the executor knows which steps finished
 * and which one may have half-acted.
 */
export interface KindHandler {
  readonly kind: ResourceKind;
  /**
   * The step names this handler runs, per action type. Apply refuses a plan naming any other
   * (kind, action, step) before anything runs, so that a plan is never half applied because
   * this build lacks a step.
   */
  readonly steps: Readonly<Partial<Record<ActionType, readonly string[]>>>;
  /**
   * Runs one step of `action`. Must be idempotent given the journal: before creating, look
   * the object up by its source-id marker (`ctx.marker`) and adopt it, because the step may
   * be run again after a crash or a failure. Throw a PumphouseError (code + address) to fail
   * the action; the executor journals it and stops the action's dependents.
   */
  runStep(step: string, action: Action, ctx: StepContext): Promise<StepResult>;
  /**
   * After a crash (or a failure) the journal shows `step` started without finishing. Look
   * the object up (marker, `ctx.recorded.remembered`): return its result to adopt it when
   * complete, or clean a half-made one and return `'redo'` to run the step again. Absent:
   * the step is simply run again (runStep's own lookup must then adopt).
   */
  resolvePending?(step: string, action: Action, ctx: StepContext): Promise<StepResult | 'redo'>;
}

/**
 * Reads the facts behind plan preconditions. `ref` grammar (plan/types.ts): a path
 * `<service>/<collection>/<id>` or a lookup `<service>/<collection>?<key>=<value>`.
 */
export interface PreconditionReader {
  /**
   * The object `precondition.ref` names, read afresh from `precondition.cloud` (never from a
   * cache or the discovery inventory), as flat facts carrying at least the fields the plan
   * lists; null when it does not exist (a lookup matching nothing). A lookup matching several
   * objects returns the first one by id. Errors reading it (cloud down) are thrown.
   */
  read(precondition: Precondition, ctx: ServiceContext): Promise<Facts | null>;
}

/** Fetches secrets the plan references (`keystone/user/<id>/password_hash`...). */
export interface SecretResolver {
  /** The secret's value; PH_NOT_FOUND-style PumphouseErrors name the path, never a value. */
  resolve(path: string, ctx: ServiceContext): Promise<string>;
}
