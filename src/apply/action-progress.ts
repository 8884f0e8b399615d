import type { Plan } from '../plan/index.js';
import { findObject, type PendingStep, type StateFile } from '../state/index.js';
import type { ApplyGraph } from './graph.js';

/** Where one action of the plan stands according to the state (journal folded in). */
export type ActionProgress =
  /** No step of it ran in this plan. */
  | { readonly state: 'new' }
  /** Some steps ran in this plan (crash, failure or Ctrl-C): continue after `stepsDone`. */
  | { readonly state: 'started'; readonly stepsDone: readonly string[]; readonly pending: PendingStep | null }
  /** It finished in an earlier run of this plan. */
  | { readonly state: 'done' };

const NEW: ActionProgress = { state: 'new' };
const DONE: ActionProgress = { state: 'done' };

/**
 * Each action's progress in `plan`, read from the state objects at its address. An object
 * records one action at a time (its `action_id` and `plan_id`); on an address shared by
 * several actions, which the graph runs one after another, the actions before the recorded
 * one are done, the recorded one is done when `ready`/`deleted` and started otherwise, and
 * the later ones are new. An object last touched by another plan says nothing about this one.
 */
export function actionProgress(plan: Plan, graph: ApplyGraph, state: StateFile): Map<string, ActionProgress> {
  const out = new Map<string, ActionProgress>();
  for (const [address, chain] of graph.chains) {
    const object = findObject(state, address);
    const k = object && object.plan_id === plan.plan_id ? chain.findIndex((a) => a.id === object.action_id) : -1;
    chain.forEach((a, i) => {
      if (k < 0 || i > k) out.set(a.id, NEW);
      else if (i < k || object!.status === 'ready' || object!.status === 'deleted') out.set(a.id, DONE);
      else out.set(a.id, { state: 'started', stepsDone: object!.steps_done, pending: object!.pending });
    });
  }
  return out;
}
