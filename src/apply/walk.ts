import { emit, type Reporter } from '../events/index.js';
import { PumphouseError } from '../errors/index.js';
import type { Action } from '../plan/index.js';
import type { ActionProgress } from './action-progress.js';
import type { ApplyGraph } from './graph.js';
import { actionKeys, Slots } from './limits.js';
import type { RunOutcome } from './run-action.js';
import type { ActionProblem, ApplyLimits, OutcomeKind, SkippedAction } from './types.js';

export interface WalkOptions {
  readonly parallelism: number;
  readonly limits: ApplyLimits;
  readonly reporter: Reporter;
  /** True once nothing new may start (Ctrl-C, or the journal/lock broke). */
  readonly stopRequested: () => boolean;
  readonly run: (action: Action, progress: ActionProgress) => Promise<RunOutcome>;
  /** Called with each outcome as it happens (to stop on fatal errors). */
  readonly onOutcome?: (action: Action, outcome: RunOutcome) => void;
}

export interface WalkResult {
  readonly outcomes: ReadonlyMap<string, OutcomeKind>;
  readonly failures: readonly ActionProblem[];
  readonly skipped: readonly SkippedAction[];
}

const BAD: ReadonlySet<OutcomeKind> = new Set(['failed', 'precondition', 'skipped']);

/**
 * Walks the graph: an action starts once all its prerequisites finished, when fewer than
 * `parallelism` actions run and its limit keys have room; among ready actions the earliest in
 * plan order goes first, but one blocked by a key does not hold back the others. A failed
 * action (or failed precondition) stops its dependents (`action_skipped`); independent
 * branches go on. Once `stopRequested()`, nothing new starts, running actions finish their
 * current step, and whatever did not run is `interrupted`. No-ops and actions an earlier run
 * of the plan finished are settled at once without a slot.
 */
export async function walk(graph: ApplyGraph, progress: ReadonlyMap<string, ActionProgress>, options: WalkOptions): Promise<WalkResult> {
  const outcomes = new Map<string, OutcomeKind>();
  const failures: ActionProblem[] = [];
  const skipped: SkippedAction[] = [];
  const waiting = new Map<string, number>();
  const ready: Action[] = [];
  const slots = new Slots();
  const running = new Map<string, Promise<void>>();

  const settle = (first: Action, kind: OutcomeKind): void => {
    const stack: [Action, OutcomeKind][] = [[first, kind]];
    while (stack.length > 0) {
      const [a, k] = stack.pop()!;
      if (outcomes.has(a.id)) continue;
      outcomes.set(a.id, k);
      for (const id of graph.dependents.get(a.id) ?? []) {
        const d = graph.byId.get(id)!;
        if (outcomes.has(id)) continue;
        if (BAD.has(k)) {
          const because = `depends on ${a.address}, which ${k === 'skipped' ? 'was skipped' : 'failed'}`;
          skipped.push({ id, address: d.address, because });
          emit(options.reporter, 'action_skipped', 'warn', `${d.address}: skipped: ${because}`, { id, address: d.address, because });
          stack.push([d, 'skipped']);
        } else if (k === 'interrupted') {
          stack.push([d, 'interrupted']);
        } else {
          const left = waiting.get(id)! - 1;
          waiting.set(id, left);
          if (left === 0) insertByPosition(ready, d, graph);
        }
      }
    }
  };

  for (const a of graph.actions) waiting.set(a.id, graph.prerequisites.get(a.id)!.length);
  for (const a of graph.actions) {
    if (a.action === 'no-op') settle(a, 'noop');
    else if (progress.get(a.id)?.state === 'done') settle(a, 'already');
  }
  for (const a of graph.actions) if (!outcomes.has(a.id) && waiting.get(a.id) === 0 && !ready.includes(a)) insertByPosition(ready, a, graph);

  const finish = (a: Action, out: RunOutcome): void => {
    options.onOutcome?.(a, out);
    if (out.kind === 'failed') failures.push({ id: a.id, address: a.address, action: a.action, code: out.code, message: out.message });
    if (out.kind === 'precondition') {
      failures.push({ id: a.id, address: a.address, action: a.action, code: 'PH_PRECONDITION_FAILED', message: out.message });
      emit(options.reporter, 'action_skipped', 'error', `${a.address}: ${out.message}`, { id: a.id, address: a.address, because: out.message });
    }
    settle(a, out.kind);
  };

  for (;;) {
    if (!options.stopRequested()) {
      for (let i = 0; i < ready.length && running.size < options.parallelism; ) {
        const a = ready[i]!;
        // Made ready by a settled prerequisite, then settled itself (done in an earlier run).
        if (outcomes.has(a.id)) {
          ready.splice(i, 1);
          continue;
        }
        const keys = actionKeys(a, options.limits);
        if (!slots.free(keys)) {
          i++;
          continue;
        }
        ready.splice(i, 1);
        slots.take(keys);
        const p = options
          .run(a, progress.get(a.id) ?? { state: 'new' })
          .catch((err: unknown): RunOutcome => ({ kind: 'failed', code: 'PH_INTERNAL', message: `unexpected error: ${(err as Error).message}` }))
          .then((out) => {
            slots.give(keys);
            running.delete(a.id);
            finish(a, out);
          });
        running.set(a.id, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  const leftover = graph.actions.filter((a) => !outcomes.has(a.id));
  if (leftover.length > 0 && !options.stopRequested()) {
    throw new PumphouseError('PH_INTERNAL', `the apply graph stalled with ${leftover.length} action(s) never ready (first: ${leftover[0]!.address})`, {
      source: 'internal',
    });
  }
  for (const a of leftover) outcomes.set(a.id, 'interrupted');
  return { outcomes, failures, skipped };
}

/** Keeps `ready` in plan order (binary insertion). */
function insertByPosition(ready: Action[], a: Action, graph: ApplyGraph): void {
  const pos = graph.position.get(a.id)!;
  let lo = 0;
  let hi = ready.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (graph.position.get(ready[mid]!.id)! < pos) lo = mid + 1;
    else hi = mid;
  }
  ready.splice(lo, 0, a);
}
