/**
 * Orders strings by their UTF-16 code units: what `sort()` does without a comparator and the
 * order canonical JSON sorts keys in, never the locale's (`localeCompare` would make plans and
 * listings differ between machines).
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
