import type { ErrorObject } from 'ajv';
import type { Problem } from '../../errors/index.js';
import { didYouMean } from './did-you-mean.js';
import { formatField, pathStartsWith, pointerToPath, type FieldPath } from './field-path.js';
import { schemaValidator } from './schema-store.js';
import type { YamlInput } from './yaml-input.js';

export interface SchemaCheckOptions {
  /** Quote offending values in messages. Never for the config: its values may be secrets. */
  readonly showValues: boolean;
  /** Paths whose errors were already reported another way (unset `${VAR}` references). */
  readonly skip?: readonly FieldPath[];
}

/** Key names as configs spell them; anything else is not echoed in a config's messages. */
const KEY_LIKE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

interface Failure {
  readonly path: FieldPath;
  readonly error: ErrorObject;
}

export interface SchemaCheck {
  readonly problems: Problem[];
  /**
   * Mappings holding an unknown key. Rule checks skip them: the unknown key is likely the
   * misspelt key a rule would call missing, and one mistake should give one message.
   */
  readonly unknownKeyParents: readonly FieldPath[];
}

/**
 * Validates `data` (read from `input`) against `schemas/<schema>.schema.json` and turns
 * every failure into one Problem with file, line, column and field. One mistake gives one
 * problem: alternatives (`anyOf`) collapse to the branch the value was meant for, and a
 * misspelt required key is reported once, as the typo.
 */
export function checkSchema(input: YamlInput, data: unknown, schema: string, options: SchemaCheckOptions): SchemaCheck {
  const validate = schemaValidator(schema);
  if (validate(data)) return { problems: [], unknownKeyParents: [] };
  let failures: Failure[] = (validate.errors ?? []).map((error) => ({ error, path: pointerToPath(error.instancePath, data) }));
  failures = failures.filter((f) => !(options.skip ?? []).some((p) => pathStartsWith(f.path, p)));
  failures = collapseAlternatives(failures);
  const typos = new Set<string>();
  const described = failures.map((f) => ({ f, problem: describe(f, input, options, typos) }));
  // A key reported as a typo of a required key is not also "missing".
  const kept = described
    .filter(({ f }) => !(f.error.keyword === 'required' && typos.has(missingKey(f))))
    .map(({ problem }) => problem);
  const unknownKeyParents = failures.filter((f) => f.error.keyword === 'additionalProperties').map((f) => f.path);
  return { problems: sortProblems(dedupe(kept)), unknownKeyParents };
}

/** True when `path` is one of `parents` (see SchemaCheck.unknownKeyParents). */
export function hasUnknownKey(parents: readonly FieldPath[], path: FieldPath): boolean {
  return parents.some((p) => p.length === path.length && pathStartsWith(p, path));
}

/**
 * Ajv reports an `anyOf` failure as the errors of every branch followed by the `anyOf`
 * error itself (branch errors are the run of errors just before it, at or below its path;
 * their schemaPath cannot tell, since `$ref`s restart it). Branches whose type did not
 * match complain with a shallow `type`/`enum`/`const` error at the value: those are noise.
 * If the value matched a branch's type, that branch's real errors are kept and the `anyOf`
 * error dropped; if it matched none, only the `anyOf` error stays.
 */
function collapseAlternatives(failures: Failure[]): Failure[] {
  const removed = new Set<number>();
  failures.forEach((alt, k) => {
    if (alt.error.keyword !== 'anyOf' && alt.error.keyword !== 'oneOf') return;
    const branch: number[] = [];
    for (let j = k - 1; j >= 0 && pathStartsWith(failures[j]!.path, alt.path); j--) if (!removed.has(j)) branch.push(j);
    const shallow = (f: Failure): boolean => f.path.length === alt.path.length && ['type', 'enum', 'const'].includes(f.error.keyword);
    const meant = branch.filter((j) => !shallow(failures[j]!));
    for (const j of branch) if (shallow(failures[j]!)) removed.add(j);
    if (meant.length > 0) removed.add(k);
  });
  return failures.filter((_, i) => !removed.has(i));
}

