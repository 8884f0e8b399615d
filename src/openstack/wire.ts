/**
 * Small readers for untyped JSON from the clouds. Legacy releases send numbers as strings,
 * booleans as "True"/"true", and "" for absent numbers (legacy-apis.md §8.5); these readers
 * absorb that so normalizers stay one line per field.
 */
export type Raw = Readonly<Record<string, unknown>>;

export function isRaw(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object, or an empty one. */
export function obj(v: unknown): Raw {
  return isRaw(v) ? v : {};
}

/** The array, or an empty one. */
export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Array of objects (non-objects dropped). */
export function objs(v: unknown): readonly Raw[] {
  return arr(v).filter(isRaw);
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** A string, with null/absent/empty mapped to null. */
export function strOrNull(v: unknown): string | null {
  const s = str(v);
  return s === undefined || s === '' ? null : s;
}

/** Numbers, numeric strings; "" and junk give `fallback`. */
export function num(v: unknown, fallback = 0): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fallback;
}

export function numOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = num(v, Number.NaN);
  return Number.isNaN(n) ? null : n;
}

/** true, "true", "True", "1", 1 are true; absent gives `fallback`. */
export function bool(v: unknown, fallback = false): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
    if (s === 'false' || s === '0' || s === 'no' || s === 'off' || s === '') return false;
  }
  return fallback;
}

/** A flat string map (metadata, extra specs); non-string values are stringified. */
export function strMap(v: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    if (val === null || val === undefined) continue;
    out[k] = typeof val === 'string' ? val : JSON.stringify(val);
  }
  return out;
}

/** Strings of an array (ids, names). */
export function strs(v: unknown): readonly string[] {
  return arr(v).map(str).filter((s): s is string => s !== undefined);
}
