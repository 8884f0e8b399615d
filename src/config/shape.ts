/** The value as a plain mapping, or undefined for lists, scalars and null. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** `{ [key]: value }` when value is defined, else `{}`: keeps optional fields truly absent. */
export function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Mappings merged key by key, `over` winning; lists and scalars are replaced whole. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = asRecord(out[k]);
    const o = asRecord(v);
    out[k] = b && o ? deepMerge(b, o) : v;
  }
  return out;
}
