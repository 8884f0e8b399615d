import type { Action } from '../plan/index.js';
import { findObject, type JournalRecord, type ObjectRecordBase, type StateFile, type StateStore, type Temporary } from '../state/index.js';

/**
 * Appends journal records for the whole apply. Every append is fsynced before it resolves;
 * `guard` is called first and throws once the apply may no longer write (the lock was lost).
 */
export class ApplyJournal {
  constructor(
    private readonly store: StateStore,
    readonly planId: string,
    private readonly guard: () => void,
  ) {}

  /** The state now (file + every record so far). */
  get state(): StateFile {
    return this.store.current;
  }

  async record(rec: JournalRecord): Promise<void> {
    this.guard();
    await this.store.record(rec);
  }

  /** A writer for the records of one action. */
  forAction(action: Action): ActionJournal {
    return new ActionJournal(this, action);
  }
}

/** The records of one action: object records carry its address, kind, source id and ids. */
export class ActionJournal {
  constructor(
    private readonly journal: ApplyJournal,
    readonly action: Action,
  ) {}

  get state(): StateFile {
    return this.journal.state;
  }

  get planId(): string {
    return this.journal.planId;
  }

  /**
   * Records that `step` is about to act. The first record of the action also sets the
   * object's destination id to the plan's (null when the plan has none): from then on the
   * state's id is the plan's or one a step of this very action recorded, never an id an
   * earlier action left behind (see StepContext.recorded).
   */
  pending(step: string, data?: Readonly<Record<string, unknown>>): Promise<void> {
    const starts = !this.#recordedYet();
    return this.journal.record({
      t: 'pending',
      ...this.#base(),
      step,
      ...(data ? { data } : {}),
      ...(starts ? { destination_id: this.action.destination?.id ?? null } : {}),
    });
  }

  /** True once the state holds a record of this action in this plan. */
  #recordedYet(): boolean {
    const o = findObject(this.journal.state, this.action.address);
    return o !== undefined && o.action_id === this.action.id && o.plan_id === this.journal.planId;
  }

  done(step: string, destinationId: string | undefined, attributes: Readonly<Record<string, unknown>> | undefined): Promise<void> {
    return this.journal.record({
      t: 'done',
      ...this.#base(),
      step,
      ...(destinationId !== undefined ? { destination_id: destinationId } : {}),
      ...(attributes && Object.keys(attributes).length > 0 ? { attributes } : {}),
    });
  }

  actionDone(status: 'ready' | 'deleted', destinationId: string | undefined, attributes: Readonly<Record<string, unknown>>): Promise<void> {
    return this.journal.record({
      t: 'action_done',
      ...this.#base(),
      status,
      ...(destinationId !== undefined ? { destination_id: destinationId } : {}),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    });
  }

  actionFailed(code: string, message: string): Promise<void> {
    return this.journal.record({ t: 'action_failed', ...this.#base(), error: { code, message } });
  }

  temp(temp: Temporary): Promise<void> {
    return this.journal.record({ t: 'temp', at: now(), temp });
  }

  tempCleaned(id: string): Promise<void> {
    return this.journal.record({ t: 'temp_cleaned', at: now(), id });
  }

  #base(): ObjectRecordBase {
    const a = this.action;
    return { address: a.address, kind: a.kind, source_id: a.source?.id ?? a.address, plan_id: this.journal.planId, action_id: a.id, at: now() };
  }
}

function now(): string {
  return new Date().toISOString();
}
