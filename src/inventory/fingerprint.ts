import { createHash } from 'node:crypto';
import type { FuelInventory, Inventory } from './types.js';

/**
 * sha256 (hex) of the canonical form of an inventory: object keys sorted (as
 * json-stable-stringify does) and every array sorted by its elements' canonical text, so that
 * the order in which discovery listed things never changes the fingerprint. The `observed`
 * bookkeeping (time, call count) is left out: two discoveries of an unchanged cloud agree.
 *
 * Apply may compare this to a fresh discovery's fingerprint to tell "nothing moved".
 */
export function fingerprint(inventory: Inventory | FuelInventory): string {
  const { observed: _observed, ...rest } = inventory;
  return createHash('sha256').update(canonicalText(rest)).digest('hex');
}

/**
 * Canonical JSON text of a plain value: json-stable-stringify's output for the same value
 * with every array sorted. Exported for tests and for fingerprints of parts of an inventory.
 */
export function canonicalText(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // JSON.stringify of undefined/functions is undefined; callers only pass JSON data, and
    // object members that are undefined are skipped below as JSON does.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => canonicalText(v === undefined ? null : v));
    parts.sort();
    return `[${parts.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalText(v)}`;
  }
  return `${out}}`;
}
