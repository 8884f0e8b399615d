import { setMaxListeners } from 'node:events';
import { emit, type Reporter } from '../events/index.js';
import { PumphouseError } from '../errors/index.js';
import type { CloudAccess, ServiceContext } from '../kinds/contract.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { Plan } from '../plan/index.js';
import type { StateStore } from '../state/index.js';
import { ApplyJournal } from './action-journal.js';
import { actionProgress } from './action-progress.js';
import type { Freshness } from './freshness.js';
import { applyGraph } from './graph.js';
import { SlotGate } from './limits.js';
import { ProgressMeter } from './progress-meter.js';
import { runAction, type RunOutcome } from './run-action.js';
import type { ApplyLimits, ApplyResult, OutcomeKind } from './types.js';
import { walk } from './walk.js';

export interface ExecuteOptions {
  readonly plan: Plan;
  readonly sha256: string;
  /** Loaded and recovered by the caller, which holds the lock. */
  readonly store: StateStore;
  readonly freshness: Freshness;
  readonly registry: KindRegistry;
  readonly clouds: CloudAccess;
  readonly reporter: Reporter;
  /** The operator's stop (Ctrl-C): in-flight steps finish, nothing new starts. */
  readonly signal: AbortSignal;
  /** Stop at once and write nothing more (the lock's signal: it was lost). */
  readonly hardSignal: AbortSignal;
  readonly parallelism: number;
  readonly limits: ApplyLimits;
}

/** Errors after which the journal cannot be trusted to take more records. */
const FATAL = new Set(['PH_STATE_IO', 'PH_STATE_LOCKED']);

/**
 * Runs a verified, fresh plan against the locked state: journals the operation, walks the
 * graph, closes the operation and compacts the journal into the state file. Returns the
 * summary; throws only when the state could not be written (PH_STATE_IO) or the lock was
 * lost (PH_STATE_LOCKED), after in-flight steps settled.
 */
export async function execute(o: ExecuteOptions): Promise<ApplyResult> {
  // Every waiting step listens on this signal: more than the default 10 listeners is normal.
  const stopNow = new AbortController();
  setMaxListeners(0, stopNow.signal);
  const relay = (): void => stopNow.abort(o.hardSignal.reason);
  if (o.hardSignal.aborted) relay();
  else o.hardSignal.addEventListener('abort', relay, { once: true });
  try {
    return await run(o, stopNow.signal);
  } finally {
    o.hardSignal.removeEventListener('abort', relay);
  }
}

