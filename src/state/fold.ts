import type { HistoryEntry, JournalRecord, ObjectRecordBase, StateFile, StateObject, Temporary } from './types.js';

/**
 * Address -> position in an objects array that a StateFold keeps up to date. findObject()
 * uses it, so looking an object up in a fold's state is O(1) instead of a scan.
 */
const LIVE_INDEXES = new WeakMap<readonly StateObject[], ReadonlyMap<string, number>>();

/** The object at `address` in `objects` through a fold's index, or null when `objects` has none. */
export function indexedObject(objects: readonly StateObject[], address: string): StateObject | undefined | null {
  const index = LIVE_INDEXES.get(objects);
  if (!index) return null;
  const i = index.get(address);
  return i === undefined ? undefined : objects[i];
}

/**
 * A state being folded: journal records applied one after another in O(1) amortised each
 * (an apply of 600,000 actions writes about two million records; copying the objects array
 * per record made that quadratic).
 *
 * The fold owns copies of the base state's arrays and changes them in place; `state` is a
 * StateFile over those arrays, always the same object, always current. Objects themselves
 * are never changed in place (a record replaces an object by a new one), so an object read
 * from `state` stays as it was; the arrays do not. Whoever needs a fixed snapshot copies
 * the arrays (the store writes them out as JSON, which is such a copy).
 *
 * Costs: `temp`/`temp_cleaned` are O(temporaries alive), which apply keeps small (a
 * temporary is cleaned as soon as its step is done); history updates look from the end,
 * where the running entry is.
 */
export class StateFold {
  /** The folded state; its arrays are updated in place by apply(). */
  readonly state: StateFile;
  readonly #objects: StateObject[];
  readonly #temporaries: Temporary[];
  readonly #history: HistoryEntry[];
  readonly #byAddress = new Map<string, number>();

  /** A fold starting from `base` (its arrays are copied once: `base` is never changed). */
  constructor(base: StateFile) {
    this.#objects = [...base.objects];
    this.#temporaries = [...base.temporaries];
    this.#history = [...base.history];
    for (let i = 0; i < this.#objects.length; i++) {
      const address = (this.#objects[i] as StateObject).address;
      // The first object at an address wins, as a scan would find it.
      if (!this.#byAddress.has(address)) this.#byAddress.set(address, i);
    }
    LIVE_INDEXES.set(this.#objects, this.#byAddress);
    this.state = { ...base, objects: this.#objects, temporaries: this.#temporaries, history: this.#history };
  }

  /** The object recorded at `address`. O(1). */
  find(address: string): StateObject | undefined {
    const i = this.#byAddress.get(address);
    return i === undefined ? undefined : this.#objects[i];
  }

  /**
   * Folds one record (see replay.ts for what each record does). The serial is left alone:
   * it counts writes of the state file, and journal records sit on top of one serial.
   */
  apply(record: JournalRecord): void {
    switch (record.t) {
      case 'operation_start':
        this.#history.push({
          plan_id: record.plan_id,
          operation: record.operation,
          started_at: record.at,
          finished_at: null,
          result: 'running',
          done: 0,
          failed: 0,
          serial_before: this.state.serial,
          serial_after: null,
        });
        return;
      case 'operation_end':
        this.#updateRunning(record.plan_id, (h) => ({ ...h, result: record.result, finished_at: record.at }));
        return;
      case 'pending': {
        const prior = this.#objectFor(record);
        this.#put({
          ...prior,
          status: 'pending',
          pending: { step: record.step, at: record.at, ...(record.data === undefined ? {} : { data: record.data }) },
          // Present only on an action's first record: the id the plan starts it from.
          destination_id: record.destination_id === undefined ? prior.destination_id : record.destination_id,
          error: null,
          updated_at: record.at,
        });
        return;
      }
      case 'done': {
        const same = this.#sameAction(record);
        const prior = this.#objectFor(record);
        this.#put({
          ...prior,
          // A late `done` of an action that already finished leaves it finished; any other
          // step means an action is under way.
          status: same && (prior.status === 'ready' || prior.status === 'deleted') ? prior.status : 'pending',
          step: record.step,
          steps_done: prior.steps_done.includes(record.step) ? prior.steps_done : [...prior.steps_done, record.step],
          pending: prior.pending?.step === record.step ? null : prior.pending,
          destination_id: record.destination_id ?? prior.destination_id,
          attributes: record.attributes ? { ...prior.attributes, ...record.attributes } : prior.attributes,
          updated_at: record.at,
        });
        return;
      }
      case 'action_done': {
        const prior = this.#objectFor(record);
        this.#put({
          ...prior,
          status: record.status ?? 'ready',
          pending: null,
          error: null,
          destination_id: record.destination_id ?? prior.destination_id,
          attributes: record.attributes ? { ...prior.attributes, ...record.attributes } : prior.attributes,
          updated_at: record.at,
        });
        this.#updateRunning(record.plan_id, (h) => ({ ...h, done: h.done + 1 }));
        return;
      }
      case 'action_failed': {
        const prior = this.#objectFor(record);
        // The pending step (if any) stays recorded: what it was making may exist and must be
        // looked up before anything is made again.
        this.#put({
          ...prior,
          status: 'tainted',
          error: { code: record.error.code, message: record.error.message, at: record.at },
          updated_at: record.at,
        });
        this.#updateRunning(record.plan_id, (h) => ({ ...h, failed: h.failed + 1 }));
        return;
      }
      case 'temp': {
        // A temporary recorded again moves to the end, as a filter-and-append would.
        this.#removeTemporary(record.temp.id);
        this.#temporaries.push(record.temp);
        return;
      }
      case 'temp_cleaned':
        this.#removeTemporary(record.id);
        return;
    }
  }

  /** Replaces the object at its address, or appends it. O(1) amortised. */
  #put(object: StateObject): void {
    const i = this.#byAddress.get(object.address);
    if (i === undefined) {
      this.#byAddress.set(object.address, this.#objects.length);
      this.#objects.push(object);
    } else {
      this.#objects[i] = object;
    }
  }

  /**
   * The object a record is about. A record of a new action (another action id, or the same
   * id in another plan) starts the step list afresh, so `steps_done` always describes the
   * current action only.
   */
  #objectFor(r: ObjectRecordBase): StateObject {
    const prior = this.find(r.address);
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

  #sameAction(r: ObjectRecordBase): boolean {
    const o = this.find(r.address);
    return o?.action_id === r.action_id && o.plan_id === r.plan_id;
  }

  /** Applies `change` to the latest `running` history entry of `planId`, if there is one. */
  #updateRunning(planId: string | null, change: (h: HistoryEntry) => HistoryEntry): void {
    for (let i = this.#history.length - 1; i >= 0; i--) {
      const h = this.#history[i] as HistoryEntry;
      if (h.result === 'running' && h.plan_id === planId) {
        this.#history[i] = change(h);
        return;
      }
    }
  }

  #removeTemporary(id: string): void {
    // Every copy goes, as a filter would (a hand-edited file may hold two).
    for (let i = this.#temporaries.length - 1; i >= 0; i--) {
      if ((this.#temporaries[i] as Temporary).id === id) this.#temporaries.splice(i, 1);
    }
  }
}
