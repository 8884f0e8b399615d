import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { PumphouseError, type Problem } from '../errors/index.js';
import { packageRoot } from '../package-info.js';
import { STATE_FORMAT_VERSION, type StateFile } from './types.js';

let compiled: ValidateFunction | undefined;

/** Path of the state JSON Schema shipped with the package. */
export function stateSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'state.schema.json');
}

function validator(): ValidateFunction {
  if (!compiled) {
    let schema: object;
    try {
      schema = JSON.parse(readFileSync(stateSchemaPath(), 'utf8')) as object;
    } catch (err) {
      throw new PumphouseError('PH_INTERNAL', `cannot read the schema ${stateSchemaPath()}`, { source: 'internal', cause: err });
    }
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, logger: false });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/**
 * Checks a parsed state file: format version first (a newer file gets a clear message rather
 * than a list of schema errors), then the JSON Schema, then what a schema cannot say
 * (addresses and temporary ids are unique). Returns the value typed, or throws
 * PH_STATE_INVALID naming the file and every offending field (`objects[2].status`).
 */
export function validateState(value: unknown, file: string): StateFile {
  const v = (value as { version?: unknown } | null)?.version;
  if (typeof v === 'number' && v > STATE_FORMAT_VERSION) {
    throw new PumphouseError(
      'PH_STATE_INVALID',
      `the state file has format version ${v}, newer than this pumphouse understands (${STATE_FORMAT_VERSION}); upgrade pumphouse`,
      { location: { file, field: 'version' } },
    );
  }
  const validate = validator();
  const problems: Problem[] = validate(value) ? uniqueness(value as StateFile, file) : relevant(validate.errors ?? []).map((e) => problem(e, file));
  if (problems.length === 0) return value as StateFile;
  const first = problems[0] as Problem;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  throw new PumphouseError('PH_STATE_INVALID', `invalid state file: ${first.message}${more}`, {
    location: first.location ?? { file },
    problems,
  });
}

function uniqueness(state: StateFile, file: string): Problem[] {
  const out: Problem[] = [];
  const check = (items: readonly { readonly [k: string]: unknown }[], list: string, key: string): void => {
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      if (seen.has(item[key])) {
        const field = `${list}[${i}].${key}`;
        out.push({ message: `${field} repeats ${JSON.stringify(item[key])}`, location: { file, field } });
      }
      seen.add(item[key]);
    });
  };
  check(state.objects as unknown as { [k: string]: unknown }[], 'objects', 'address');
  check(state.temporaries as unknown as { [k: string]: unknown }[], 'temporaries', 'id');
  return out;
}

/** `/objects/2/status` -> `objects[2].status`; the root is `(root)`. */
export function fieldPath(pointer: string): string {
  if (pointer === '') return '(root)';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function problem(e: ErrorObject, file: string): Problem {
  const p = e.params as Record<string, unknown>;
  let field = fieldPath(e.instancePath);
  let message: string;
  if (e.keyword === 'additionalProperties') {
    field = field === '(root)' ? String(p.additionalProperty) : `${field}.${String(p.additionalProperty)}`;
    message = `${field} is not a known field`;
  } else if (e.keyword === 'required') {
    field = field === '(root)' ? String(p.missingProperty) : `${field}.${String(p.missingProperty)}`;
    message = `${field} is missing`;
  } else if (e.keyword === 'enum') {
    message = `${field} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (e.keyword === 'const') {
    message = `${field} must be ${JSON.stringify(p.allowedValue)}`;
  } else if (e.keyword === 'pattern' && e.schemaPath.includes('uuid')) {
    message = `${field} must be a UUID`;
  } else if (e.keyword === 'pattern' && e.schemaPath.includes('time')) {
    message = `${field} must be an ISO 8601 date-time`;
  } else {
    message = `${field} ${e.message ?? e.keyword}`;
  }
  return { message, location: { file, field } };
}

/**
 * ajv reports every failed branch of a oneOf; keep what a person can act on: the deepest
 * errors without the combinator summaries, and a `null` branch's type error only when the
 * value matched nothing better.
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const leaf = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  const pool = leaf.length > 0 ? leaf : [...errors];
  const deepest = pool.filter((e) => !pool.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`)));
  const out: ErrorObject[] = [];
  const seen = new Set<string>();
  for (const e of deepest) {
    if (e.keyword === 'type' && deepest.some((o) => o.instancePath === e.instancePath && o.keyword !== 'type')) continue;
    if (e.keyword === 'type') {
      // `null` or an object: say both at once rather than one problem per branch.
      const types = deepest.filter((o) => o.keyword === 'type' && o.instancePath === e.instancePath).map((o) => String((o.params as { type: unknown }).type));
      const key = `${e.instancePath} type`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ ...e, message: `must be ${[...new Set(types)].join(' or ')}` });
      }
      continue;
    }
    const key = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}