async function run(o: ExecuteOptions, hardSignal: AbortSignal): Promise<ApplyResult> {
  const started = Date.now();
  const { plan, store, reporter } = o;
  const graph = applyGraph(plan);
  const progress = actionProgress(plan, graph, store.current);
  const toRun = plan.actions.filter((a) => a.action !== 'no-op' && progress.get(a.id)?.state !== 'done');
  let fatal: PumphouseError | undefined;
  const hardStop = (): void => {
    if (hardSignal.aborted) throw lockLost(hardSignal);
  };
  const journal = new ApplyJournal(store, plan.plan_id, hardStop);
  const services: ServiceContext = { clouds: o.clouds, signal: hardSignal, reporter };
  const finished = new Set<string>();
  const stopRequested = (): boolean => o.signal.aborted || hardSignal.aborted || fatal !== undefined;

  // A plan without changes (or fully applied before a crash that came before its end record)
  // on a fresh state changes nothing: no history entry, no new serial, other plans stay fresh.
  if (toRun.length === 0 && o.freshness === 'fresh') {
    const out = summary(o, plan.actions.map((a) => [a.id, a.action === 'no-op' ? 'noop' : 'already'] as const), [], [], store.current.serial, started, 'ok');
    emit(reporter, 'apply_complete', 'info', 'no changes: the plan has nothing to apply; the state was not touched', {
      plan_id: plan.plan_id,
      done: 0,
      failed: 0,
      skipped: 0,
      elapsed_ms: out.elapsedMs,
    });
    return out;
  }
  await journal.record({ t: 'operation_start', plan_id: plan.plan_id, operation: 'apply', at: new Date().toISOString() });
  const resumed = o.freshness === 'resume';
  emit(reporter, 'apply_start', 'info', `applying plan ${plan.plan_id}: ${toRun.length} action(s) to run${resumed ? ' (resuming an earlier apply)' : ''}, parallelism ${o.parallelism}`, {
    plan_id: plan.plan_id,
    actions: toRun.length,
    parallelism: o.parallelism,
  });
  for (const a of plan.actions) if (a.action === 'no-op' || progress.get(a.id)?.state === 'done') finished.add(a.id);
  const env = {
    registry: o.registry,
    journal,
    services,
    limits: o.limits,
    stepGate: new SlotGate(),
    stopRequested,
    clouds: o.clouds,
    reporter,
    signal: hardSignal,
    meter: new ProgressMeter(reporter),
    resolve: { byId: graph.byId, state: () => store.current, finished: (id: string) => finished.has(id), secrets: o.registry.secrets, services },
  };
  const result = await walk(graph, progress, {
    parallelism: o.parallelism,
    limits: o.limits,
    reporter,
    stopRequested,
    run: (a, p) => runAction(a, p, env),
    onOutcome: (a, out: RunOutcome) => {
      if (out.kind === 'done') finished.add(a.id);
      if (out.kind === 'failed' && FATAL.has(out.code)) fatal ??= new PumphouseError(out.code, out.message, { address: a.address });
    },
  });
  if (hardSignal.aborted) throw lockLost(hardSignal);
  const outcomes = [...result.outcomes];
  // Interrupted wins: the plan is to be continued (same plan), not re-planned.
  const interrupted = outcomes.some(([, k]) => k === 'interrupted');
  const final: ApplyResult['result'] = interrupted ? 'interrupted' : result.failures.length > 0 || result.skipped.length > 0 ? 'failed' : 'ok';
  let serial = store.current.serial;
  try {
    await journal.record({ t: 'operation_end', plan_id: plan.plan_id, result: final, at: new Date().toISOString() });
    serial = (await store.compact()).serial;
  } catch (err) {
    throw fatal ?? err;
  }
  if (fatal) throw fatal;
  const out = summary(o, outcomes, result.failures, result.skipped, serial, started, final, resumed);
  const c = out.counts;
  emit(
    reporter,
    'apply_complete',
    final === 'ok' ? 'info' : 'warn',
    `apply ${final === 'ok' ? 'complete' : final}: ${c.done} done, ${c.already} done earlier, ${c.failed + c.precondition} failed, ${c.skipped} skipped${c.interrupted ? `, ${c.interrupted} not finished` : ''}`,
    { plan_id: plan.plan_id, done: c.done, failed: c.failed + c.precondition, skipped: c.skipped, elapsed_ms: out.elapsedMs },
  );
  return out;
}

function summary(
  o: ExecuteOptions,
  outcomes: readonly (readonly [string, OutcomeKind])[],
  failures: ApplyResult['failures'],
  skipped: ApplyResult['skipped'],
  serial: number,
  started: number,
  result: ApplyResult['result'],
  resumed = false,
): ApplyResult {
  const counts: Record<OutcomeKind, number> = { done: 0, already: 0, noop: 0, failed: 0, precondition: 0, skipped: 0, interrupted: 0 };
  for (const [, k] of outcomes) counts[k]++;
  const position = new Map(o.plan.actions.map((a, i) => [a.id, i]));
  const byPlan = <T extends { id: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => position.get(a.id)! - position.get(b.id)!);
  return {
    planId: o.plan.plan_id,
    sha256: o.sha256,
    result,
    resumed,
    counts,
    failures: byPlan(failures),
    skipped: byPlan(skipped),
    serial,
    statePath: o.store.path,
    elapsedMs: Date.now() - started,
  };
}

function lockLost(signal: AbortSignal): PumphouseError {
  const reason = signal.reason as unknown;
  return PumphouseError.is(reason) ? reason : new PumphouseError('PH_STATE_LOCKED', 'the state lock was lost during the apply');
}
