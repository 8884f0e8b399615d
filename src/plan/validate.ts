import type { Problem } from '../errors/index.js';
import type { ItemHook } from '../json/object-pieces.js';
import { ActionOrder, consistencyProblems } from './consistency.js';
import { actionIsValid, schemaProblems } from './schema.js';
import { hasSecret, secretProblems } from './secret-scan.js';
import type { Action, Plan } from './types.js';

/**
 * Every problem with a parsed plan file: schema first (when it fails, the deeper checks
 * would only echo it), then consistency and secrets. [] means the plan is well formed.
 */
export function planProblems(value: unknown, file?: string): Problem[] {
  const structure = structureProblems(value, file);
  return [...structure, ...secretProblems(value, file)];
}

/**
 * planProblems() without the secret scan: schema, then (when the schema holds) consistency.
 * For the plan writer and reader, which scan for secrets while they write or hash the text.
 */
export function structureProblems(value: unknown, file?: string): Problem[] {
  const schema = schemaProblems(value, file);
  if (schema.length > 0) return schema;
  return consistencyProblems(value as Plan, file);
}

/**
 * The plan reader's checks, begun on each action as ObjectPieces parses it (`onItem`): the
 * schema's quick check, the secret scan and the consistency walk then read an action while it
 * is still in the processor's cache, instead of walking 600,000 actions scattered over a 2 GB
 * heap once per check afterwards. The answers are those of structureProblems() and
 * secretProblems(); whatever was not seen as parsed (another `actions` member won, an action
 * failed the schema) is checked the ordinary way.
 */
export class PlanChecksAsParsed {
  /** The `actions` array the actions were seen in (a later duplicate member starts again). */
  #actions: readonly unknown[] | undefined;
  /** All actions seen so far are schema-valid and were added to #order. */
  #valid = true;
  #secret = false;
  #seen = 0;
  #order: ActionOrder | undefined;

  constructor(private readonly file?: string) {}

  readonly onItem: ItemHook = (key, items, index) => {
    if (key !== 'actions') return;
    if (items !== this.#actions) {
      this.#actions = items;
      this.#valid = true;
      this.#secret = false;
      this.#seen = 0;
      this.#order = new ActionOrder(this.file);
    }
    this.#seen++;
    const action = items[index];
    if (!this.#secret && hasSecret(action)) this.#secret = true;
    if (!this.#valid) return;
    if (actionIsValid(action)) this.#order!.add(action as Action);
    else this.#valid = false;
  };

  /** Whether every action of `record` was seen as parsed. */
  #sawAll(record: Record<string, unknown>): boolean {
    const actions = record['actions'];
    return actions === this.#actions && Array.isArray(actions) && this.#seen === actions.length;
  }

  /**
   * Whether every action of `record` was seen as parsed, schema-valid and without a secret:
   * then structureProblems() and secretProblems() read no action again (readPlanKeeping
   * replaces the parsed actions by leaner objects).
   */
  sawAllClean(record: Record<string, unknown>): boolean {
    return this.#sawAll(record) && this.#valid && !this.#secret;
  }

  /** structureProblems(record, file). */
  structureProblems(record: Record<string, unknown>): Problem[] {
    if (!this.#sawAll(record) || !this.#valid) return structureProblems(record, this.file);
    const schema = schemaProblems(record, this.file, { actionsValid: true });
    if (schema.length > 0) return schema;
    return this.#order!.problems(record as unknown as Plan);
  }

  /** secretProblems(plan, file), for the plan (the record without its checksum) holding the same actions. */
  secretProblems(plan: Record<string, unknown>): Problem[] {
    if (this.#sawAll(plan) && !this.#secret && !hasSecret({ ...plan, actions: [] })) return [];
    return secretProblems(plan, this.file);
  }
}
