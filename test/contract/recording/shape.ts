/**
 * The structure of a JSON value without its values: the key structure, recursively, with
 * value types. What fidelity fixtures store, so that they hold no ids, names or secrets.
 *
 * - a primitive is its type name: `string`, `integer`, `number`, `boolean`, `null`; several
 *   seen at one place join with `|` (`string|null`);
 * - an object maps each key to its shape; a key missing from some of the merged samples
 *   ends with `?`;
 * - an array is `[shape of its items]`, `[]` when it was always empty;
 * - different kinds at one place (an object here, null there) are `{ "$oneOf": [...] }`.
 */
export type Shape = string | readonly Shape[] | { readonly [key: string]: Shape };

/** Rewrites object keys that are data rather than structure (ids, names, host names). */
export type KeyTemplater = (key: string) => string;

/** The shape of one value. */
export function shapeOf(value: unknown, key: KeyTemplater = (k) => k): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let item: Shape | undefined;
    for (const v of value) item = item === undefined ? shapeOf(v, key) : mergeShapes(item, shapeOf(v, key));
    return item === undefined ? [] : [item];
  }
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'object': {
      let out: Record<string, Shape> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const name = key(k);
        const s = shapeOf(v, key);
        // Two data keys may collapse to one template (`{id}`): merge them.
        out = name in out ? { ...out, [name]: mergeShapes(out[name] as Shape, s) } : { ...out, [name]: s };
      }
      return sortKeys(out);
    }
    default:
      return 'unknown';
  }
}

type Kind = 'primitive' | 'array' | 'object' | 'oneOf';

function kindOf(s: Shape): Kind {
  if (typeof s === 'string') return 'primitive';
  if (Array.isArray(s)) return 'array';
  return '$oneOf' in (s as object) ? 'oneOf' : 'object';
}

/** One shape that covers both (the union of what was seen). */
export function mergeShapes(a: Shape, b: Shape): Shape {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'oneOf' || kb === 'oneOf' || ka !== kb) {
    const parts = [...alternatives(a), ...alternatives(b)];
    return oneOf(parts);
  }
  if (ka === 'primitive') return [...new Set([...(a as string).split('|'), ...(b as string).split('|')])].sort().join('|');
  if (ka === 'array') {
    const [x] = a as readonly Shape[];
    const [y] = b as readonly Shape[];
    if (x === undefined) return y === undefined ? [] : [y];
    return y === undefined ? [x] : [mergeShapes(x, y)];
  }
  return mergeObjects(a as Record<string, Shape>, b as Record<string, Shape>);
}

function mergeObjects(a: Readonly<Record<string, Shape>>, b: Readonly<Record<string, Shape>>): Shape {
  const plain = (k: string) => k.replace(/\?$/, '');
  const ia = new Map(Object.entries(a).map(([k, v]) => [plain(k), { optional: k.endsWith('?'), shape: v }]));
  const ib = new Map(Object.entries(b).map(([k, v]) => [plain(k), { optional: k.endsWith('?'), shape: v }]));
  const out: Record<string, Shape> = {};
  for (const k of new Set([...ia.keys(), ...ib.keys()])) {
    const x = ia.get(k);
    const y = ib.get(k);
    const shape = x && y ? mergeShapes(x.shape, y.shape) : ((x ?? y) as { shape: Shape }).shape;
    const optional = !x || !y || x.optional || y.optional;
    out[optional ? `${k}?` : k] = shape;
  }
  return sortKeys(out);
}

function alternatives(s: Shape): Shape[] {
  return kindOf(s) === 'oneOf' ? [...((s as { $oneOf: readonly Shape[] }).$oneOf)] : [s];
}

/** Folds alternatives of the same kind together; one left means no `$oneOf`. */
function oneOf(parts: readonly Shape[]): Shape {
  const byKind = new Map<Kind, Shape>();
  for (const p of parts) {
    const k = kindOf(p);
    const seen = byKind.get(k);
    byKind.set(k, seen === undefined ? p : mergeShapes(seen, p));
  }
  const folded = [...byKind.values()];
  if (folded.length === 1) return folded[0] as Shape;
  const order: Kind[] = ['primitive', 'array', 'object'];
  return { $oneOf: folded.sort((x, y) => order.indexOf(kindOf(x)) - order.indexOf(kindOf(y))) };
}

function sortKeys(o: Record<string, Shape>): Record<string, Shape> {
  return Object.fromEntries(Object.entries(o).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
