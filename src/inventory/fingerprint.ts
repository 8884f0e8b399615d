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
  depth = 0;
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
  const pieces = new Pieces();
  emit(value, pieces);
  return pieces.take();
}

/**
 * Text made of pieces, joined once: one flat copy of each record's text instead of one per
 * nesting level. The array is reused from one text to the next (an array emptied by
 * `length = 0` drops its storage, and regrowing it for each of 100,000 records was a third
 * of the fingerprint's garbage).
 */
class Pieces {
  readonly #list: string[] = [];
  #count = 0;

  add(piece: string): void {
    if (this.#count < this.#list.length) this.#list[this.#count] = piece;
    else this.#list.push(piece);
    this.#count++;
  }

  /** The text of the pieces added since the last take(); starts the next text. */
  take(): string {
    const list = this.#list;
    const n = this.#count;
    this.#count = 0;
    if (n === 1) return list[0] as string;
    if (n === 0) return '';
    if (list.length !== n) list.length = n;
    return list.join('');
  }
}

/** One Pieces per nesting level of the arrays being sorted (sortedParts). */
const LEVELS: Pieces[] = [];
let depth = 0;

/** Adds the canonical text of `value` to `out`. */
function emit(value: unknown, out: Pieces): void {
  switch (typeof value) {
    case 'string':
      if (NEEDS_ESCAPE.test(value)) out.add(JSON.stringify(value));
      else {
        out.add('"');
        out.add(value);
        out.add('"');
      }
      return;
    case 'number':
      // JSON.stringify's form: finite numbers as String() writes them (-0 as 0), others null.
      out.add(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.add(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) out.add('null');
      else if (Array.isArray(value)) emitArray(value, out);
      else emitObject(value as Record<string, unknown>, out);
      return;
    default:
      // JSON.stringify of undefined/functions is undefined; callers only pass JSON data, and
      // object members that are undefined are skipped below as JSON does.
      out.add(JSON.stringify(value) ?? 'null');
  }
}

function emitObject(record: Record<string, unknown>, out: Pieces): void {
  const keys = sortedKeys(record);
  let first = 1;
  // 1 while a plain string member's closing quote is owed: the next piece starts with it
  // (a third fewer pieces to join than a piece of its own).
  let quote = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    const texts = keyTexts(key);
    // The commonest members (plain strings, null, booleans) take one or two cached pieces.
    if (typeof v === 'string' && !NEEDS_ESCAPE.test(v)) {
      out.add(texts[quote ? AFTER_QUOTE + QUOTE : QUOTE + first] as string);
      out.add(v);
      quote = 1;
    } else {
      const at = v === null ? NULL : v === true ? TRUE : v === false ? FALSE : 0;
      out.add(texts[quote ? AFTER_QUOTE + at : at + first] as string);
      quote = 0;
      if (at === 0) emit(v, out);
    }
    first = 0;
  }
  out.add(first ? '{}' : quote ? '"}' : '}');
}

function emitArray(list: readonly unknown[], out: Pieces): void {
  if (list.length === 0) {
    out.add('[]');
    return;
  }
  if (list.length === 1) {
    // One element needs no sorting, hence no text of its own.
    out.add('[');
    emit(list[0] === undefined ? null : list[0], out);
    out.add(']');
    return;
  }
  if (list.length <= SMALL && plainStrings(list)) {
    // Lists of ids (a port's groups...): sorted as their quoted texts would be, without
    // making those texts.
    const sorted = list.slice() as string[];
    sortQuoted(sorted);
    out.add('["');
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0) out.add('","');
      out.add(sorted[i] as string);
    }
    out.add('"]');
    return;
  }
  const parts = sortedParts(list);
  out.add('[');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out.add(',');
    out.add(parts[i] as string);
  }
  out.add(']');
}

/** The canonical texts of an array's elements, sorted (undefined elements are null, as in JSON). */
function sortedParts(list: readonly unknown[]): string[] {
  const parts = new Array<string>(list.length);
  const pieces = (LEVELS[depth] ??= new Pieces());
  depth++;
  try {
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      emit(v === undefined ? null : v, pieces);
      parts[i] = pieces.take();
    }
  } finally {
    depth--;
  }
  if (parts.length > SMALL) parts.sort();
  else sortSmall(parts);
  return parts;
}

// Array.prototype.sort makes ~600 bytes of working state per call, whatever the length: an
// inventory has hundreds of thousands of two- and three-element lists (fixed IPs, groups).
const SMALL = 12;

