import { PumphouseError } from '../../errors/index.js';
import { SecretValue, type ResolvedValue } from '../contract.js';

type Resolved = { readonly [key: string]: ResolvedValue };

/**
 * Typed reads of an action's resolved `after` attributes. A missing or mistyped attribute is
 * a plan the planner could not have written (readPlan checks the checksum), so it fails the
 * action with PH_PLAN_INVALID naming the address and the field, before anything is sent.
 */
export class AfterValues {
  constructor(
    readonly values: Resolved,
    readonly address: string,
  ) {}

  /** A required non-empty string. */
  str(key: string): string {
    const v = this.values[key];
    if (typeof v === 'string' && v !== '') return v;
    throw this.wrong(key, 'a non-empty string', v);
  }

  /** A string, or null when absent/null. */
  optStr(key: string): string | null {
    const v = this.values[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    throw this.wrong(key, 'a string or null', v);
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.values[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    throw this.wrong(key, 'a boolean', v);
  }

  optBool(key: string): boolean | null {
    const v = this.values[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'boolean') return v;
    throw this.wrong(key, 'a boolean or null', v);
  }

  num(key: string): number {
    const v = this.values[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    throw this.wrong(key, 'a number', v);
  }

  optNum(key: string): number | null {
    const v = this.values[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    throw this.wrong(key, 'a number or null', v);
  }

  /** A JSON object, or null when absent/null. */
  optObject(key: string): AfterValues | null {
    const v = this.values[key];
    if (v === undefined || v === null) return null;
    if (isObject(v)) return new AfterValues(v, this.address);
    throw this.wrong(key, 'an object or null', v);
  }

  /** A list ([] when absent/null). */
  list(key: string): readonly ResolvedValue[] {
    const v = this.values[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v as readonly ResolvedValue[];
    throw this.wrong(key, 'a list', v);
  }

  /** A list of objects. */
  objects(key: string): AfterValues[] {
    return this.list(key).map((v, i) => {
      if (isObject(v)) return new AfterValues(v, this.address);
      throw this.wrong(`${key}[${i}]`, 'an object', v);
    });
  }

  /** A list of non-empty strings (ids after `$ref` resolution). */
  strings(key: string): string[] {
    return this.list(key).map((v, i) => {
      if (typeof v === 'string' && v !== '') return v;
      throw this.wrong(`${key}[${i}]`, 'a non-empty string', v);
    });
  }

  /** A `{"$secret": ...}` attribute, fetched by the executor. */
  secret(key: string): SecretValue {
    const v = this.values[key];
    if (v instanceof SecretValue) return v;
    throw this.wrong(key, 'a $secret reference', v);
  }

  /** A string-to-string map (extra specs): secrets are revealed here, at the moment they are sent. */
  stringMap(key: string): Record<string, string> {
    const v = this.values[key];
    if (v === undefined || v === null) return {};
    if (!isObject(v)) throw this.wrong(key, 'a map of strings', v);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') out[k] = x;
      else if (x instanceof SecretValue) out[k] = x.reveal();
      else throw this.wrong(`${key}.${k}`, 'a string', x);
    }
    return out;
  }

  /** A map of numbers (quota limits), or null. */
  optNumberMap(key: string): Record<string, number> | null {
    const v = this.values[key];
    if (v === undefined || v === null) return null;
    if (!isObject(v)) throw this.wrong(key, 'a map of numbers or null', v);
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw this.wrong(`${key}.${k}`, 'a number', x);
      out[k] = x;
    }
    return out;
  }

  private wrong(key: string, want: string, got: ResolvedValue | undefined): PumphouseError {
    // Never echo the value: it may be a revealed-by-mistake secret or a large blob.
    const kind = got === undefined ? 'missing' : got === null ? 'null' : Array.isArray(got) ? 'a list' : got instanceof SecretValue ? 'a secret' : typeof got;
    return new PumphouseError('PH_PLAN_INVALID', `${this.address}: after.${key} must be ${want} (it is ${kind})`, {
      address: this.address,
      details: { field: `after.${key}` },
    });
  }
}

function isObject(v: ResolvedValue): v is Resolved {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof SecretValue);
}
