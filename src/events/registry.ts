/**
 * The one registry of events. Every event the library emits is listed here with its payload;
 * the human reporter, the `--json` stream and the API's SSE all consume these shapes.
 * Codes (the `type` field) are stable.
 */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface EventPayloads {
  /** First line of every `--json` stream. */
  version: { readonly tool: string; readonly version: string; readonly format: string };
  log: { readonly text: string };
  diagnostic: { readonly severity: 'warning' | 'error'; readonly summary: string; readonly detail?: string; readonly address?: string };
  discovery_start: { readonly cloud: string };
  discovery_progress: { readonly cloud: string; readonly kind: string; readonly count: number; readonly calls: number };
  discovery_complete: { readonly cloud: string; readonly calls: number; readonly objects: number; readonly elapsed_ms: number };
  planned_change: { readonly address: string; readonly action: string; readonly reason: string };
  change_summary: { readonly counts: Readonly<Record<string, number>>; readonly total: number };
  plan_written: { readonly path: string; readonly sha256: string; readonly plan_id: string };
  apply_start: { readonly plan_id: string; readonly actions: number; readonly parallelism: number };
  action_start: { readonly id: string; readonly address: string; readonly action: string };
  step_start: { readonly id: string; readonly address: string; readonly step: string };
  step_complete: { readonly id: string; readonly address: string; readonly step: string; readonly elapsed_ms: number };
  action_complete: { readonly id: string; readonly address: string; readonly action: string; readonly elapsed_ms: number; readonly destination_id?: string };
  action_errored: { readonly id: string; readonly address: string; readonly action: string; readonly code: string; readonly error: string };
  action_skipped: { readonly id: string; readonly address: string; readonly because: string };
  progress: {
    readonly id: string;
    readonly address: string;
    readonly label: string;
    readonly done_bytes: number;
    readonly total_bytes: number | null;
    readonly rate_bps: number;
    readonly eta_s: number | null;
  };
  /** A data transfer failed in a way worth repeating; the destination copy was discarded. */
  transfer_retry: { readonly id: string; readonly address: string; readonly attempt: number; readonly code: string; readonly error: string; readonly delay_ms: number };
  wait: { readonly address: string; readonly what: string; readonly status: string; readonly elapsed_s: number };
  apply_complete: { readonly plan_id: string; readonly done: number; readonly failed: number; readonly skipped: number; readonly elapsed_ms: number };
  state_persisted: { readonly serial: number; readonly path: string };
  lock_acquired: { readonly id: string; readonly path: string };
  lock_released: { readonly id: string; readonly path: string };
  /** Another holder has the state lock; retrying after `retry_in_ms`. */
  lock_waiting: { readonly id: string; readonly path: string; readonly who: string; readonly operation: string; readonly created: string; readonly retry_in_ms: number };
  /** An expired lease (holder stopped renewing) was removed so this process could lock. */
  lock_taken_over: { readonly path: string; readonly previous_id: string | null; readonly previous_who: string | null; readonly expired_at: string | null };
  /** This holder's lock was removed or taken over: it must stop writing the state. */
  lock_lost: { readonly id: string; readonly path: string; readonly reason: string };
  /** Journal records left by an earlier run were folded into the state (after a crash). */
  journal_replayed: { readonly path: string; readonly applied: number; readonly skipped: number; readonly torn_bytes: number; readonly pending: readonly string[] };
  http_retry: { readonly service: string; readonly method: string; readonly path: string; readonly status: number | null; readonly attempt: number; readonly delay_ms: number };
  /**
   * A request that failed ambiguously (5xx, or no answer after sending) was looked up over the
   * settle time, its effect was not found, and it is sent again (settle-and-resend,
   * kinds/common/settle.ts). `attempt`: the number of the send being made (2 = first resend);
   * `status` null when no answer came; `path` without its query.
   */
  request_resent: {
    readonly address: string | null;
    readonly step: string | null;
    readonly cloud: string;
    readonly service: string;
    readonly method: string;
    readonly path: string;
    readonly status: number | null;
    readonly attempt: number;
  };
  sim_ready: { readonly url: string; readonly config_path: string; readonly manifest_path: string; readonly destination_url?: string; readonly fuel_url?: string; readonly tenants?: number };
  /** `setup` made or adopted, or `cleanup` found or deleted, one object (names and ids only, never a secret). */
  seed_object: {
    readonly verb: 'setup' | 'cleanup';
    readonly cloud: 'source' | 'destination';
    readonly kind: string;
    readonly name: string;
    readonly id: string;
    /** setup: `create` | `adopt`; cleanup: `found` (to delete) | `delete` | `gone` (already absent) | `failed`. */
    readonly change: 'create' | 'adopt' | 'found' | 'delete' | 'gone' | 'failed';
  };
  /** The library asks the operator; `default` is the answer when nobody can answer (non-interactive). */
  question: { readonly id: string; readonly text: string; readonly default: 'yes' | 'no' };
  /** `setup` or `cleanup` finished; `passwords_file` says where setup wrote the users' passwords. */
  seed_complete: { readonly verb: 'setup' | 'cleanup'; readonly cloud: 'source' | 'destination'; readonly counts: Readonly<Record<string, number>>; readonly passwords_file?: string };
  validate_complete: { readonly config_path: string; readonly manifest_path: string; readonly clouds: readonly string[]; readonly tenants: number; readonly hosts: number; readonly manifest_digest: string };
}

export type EventType = keyof EventPayloads;

/** An event as it flows to reporters: the Terraform-style envelope plus the typed payload. */
export type PumphouseEvent = {
  [K in EventType]: {
    readonly type: K;
    readonly '@level': Level;
    readonly '@message': string;
    readonly '@timestamp': string;
  } & EventPayloads[K];
}[EventType];

export type EventOf<K extends EventType> = Extract<PumphouseEvent, { type: K }>;
