/**
 * The state data model: what apply has done so far, one record per object it created or
 * adopted, plus the temporary objects it still has to clean up and a history of operations.
 * Everything here is plain JSON data (no classes, no Dates) and never holds a secret: ids,
 * names and facts only (DESIGN.md §4, research/plan-apply-anchors.md A2, B6).
 *
 * The state file (`state.json`) is the last compacted snapshot; the journal next to it
 * (`state.json.journal.ndjson`) holds the per-step records written since, so the state a
 * program works with is always `fold(state file, journal)` (see replay.ts).
 */

/** The state file format this build reads and writes. A bump needs a migration function. */
export const STATE_FORMAT_VERSION = 1;

/**
 * Where an object stands.
 * - `ready`: its action finished; `destination_id` is trustworthy and dependents may use it.
 * - `pending`: an action on it started and did not finish (it may be running now, or the
 *   process died). `steps_done` says which steps finished; `pending` names a step that
 *   started without a recorded end: whatever that step makes may or may not exist and must
 *   be looked up (adopted by its source-id marker) before the step is retried.
 * - `tainted`: its action failed; a partial copy may exist and will be replaced or adopted.
 * - `deleted`: the object was deleted on purpose (a delete action finished). Kept so that the
 *   history of ids is not lost; `state rm` forgets it for good.
 */
export type ObjectStatus = 'ready' | 'pending' | 'tainted' | 'deleted';

