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
 *
 * Like ajv, it generates the check's source and compiles it once (`new Function`): straight
 * code per schema, an object's keys matched by one `switch` in one walk, sub-schemas without
 * `$ref` inlined. (A tree of closures, its first form, was 2-3x slower on 610,000 actions:
 * every node a megamorphic call.) Only the schema's own text goes into the source, as JSON
 * string literals or values handed over by index, never spliced raw.
 */
export function compileCheck(root: Schema): Check {
  const generator = new Generator(root);
  const source = generator.program();
  const make = new Function('H', 'C', source) as (helpers: typeof HELPERS, consts: readonly unknown[]) => Check;
  return make(HELPERS, generator.consts);
}

/** What generated code calls (handed in as `H`). */
const HELPERS = {
  codePoints,
  unique,
  deepMember: (values: readonly unknown[], v: unknown): boolean => values.some((x) => isDeepStrictEqual(x, v)),
  hasKeys: (v: object, n: number): boolean => {
    let count = 0;
    for (const k in v) if (Object.hasOwn(v, k) && ++count >= n) return true;
    return count >= n;
  },
};

/** The type a keyword applies to (the value of any other type passes it); `any`: every type. */
type Applies = 'any' | 'string' | 'number' | 'object' | 'array';

const APPLIES: { readonly [keyword: string]: Exclude<Applies, 'any'> } = {
  pattern: 'string',
  minLength: 'string',
  minimum: 'number',
  minProperties: 'object',
  required: 'object',
  properties: 'object',
  additionalProperties: 'object',
  propertyNames: 'object',
  dependencies: 'object',
  items: 'array',
  uniqueItems: 'array',
};

class Generator {
  readonly #root: Schema;
  /** Values the code reads by index (regular expressions, sets, arrays). */
  readonly consts: unknown[] = [];
  /** Function declarations, in the order made. */
  readonly #functions: string[] = [];
  readonly #refs = new Map<string, string>();
  #ids = 0;

  constructor(root: Schema) {
    this.#root = root;
  }

  program(): string {
    const entry = this.#function(this.#root);
    const decls = this.consts.map((_, i) => `const c${i} = C[${i}];`).join('\n');
    return `'use strict';\n${decls}\n${this.#functions.join('\n')}\nreturn ${entry};`;
  }

