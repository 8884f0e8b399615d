import { StateFold } from './fold.js';
import type { JournalRecord, StateFile } from './types.js';

/**
 * Folds one journal record into a state, returning a new state (the input is not changed).
 * Pure: the same state and record always give the same result, so replaying the journal
 * after a crash rebuilds exactly what the dead process had in memory. The serial is left
 * alone: it counts writes of the state file, and journal records sit on top of one serial.
 *
 * O(objects) per call, because the input is copied: to fold many records use
 * applyRecords() or a StateFold (O(1) amortised per record), as the store does.
 */
export function applyRecord(state: StateFile, record: JournalRecord): StateFile {
  const fold = new StateFold(state);
  fold.apply(record);
  return fold.state;
}

/** Folds records in order into a new state (the input is not changed). O(objects + records). */
export function applyRecords(state: StateFile, records: readonly JournalRecord[]): StateFile {
  const fold = new StateFold(state);
  for (const r of records) fold.apply(r);
  return fold.state;
}

/**
 * Marks every `running` history entry as `interrupted`: called by the next holder of the
 * lock, which knows the process that started them is gone.
 */
export function markInterrupted(state: StateFile): StateFile {
  if (!state.history.some((h) => h.result === 'running')) return state;
  return { ...state, history: state.history.map((h) => (h.result === 'running' ? { ...h, result: 'interrupted' } : h)) };
}

/** Fills `serial_after` of finished history entries that do not have one yet. */
export function closeHistory(state: StateFile, serial: number): StateFile {
  if (!state.history.some((h) => h.result !== 'running' && h.serial_after === null)) return state;
  return {
    ...state,
    history: state.history.map((h) => (h.result !== 'running' && h.serial_after === null ? { ...h, serial_after: serial } : h)),
  };
}
