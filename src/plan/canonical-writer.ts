/**
 * The canonical text of a JSON value as UTF-8 bytes, made in chunks: byte for byte what
 * json-stable-stringify 1.x gives with `{ space: 1 }` (keys sorted by code unit, one space per
 * level, an empty object or array written over two lines), without ever holding the whole
 * text. A plan of 600,000 actions is about 750 MB of such text, more than a JavaScript string
 * can hold; writing bytes straight into buffers also spares the concatenations a string
 * would be built from.
 *
 * Same rules as that library: `toJSON()` is called once on objects that have it; members whose
 * value is undefined, a function or a symbol are left out; such array items become `null`;
 * numbers and strings are written as JSON.stringify writes them (NaN and Infinity as `null`);
 * an object inside itself throws TypeError. Tested against the library in
 * test/plan/canonical-writer.test.ts.
 */

/** Size of the buffers the text is written into (and of the chunks handed out). */
const CHUNK = 1 << 20;

const encoder = new TextEncoder();

// '\n' + one space per level, and ',\n' + one space per level, encoded once per level.
const INDENTS: Uint8Array[] = [];
const COMMA_INDENTS: Uint8Array[] = [];

function indent(level: number): Uint8Array {
  return (INDENTS[level] ??= encoder.encode(`\n${' '.repeat(level)}`));
}

function commaIndent(level: number): Uint8Array {
  return (COMMA_INDENTS[level] ??= encoder.encode(`,\n${' '.repeat(level)}`));
}

// `,\n<indent>"key": ` per level and key, encoded once: field names repeat across every action
// (a first member drops the comma). Bounded: free-form maps bring arbitrary keys.
const MEMBER_PREFIXES: Map<string, Uint8Array>[] = [];

function memberBytes(level: number, key: string): Uint8Array {
  const byKey = (MEMBER_PREFIXES[level] ??= new Map());
  let bytes = byKey.get(key);
  if (bytes === undefined) {
    bytes = encoder.encode(`,\n${' '.repeat(level)}${JSON.stringify(key)}: `);
    if (byKey.size < 4096) byKey.set(key, bytes);
  }
  return bytes;
}

/** An object's keys in writing order, and their member prefixes per level (made on demand). */
interface KeyOrder {
  readonly keys: readonly string[];
  readonly prefixes: (readonly Uint8Array[] | undefined)[];
}

// Objects made by one piece of code list their keys in one order: remember each order's sorted
// form (looked up by first key, checked key by key), instead of sorting every object's keys.
const KEY_ORDERS = new Map<string, [readonly string[], KeyOrder][]>();

function keyOrder(keys: string[]): KeyOrder {
  const head = keys[0] ?? '';
  let known = KEY_ORDERS.get(head);
  if (known) {
    next: for (const [order, sorted] of known) {
      if (order.length !== keys.length) continue;
      for (let i = 1; i < keys.length; i++) if (order[i] !== keys[i]) continue next;
      return sorted;
    }
  } else if (KEY_ORDERS.size < 4096) {
    known = [];
    KEY_ORDERS.set(head, known);
  }
  const sorted: KeyOrder = { keys: keys.length > 1 ? [...keys].sort() : keys, prefixes: [] };
  if (known && known.length < 16) known.push([keys, sorted]);
  return sorted;
}

function prefixesAt(order: KeyOrder, level: number): readonly Uint8Array[] {
  return (order.prefixes[level] ??= order.keys.map((k) => memberBytes(level, k)));
}

// Strings JSON.stringify would change (quote, backslash, control characters, surrogates):
// every other string is written between quotes as it is.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const NULL = encoder.encode('null');
const TRUE = encoder.encode('true');
const FALSE = encoder.encode('false');
const QUOTE = 0x22;

/** The value to write for `v` (its toJSON() result when it has one), as the library resolves it. */
function resolved(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON: () => unknown }).toJSON();
  }
  return v;
}

