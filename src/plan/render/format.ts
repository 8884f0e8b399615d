import type { AttributeValue, Attributes } from '../types.js';

/** 1024-based sizes as reviewers read them: `20.0 GiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** `45s`, `6m05s`, `1h00m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/** Resolves a `$ref` action id to something a reviewer recognises (its address). */
export type RefName = (id: string) => string;

function isObject(v: unknown): v is { readonly [k: string]: AttributeValue | undefined } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * One value as a reviewer reads it: strings quoted, `$ref`s as `<address>` (or
 * `<address>.field`), `$secret`s as `(sensitive)`; never a secret value.
 */
export function formatValue(v: AttributeValue, ref: RefName): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? JSON.stringify(v) : String(v);
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, ref)).join(', ')}]`;
  const o = v as { readonly [k: string]: AttributeValue | undefined };
  if (typeof o.$ref === 'string') return `<${ref(o.$ref)}>${typeof o.field === 'string' ? `.${o.field}` : ''}`;
  if (typeof o.$secret === 'string') return '(sensitive)';
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${k}: ${formatValue(o[k]!, ref)}`).join(', ')}}`;
}

/** Leaves of an attribute tree as `[path, value]`, paths like `fixed_ips[0].ip_address`. */
export function flatten(attrs: Attributes): [string, AttributeValue][] {
  const out: [string, AttributeValue][] = [];
  for (const k of Object.keys(attrs).sort()) if (attrs[k] !== undefined) walk(attrs[k]!, k, out);
  return out;
}

function walk(v: AttributeValue, path: string, out: [string, AttributeValue][]): void {
  if (Array.isArray(v)) {
    // Short lists of plain values read best on one line.
    if (v.length === 0 || v.every((x) => x === null || typeof x !== 'object')) return void out.push([path, v]);
    for (let i = 0; i < v.length; i++) walk(v[i]!, `${path}[${i}]`, out);
    return;
  }
  if (!isObject(v) || '$ref' in v || '$secret' in v) return void out.push([path, v]);
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  if (keys.length === 0) return void out.push([path, v]);
  for (const k of keys) walk(v[k]!, path ? `${path}.${k}` : k, out);
}

/** True when the paths are in strictly increasing order (sorted, no path twice). */
function strictlySorted(leaves: readonly [string, AttributeValue][]): boolean {
  for (let i = 1; i < leaves.length; i++) if (!(leaves[i - 1]![0] < leaves[i]![0])) return false;
  return true;
}

/**
 * The attribute lines of an action: `+ path = value` for new values, `~ path = old -> new`
 * for changed ones, `- path = old` for removed ones; unchanged leaves are only counted. Each
 * line starts with `prefix`.
 */
export function attributeLines(before: Attributes | null | undefined, after: Attributes | undefined, ref: RefName, prefix = ''): { lines: string[]; unchanged: number } {
  // One side only (a create, a delete): its leaves, when already in path order (nearly
  // always: flatten visits keys sorted), are the lines as they are, with no maps to build.
  if (!before || !after) {
    const leaves = before ? flatten(before) : after ? flatten(after) : [];
    if (strictlySorted(leaves)) {
      const mark = before ? `${prefix}  ` : `${prefix}+ `;
      return { lines: leaves.map(([p, v]) => `${mark}${p} = ${formatValue(v, ref)}`), unchanged: 0 };
    }
  }
  const b = new Map(before ? flatten(before).map(([p, v]) => [p, formatValue(v, ref)] as const) : []);
  const a = new Map(after ? flatten(after).map(([p, v]) => [p, formatValue(v, ref)] as const) : []);
  const lines: string[] = [];
  let unchanged = 0;
  const paths = [...new Set([...b.keys(), ...a.keys()])].sort();
  for (const p of paths) {
    const old = b.get(p);
    const now = a.get(p);
    if (old === undefined) lines.push(`${prefix}+ ${p} = ${now}`);
    else if (now === undefined) lines.push(after ? `${prefix}- ${p} = ${old}` : `${prefix}  ${p} = ${old}`);
    else if (old === now) unchanged++;
    else lines.push(`${prefix}~ ${p} = ${old} -> ${now}`);
  }
  return { lines, unchanged };
}

/**
 * How many lines `attributeLines` gives, and its `unchanged`, without formatting the values of
 * a create or a delete (what a rendering that only counts the lines it leaves out needs).
 */
export function attributeLineCount(before: Attributes | null | undefined, after: Attributes | undefined, ref: RefName): { lines: number; unchanged: number } {
  if (!before || !after) {
    const leaves = before ? flatten(before) : after ? flatten(after) : [];
    if (strictlySorted(leaves)) return { lines: leaves.length, unchanged: 0 };
  }
  const all = attributeLines(before, after, ref);
  return { lines: all.lines.length, unchanged: all.unchanged };
}
