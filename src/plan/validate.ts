import type { Problem } from '../errors/index.js';
import { consistencyProblems } from './consistency.js';
import { schemaProblems } from './schema.js';
import { secretProblems } from './secret-scan.js';
import type { Plan } from './types.js';

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