/** True when a resolved value has no JSON text (left out of objects, `null` in arrays). */
function absent(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

// Cycles are looked for only this deep: a cycle always gets there, and plans never do.
const CYCLE_DEPTH = 32;

/**
 * Told about every string written (with the JSON path of its place and its member key, or
 * undefined for an array item), except what sits under a `$secret` member. The plan writer
 * runs the secret scan this way, without a walk of its own.
 */
export type StringWatch = (path: readonly (string | number)[], key: string | undefined, value: string) => void;

/**
 * Writes some array items itself (spilled actions, whose text is already made): `takes` is
 * asked with the raw item (its toJSON() not called); `write` then writes the item at `level`,
 * after its separator.
 */
export interface ItemWriter {
  takes(item: unknown): boolean;
  write(w: CanonicalBytes, item: unknown, level: number): void;
}

/**
 * Writes canonical text into 1 MB buffers; full ones wait in `ready` until the generator that
 * drives the writer hands them out. The first levels of a value (`split` of them) are walked
 * by that generator member by member; anything deeper is written in one go.
 */
export class CanonicalBytes {
  #buf = Buffer.allocUnsafe(CHUNK);
  #pos = 0;
  /** A buffer given back (see recycle), used for the next one. */
  #spare: ArrayBuffer | undefined;
  /** Bytes in buffers already retired (handed to `ready`). */
  #retired = 0;
  readonly ready: Uint8Array[] = [];
  /** Consulted for the items of arrays walked by pieces(). */
  itemWriter: ItemWriter | undefined;
  readonly #ancestors: object[] = [];
  #watch: StringWatch | undefined;
  readonly #path: (string | number)[];
  /** Above 0 while writing under a `$secret` member (not watched). */
  #quiet = 0;

  constructor(watch?: StringWatch, path: readonly (string | number)[] = []) {
    this.#watch = watch;
    this.#path = [...path];
  }

  /** Bytes written so far (handed out or not). */
  get position(): number {
    return this.#retired + this.#pos;
  }

  /** Replaces the watch (undefined: strings are no longer watched). */
  watchWith(watch: StringWatch | undefined): void {
    this.#watch = watch;
  }

  /** Makes `path` the JSON path the watch is told about from now on. */
  resetPath(path: readonly (string | number)[]): void {
    this.#path.length = 0;
    for (const p of path) this.#path.push(p);
  }

  /**
   * Writes the object `record` at `level` without its members named in `holes`, and returns,
   * per hole in the order of `holes`, the position (see `position`) where that member's text
   * (`,\n<indent>"key": value`, see member()) goes. A hole must not sort first among the keys.
   */
  holed(record: Record<string, unknown>, level: number, holes: readonly string[]): number[] {
    const at: number[] = holes.map(() => -1);
    const order = this.#open(record);
    const prefixes = prefixesAt(order, level + 1);
    let first = true;
    for (let i = 0; i < order.keys.length; i++) {
      const k = order.keys[i]!;
      const hole = holes.indexOf(k);
      if (hole >= 0) {
        if (first) throw new TypeError(`the hole '${k}' would be the object's first member`);
        at[hole] = this.position;
        continue;
      }
      const item = this.#member(record[k], prefixes[i]!, first);
      if (item === undefined) continue;
      first = false;
      this.#enterMember(k);
      this.value(item, level + 1, k);
      this.#leaveMember(k);
    }
    this.#close(level, CLOSE_OBJECT);
    for (let i = 0; i < holes.length; i++) if (at[i]! < 0) throw new TypeError(`the hole '${holes[i]}' is not a member of the object`);
    return at;
  }

  /** `,\n<indent>"key": ` and `value` (resolved, not absent), a member of an object at `level - 1`. */
  member(level: number, key: string, value: unknown): void {
    this.raw(memberBytes(level, key));
    this.#enterMember(key);
    this.value(value, level, key);
    this.#leaveMember(key);
  }

  /** The bytes written and not yet handed out (the buffer is not reused afterwards). */
  take(): Uint8Array[] {
    if (this.#pos > 0) this.#retire(CHUNK);
    return this.ready.splice(0);
  }

  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.#pos + n > this.#buf.length) this.#retire(Math.max(CHUNK, n));
    const buf = this.#buf;
    if (n <= 16) {
      let p = this.#pos;
      for (let i = 0; i < n; i++) buf[p++] = bytes[i]!;
      this.#pos = p;
    } else {
      buf.set(bytes, this.#pos);
      this.#pos += n;
    }
  }

  /** Text known to be ASCII (numbers). */
  ascii(text: string): void {
    if (this.#pos + text.length > this.#buf.length) this.#retire(Math.max(CHUNK, text.length));
    this.#pos += this.#buf.write(text, this.#pos, 'latin1');
  }

  string(s: string, key: string | undefined): void {
    if (this.#watch !== undefined && this.#quiet === 0) this.#watch(this.#path, key, s);
    const n = s.length;
    if (this.#pos + n + 2 > this.#buf.length) this.#retire(Math.max(CHUNK, 3 * n + 2));
    // Most strings are plain ASCII: copied in one loop that also looks for what JSON escapes.
    const buf = this.#buf;
    let p = this.#pos;
    buf[p++] = QUOTE;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return this.#stringSlow(s);
      buf[p++] = c;
    }
    buf[p++] = QUOTE;
    this.#pos = p;
  }

  /** A string with escapes or non-ASCII characters, as JSON.stringify writes it (from #pos). */
  #stringSlow(s: string): void {
    const text = NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const max = 3 * text.length;
    if (this.#pos + max > this.#buf.length) this.#retire(Math.max(CHUNK, max));
    this.#pos += this.#buf.write(text, this.#pos, 'utf8');
  }

  /** Writes `v` (resolved, not absent) at `level`; `key` is its member name (undefined in an array). */
  value(v: unknown, level: number, key: string | undefined): void {
    if (typeof v === 'string') return this.string(v, key);
    if (typeof v !== 'object' || v === null) {
      if (v === null) return this.raw(NULL);
      if (v === true) return this.raw(TRUE);
      if (v === false) return this.raw(FALSE);
      return this.ascii(JSON.stringify(v) as string);
    }
    // Paths are kept only for the watch: without one, items and members are written bare.
    const watching = this.#watch !== undefined;
    if (Array.isArray(v)) {
      this.raw(OPEN_ARRAY);
      for (let i = 0; i < v.length; i++) {
        const item = this.#item(v, i, level);
        if (item === undefined) continue;
        if (watching) this.#path.push(i);
        this.value(item, level + 1, undefined);
        if (watching) this.#path.pop();
      }
      return this.#close(level, CLOSE_ARRAY);
    }
    const record = v as Record<string, unknown>;
    const order = this.#open(record);
    const prefixes = prefixesAt(order, level + 1);
    let first = true;
    for (let i = 0; i < order.keys.length; i++) {
      const k = order.keys[i]!;
      const item = this.#member(record[k], prefixes[i]!, first);
      if (item === undefined) continue;
      first = false;
      if (watching) this.#enterMember(k);
      this.value(item, level + 1, k);
      if (watching) this.#leaveMember(k);
    }
    this.#close(level, CLOSE_OBJECT);
  }

  /** Like value(), but hands out full buffers between the members of the first `split` levels. */
  *pieces(v: unknown, level: number, split: number, key: string | undefined): Generator<Uint8Array, void, undefined> {
    if (split <= 0 || typeof v !== 'object' || v === null) {
      this.value(v, level, key);
      if (this.ready.length > 0) yield* this.ready.splice(0);
      return;
    }
    if (Array.isArray(v)) {
      this.raw(OPEN_ARRAY);
      const own = this.itemWriter;
      for (let i = 0; i < v.length; i++) {
        // Asked before the item is resolved: an item it writes may have a costly toJSON().
        if (own !== undefined && own.takes(v[i])) {
          this.raw(i === 0 ? indent(level + 1) : commaIndent(level + 1));
          this.#path.push(i);
          own.write(this, v[i], level + 1);
          this.#path.pop();
          if (this.ready.length > 0) yield* this.ready.splice(0);
          continue;
        }
        const item = this.#item(v, i, level);
        if (item === undefined) continue;
        this.#path.push(i);
        yield* this.pieces(item, level + 1, split - 1, undefined);
        this.#path.pop();
      }
      return this.#close(level, CLOSE_ARRAY);
    }
    const record = v as Record<string, unknown>;
    const order = this.#open(record);
    const prefixes = prefixesAt(order, level + 1);
    let first = true;
    for (let i = 0; i < order.keys.length; i++) {
      const k = order.keys[i]!;
      const item = this.#member(record[k], prefixes[i]!, first);
      if (item === undefined) continue;
      first = false;
      this.#enterMember(k);
      yield* this.pieces(item, level + 1, split - 1, k);
      this.#leaveMember(k);
    }
    this.#close(level, CLOSE_OBJECT);
  }

  // The steps value() and pieces() share: open a container, write what goes before each item
  // or member and resolve it, close. Absent members are left out; absent items become null.

  /** The separator before item `i` of an array at `level`, and the item resolved: undefined when `null` was written for it. */
  #item(items: readonly unknown[], i: number, level: number): unknown {
    this.raw(i === 0 ? indent(level + 1) : commaIndent(level + 1));
    const item = resolved(items[i]);
    if (!absent(item)) return item;
    this.raw(NULL);
    return undefined;
  }

  /** `{` of an object (checked for cycles until #close), and its keys in writing order. */
  #open(record: object): KeyOrder {
    if (this.#ancestors.length >= CYCLE_DEPTH && this.#ancestors.includes(record)) throw new TypeError('Converting circular structure to JSON');
    this.#ancestors.push(record);
    this.raw(OPEN_OBJECT);
    return keyOrder(Object.keys(record));
  }

  /** A member's value resolved, its `,\n "key": ` prefix written; undefined (nothing written) when it is left out. */
  #member(value: unknown, prefix: Uint8Array, first: boolean): unknown {
    const item = resolved(value);
    if (absent(item)) return undefined;
    this.raw(first ? prefix.subarray(1) : prefix);
    return item;
  }

  /** The end of a container at `level` (an object leaves the cycle check). */
  #close(level: number, close: Uint8Array): void {
    this.raw(indent(level));
    this.raw(close);
    if (close === CLOSE_OBJECT) this.#ancestors.pop();
  }

  /** A member's path segment; nothing under `$secret` is watched. */
  #enterMember(k: string): void {
    this.#path.push(k);
    if (k === '$secret') this.#quiet++;
  }

  #leaveMember(k: string): void {
    if (k === '$secret') this.#quiet--;
    this.#path.pop();
  }

  /**
   * Gives a chunk handed out (by `ready` or take()) back once its bytes are used, so the next
   * buffer is that one instead of a new one (a writer whose chunks are written synchronously:
   * fewer dead 1 MB buffers waiting for a collection).
   */
  recycle(chunk: Uint8Array): void {
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength >= CHUNK && chunk.buffer !== this.#buf.buffer) this.#spare = chunk.buffer as ArrayBuffer;
  }

  #retire(size: number): void {
    if (this.#pos > 0) this.ready.push(this.#buf.subarray(0, this.#pos));
    this.#retired += this.#pos;
    const spare = this.#spare;
    this.#spare = undefined;
    this.#buf = spare !== undefined && spare.byteLength >= size ? Buffer.from(spare) : Buffer.allocUnsafe(size);
    this.#pos = 0;
  }
}

