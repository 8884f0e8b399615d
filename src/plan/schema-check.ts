import { isDeepStrictEqual } from 'node:util';

/** A compiled check: true when the value is valid. */
export type Check = (value: unknown) => boolean;

/** A JSON Schema: a boolean or an object of keywords. */
export type Schema = boolean | object;

/** Keywords that only annotate. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'definitions', 'examples', 'default']);

/**
 * Compiles a JSON Schema (draft-07) into a yes/no check that agrees with ajv's verdict (with
 * `strict`, `allowUnionTypes`, and ajv's number rules: NaN and Infinity are not numbers),
 * several times faster on plans: no error objects, no JSON pointers, no per-key escaping. ajv
 * still explains an invalid value (schema.ts runs it only then). Knows exactly the keywords
 * the plan schema uses and throws on any other, so that a schema change can never be checked
 * more loosely than ajv would; test/plan/schema-check.test.ts compares verdicts on thousands
 * of damaged plans.
 */
export function compileCheck(root: Schema): Check {
  const refs = new Map<string, Check>();
  const resolve = (ref: string): Check => {
    const known = refs.get(ref);
    if (known) return known;
    if (!ref.startsWith('#/')) throw new Error(`schema-check: unsupported $ref ${ref}`);
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      target = (target as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (target === undefined) throw new Error(`schema-check: $ref ${ref} points nowhere`);
    }
    // Recursive schemas refer to themselves: the slot exists before the body is compiled.
    let body: Check | undefined;
    const check: Check = (v) => body!(v);
    refs.set(ref, check);
    body = compile(target as Schema);
    return check;
  };

  const compile = (schema: Schema): Check => {
    if (schema === true) return () => true;
    if (schema === false) return () => false;
    const checks: Check[] = [];
    const keywords = schema as { readonly [keyword: string]: unknown };
    for (const [keyword, arg] of Object.entries(keywords)) {
      if (ANNOTATIONS.has(keyword)) continue;
      const c = keywordCheck(keyword, arg, keywords, compile, resolve);
      if (c) checks.push(c);
    }
    if (checks.length === 0) return () => true;
    if (checks.length === 1) return checks[0]!;
    return (v) => {
      for (const c of checks) if (!c(v)) return false;
      return true;
    };
  };
  return compile(root);
}

function keywordCheck(
  keyword: string,
  arg: unknown,
  schema: { readonly [keyword: string]: unknown },
  compile: (s: Schema) => Check,
  resolve: (ref: string) => Check,
): Check | null {
  switch (keyword) {
    case '$ref':
      return resolve(arg as string);
    case 'type':
      return typeCheck(Array.isArray(arg) ? (arg as string[]) : [arg as string]);
    case 'enum':
      return memberOf(arg as unknown[]);
    case 'const':
      return memberOf([arg]);
    case 'pattern': {
      const re = new RegExp(arg as string, 'u');
      return (v) => typeof v !== 'string' || re.test(v);
    }
    case 'minLength': {
      const n = arg as number;
      return (v) => typeof v !== 'string' || codePoints(v) >= n;
    }
    case 'minimum': {
      const n = arg as number;
      return (v) => typeof v !== 'number' || v >= n;
    }
    case 'minProperties': {
      const n = arg as number;
      return (v) => !isObject(v) || Object.keys(v).length >= n;
    }
    case 'required': {
      const keys = arg as string[];
      return (v) => {
        if (!isObject(v)) return true;
        for (const k of keys) if ((v as Record<string, unknown>)[k] === undefined) return false;
        return true;
      };
    }
    case 'properties':
      return propertiesCheck(arg as Record<string, Schema>, schema['additionalProperties'] as Schema | undefined, compile);
    case 'additionalProperties':
      // Checked with `properties` when the schema has them.
      return schema['properties'] === undefined ? propertiesCheck({}, arg as Schema, compile) : null;
    case 'propertyNames': {
      const c = compile(arg as Schema);
      return (v) => {
        if (!isObject(v)) return true;
        for (const k in v) if (!c(k)) return false;
        return true;
      };
    }
    case 'dependencies': {
      const deps = Object.entries(arg as Record<string, Schema | string[]>).map(([k, d]): [string, Check] => [
        k,
        Array.isArray(d) ? compile({ required: d }) : compile(d),
      ]);
      return (v) => {
        if (!isObject(v)) return true;
        for (const [k, c] of deps) if ((v as Record<string, unknown>)[k] !== undefined && !c(v)) return false;
        return true;
      };
    }
    case 'items': {
      if (Array.isArray(arg)) throw new Error('schema-check: tuple items are not supported');
      const c = compile(arg as Schema);
      return (v) => {
        if (!Array.isArray(v)) return true;
        for (let i = 0; i < v.length; i++) if (!c(v[i])) return false;
        return true;
      };
    }
    case 'uniqueItems':
      return arg === true ? (v) => !Array.isArray(v) || unique(v) : null;
    case 'anyOf': {
      const cs = (arg as Schema[]).map(compile);
      return (v) => cs.some((c) => c(v));
    }
    case 'oneOf': {
      const cs = (arg as Schema[]).map(compile);
      return (v) => {
        let n = 0;
        for (const c of cs) if (c(v) && ++n > 1) return false;
        return n === 1;
      };
    }
    case 'allOf': {
      const cs = (arg as Schema[]).map(compile);
      return (v) => cs.every((c) => c(v));
    }
    case 'not': {
      const c = compile(arg as Schema);
      return (v) => !c(v);
    }
    case 'if': {
      const cond = compile(arg as Schema);
      const then = schema['then'] === undefined ? null : compile(schema['then'] as Schema);
      const otherwise = schema['else'] === undefined ? null : compile(schema['else'] as Schema);
      return (v) => (cond(v) ? (then ? then(v) : true) : otherwise ? otherwise(v) : true);
    }
    case 'then':
    case 'else':
      // Checked with `if` (alone they do nothing).
      return null;
    default:
      throw new Error(`schema-check: unsupported keyword ${keyword}`);
  }
}

