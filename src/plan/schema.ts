import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Problem } from '../errors/index.js';
import { packageRoot } from '../package-info.js';
import { compileCheck, type Check } from './schema-check.js';

/** Path of the plan JSON Schema shipped with the package. */
export function planSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'plan.schema.json');
}

/**
 * The compiled checks, made at first use. ajv is compiled only when a value fails the quick
 * check (that takes half a second, and a valid plan never needs it). A null quick check: the
 * schema uses a keyword schema-check.ts does not know, and ajv alone decides.
 */
interface Checks {
  readonly schema: { readonly definitions: object; readonly properties: object };
  readonly plan: Check | null;
  /** The plan with each action taken as valid (the caller checked them one by one). */
  readonly planWithoutActions: Check | null;
  readonly action: Check | null;
  /** An action's `depends_on` and `reason` alone (what a spilled action's text leaves out). */
  readonly holes: Check | null;
  ajvPlan?: ValidateFunction;
  ajvAction?: ValidateFunction;
}

let checks: Checks | undefined;

function loaded(): Checks {
  if (checks) return checks;
  const schema = JSON.parse(readFileSync(planSchemaPath(), 'utf8')) as Checks['schema'];
  const quick = (s: object): Check | null => {
    try {
      return compileCheck(s);
    } catch {
      return null;
    }
  };
  checks = {
    schema,
    plan: quick(schema),
    planWithoutActions: quick({ ...schema, properties: { ...schema.properties, actions: { type: 'array' } } }),
    action: quick(actionSchema(schema)),
    holes: quick(holesSchema(schema)),
  };
  return checks;
}

function holesSchema(schema: Checks['schema']): object {
  const action = (schema.definitions as { action?: { properties?: Record<string, object> } }).action;
  const member = (k: string): object | boolean => action?.properties?.[k] ?? false;
  return { definitions: schema.definitions, type: 'object', required: ['depends_on', 'reason'], properties: { depends_on: member('depends_on'), reason: member('reason') } };
}

function actionSchema(schema: Checks['schema']): object {
  return { definitions: schema.definitions, $ref: '#/definitions/action' };
}

function newAjv(): Ajv {
  return new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false });
}

/** Options of schemaProblems(). */
export interface SchemaCheckOptions {
  /**
   * Every item of `actions` passed actionIsValid(): the quick check skips them (the plan
   * reader checks each action as it is parsed, while it is in the processor's cache).
   */
  readonly actionsValid?: boolean;
}

/**
 * Validates a parsed plan file against schemas/plan.schema.json (loaded once, at first use).
 * Returns every problem found, each naming the field as a JSON pointer; [] when valid.
 *
 * A valid plan is recognised by a compiled yes/no check (schema-check.ts: ajv's verdict,
 * several times faster, which matters for plans of 600,000 actions); ajv runs only to explain
 * an invalid one.
 */
export function schemaProblems(value: unknown, file?: string, options: SchemaCheckOptions = {}): Problem[] {
  const c = loaded();
  const quick = options.actionsValid ? c.planWithoutActions : c.plan;
  if (quick && quick(value)) return [];
  const validate = (c.ajvPlan ??= newAjv().compile(c.schema));
  if (validate(value)) return [];
  return relevant(validate.errors ?? []).map((e) => {
    const field = e.instancePath || '/';
    return { message: `${field} ${describe(e)}`, location: { ...(file ? { file } : {}), field } };
  });
}

/** What actionSchemaProblems() answers for a valid action: shared, so a valid action allocates nothing. */
const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

/**
 * Validates one action object against the plan schema's `action` definition: what the plan
 * writer checks of each action as it is spilled (ActionSpill), one call per action, so a valid
 * action costs one compiled yes/no check and allocates nothing (the answer is then a shared,
 * frozen empty array: read it, do not add to it). Problems name the field under `pointer`
 * (the action's place in the plan, e.g. `/actions/12`); ajv words them, as for a whole plan.
 */
export function actionSchemaProblems(action: unknown, pointer: string, file?: string): Problem[] {
  if (actionIsValid(action)) return NO_PROBLEMS;
  const validate = loaded().ajvAction!;
  return relevant(validate.errors ?? []).map((e) => {
    const field = `${pointer}${e.instancePath}`;
    return { message: `${field} ${describe(e)}`, location: { ...(file ? { file } : {}), field } };
  });
}

/**
 * Whether an action's `depends_on` and `reason` are valid against the plan schema's `action`
 * definition (its other members are not looked at): the plan writer asks it of each spilled
 * action, whose other members were checked when it was spilled. A no is explained by
 * actionSchemaProblems().
 */
export function holesAreValid(action: { readonly depends_on: unknown; readonly reason: unknown }): boolean {
  const c = loaded();
  return c.holes !== null && c.holes(action);
}

/**
 * Whether one action object is valid against the plan schema's `action` definition (ajv's
 * verdict; ajv runs only when the quick check says no, and then holds the errors).
 */
export function actionIsValid(action: unknown): boolean {
  const c = loaded();
  if (c.action && c.action(action)) return true;
  const validate = (c.ajvAction ??= newAjv().compile(actionSchema(c.schema)));
  return validate(action);
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `has an unknown field '${String(p.additionalProperty)}'`;
  if (e.keyword === 'required') return `is missing the field '${String(p.missingProperty)}'`;
  if (e.keyword === 'enum') return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? e.keyword;
}

/**
 * ajv reports every failed branch of an anyOf/if; keep what a person can act on: the deepest
 * errors, without the combinator summaries, and type errors only where nothing better exists.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const combinators = new Set(['anyOf', 'oneOf', 'if', 'then', 'else']);
  const leaf = errors.filter((e) => !combinators.has(e.keyword));
  const pool = leaf.length > 0 ? leaf : [...errors];
  const deepest = pool.filter((e) => !pool.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`)));
  const out: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const e of deepest) {
    if (e.keyword === 'type' && deepest.some((o) => o.instancePath === e.instancePath && o.keyword !== 'type')) continue;
    const key = `${e.instancePath} ${describe(e)}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}