function describe(f: Failure, input: YamlInput, options: SchemaCheckOptions, typos: Set<string>): Problem {
  const { error, path } = f;
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const custom = typeof parent['x-message'] === 'string' ? (parent['x-message'] as string) : undefined;
  switch (error.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      const location = { ...input.locate(path, 'key'), field: formatField([...path, key]) };
      return { message: `missing required key '${key}'`, location };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      if (!options.showValues && !KEY_LIKE.test(key)) {
        // Something that does not look like a key name may be a pasted secret: do not echo it.
        return { message: 'unknown key (not shown: it does not look like a key name)', location: { ...input.locate([...path, key], 'key'), field: formatField(path) } };
      }
      const allowed = Object.keys((parent.properties ?? {}) as object);
      const suggestion = didYouMean(key, allowed);
      if (suggestion) typos.add(`${formatField(path)}\u0000${suggestion}`);
      const hint = suggestion ? ` (did you mean '${suggestion}'?)` : allowed.length > 0 ? `; allowed keys: ${allowed.join(', ')}` : '';
      return { message: `unknown key '${key}'${hint}`, location: input.locate([...path, key], 'key') };
    }
    default:
      break;
  }
  const location = input.locate(path);
  const message = custom ? `${shownValue(error.data, options)}${custom}` : genericMessage(error, options);
  return { message: `${message}${alternativesHint(error)}`, location };
}

function shownValue(value: unknown, options: SchemaCheckOptions): string {
  return options.showValues && (typeof value === 'string' || typeof value === 'number') ? `${JSON.stringify(value)} ` : '';
}

/** For a string that matches no alternative, the closest allowed word (`non` -> `none`). */
function alternativesHint(error: ErrorObject): string {
  if ((error.keyword !== 'anyOf' && error.keyword !== 'oneOf') || typeof error.data !== 'string') return '';
  const words = ((error.schema ?? []) as Record<string, unknown>[]).flatMap((b) =>
    [...(Array.isArray(b.enum) ? b.enum : []), ...('const' in b ? [b.const] : [])].filter((v): v is string => typeof v === 'string'),
  );
  const suggestion = didYouMean(error.data, words);
  return suggestion ? ` (did you mean '${suggestion}'?)` : '';
}

function genericMessage(error: ErrorObject, options: SchemaCheckOptions): string {
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  const shown = shownValue(value, options);
  switch (error.keyword) {
    case 'type':
      return `${shown}must be ${typeWords(String(params.type))}, not ${typeOfValue(value)}`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      return `${shown}must be one of: ${allowed.join(', ')}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`;
    }
    case 'const':
      return `${shown}must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return `${shown}${formatWords(String(params.format))}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${shown}must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minItems':
      return Number(params.limit) === 1 ? 'must not be an empty list' : `must have at least ${String(params.limit)} items`;
    case 'minLength':
      return 'must not be empty';
    case 'minProperties':
      return 'must not be an empty mapping';
    case 'uniqueItems':
      return `lists the same item twice (items ${String(params.j)} and ${String(params.i)})`;
    case 'pattern':
      return `${shown}does not have the expected form`;
    case 'anyOf':
    case 'oneOf':
      return `${shown}must be ${alternativesWords((error.schema ?? []) as unknown[])}`;
    default:
      return error.message ?? `fails the ${error.keyword} rule`;
  }
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping (key: value)',
    null: 'empty',
  };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

function typeOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'true/false';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  return `a ${typeof value}`;
}

function formatWords(format: string): string {
  switch (format) {
    case 'http-url':
      return 'must be an http:// or https:// URL with a host';
    case 'mysql-url':
      return 'must be a MySQL URL such as mysql+pymysql://USER:PASSWORD@HOST/keystone (schemes: mysql, mysql+pymysql, mysql+mysqlconnector)';
    case 'host-name':
      return 'must be a host name or IP address, without scheme, port or path';
    default:
      return `must be a valid ${format}`;
  }
}

function alternativesWords(branches: unknown[]): string {
  const parts = branches.map((b) => {
    const s = b as Record<string, unknown>;
    if (typeof s['x-message'] === 'string') return s['x-message'] as string;
    if ('const' in s) return JSON.stringify(s.const);
    if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
    if (typeof s.type === 'string') return typeWords(s.type);
    return 'another form';
  });
  return parts.join(' or ');
}

function missingKey(f: Failure): string {
  return `${formatField(f.path)}\u0000${String((f.error.params as Record<string, unknown>).missingProperty)}`;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.location?.field ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Problems in file order (line, then column), the way an operator reads them. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}