function propertiesCheck(properties: Record<string, Schema>, additional: Schema | undefined, compile: (s: Schema) => Check): Check {
  const known = new Map<string, Check>(Object.entries(properties).map(([k, s]) => [k, compile(s)]));
  const extra = additional === undefined ? null : compile(additional);
  const closed = additional === false;
  return (v) => {
    if (!isObject(v)) return true;
    const record = v as Record<string, unknown>;
    // One walk over the object's keys (ajv's for-in), each key looked up among `properties`.
    for (const k in record) {
      const item = record[k];
      const c = known.get(k);
      if (c !== undefined) {
        if (item !== undefined && !c(item)) return false;
      } else if (extra !== null && (closed || !extra(item))) {
        return false;
      }
    }
    return true;
  };
}

function typeCheck(types: readonly string[]): Check {
  const one = (t: string): Check => {
    switch (t) {
      case 'string':
        return (v) => typeof v === 'string';
      case 'number':
        return (v) => typeof v === 'number' && Number.isFinite(v);
      case 'integer':
        return (v) => typeof v === 'number' && Number.isInteger(v);
      case 'boolean':
        return (v) => typeof v === 'boolean';
      case 'null':
        return (v) => v === null;
      case 'array':
        return (v) => Array.isArray(v);
      case 'object':
        return isObject;
      default:
        throw new Error(`schema-check: unknown type ${t}`);
    }
  };
  const cs = types.map(one);
  if (cs.length === 1) return cs[0]!;
  return (v) => {
    for (const c of cs) if (c(v)) return true;
    return false;
  };
}

function memberOf(values: readonly unknown[]): Check {
  if (values.every((x) => x === null || (typeof x !== 'object' && !Number.isNaN(x)))) {
    const set = new Set(values);
    return (v) => set.has(v);
  }
  return (v) => values.some((x) => isDeepStrictEqual(x, v));
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Length in code points, as JSON Schema (and ajv) count it. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function unique(items: readonly unknown[]): boolean {
  if (items.length < 2) return true;
  if (items.every((x) => typeof x === 'string')) return new Set(items).size === items.length;
  for (let i = 1; i < items.length; i++) {
    for (let j = 0; j < i; j++) if (isDeepStrictEqual(items[i], items[j])) return false;
  }
  return true;
}
