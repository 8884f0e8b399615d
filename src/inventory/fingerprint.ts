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
      for (let i = 0; i < parts.length; i++) {
        if (i > 0) out.write(',');
        out.write(parts[i] as string);
      }
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
  const pieces: string[] = [];
  emit(value, pieces);
  return pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
}

/**
 * Pushes the canonical text of `value` onto `out` as pieces, joined once by the caller: one
 * flat copy of each record's text instead of one per nesting level (the fingerprint of a
 * 100,000-server inventory makes hundreds of MB of text).
 */
function emit(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'string':
      if (NEEDS_ESCAPE.test(value)) out.push(JSON.stringify(value));
      else out.push('"', value, '"');
      return;
    case 'number':
      // JSON.stringify's form: finite numbers as String() writes them (-0 as 0), others null.
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) out.push('null');
      else if (Array.isArray(value)) emitArray(value, out);
      else emitObject(value as Record<string, unknown>, out);
      return;
    default:
      // JSON.stringify of undefined/functions is undefined; callers only pass JSON data, and
      // object members that are undefined are skipped below as JSON does.
      out.push(JSON.stringify(value) ?? 'null');
  }
}

function emitObject(record: Record<string, unknown>, out: string[]): void {
  const keys = sortedKeys(Object.keys(record));
  let first = 1;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    const texts = keyTexts(key);
    // The commonest members (plain strings, null, booleans) take one or three cached pieces.
    if (typeof v === 'string' && !NEEDS_ESCAPE.test(v)) out.push(texts[QUOTE + first] as string, v, '"');
    else if (v === null) out.push(texts[NULL + first] as string);
    else if (v === true) out.push(texts[TRUE + first] as string);
    else if (v === false) out.push(texts[FALSE + first] as string);
    else {
      out.push(texts[first] as string);
      emit(v, out);
    }
    first = 0;
  }
  out.push(first ? '{}' : '}');
}

function emitArray(list: readonly unknown[], out: string[]): void {
  if (list.length === 0) {
    out.push('[]');
    return;
  }
  if (list.length === 1) {
    // One element needs no sorting, hence no text of its own.
    out.push('[');
    emit(list[0] === undefined ? null : list[0], out);
    out.push(']');
    return;
  }
  const parts = sortedParts(list);
  out.push('[');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out.push(',');
    out.push(parts[i] as string);
  }
  out.push(']');
}

/** The canonical texts of an array's elements, sorted (undefined elements are null, as in JSON). */
function sortedParts(list: readonly unknown[]): string[] {
  const parts = new Array<string>(list.length);
  const pieces: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    pieces.length = 0;
    emit(v === undefined ? null : v, pieces);
    parts[i] = pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
  }
  if (parts.length > 1) parts.sort();
  return parts;
}

// What JSON.stringify escapes: quote, backslash, control characters, and (lone) surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// Records of one type share their key list (in insertion order): its sorted order is worked
// out once per distinct list instead of sorted per record. Lists are found by their first key
// and compared key by key (property names are interned: each comparison is a pointer check).
// Free-form maps (metadata, extra specs) bring arbitrary lists, so the cache is bounded.
const ORDERS = new Map<string, { readonly keys: readonly string[]; readonly sorted: readonly string[] }[]>();
let orderCount = 0;
const ORDERS_MAX = 1024;

function sortedKeys(keys: string[]): readonly string[] {
  if (keys.length < 2) return keys;
  const head = keys[0] as string;
  const known = ORDERS.get(head);
  if (known !== undefined) {
    for (const k of known) if (sameKeys(k.keys, keys)) return k.sorted;
  }
  const sorted = [...keys].sort();
  if (orderCount < ORDERS_MAX && keys.length <= 64) {
    orderCount++;
    if (known === undefined) ORDERS.set(head, [{ keys, sorted }]);
    else known.push({ keys, sorted });
  }
  return sorted;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Record field names repeat across hundreds of thousands of records: `,"key":` (and `{"key":`
// for the first member, with an opening quote, null, true or false after it) is made once per
// key. Free-form maps (metadata, extra specs) bring arbitrary keys, so the cache is bounded.
const KEY_TEXTS = new Map<string, readonly string[]>();
const KEYS_MAX = 4096;
// Offsets in a key's texts; +1 for the first member of an object (`{` instead of `,`).
const QUOTE = 2;
const NULL = 4;
const TRUE = 6;
const FALSE = 8;

function keyTexts(key: string): readonly string[] {
  let texts = KEY_TEXTS.get(key);
  if (texts === undefined) {
    const q = `${JSON.stringify(key)}:`;
    texts = [`,${q}`, `{${q}`, `,${q}"`, `{${q}"`, `,${q}null`, `{${q}null`, `,${q}true`, `{${q}true`, `,${q}false`, `{${q}false`];
    if (KEY_TEXTS.size < KEYS_MAX) KEY_TEXTS.set(key, texts);
  }
  return texts;
}

function quotedKey(key: string): string {
  return `${JSON.stringify(key)}:`;
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
