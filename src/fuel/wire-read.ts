/**
 * Typed reads of Nailgun's JSON. A field of the wrong type throws WireShapeError, which the
 * client turns into PH_CLOUD_BAD_RESPONSE with the call's facts.
 */
export class WireShapeError extends Error {
  override readonly name = 'WireShapeError';
}

export type WireObject = Readonly<Record<string, unknown>>;

export function asObject(v: unknown, what: string): WireObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new WireShapeError(`${what} is not an object`);
  return v as WireObject;
}

export function asArray(v: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(v)) throw new WireShapeError(`${what} is not a list`);
  return v;
}

export function int(o: WireObject, key: string, what: string): number {
  const v = o[key];
  // Nailgun ids are integers; some 5.x serializers send them as strings.
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new WireShapeError(`${what}.${key} is not a number`);
  return n;
}

export function intOrNull(o: WireObject, key: string, what: string): number | null {
  return o[key] === null || o[key] === undefined ? null : int(o, key, what);
}

export function text(o: WireObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new WireShapeError(`${what}.${key} is not a string`);
  return v;
}

export function textOr<T extends string | null>(o: WireObject, key: string, fallback: T): string | T {
  const v = o[key];
  return typeof v === 'string' ? v : fallback;
}

export function bool(o: WireObject, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function strings(o: WireObject, key: string, what: string): string[] {
  const v = o[key];
  if (v === null || v === undefined) return [];
  return asArray(v, `${what}.${key}`).map((s) => {
    if (typeof s !== 'string') throw new WireShapeError(`${what}.${key} holds a non-string`);
    return s;
  });
}
