import { findObject, upsertObject } from './model.js';
import type { HistoryEntry, JournalRecord, ObjectRecordBase, StateFile, StateObject } from './types.js';

/**
 * Folds one journal record into a state, returning a new state (the input is not changed).
 * Pure: the same state and record always give the same result, so replaying the journal
 * after a crash rebuilds exactly what the dead process had in memory. The serial is left
 * alone: it counts writes of the state file, and journal records sit on top of one serial.
 */
export function applyRecord(state: StateFile, record: JournalRecord): StateFile {
  switch (record.t) {
    case 'operation_start': {
      const entry: HistoryEntry = {
        plan_id: record.plan_id,
        operation: record.operation,
        started_at: record.at,
        finished_at: null,
        result: 'running',
        done: 0,
        failed: 0,
        serial_before: state.serial,
        serial_after: null,
      };
      return { ...state, history: [...state.history, entry] };
    }
    case 'operation_end':
      return updateRunning(state, record.plan_id, (h) => ({ ...h, result: record.result, finished_at: record.at }));
    case 'pending': {
      const prior = objectFor(state, record);
      return upsertObject(state, {
        ...prior,
        status: 'pending',
        pending: { step: record.step, at: record.at, ...(record.data === undefined ? {} : { data: record.data }) },
        error: null,
        updated_at: record.at,
      });
    }
    case 'done': {
      const prior = objectFor(state, record);
      return upsertObject(state, {
        ...prior,
        // A late `done` of an action that already finished leaves it finished; any other
        // step means an action is under way.
        status: sameAction(state, record) && (prior.status === 'ready' || prior.status === 'deleted') ? prior.status : 'pending',
        step: record.step,
        steps_done: prior.steps_done.includes(record.step) ? prior.steps_done : [...prior.steps_done, record.step],
        pending: prior.pending?.step === record.step ? null : prior.pending,
        destination_id: record.destination_id ?? prior.destination_id,
        attributes: record.attributes ? { ...prior.attributes, ...record.attributes } : prior.attributes,
        updated_at: record.at,
      });
    }
    case 'action_done': {
      const prior = objectFor(state, record);
      const next = upsertObject(state, {
        ...prior,
        status: record.status ?? 'ready',
        pending: null,
        error: null,
        destination_id: record.destination_id ?? prior.destination_id,
        attributes: record.attributes ? { ...prior.attributes, ...record.attributes } : prior.attributes,
        updated_at: record.at,
      });
      return updateRunning(next, record.plan_id, (h) => ({ ...h, done: h.done + 1 }));
    }
    case 'action_failed': {
      const prior = objectFor(state, record);
      // The pending step (if any) stays recorded: what it was making may exist and must be
      // looked up before anything is made again.
      const next = upsertObject(state, {
        ...prior,
        status: 'tainted',
        error: { code: record.error.code, message: record.error.message, at: record.at },
        updated_at: record.at,
      });
      return updateRunning(next, record.plan_id, (h) => ({ ...h, failed: h.failed + 1 }));
    }
    case 'temp': {
      const others = state.temporaries.filter((t) => t.id !== record.temp.id);
      return { ...state, temporaries: [...others, record.temp] };
    }
    case 'temp_cleaned':
      return { ...state, temporaries: state.temporaries.filter((t) => t.id !== record.id) };
  }
}

/** Folds records in order. */
export function applyRecords(state: StateFile, records: readonly JournalRecord[]): StateFile {
  return records.reduce(applyRecord, state);
}

/**
 * The object a record is about. A record of a new action (another action id, or the same id
 * in another plan) starts the step list afresh, so `steps_done` always describes the current
 * action only.
 */
function objectFor(state: StateFile, r: ObjectRecordBase): StateObject {
  const prior = findObject(state, r.address);
  // Action ids are deterministic (address + action), so a later plan re-planning the same
  // action reuses the id: only the same action of the same plan continues its step list.
  if (prior && prior.action_id === r.action_id && prior.plan_id === r.plan_id) return prior;
  if (prior) return { ...prior, plan_id: r.plan_id, action_id: r.action_id, step: null, steps_done: [], pending: null };
  return {
    address: r.address,
    kind: r.kind,
    source_id: r.source_id,
    destination_id: null,
    status: 'pending',
    step: null,
    steps_done: [],
    pending: null,
    attributes: {},
    error: null,
    plan_id: r.plan_id,
    action_id: r.action_id,
    updated_at: r.at,
  };
}

function sameAction(state: StateFile, r: ObjectRecordBase): boolean {
  const o = findObject(state, r.address);
  return o?.action_id === r.action_id && o.plan_id === r.plan_id;
}

/** Applies `change` to the latest `running` history entry of `planId`, if there is one. */
function updateRunning(state: StateFile, planId: string | null, change: (h: HistoryEntry) => HistoryEntry): StateFile {
  for (let i = state.history.length - 1; i >= 0; i--) {
    const h = state.history[i] as HistoryEntry;
    if (h.result === 'running' && h.plan_id === planId) {
      return { ...state, history: state.history.map((e, j) => (j === i ? change(e) : e)) };
    }
  }
  return state;
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
