import type { Reporter } from '../events/index.js';
import type { CloudAccess, Facts, RecordedProgress, ResolvedValue, StepContext, TemporaryInput } from '../kinds/contract.js';
import { findObject, type Temporary } from '../state/index.js';
import type { ActionJournal } from './action-journal.js';
import type { ProgressMeter } from './progress-meter.js';
import { resolveValue, type ResolveEnv } from './resolve-value.js';
import { waitFor } from './wait.js';

/** What every step context of one apply shares. */
export interface StepEnv {
  readonly clouds: CloudAccess;
  readonly reporter: Reporter;
  /** Aborted only when work must stop at once (lock lost). */
  readonly signal: AbortSignal;
  readonly meter: ProgressMeter;
  readonly resolve: ResolveEnv;
}

/** Builds the StepContext of `step` for the action `journal` writes for. */
export function stepContext(step: string, journal: ActionJournal, env: StepEnv): StepContext {
  const action = journal.action;
  const planId = journal.planId;
  const tempPrefix = `${action.id}/`;
  const recorded = (): RecordedProgress => {
    const o = findObject(journal.state, action.address);
    const mine = o !== undefined && o.action_id === action.id && o.plan_id === planId;
    return {
      // The state's id when this action's records hold one: the action's first record set
      // it to the plan's (ActionJournal.pending), so a different one was recorded by a step
      // of this action (made anew on a resumed apply, replaced after a retry). Otherwise
      // (nothing recorded yet, or an action that makes nothing) the plan's observed id.
      destinationId: (mine ? o.destination_id : null) ?? action.destination?.id ?? null,
      outputs: mine ? o.attributes : {},
      stepsDone: mine ? o.steps_done : [],
      remembered: mine && o.pending?.step === step ? (o.pending.data ?? null) : null,
    };
  };
  return {
    planId,
    step,
    marker: { sourceId: action.source?.id ?? action.address, kind: action.kind, planId },
    clouds: env.clouds,
    resolve: (value) => resolveValue(value, action.address, env.resolve),
    async resolveAfter() {
      const out: Record<string, ResolvedValue> = {};
      for (const [k, v] of Object.entries(action.after ?? {})) {
        if (v !== undefined) out[k] = await resolveValue(v, action.address, env.resolve);
      }
      return out;
    },
    get recorded() {
      return recorded();
    },
    async remember(facts: Facts) {
      await journal.pending(step, { ...(recorded().remembered ?? {}), ...facts });
    },
    temporaries: {
      async record(t: TemporaryInput) {
        const id = `${tempPrefix}${t.key}`;
        const prior = journal.state.temporaries.find((x) => x.id === id);
        const temp: Temporary = {
          id,
          kind: t.kind,
          cloud: t.cloud,
          resource_id: t.resourceId,
          project_id: t.projectId ?? null,
          details: t.details ?? {},
          address: action.address,
          plan_id: planId,
          action_id: action.id,
          created_at: prior?.created_at ?? new Date().toISOString(),
        };
        await journal.temp(temp);
      },
      async cleaned(key: string) {
        await journal.tempCleaned(`${tempPrefix}${key}`);
      },
      // By id prefix rather than plan: a re-plan of the same action (same deterministic id)
      // must also clean what an earlier plan's attempt left.
      list: () => journal.state.temporaries.filter((t) => t.id.startsWith(tempPrefix) && t.address === action.address),
    },
    progress: (label, done, total) => env.meter.report(action, label, done, total),
    wait: (what, poll, options) => waitFor(action.address, what, poll, options, env.reporter, env.signal),
    reporter: env.reporter,
    signal: env.signal,
  };
}