/** Insertion sort by UTF-16 code units: what sort() does with strings, for a few elements. */
function sortSmall(parts: string[]): void {
  for (let i = 1; i < parts.length; i++) {
    const v = parts[i] as string;
    let j = i - 1;
    while (j >= 0 && (parts[j] as string) > v) {
      parts[j + 1] = parts[j] as string;
      j--;
    }
    parts[j + 1] = v;
  }
}

/** Every element is a string JSON writes as `"` + itself + `"`. */
function plainStrings(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'string' || NEEDS_ESCAPE.test(v)) return false;
  }
  return true;
}

/** sortSmall of the quoted texts of plain strings, done on the strings themselves. */
function sortQuoted(list: string[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i] as string;
    let j = i - 1;
    while (j >= 0 && quotedAfter(list[j] as string, v)) {
      list[j + 1] = list[j] as string;
      j--;
    }
    list[j + 1] = v;
  }
}

/**
 * `"a"` > `"b"`, for strings without quotes: the quote after the shorter one is compared with
 * the longer one's next character (so `"a"` comes after `"a b"`, as a space is below a quote).
 */
function quotedAfter(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y;
  }
  if (a.length === b.length) return false;
  // Neither holds a quote, so the next character is never equal to it.
  return a.length < b.length ? QUOTE_CODE > b.charCodeAt(n) : a.charCodeAt(n) > QUOTE_CODE;
}

const QUOTE_CODE = 0x22;

// What JSON.stringify escapes: quote, backslash, control characters, and (lone) surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// Records of one type share their key list (in insertion order): its sorted order is worked
// out once per distinct list instead of sorted per record. Lists are found by their first key
// and compared key by key (property names are interned: each comparison is a pointer check).
// Free-form maps (metadata, extra specs) bring arbitrary lists, so the cache is bounded.
const ORDERS = new Map<string, { readonly keys: readonly string[]; readonly sorted: readonly string[] }[]>();
let orderCount = 0;
const ORDERS_MAX = 1024;

function sortedKeys(record: Record<string, unknown>): readonly string[] {
  // The keys in Object.keys order, without a new array per record: a for-in over a plain
  // object walks its shape's enumeration cache. (Anything but a plain object: Object.keys.)
  const proto: unknown = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) return sortedOrder(Object.keys(record), Object.keys(record).length);
  const keys = SCRATCH;
  let n = 0;
  for (const k in record) keys[n++] = k;
  return sortedOrder(keys, n);
}

/** The first `n` of `keys` sorted; `keys` is scratch space and is not kept. */
function sortedOrder(keys: readonly string[], n: number): readonly string[] {
  if (n === 0) return NO_KEYS;
  const head = keys[0] as string;
  const known = ORDERS.get(head);
  if (known !== undefined) {
    for (const k of known) if (sameKeys(k.keys, keys, n)) return k.sorted;
  }
  const own = keys.slice(0, n);
  const sorted = [...own].sort();
  if (orderCount < ORDERS_MAX && n <= 64) {
    orderCount++;
    if (known === undefined) ORDERS.set(head, [{ keys: own, sorted }]);
    else known.push({ keys: own, sorted });
  }
  return sorted;
}

const SCRATCH: string[] = [];
const NO_KEYS: readonly string[] = [];

/** `a` is the first `n` of `b`. */
function sameKeys(a: readonly string[], b: readonly string[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
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
const AFTER_QUOTE = 10;

function keyTexts(key: string): readonly string[] {
  let texts = KEY_TEXTS.get(key);
  if (texts === undefined) {
    const q = `${JSON.stringify(key)}:`;
    // Then, after a string member, the same with its closing quote first (AFTER_QUOTE + the
    // offsets above; never the first member, so those slots are empty).
    texts = [`,${q}`, `{${q}`, `,${q}"`, `{${q}"`, `,${q}null`, `{${q}null`, `,${q}true`, `{${q}true`, `,${q}false`, `{${q}false`,
      `",${q}`, '', `",${q}"`, '', `",${q}null`, '', `",${q}true`, '', `",${q}false`];
    if (KEY_TEXTS.size < KEYS_MAX) KEY_TEXTS.set(key, texts);
  }
  return texts;
}

function quotedKey(key: string): string {
  return `${JSON.stringify(key)}:`;
}

/** Text fed to a hash in batches (one update per small string would dominate the cost). */
class HashText {
  readonly #pending = new Pieces();
  #size = 0;
  constructor(private readonly hash: Hash) {}

  write(text: string): void {
    this.#pending.add(text);
    this.#size += text.length;
    if (this.#size >= 1 << 16) {
      this.hash.update(this.#pending.take(), 'utf8');
      this.#size = 0;
    }
  }

  digest(): string {
    if (this.#size > 0) this.hash.update(this.#pending.take(), 'utf8');
    this.#size = 0;
    return this.hash.digest('hex');
  }
}
