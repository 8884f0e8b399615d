import type { ErrorCode } from '../errors/index.js';

/**
 * Groups a concurrency limit can name: the manifest's `concurrency` words (manifest/types.ts
 * CONCURRENCY_KINDS), so that the same words mean the same thing everywhere. `transfer`
 * limits the data-moving steps (named `transfer`) rather than whole actions.
 */
export const LIMIT_GROUPS = ['tenant', 'identity', 'flavor', 'image', 'volume', 'server', 'network', 'floating_ip', 'host', 'transfer'] as const;
export type LimitGroup = (typeof LIMIT_GROUPS)[number];

/** Per-group limits on top of `parallelism`; `default` applies to groups without their own. */
export type ApplyLimits = Readonly<Partial<Record<LimitGroup | 'default', number>>>;

/** How one action ended in this run. */
export type OutcomeKind =
  /** Its steps ran now and it finished. */
  | 'done'
  /** An earlier run of the same plan finished it (resume). */
  | 'already'
  /** Nothing to do (`no-op`). */
  | 'noop'
  /** A step failed; dependents were skipped. */
  | 'failed'
  /** A precondition no longer holds: not started; dependents were skipped. */
  | 'precondition'
  /** A dependency failed or was skipped. */
  | 'skipped'
  /** Interrupted (Ctrl-C) before it finished or started; the next run of the plan continues it. */
  | 'interrupted';

/** One action that did not finish, for the summary and the CLI's error list. */
export interface ActionProblem {
  readonly id: string;
  readonly address: string;
  readonly action: string;
  readonly code: ErrorCode;
  readonly message: string;
}

/** One action skipped because of another. */
export interface SkippedAction {
  readonly id: string;
  readonly address: string;
  /** The reason, naming the failed or skipped dependency. */
  readonly because: string;
}

/** What `applyPlan` returns: the apply ran (possibly with failures); refusals are thrown. */
export interface ApplyResult {
  readonly planId: string;
  /** sha256 of the plan file bytes. */
  readonly sha256: string;
  /** `ok`: every action done; `failed`: some failed or were skipped; `interrupted`: Ctrl-C. */
  readonly result: 'ok' | 'failed' | 'interrupted';
  /** True when an earlier run of this plan had started (crash or failure) and this one continued it. */
  readonly resumed: boolean;
  readonly counts: Readonly<Record<OutcomeKind, number>>;
  /** Failed actions and failed preconditions, in plan order, each with its error code. */
  readonly failures: readonly ActionProblem[];
  readonly skipped: readonly SkippedAction[];
  /** Serial of the state written at the end (unchanged when nothing had to be written). */
  readonly serial: number;
  readonly statePath: string;
  readonly elapsedMs: number;
}
