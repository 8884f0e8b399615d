import { PumphouseError } from '../errors/index.js';
import type { DetailTexts } from './detail-texts.js';
import type { PlanCopy } from './plan-copy.js';
import type { Action, Attributes, DestinationObject, Impact, Precondition, Reason, SourceObject } from './types.js';

/**
 * An action of a plan read for `show` (readPlanForShow): keeps what the review and the
 * listing read (identity, reason, impact, warnings), and reads the rest back from the plan's
 * private copy, parsing its text again, when the detail is rendered (or has its text detail
 * block made in advance: `textDetail()`). Reads like any Action; `toJSON()` is the whole
 * action (not for a plan read for a text rendering).
 */
export class ShownAction implements Action {
  readonly id: string;
  readonly address: string;
  readonly kind: Action['kind'];
  readonly action: Action['action'];
  readonly reason: Reason;
  readonly tenant?: string;
  readonly host?: string;
  readonly impact: Impact;
  readonly warnings?: readonly string[];
  /** Position in the plan's actions. */
  readonly ordinal: number;
  /**
   * `detailLineCount(this, review.addressOf)` when it does not depend on how `$ref`s resolve
   * (counted when the action was read, for a Markdown rendering that only counts the details
   * it leaves out), -1 when unknown.
   */
  readonly detailLines: number;
  readonly #actions: ShownActions;

  constructor(actions: ShownActions, a: Action, ordinal: number, detailLines: number, shared: Shared) {
    this.id = a.id;
    this.address = a.address;
    this.kind = shared.word(a.kind);
    this.action = shared.word(a.action);
    this.reason = shared.reason(a.reason);
    if (a.tenant !== undefined) this.tenant = shared.word(a.tenant);
    if (a.host !== undefined) this.host = shared.word(a.host);
    this.impact = shared.impact(a.impact);
    if (a.warnings !== undefined) this.warnings = a.warnings;
    this.ordinal = ordinal;
    this.detailLines = detailLines;
    this.#actions = actions;
  }

  get depends_on(): readonly string[] {
    return this.#actions.full(this).depends_on;
  }

  get steps(): readonly string[] {
    return this.#actions.full(this).steps;
  }

  get source(): SourceObject | undefined {
    return this.#actions.full(this).source;
  }

  get destination(): DestinationObject | undefined {
    return this.#actions.full(this).destination;
  }

  get before(): Attributes | null | undefined {
    return this.#actions.full(this).before;
  }

  get after(): Attributes | undefined {
    return this.#actions.full(this).after;
  }

  get preconditions(): readonly Precondition[] {
    return this.#actions.full(this).preconditions;
  }

  /**
   * This action's block of the text rendering's Details (its lines, each ending with a
   * newline), when it was made as the plan was read; undefined otherwise.
   */
  textDetail(): string | undefined {
    return this.#actions.textDetail(this);
  }

  /** The whole action as plain data, as the plan file holds it. */
  toJSON(): Action {
    return this.#actions.full(this);
  }
}

/**
 * The whole actions behind a plan's ShownActions: parsed again from the plan's private copy
 * (the last one kept), or kept whole when read (the few a text rendering could not make the
 * detail of in advance); and the text rendering's detail blocks made in advance.
 */
export class ShownActions {
  readonly #copy: PlanCopy | undefined;
  readonly #texts: DetailTexts | undefined;
  readonly #whole = new Map<number, Action>();
  #last: { readonly shown: ShownAction; readonly action: Action } | undefined;

  constructor(from: { readonly copy?: PlanCopy; readonly texts?: DetailTexts }) {
    this.#copy = from.copy;
    this.#texts = from.texts;
  }

  /** Keeps the whole action at `ordinal` (read from nowhere else). */
  keepWhole(ordinal: number, action: Action): void {
    this.#whole.set(ordinal, action);
  }

  /** Lets go of the whole action at `ordinal` kept by keepWhole. */
  letGo(ordinal: number): void {
    this.#whole.delete(ordinal);
  }

  /** The whole action `shown` stands for (the detail of one action reads several members in a row). */
  full(shown: ShownAction): Action {
    const whole = this.#whole.get(shown.ordinal);
    if (whole) return whole;
    if (this.#last?.shown === shown) return this.#last.action;
    if (!this.#copy) throw new PumphouseError('PH_INTERNAL', `action ${shown.address} is not held whole (the plan was read for one rendering, which does not need it)`);
    const action = JSON.parse(this.#copy.text(shown.ordinal)) as Action;
    // The places come from the verified canonical text; this only guards against a slip.
    if (action.id !== shown.id) {
      throw new PumphouseError('PH_INTERNAL', `the plan copy holds ${action.id} where action ${shown.ordinal} (${shown.id}) should be`);
    }
    this.#last = { shown, action };
    return action;
  }

  /** The text rendering's Details block of `shown` made when it was read, if it was. */
  textDetail(shown: ShownAction): string | undefined {
    return this.#texts?.text(shown.ordinal);
  }

  /** Lets go of the last action read. */
  forget(): void {
    this.#last = undefined;
    this.#whole.clear();
  }
}

/**
 * One copy of the strings and small objects many actions repeat (kinds, actions, tenant and
 * host names, reasons, impacts without numbers): at 610,000 actions each parsed copy is tens
 * of megabytes. Renderers only read them.
 */
export class Shared {
  readonly #words = new Map<string, string>();
  readonly #reasons = new Map<string, Reason>();
  readonly #impacts = new Map<number, Impact>();

  word<T extends string>(s: T): T {
    const known = this.#words.get(s);
    if (known !== undefined) return known as T;
    this.#words.set(s, s);
    return s;
  }

  reason(r: Reason): Reason {
    const key = `${r.code}\n${r.text}`;
    const known = this.#reasons.get(key);
    if (known) return known;
    // Only the two members a reason has: a parsed one with more is kept as it is.
    if (Object.keys(r).length !== 2) return r;
    this.#reasons.set(key, r);
    return r;
  }

  impact(i: Impact): Impact {
    // Only the three flags: an impact with numbers (bytes, durations) is its action's own.
    const keys = Object.keys(i);
    if (keys.length !== 3 || i.bytes !== undefined || i.downtime_s !== undefined || i.estimate_s !== undefined) return i;
    const key = (i.irreversible ? 4 : 0) + (i.destructive ? 2 : 0) + (i.downtime ? 1 : 0);
    const known = this.#impacts.get(key);
    if (known && Object.keys(known).join() === keys.join()) return known;
    if (!known) this.#impacts.set(key, i);
    return i;
  }
}
