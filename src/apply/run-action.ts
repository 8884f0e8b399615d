import { emit } from '../events/index.js';
import { toPumphouseError, type ErrorCode } from '../errors/index.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { ServiceContext, StepResult } from '../kinds/contract.js';
import { reportingResends } from '../kinds/common/resend-report.js';
import { recordedFacts, type Action } from '../plan/index.js';
import { findObject } from '../state/index.js';
import type { ActionProgress } from './action-progress.js';
import type { ApplyJournal } from './action-journal.js';
import { stepKeys, type SlotGate } from './limits.js';
import { failedPreconditions } from './preconditions.js';
import { stepContext, type StepEnv } from './step-context.js';
import type { ApplyLimits } from './types.js';

/** How running one action ended. */
export type RunOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly code: ErrorCode; readonly message: string }
  | { readonly kind: 'precondition'; readonly message: string }
  | { readonly kind: 'interrupted' };

const STOPPED = Symbol('stopped');

export interface ActionEnv extends StepEnv {
  readonly registry: KindRegistry;
  readonly journal: ApplyJournal;
  readonly services: ServiceContext;
  readonly limits: ApplyLimits;
  readonly stepGate: SlotGate;
  /** True once the operator asked to stop (Ctrl-C): no new step starts. */
  readonly stopRequested: () => boolean;
}

/**
 * Runs one action: re-checks its preconditions when none of its steps ran yet (a started
 * action has changed the very facts it was planned on), then each step not yet done in this
 * plan, journaling `pending` before and `done` after; a step left pending by a crash goes
 * through the handler's `resolvePending` first. Never throws: failures become outcomes and,
 * once a step has run, an `action_failed` record.
 */
export async function runAction(action: Action, progress: ActionProgress, env: ActionEnv): Promise<RunOutcome> {
  const started = Date.now();
  const journal = env.journal.forAction(action);
  const base = { id: action.id, address: action.address };
  if (progress.state === 'new' && action.preconditions.length > 0) {
    try {
      const failed = await failedPreconditions(action, env.registry.preconditions!, env.services);
      if (failed.length > 0) return { kind: 'precondition', message: `precondition failed: ${failed.join('; ')}` };
    } catch (err) {
      // Nothing ran: no journal record, the object keeps whatever state it had.
      return errored(action, toPumphouseError(err), env);
    }
  }
  if (env.stopRequested()) return { kind: 'interrupted' };
  const resuming = progress.state === 'started';
  const after = resuming && progress.stepsDone.length > 0 ? ` (resuming after ${progress.stepsDone.join(', ')})` : resuming ? ' (resuming)' : '';
  emit(env.reporter, 'action_start', 'info', `${action.address}: ${action.action}${after}`, { ...base, action: action.action });
  let pending = resuming ? progress.pending : null;
  const done = new Set(resuming ? progress.stepsDone : []);
  try {
    const handler = env.registry.handler(action.kind)!;
    for (const step of action.steps) {
      if (done.has(step)) continue;
      if (env.stopRequested()) {
        emit(env.reporter, 'log', 'info', `${action.address}: stopped before step ${step}; the next apply of this plan continues here`, {
          text: `stopped before ${step}`,
        });
        return { kind: 'interrupted' };
      }
      const ctx = stepContext(step, journal, env);
      const scope = { reporter: env.reporter, address: action.address, step };
      const t0 = Date.now();
      emit(env.reporter, 'step_start', 'debug', `${action.address}: ${step}`, { ...base, step });
      let result: StepResult | undefined;
      if (pending?.step === step && handler.resolvePending) {
        const r = await reportingResends(scope, () => handler.resolvePending!(step, action, ctx));
        if (r !== 'redo') result = r;
      }
      if (!result) {
        const ran = await env.stepGate.run(stepKeys(step, env.limits), async () => {
          // Ctrl-C while this step waited for a transfer slot: it has not started; leave it so.
          if (env.stopRequested()) return STOPPED;
          await journal.pending(step);
          return (await reportingResends(scope, () => handler.runStep(step, action, ctx))) ?? {};
        });
        if (ran === STOPPED) return { kind: 'interrupted' };
        result = ran;
      }
      pending = null;
      await journal.done(step, result.destinationId, result.outputs);
      emit(env.reporter, 'step_complete', 'debug', `${action.address}: ${step} done`, { ...base, step, elapsed_ms: Date.now() - t0 });
    }
    const o = findObject(journal.state, action.address);
    const mine = o?.action_id === action.id && o.plan_id === journal.planId ? o : undefined;
    const destinationId = mine?.destination_id ?? action.destination?.id;
    const status = action.action === 'delete' || action.action === 'revoke' ? 'deleted' : 'ready';
    await journal.actionDone(status, destinationId ?? undefined, recordedFacts(action, mine?.attributes ?? {}));
    emit(env.reporter, 'action_complete', 'info', `${action.address}: ${action.action} done`, {
      ...base,
      action: action.action,
      elapsed_ms: Date.now() - started,
      ...(destinationId ? { destination_id: destinationId } : {}),
    });
    return { kind: 'done' };
  } catch (err) {
    const e = toPumphouseError(err);
    try {
      await journal.actionFailed(e.code, e.message);
    } catch {
      // The journal itself failed (or the lock is lost): the walk stops on this code anyway.
    }
    return errored(action, e, env);
  }
}

function errored(action: Action, e: ReturnType<typeof toPumphouseError>, env: ActionEnv): RunOutcome {
  emit(env.reporter, 'action_errored', 'error', `${action.address}: ${action.action} failed: [${e.code}] ${e.message}`, {
    id: action.id,
    address: action.address,
    action: action.action,
    code: e.code,
    error: e.message,
  });
  return { kind: 'failed', code: e.code, message: e.message };
}

