import type { DiscoveryNote } from '../discovery/index.js';
import type { Reporter } from '../events/index.js';
import { StateStore, readLock, type StateFile } from '../state/index.js';

export interface PriorState {
  /** null when no state was ever written (the plan then records `prior_state: null`). */
  readonly state: StateFile | null;
  readonly notes: readonly DiscoveryNote[];
}

/**
 * The state a plan is made against, read without the lock and without writing anything:
 * the state file with its journal folded in (as `state list` reads it). The file is only
 * ever replaced by rename and the journal is read first, so the read is consistent even
 * while an apply runs. What may make the plan stale is said in notes, not fixed here:
 * - the lock is held (an apply or `state rm` is running): the state may move under the plan;
 * - the journal has records (a run was interrupted, or is running): apply folds them in
 *   first, which bumps the serial, and then refuses this plan as stale.
 */
export async function readPriorState(statePath: string, reporter?: Reporter): Promise<PriorState> {
  const store = StateStore.open(statePath, reporter ? { reporter } : {});
  const [{ state, report }, lock] = await Promise.all([store.load(), readLock(statePath)]);
  const notes: DiscoveryNote[] = [];
  if (lock) {
    notes.push({
      severity: 'warning',
      summary: `the state is locked by ${lock.Who} for ${lock.Operation}${lock.Info ? ` (${lock.Info})` : ''} since ${lock.Created}: the state may change before this plan is applied, and apply will then refuse it as stale`,
    });
  }
  if (report.applied > 0 || report.pending.length > 0) {
    notes.push({
      severity: 'warning',
      summary: `the state journal holds ${report.applied} record${report.applied === 1 ? '' : 's'} of a run that has not finished${report.pending.length ? ` (${report.pending.length} step${report.pending.length === 1 ? '' : 's'} in flight)` : ''}: apply folds them in first and will then refuse this plan as stale; finish that run, then plan again`,
    });
  }
  // A state never written has a lineage made up by this read: record no prior state.
  const never = state.serial === 0 && state.objects.length === 0 && state.history.length === 0 && report.applied === 0;
  return { state: never ? null : state, notes };
}
