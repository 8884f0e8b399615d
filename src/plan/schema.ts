import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Problem } from '../errors/index.js';
import { packageRoot } from '../package-info.js';
import { compileCheck, type Check } from './schema-check.js';

let compiled: ValidateFunction | undefined;
let quick: Check | null | undefined;

/** Path of the plan JSON Schema shipped with the package. */
export function planSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'plan.schema.json');
}

/**
 * Validates a parsed plan file against schemas/plan.schema.json (loaded once, at first use).
 * Returns every problem found, each naming the field as a JSON pointer; [] when valid.
 *
 * A valid plan is recognised by a compiled yes/no check (schema-check.ts: ajv's verdict,
 * several times faster, which matters for plans of 600,000 actions); ajv runs only to explain
 * an invalid one.
 */
export function schemaProblems(value: unknown, file?: string): Problem[] {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(planSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false });
    compiled = ajv.compile(schema);
    try {
      quick = compileCheck(schema);
    } catch {
      // A keyword the quick check does not know: ajv alone decides.
      quick = null;
    }
  }
  if (quick && quick(value)) return [];
  const validate = compiled;
  if (validate(value)) return [];
  return relevant(validate.errors ?? []).map((e) => {
    const field = e.instancePath || '/';
    return { message: `${field} ${describe(e)}`, location: { ...(file ? { file } : {}), field } };
  });
}

let actionCompiled: ValidateFunction | undefined;
let actionQuick: Check | null | undefined;

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
  if (!actionCompiled) {
    const schema = JSON.parse(readFileSync(planSchemaPath(), 'utf8')) as { definitions: object };
    const sub = { definitions: schema.definitions, $ref: '#/definitions/action' };
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, logger: false });
    actionCompiled = ajv.compile(sub);
    try {
      actionQuick = compileCheck(sub);
    } catch {
      actionQuick = null;
    }
  }
  if (actionQuick && actionQuick(action)) return NO_PROBLEMS;
  const validate = actionCompiled;
  if (validate(action)) return NO_PROBLEMS;
  return relevant(validate.errors ?? []).map((e) => {
    const field = `${pointer}${e.instancePath}`;
    return { message: `${field} ${describe(e)}`, location: { ...(file ? { file } : {}), field } };
  });
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
