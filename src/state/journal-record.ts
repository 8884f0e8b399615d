import type { JournalRecordType } from './types.js';

type Check = (r: Record<string, unknown>) => string | null;

const str = (k: string): Check => (r) => (typeof r[k] === 'string' ? null : `${k} must be a string`);
const strOrNull = (k: string): Check => (r) => (typeof r[k] === 'string' || r[k] === null ? null : `${k} must be a string or null`);
const optStr = (k: string): Check => (r) => (r[k] === undefined || typeof r[k] === 'string' ? null : `${k} must be a string`);
const optStrOrNull = (k: string): Check => (r) =>
  r[k] === undefined || r[k] === null || typeof r[k] === 'string' ? null : `${k} must be a string or null`;
const optObj = (k: string): Check => (r) => (r[k] === undefined || isObject(r[k]) ? null : `${k} must be an object`);
const oneOf = (k: string, values: readonly string[], optional = false): Check => (r) =>
  (optional && r[k] === undefined) || values.includes(r[k] as string) ? null : `${k} must be one of ${values.join(', ')}`;

const objectBase: Check[] = [str('address'), str('kind'), str('source_id'), strOrNull('plan_id'), str('action_id'), str('at')];

const temp: Check = (r) => {
  const t = r.temp;
  if (!isObject(t)) return 'temp must be an object';
  for (const k of ['id', 'kind', 'address', 'created_at']) if (typeof t[k] !== 'string') return `temp.${k} must be a string`;
  for (const k of ['resource_id', 'project_id', 'plan_id', 'action_id']) {
    if (typeof t[k] !== 'string' && t[k] !== null) return `temp.${k} must be a string or null`;
  }
  if (!['source', 'destination', 'fuel'].includes(t.cloud as string)) return 'temp.cloud must be one of source, destination, fuel';
  return isObject(t.details) ? null : 'temp.details must be an object';
};

const CHECKS: Record<JournalRecordType, readonly Check[]> = {
  operation_start: [strOrNull('plan_id'), str('operation'), str('at')],
  operation_end: [strOrNull('plan_id'), oneOf('result', ['ok', 'failed', 'interrupted']), str('at')],
  pending: [...objectBase, str('step'), optObj('data'), optStrOrNull('destination_id')],
  done: [...objectBase, str('step'), optStr('destination_id'), optObj('attributes')],
  action_done: [...objectBase, oneOf('status', ['ready', 'deleted'], true), optStr('destination_id'), optObj('attributes')],
  action_failed: [
    ...objectBase,
    (r) => (isObject(r.error) && typeof r.error.code === 'string' && typeof r.error.message === 'string' ? null : 'error must be {code, message}'),
  ],
  temp: [str('at'), temp],
  temp_cleaned: [str('at'), str('id')],
};

/**
 * Checks one parsed journal line. Returns null when it is a well-formed record, otherwise a
 * short problem starting with the offending field name (`step must be a string`).
 */
export function checkRecord(value: unknown): string | null {
  if (!isObject(value)) return '(record) must be a JSON object';
  if (!Number.isInteger(value.base_serial) || (value.base_serial as number) < 0) return 'base_serial must be a non-negative integer';
  const checks = CHECKS[value.t as JournalRecordType] as readonly Check[] | undefined;
  if (!checks || !Object.hasOwn(CHECKS, value.t as string)) return `t must be one of ${Object.keys(CHECKS).join(', ')}`;
  for (const check of checks) {
    const problem = check(value);
    if (problem) return problem;
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