  #id(prefix: string): string {
    return `${prefix}${this.#ids++}`;
  }

  #const(value: unknown): string {
    this.consts.push(value);
    return `c${this.consts.length - 1}`;
  }

  /** A function `name(v)` checking `schema`; returns its name. */
  #function(schema: Schema): string {
    const name = this.#id('f');
    this.#functions.push(`function ${name}(v) {\n${this.#body(schema, 'v')}return true;\n}`);
    return name;
  }

  /** The function checking the schema `ref` points to (made once; recursion calls it). */
  #refFunction(ref: string): string {
    const known = this.#refs.get(ref);
    if (known) return known;
    const name = this.#id('r');
    this.#refs.set(ref, name);
    this.#functions.push(`function ${name}(v) {\n${this.#body(this.#target(ref), 'v')}return true;\n}`);
    return name;
  }

  #target(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`schema-check: unsupported $ref ${ref}`);
    let target: unknown = this.#root;
    for (const part of ref.slice(2).split('/')) {
      target = (target as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (target === undefined) throw new Error(`schema-check: $ref ${ref} points nowhere`);
    }
    return target as Schema;
  }

  /** Statements that `return false` when `v` (a variable name) fails `schema`. */
  #body(schema: Schema, v: string): string {
    if (schema === true) return '';
    if (schema === false) return 'return false;\n';
    const keywords = schema as { readonly [keyword: string]: unknown };
    // Keywords that apply to one type only are grouped under one test of that type, and
    // dropped where `type` rules that type out (the code after a failed `type` never runs).
    const groups: Record<Applies, string> = { any: '', string: '', number: '', object: '', array: '' };
    for (const [keyword, arg] of Object.entries(keywords)) {
      if (ANNOTATIONS.has(keyword)) continue;
      const code = this.#keyword(keyword, arg, keywords, v);
      const applies = APPLIES[keyword] ?? 'any';
      // The type test first: the groups below rely on it having passed; `items` before
      // `uniqueItems`, which may then rely on the items' type.
      groups[applies] = keyword === 'type' || keyword === 'items' ? code + groups[applies] : groups[applies] + code;
    }
    const type = keywords['type'];
    const types = type === undefined ? undefined : new Set(Array.isArray(type) ? (type as string[]) : [type as string]);
    if (types?.has('integer')) types.add('number');
    const one = types?.size === 1 || (types?.size === 2 && types.has('integer')) ? [...types].find((t) => t !== 'integer') : undefined;
    let out = groups.any;
    const group = (applies: Exclude<Applies, 'any'>, test: string): void => {
      if (groups[applies] === '' || (types !== undefined && !types.has(applies))) return;
      out += one === applies ? groups[applies] : `if (${test}) {\n${groups[applies]}}\n`;
    };
    group('string', `typeof ${v} === 'string'`);
    group('number', `typeof ${v} === 'number'`);
    group('object', `typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v})`);
    group('array', `Array.isArray(${v})`);
    return out;
  }

  #keyword(keyword: string, arg: unknown, schema: { readonly [keyword: string]: unknown }, v: string): string {
    switch (keyword) {
      case '$ref': {
        const ref = arg as string;
        const target = this.#target(ref);
        // A target without references of its own is inlined (enums, patterns, counts).
        if (!JSON.stringify(target).includes('"$ref"')) return this.#body(target, v);
        return `if (!${this.#refFunction(ref)}(${v})) return false;\n`;
      }
      case 'type':
        return `if (!(${typeTest(Array.isArray(arg) ? (arg as string[]) : [arg as string], v)})) return false;\n`;
      case 'enum':
        return member(arg as unknown[], v, (x) => this.#const(x));
      case 'const':
        return member([arg], v, (x) => this.#const(x));
      case 'pattern':
        return `if (!${this.#const(new RegExp(arg as string, 'u'))}.test(${v})) return false;\n`;
      case 'minLength': {
        const n = arg as number;
        // A string of 2n code units has at least n code points: most strings are not counted.
        return `if (${v}.length < ${2 * n} && H.codePoints(${v}) < ${n}) return false;\n`;
      }
      case 'minimum':
        return `if (!(${v} >= ${JSON.stringify(arg as number)})) return false;\n`;
      case 'minProperties':
        return `if (!H.hasKeys(${v}, ${JSON.stringify(arg as number)})) return false;\n`;
      case 'required': {
        const keys = arg as string[];
        if (keys.length === 0) return '';
        return `if (${keys.map((k) => `${v}[${JSON.stringify(k)}] === undefined`).join(' || ')}) return false;\n`;
      }
      case 'properties':
        return this.#properties(arg as Record<string, Schema>, schema['additionalProperties'] as Schema | undefined, v);
      case 'additionalProperties':
        // Checked with `properties` when the schema has them.
        return schema['properties'] === undefined ? this.#properties({}, arg as Schema, v) : '';
      case 'propertyNames': {
        const k = this.#id('k');
        return `for (const ${k} in ${v}) {\n${this.#body(arg as Schema, k)}}\n`;
      }
      case 'dependencies': {
        let out = '';
        for (const [k, d] of Object.entries(arg as Record<string, Schema | string[]>)) {
          const then = Array.isArray(d) ? this.#body({ required: d }, v) : this.#body(d, v);
          out += `if (${v}[${JSON.stringify(k)}] !== undefined) {\n${then}}\n`;
        }
        return out;
      }
      case 'items': {
        if (Array.isArray(arg)) throw new Error('schema-check: tuple items are not supported');
        const i = this.#id('i');
        const x = this.#id('x');
        return `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${x} = ${v}[${i}];\n${this.#body(arg as Schema, x)}}\n`;
      }
      case 'uniqueItems':
        if (arg !== true) return '';
        // Items that must be strings (checked first: see #body) are unique when no two are ===.
        if (stringItems(schema['items'])) {
          const i = this.#id('i');
          const j = this.#id('j');
          return (
            `if (${v}.length > 16) { if (!H.unique(${v})) return false; }\n` +
            `else for (let ${i} = 1; ${i} < ${v}.length; ${i}++) for (let ${j} = 0; ${j} < ${i}; ${j}++) if (${v}[${i}] === ${v}[${j}]) return false;\n`
          );
        }
        return `if (!H.unique(${v})) return false;\n`;
      case 'anyOf': {
        const fs = (arg as Schema[]).map((s) => this.#function(s));
        return `if (!(${fs.map((f) => `${f}(${v})`).join(' || ')})) return false;\n`;
      }
      case 'oneOf': {
        const fs = (arg as Schema[]).map((s) => this.#function(s));
        return `if ((${fs.map((f) => `(${f}(${v}) ? 1 : 0)`).join(' + ')}) !== 1) return false;\n`;
      }
      case 'allOf':
        return (arg as Schema[]).map((s) => this.#body(s, v)).join('');
      case 'not':
        return `if (${this.#function(arg as Schema)}(${v})) return false;\n`;
      case 'if': {
        const then = schema['then'] === undefined ? '' : this.#body(schema['then'] as Schema, v);
        const otherwise = schema['else'] === undefined ? '' : this.#body(schema['else'] as Schema, v);
        if (then === '' && otherwise === '') return '';
        return `if (${this.#function(arg as Schema)}(${v})) {\n${then}} else {\n${otherwise}}\n`;
      }
      case 'then':
      case 'else':
        // Checked with `if` (alone they do nothing).
        return '';
      default:
        throw new Error(`schema-check: unsupported keyword ${keyword}`);
    }
  }

  /** `properties` and `additionalProperties` in one walk over the object's keys (ajv's for-in). */
  #properties(properties: Record<string, Schema>, additional: Schema | undefined, v: string): string {
    const k = this.#id('k');
    const x = this.#id('x');
    let cases = '';
    for (const [name, s] of Object.entries(properties)) {
      const body = this.#body(s, x);
      cases += `case ${JSON.stringify(name)}:\n${body === '' ? '' : `if (${x} !== undefined) {\n${body}}\n`}break;\n`;
    }
    const extra = additional === undefined ? '' : this.#body(additional, x);
    if (extra !== '') cases += `default:\n${extra}`;
    if (cases === '') return '';
    return `for (const ${k} in ${v}) {\nconst ${x} = ${v}[${k}];\nswitch (${k}) {\n${cases}}\n}\n`;
  }
}

/** Whether an `items` schema lets only strings through. */
function stringItems(items: unknown): boolean {
  return typeof items === 'object' && items !== null && (items as { type?: unknown }).type === 'string';
}

/** An expression true when `v` has one of `types`. */
function typeTest(types: readonly string[], v: string): string {
  const has = new Set(types);
  for (const t of has) {
    if (!['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'].includes(t)) throw new Error(`schema-check: unknown type ${t}`);
  }
  const parts: string[] = [];
  if (has.has('string')) parts.push(`typeof ${v} === 'string'`);
  if (has.has('number')) parts.push(`(typeof ${v} === 'number' && Number.isFinite(${v}))`);
  else if (has.has('integer')) parts.push(`(typeof ${v} === 'number' && Number.isInteger(${v}))`);
  if (has.has('boolean')) parts.push(`typeof ${v} === 'boolean'`);
  if (has.has('null') && has.has('array') && has.has('object')) parts.push(`typeof ${v} === 'object'`);
  else {
    if (has.has('null')) parts.push(`${v} === null`);
    if (has.has('array') && has.has('object')) parts.push(`(typeof ${v} === 'object' && ${v} !== null)`);
    else if (has.has('array')) parts.push(`Array.isArray(${v})`);
    else if (has.has('object')) parts.push(`(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`);
  }
  return parts.join(' || ');
}

/** Statements that `return false` unless `v` equals one of `values` (ajv's deep equality). */
function member(values: readonly unknown[], v: string, constant: (x: unknown) => string): string {
  if (values.every((x) => x === null || (typeof x !== 'object' && !Number.isNaN(x)))) {
    if (values.length <= 4) {
      const literal = (x: unknown) => (x === null ? 'null' : JSON.stringify(x));
      return `if (${values.length === 0 ? 'true' : values.map((x) => `${v} !== ${literal(x)}`).join(' && ')}) return false;\n`;
    }
    return `if (!${constant(new Set(values))}.has(${v})) return false;\n`;
  }
  return `if (!H.deepMember(${constant(values)}, ${v})) return false;\n`;
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
  const n = items.length;
  if (n < 2) return true;
  // Short lists of strings (an action's depends_on) are compared pairwise: no Set per list.
  let strings = true;
  for (let i = 0; i < n && strings; i++) strings = typeof items[i] === 'string';
  if (strings && n <= 16) {
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) if (items[i] === items[j]) return false;
    return true;
  }
  if (strings) return new Set(items).size === n;
  for (let i = 1; i < items.length; i++) {
    for (let j = 0; j < i; j++) if (isDeepStrictEqual(items[i], items[j])) return false;
  }
  return true;
}
