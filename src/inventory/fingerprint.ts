import { createHash, type Hash } from 'node:crypto';
import type { FuelInventory, Inventory } from './types.js';

/**
 * sha256 (hex) of the canonical form of an inventory: object keys sorted (as
 * json-stable-stringify does) and every array sorted by its elements' canonical text, so that
 * the order in which discovery listed things never changes the fingerprint. The `observed`
 * bookkeeping (time, call count) is left out: two discoveries of an unchanged cloud agree.
 *
 * Apply may compare this to a fresh discovery's fingerprint to tell "nothing moved".
 *
 * The hash is fed as the text is made (the text of a 100,000-server inventory is hundreds of
 * MB): only the elements of one top-level list are held at a time, to be sorted.
 */
export function fingerprint(inventory: Inventory | FuelInventory): string {
  const { observed: _observed, ...rest } = inventory;
  const out = new HashText(createHash('sha256'));
  const record = rest as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.write('{');
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    out.write(first ? quotedKey(key) : `,${quotedKey(key)}`);
    first = false;
    if (Array.isArray(v)) {
      const parts = sortedParts(v);
      out.write('[');
      for (let i = 0; i < parts.length; i++) out.write(i === 0 ? (parts[i] as string) : `,${parts[i] as string}`);
      out.write(']');
    } else {
      out.write(canonicalText(v));
    }
  }
  out.write('}');
  return out.digest();
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
    if (value.length === 0) return '[]';
    return `[${sortedParts(value).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  // join() makes one flat string; `+=` would leave a tree of concatenations that lives as
  // long as the list being sorted.
  const parts: string[] = [];
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(quotedKey(key) + canonicalText(v));
  }
  return `{${parts.join(',')}}`;
}

/** The canonical texts of an array's elements, sorted (undefined elements are null, as in JSON). */
function sortedParts(list: readonly unknown[]): string[] {
  const parts = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    parts[i] = canonicalText(v === undefined ? null : v);
  }
  if (parts.length > 1) parts.sort();
  return parts;
}

// Record field names repeat across hundreds of thousands of records: quote each once. Free-form
// maps (metadata, extra specs) bring arbitrary keys, so the cache is bounded.
const QUOTED = new Map<string, string>();
const QUOTED_MAX = 4096;

function quotedKey(key: string): string {
  let q = QUOTED.get(key);
  if (q === undefined) {
    q = `${JSON.stringify(key)}:`;
    if (QUOTED.size < QUOTED_MAX) QUOTED.set(key, q);
  }
  return q;
}

/** Text fed to a hash in batches (one update per small string would dominate the cost). */
class HashText {
  #pending = '';
  constructor(private readonly hash: Hash) {}

  write(text: string): void {
    this.#pending += text;
    if (this.#pending.length >= 1 << 16) {
      this.hash.update(this.#pending, 'utf8');
      this.#pending = '';
    }
  }

  digest(): string {
    if (this.#pending.length > 0) this.hash.update(this.#pending, 'utf8');
    this.#pending = '';
    return this.hash.digest('hex');
  }
}