const OPEN_ARRAY = encoder.encode('[');
const CLOSE_ARRAY = encoder.encode(']');
const OPEN_OBJECT = encoder.encode('{');
const CLOSE_OBJECT = encoder.encode('}');
const NEWLINE = encoder.encode('\n');

/**
 * The canonical text of `value` as UTF-8 in chunks of about 1 MB (their concatenation is the
 * UTF-8 of `canonicalJson(value)`, trailing newline included). Throws TypeError for a value
 * with no JSON text (undefined, a function), a cycle, or a BigInt, as JSON.stringify does.
 */
export function* canonicalChunks(value: unknown): Generator<Uint8Array, void, undefined> {
  const v = resolved(value);
  if (absent(v)) throw new TypeError('value has no JSON form');
  const w = new CanonicalBytes();
  // Two levels walked piece by piece: a plan's members, then each action of `actions`.
  yield* w.pieces(v, 0, 2, undefined);
  w.raw(NEWLINE);
  yield* w.take();
}

/** `v` as the canonical text writes it: its toJSON() result when it has one (call it once). */
export function jsonValue(v: unknown): unknown {
  return resolved(v);
}

/** Whether a resolved member value is written at all (undefined, functions, symbols are not). */
export function hasJsonText(resolvedValue: unknown): boolean {
  return !absent(resolvedValue);
}

/**
 * The UTF-8 text of a resolved member value `key` of a top-level object (level 1), in chunks:
 * an array is walked item by item, an object member by member. For writers that assemble the
 * top-level object themselves (the plan file, whose checksum member is known only at the end).
 * `watch` is told about every string written (see StringWatch), with paths from `/key`;
 * `items` may write an array's items itself (see ItemWriter).
 */
export function* memberChunks(resolvedValue: unknown, key: string, watch?: StringWatch, items?: ItemWriter): Generator<Uint8Array, void, undefined> {
  const w = new CanonicalBytes(watch, [key]);
  w.itemWriter = items;
  yield* w.pieces(resolvedValue, 1, 1, key);
  yield* w.take();
}

/** `,\n "key": ` (no comma for the first member) as the canonical text writes a top-level member. */
export function memberPrefix(key: string, first: boolean): Uint8Array {
  const prefix = memberBytes(1, key);
  return first ? prefix.subarray(1) : prefix;
}

/** The text that closes a top-level object, with the file's trailing newline. */
export const OBJECT_END: Uint8Array = encoder.encode('\n}\n');
