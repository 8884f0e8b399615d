import type { Problem } from '../errors/index.js';
import type { ActionSpill } from './action-spill.js';
import type { CanonicalBytes, ItemWriter } from './canonical-writer.js';
import { Place } from './spill-offsets.js';
import type { Action, Attributes, DestinationObject, Impact, Precondition, Reason, SourceObject } from './types.js';

/** What a SpilledAction's text holds: the whole action but its two holes. */
export type SpilledBody = Omit<Action, 'depends_on' | 'reason'>;

/** Actions are items of the plan's `actions` member: level 2 of the canonical text. */
export const ACTION_LEVEL = 2;
/** The members left out of a spilled action's text (they change after it is spilled). */
export const HOLES = ['depends_on', 'reason'] as const;

/**
 * An action whose bulky members are in an ActionSpill. Reads like any Action (the spilled
 * members are getters that read the file back), and its toJSON() is the whole action.
 */
export class SpilledAction implements Action {
  readonly id: string;
  readonly address: string;
  readonly kind: Action['kind'];
  readonly action: Action['action'];
  /** May be rewritten until the plan is written (--target does). */
  reason: Reason;
  /** Set when the plan is assembled. */
  depends_on: readonly string[];
  readonly tenant?: string;
  readonly host?: string;
  readonly impact: Impact;
  readonly steps: readonly string[];
  /** Kept too: few actions have any, and a review lists them all (reading every action back to find them). */
  readonly warnings?: readonly string[];
  readonly #spill: ActionSpill;
  /** Its place in the spill: where its text is, and where its two holes are, are the spill's (SpillOffsets). */
  readonly ordinal: number;

  constructor(spill: ActionSpill, a: Action, ordinal: number) {
    this.id = a.id;
    this.address = a.address;
    this.kind = a.kind;
    this.action = a.action;
    this.reason = a.reason;
    this.depends_on = a.depends_on;
    if (a.tenant !== undefined) this.tenant = a.tenant;
    if (a.host !== undefined) this.host = a.host;
    this.impact = a.impact;
    this.steps = a.steps;
    if (a.warnings !== undefined) this.warnings = a.warnings;
    this.#spill = spill;
    this.ordinal = ordinal;
  }

  /** Where the text is in the spill file. */
  get spillStart(): number {
    return this.#spill.place(this, Place.Start);
  }

  get spillLength(): number {
    return this.#spill.place(this, Place.Length);
  }

  /** Where its two holes go, from the start of its text. */
  get dependsAt(): number {
    return this.#spill.place(this, Place.DependsAt);
  }

  get reasonAt(): number {
    return this.#spill.place(this, Place.ReasonAt);
  }

  get source(): SourceObject | undefined {
    return this.#spill.body(this).source;
  }

  get destination(): DestinationObject | undefined {
    return this.#spill.body(this).destination;
  }

  get before(): Attributes | null | undefined {
    return this.#spill.body(this).before;
  }

  get after(): Attributes | undefined {
    return this.#spill.body(this).after;
  }

  get preconditions(): readonly Precondition[] {
    return this.#spill.body(this).preconditions;
  }

  /** What the spill holding this action found wrong in the actions spilled (schema, secrets). */
  get problems(): readonly Problem[] {
    return this.#spill.problems;
  }

  /** The canonical text of the action at `level` (where it was spilled), holes filled, into `w`. */
  writeTo(w: CanonicalBytes, level: number): void {
    if (level !== ACTION_LEVEL) throw new Error(`a spilled action is written at level ${ACTION_LEVEL}, not ${level}`);
    const text = this.#spill.text(this);
    const dependsAt = this.#spill.place(this, Place.DependsAt);
    const reasonAt = this.#spill.place(this, Place.ReasonAt);
    w.raw(text.subarray(0, dependsAt));
    w.member(ACTION_LEVEL + 1, 'depends_on', this.depends_on);
    w.raw(text.subarray(dependsAt, reasonAt));
    w.member(ACTION_LEVEL + 1, 'reason', this.reason);
    w.raw(text.subarray(reasonAt));
  }

  /**
   * Like writeTo, but the spilled text stays where it is: the holes are written into `w`, and
   * `ops` gets, per stretch of spilled text, where it goes in `w`'s text and where it is in the
   * spill (`position, spill, from, to`), for the plan text thread to splice in. False (nothing
   * written) when the text was not written by the thread.
   */
  spliceTo(w: CanonicalBytes, ops: number[], level: number): boolean {
    const spill = this.#spill.threadSpill(this);
    if (spill === 0) return false;
    if (level !== ACTION_LEVEL) throw new Error(`a spilled action is written at level ${ACTION_LEVEL}, not ${level}`);
    const start = this.#spill.place(this, Place.Start);
    const dependsAt = start + this.#spill.place(this, Place.DependsAt);
    const reasonAt = start + this.#spill.place(this, Place.ReasonAt);
    ops.push(w.position, spill, start, dependsAt);
    w.member(ACTION_LEVEL + 1, 'depends_on', this.depends_on);
    ops.push(w.position, spill, dependsAt, reasonAt);
    w.member(ACTION_LEVEL + 1, 'reason', this.reason);
    ops.push(w.position, spill, reasonAt, start + this.#spill.place(this, Place.Length));
    return true;
  }

  /** The whole action as plain data (what JSON.stringify and the canonical writer see). */
  toJSON(): Action {
    return { ...this.#spill.body(this), depends_on: this.depends_on, reason: this.reason };
  }
}

/** Writes the spilled actions of a plan's `actions` member from their spilled text. */
export const SPILLED_ACTIONS: ItemWriter = {
  takes: (item) => item instanceof SpilledAction,
  write: (w, item, level) => (item as SpilledAction).writeTo(w, level),
};

/**
 * Writes the spilled actions of a plan's `actions` member as SPILLED_ACTIONS does, except that
 * the text the plan text thread wrote is left to it: `ops` says where it goes (see spliceTo).
 */
export class SplicedActions implements ItemWriter {
  /** Per stretch of spilled text: position in the writer's text, spill, from, to (flattened). */
  readonly ops: number[] = [];

  takes(item: unknown): boolean {
    return item instanceof SpilledAction;
  }

  write(w: CanonicalBytes, item: unknown, level: number): void {
    const a = item as SpilledAction;
    if (!a.spliceTo(w, this.ops, level)) a.writeTo(w, level);
  }
}
