import { PumphouseError } from '../errors/index.js';
import type { Plan } from '../plan/index.js';
import type { HistoryEntry, StateFile } from '../state/index.js';

/** `fresh`: first apply of the plan; `resume`: an earlier apply of it started and did not finish. */
export type Freshness = 'fresh' | 'resume';

/**
 * Decides whether `plan` may be applied to `state` (the state file with its journal folded
 * in, before any recovery write). Throws PH_PLAN_STALE otherwise, saying why; nothing is
 * written either way.
 *
 * 1. The plan was applied completely before (a history entry of its id ended `ok`): stale.
 * 2. An apply of this plan started before (running, failed or interrupted entries): resume,
 *    if the lineage is the plan's, the first such entry started from the plan's serial (0
 *    for a plan made without state), and every history entry since belongs to this plan
 *    (another plan's apply or a `state rm` in between makes it stale). The serial itself
 *    has moved (journal compactions) and is not compared.
 * 3. Otherwise, a first apply: a plan made against a state needs the same lineage and serial;
 *    a plan made without a state (prior_state null, or serial 0: a missing state file reads
 *    as serial 0 with a random lineage, which is therefore not compared, as in Terraform)
 *    needs a state that is still empty (serial 0, no objects, no history): no state file
 *    was written since.
 */
export function checkFreshness(plan: Plan, state: StateFile, statePath: string): Freshness {
  // Serial 0 is a state that was never written: its lineage was made up when it was read.
  const prior = plan.prior_state && plan.prior_state.serial > 0 ? plan.prior_state : null;
  const mine = (h: HistoryEntry): boolean => h.plan_id === plan.plan_id && h.operation === 'apply';
  const location = { location: { file: statePath }, details: { plan_id: plan.plan_id, lineage: state.lineage, serial: state.serial } };
  const finished = state.history.find((h) => mine(h) && h.result === 'ok');
  if (finished) {
    throw new PumphouseError(
      'PH_PLAN_STALE',
      `plan ${plan.plan_id} was already applied completely (finished ${finished.finished_at ?? 'at an unknown time'}); make a new plan`,
      location,
    );
  }
  if (prior && prior.lineage !== state.lineage) {
    throw new PumphouseError(
      'PH_PLAN_STALE',
      `the plan was made from state lineage ${prior.lineage}, but ${statePath} has lineage ${state.lineage}: it belongs to another state file`,
      location,
    );
  }
  const first = state.history.findIndex(mine);
  if (first >= 0) {
    const expected = prior?.serial ?? 0;
    const entry = state.history[first]!;
    if (entry.serial_before !== expected) {
      throw new PumphouseError(
        'PH_PLAN_STALE',
        `the plan was made from state serial ${expected}, but its first apply started from serial ${entry.serial_before}; make a new plan`,
        location,
      );
    }
    const other = state.history.slice(first).find((h) => !mine(h));
    if (other) {
      const what = other.plan_id ? `an apply of plan ${other.plan_id}` : `'${other.operation}'`;
      throw new PumphouseError(
        'PH_PLAN_STALE',
        `${what} changed the state (${other.started_at}) since this plan was first applied; it cannot be resumed: make a new plan`,
        location,
      );
    }
    return 'resume';
  }
  if (!prior) {
    if (state.serial !== 0 || state.objects.length > 0 || state.history.length > 0) {
      throw new PumphouseError(
        'PH_PLAN_STALE',
        `the plan was made without a state file, but ${statePath} now exists (serial ${state.serial}); make a new plan`,
        location,
      );
    }
    return 'fresh';
  }
  if (prior.serial !== state.serial) {
    throw new PumphouseError(
      'PH_PLAN_STALE',
      `the plan was made from state serial ${prior.serial}, but ${statePath} is at serial ${state.serial}: the state changed since; make a new plan`,
      location,
    );
  }
  return 'fresh';
}