/** A step that started (journal `pending`) and has no `done` yet. */
export interface PendingStep {
  readonly step: string;
  /** When the step started (ISO 8601). */
  readonly at: string;
  /** Facts the step recorded before acting (e.g. the name it is about to create). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Why the last action on an object failed. Messages are already redacted. */
export interface ObjectError {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

/** One object pumphouse made, adopted or deleted, keyed by its plan address. */
export interface StateObject {
  /** Plan address, e.g. `tenant[acme].server[web-1]`; unique in a state file. */
  readonly address: string;
  /** Resource kind (the plan's `ResourceKind`: `server`, `image`, `project`, ...). */
  readonly kind: string;
  /** Id of the object in the source cloud (or Fuel node id for hosts). */
  readonly source_id: string;
  /** Id of the copy in the destination; null until a step has made or found it. */
  readonly destination_id: string | null;
  readonly status: ObjectStatus;
  /** Last step that finished, or null when none did. */
  readonly step: string | null;
  /** Every step of the current action that finished, in order. */
  readonly steps_done: readonly string[];
  /** A step that started without a recorded end (crash or still running); null otherwise. */
  readonly pending: PendingStep | null;
  /**
   * Non-secret facts about the object: destination name, ids of helper objects, anything a
   * resumed step needs. Merged shallowly by each step that reports attributes.
   */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Set when the last action failed; cleared when an action on the object starts again. */
  readonly error: ObjectError | null;
  /** Plan and action that last touched the object; null for objects edited by hand. */
  readonly plan_id: string | null;
  readonly action_id: string | null;
  /** ISO 8601 time of the last change. */
  readonly updated_at: string;
}

/** Which system a temporary object lives in. */
export type TemporarySide = 'source' | 'destination' | 'fuel';

/**
 * Something an action made only for its own duration and must remove afterwards: a snapshot
 * image of a server, an upload-to-image image of a volume, a temporary admin role grant in a
 * tenant. Recorded before (or right after) it is made, so cleanup after a crash can find it.
 */
export interface Temporary {
  /** Unique key chosen by the action, e.g. `a17/snapshot-image`. */
  readonly id: string;
  /** What it is: `image`, `volume_snapshot`, `volume`, `role_assignment`, ... */
  readonly kind: string;
  readonly cloud: TemporarySide;
  /** Id of the temporary object; null for relations (a role grant) described in `details`. */
  readonly resource_id: string | null;
  /** Project it lives in, when it lives in one. */
  readonly project_id: string | null;
  /** Further coordinates needed to delete it (user id, role id, region). Never secrets. */
  readonly details: Readonly<Record<string, unknown>>;
  /** Address of the object whose action made it. */
  readonly address: string;
  readonly plan_id: string | null;
  readonly action_id: string | null;
  readonly created_at: string;
}

/** How an operation on the state ended. `running` only while it runs (or if it died). */
export type HistoryResult = 'ok' | 'failed' | 'interrupted' | 'running';

/** One operation (apply, state rm, ...) that changed the state. */
export interface HistoryEntry {
  /** The plan applied; null for operations without a plan (`state rm`). */
  readonly plan_id: string | null;
  /** `apply`, `state rm`, `migrate`, ... */
  readonly operation: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly result: HistoryResult;
  /** Actions that finished and failed during the operation. */
  readonly done: number;
  readonly failed: number;
  /** State serial the operation started from, and the serial of the write that ended it. */
  readonly serial_before: number;
  readonly serial_after: number | null;
}

/** The state file (`schemas/state.schema.json`). */
export interface StateFile {
  readonly version: typeof STATE_FORMAT_VERSION;
  /** Version of the pumphouse that last wrote the file. */
  readonly pumphouse_version: string;
  /** UUID set when the state is first created and never changed: tells unrelated states apart. */
  readonly lineage: string;
  /** Incremented on every write of the state file; plans record it to detect staleness. */
  readonly serial: number;
  readonly objects: readonly StateObject[];
  readonly temporaries: readonly Temporary[];
  readonly history: readonly HistoryEntry[];
}

/** Fields shared by every journal record that touches an object. */
export interface ObjectRecordBase {
  readonly address: string;
  /** Kind and source id let any record create the object if the state has none yet. */
  readonly kind: string;
  readonly source_id: string;
  readonly plan_id: string | null;
  readonly action_id: string;
  /** ISO 8601 time the record was made. */
  readonly at: string;
}

/**
 * One journal line (without the `base_serial` the journal adds on disk). Records are
 * appended and fsynced before apply moves on, so after a crash the journal says exactly
 * which steps started and which finished.
 */
export type JournalRecord =
  | { readonly t: 'operation_start'; readonly plan_id: string | null; readonly operation: string; readonly at: string }
  | {
      readonly t: 'operation_end';
      readonly plan_id: string | null;
      readonly result: Exclude<HistoryResult, 'running'>;
      readonly at: string;
    }
  /** A step is about to act in a cloud. */
  | (ObjectRecordBase & {
      readonly t: 'pending';
      readonly step: string;
      readonly data?: Readonly<Record<string, unknown>>;
      /**
       * The destination id the action starts from (the plan's; null: none yet). Written on
       * the first record of an action only, so that an id a previous action left in the
       * state (an object since vanished, one the planner replaced by an observed copy) is
       * not taken for the one this action works on. Absent: the id is left as it is.
       */
      readonly destination_id?: string | null;
    })
  /** The step finished; what it made or learnt. */
  | (ObjectRecordBase & {
      readonly t: 'done';
      readonly step: string;
      readonly destination_id?: string;
      readonly attributes?: Readonly<Record<string, unknown>>;
    })
  /** The whole action finished: the object becomes `ready` (or `deleted` for a delete). */
  | (ObjectRecordBase & {
      readonly t: 'action_done';
      readonly status?: 'ready' | 'deleted';
      readonly destination_id?: string;
      readonly attributes?: Readonly<Record<string, unknown>>;
    })
  /** The action failed: the object becomes `tainted`. */
  | (ObjectRecordBase & { readonly t: 'action_failed'; readonly error: { readonly code: string; readonly message: string } })
  /** A temporary object exists (or is about to be made) and must be cleaned up. */
  | { readonly t: 'temp'; readonly at: string; readonly temp: Temporary }
  /** A temporary object was removed. */
  | { readonly t: 'temp_cleaned'; readonly at: string; readonly id: string };

export type JournalRecordType = JournalRecord['t'];

/**
 * The content of the lock file `<state>.lock`: Terraform's LockInfo fields (same names, so
 * operators recognise them) plus the lease.
 */
export interface LockInfo {
  /** Random UUID; `force-unlock` must be given exactly this. */
  readonly ID: string;
  /** What holds the lock: `apply`, `state rm`, ... */
  readonly Operation: string;
  /** Free text (the plan id for an apply). */
  readonly Info: string;
  /** `user@host` of the holder. */
  readonly Who: string;
  /** Pumphouse version of the holder. */
  readonly Version: string;
  /** When the lock was taken (ISO 8601). */
  readonly Created: string;
  /** The state file the lock protects. */
  readonly Path: string;
  /** The lease: after this time without renewal another process may take the lock over. */
  readonly expires_at: string;
  readonly lease_ms: number;
  readonly pid: number;
}
