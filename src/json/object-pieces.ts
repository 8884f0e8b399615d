import { isAscii, isUtf8 } from 'node:buffer';

/**
 * Reads the text of a JSON object in pieces, so that a plan file larger than a JavaScript
 * string (a 600,000-action plan is about 750 MB) can be parsed: the bytes arrive in chunks,
 * each top-level member's value is handed to JSON.parse on its own, and a member holding an
 * array (the plan's `actions`) one item at a time. What comes out is what JSON.parse of the
 * whole text would give (the last of duplicate keys wins, in the first one's place).
 *
 * The scanner knows only what it needs to find where values end (strings, escapes, nesting);
 * JSON.parse checks each piece. Anything it does not expect (the text is not one object,
 * stray bytes between members, a piece JSON.parse refuses, invalid UTF-8) is a SyntaxIssue
 * with the byte offset and line where it was seen: callers that can hold the whole text
 * re-parse it for the exact message.
 *
 * Indented text (what the plan and state writers make) takes a faster road through arrays of
 * objects: the items up to the last `}` at the first item's indentation in the chunk are
 * parsed by one JSON.parse (a few hundred at a time), and the byte-by-byte scan runs only
 * where that does not apply or fails (then it finds the problem, with its offset and line).
 * Parsing succeeds only if the cut falls between items (a cut inside an item leaves a bracket
 * or string open), so the result is the same; at 610,000 actions the scan was 2 s of 16.
 */
export class ObjectPieces {
  #state = State.Start;
  /** Bytes of the piece being read that arrived in earlier chunks. */
  #carry: Uint8Array[] = [];
  /** Start of the piece being read in the current chunk (-1: none; -2: it began in an earlier chunk). */
  #start = -1;
  /** Next backslash at or after the scan position in the current chunk (n: none). */
  #backslash = -1;
  /** Absolute offset and line where the piece being read started. */
  #pieceOffset = 0;
  #pieceLine = 1;
  /** Nesting inside the value being read, and string/escape state. */
  #depth = 0;
  #inString = false;
  #escape = false;
  /** Absolute offset of the current chunk's first byte, and the line there. */
  #offset = 0;
  #line = 1;
  #key: string | undefined;
  #array: unknown[] | undefined;
  readonly #record: Record<string, unknown> = {};
  readonly #onItem: ItemHook | undefined;
  /** The separator after an item at the indentation last seen (`\n` + spaces + `},`), and that indentation. */
  #separator: Buffer | undefined;
  #indent = -1;
  /** Absolute offset before which runs are not tried again (one failed there: the scan goes on). */
  #scanUntil = 0;
  /** Where runs are copied between brackets. */
  #scratch: Buffer = Buffer.alloc(0);

  constructor(options: ObjectPiecesOptions = {}) {
    this.#onItem = options.onItem;
  }

  /** Feeds the next bytes of the text. */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    this.#backslash = -1;
    while (i < n) {
      switch (this.#state) {
        case State.Start:
        case State.KeyOrEnd:
        case State.Key:
        case State.Colon:
        case State.ValueStart:
        case State.ItemOrEnd:
        case State.Item:
        case State.AfterValue:
        case State.End: {
          const b = chunk[i]!;
          if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
            if (b === 0x0a) this.#line++;
            i++;
            continue;
          }
          if (b === 0x7b && (this.#state === State.Item || this.#state === State.ItemOrEnd)) {
            const next = this.#batch(chunk, i);
            if (next > i) {
              i = next;
              continue;
            }
          }
          i = this.#token(chunk, i, b);
          continue;
        }
        case State.KeyString:
        case State.Value:
        case State.ItemValue:
          i = this.#scan(chunk, i);
          continue;
      }
    }
    if (this.#start !== -1) {
      // The piece goes on in the next chunk: keep a copy (the caller may reuse its buffer).
      this.#carry.push(new Uint8Array(chunk.subarray(this.#start === -2 ? 0 : this.#start)));
      this.#start = -2;
    }
    this.#offset += n;
  }

  /** The object, once every byte was pushed. */
  finish(): Record<string, unknown> {
    if (this.#state !== State.End) throw this.#issue('the text ends before the object does', this.#offset);
    return this.#record;
  }

  /**
   * Parses the array items starting with the object at `i` up to the last separator at its
   * indentation within about BATCH bytes, at once; returns the index after that separator's
   * comma, or `i` when the road does not apply here (the scan then goes on as ever).
   */
  #batch(chunk: Uint8Array, i: number): number {
    if (this.#offset + i < this.#scanUntil) return i;
    let j = i - 1;
    while (j >= 0 && chunk[j] === 0x20) j--;
    if (j < 0 || chunk[j] !== 0x0a) return i;
    const indent = i - 1 - j;
    if (indent !== this.#indent) {
      this.#indent = indent;
      this.#separator = Buffer.from(`\n${' '.repeat(indent)}},`);
    }
    const separator = this.#separator!;
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = buf.lastIndexOf(separator, i + BATCH);
    if (at < i) at = buf.indexOf(separator, i + BATCH);
    if (at < i) return i;
    const end = at + 1 + indent + 1;
    const bytes = buf.subarray(i, end);
    let items: unknown;
    try {
      items = JSON.parse(this.#bracketed(bytes));
    } catch {
      // Not a run of whole items (or not valid): the scan takes these bytes, and finds the
      // problem if there is one; trying again at each item would parse them over and over.
      this.#scanUntil = this.#offset + end;
      return i;
    }
    for (const item of items as unknown[]) this.#item(item);
    this.#line += countNewlines(buf, i, end);
    this.#state = State.Item;
    return end + 1;
  }

  /**
   * The text of `bytes` between brackets, made in one piece (a concatenation would be copied
   * again when JSON.parse flattens it). ASCII text (most plans) is decoded as Latin-1.
   * Throws when the bytes are not UTF-8.
   */
  #bracketed(bytes: Buffer): string {
    const n = bytes.length + 2;
    if (this.#scratch.length < n) this.#scratch = Buffer.allocUnsafe(Math.max(n, 2 * this.#scratch.length));
    const scratch = this.#scratch;
    scratch[0] = 0x5b;
    bytes.copy(scratch, 1);
    scratch[n - 1] = 0x5d;
    if (isAscii(bytes)) return scratch.toString('latin1', 0, n);
    if (!isUtf8(bytes)) throw new Error('not UTF-8');
    return scratch.toString('utf8', 0, n);
  }

  /** One more item of the array being read. */
  #item(value: unknown): void {
    const items = this.#array!;
    items.push(value);
    this.#onItem?.(this.#key!, items, items.length - 1);
  }

  /** Handles one non-whitespace byte outside a value; returns the next index. */
  #token(chunk: Uint8Array, i: number, b: number): number {
    switch (this.#state) {
      case State.Start:
        if (b !== 0x7b) throw this.#issue('the text is not a JSON object', this.#offset + i, 'not-object');
        this.#state = State.KeyOrEnd;
        return i + 1;
      case State.KeyOrEnd:
      case State.Key:
        if (b === 0x7d && this.#state === State.KeyOrEnd) {
          this.#state = State.End;
          return i + 1;
        }
        if (b !== 0x22) throw this.#issue('expected a member name', this.#offset + i);
        this.#begin(i);
        this.#inString = true;
        this.#escape = false;
        this.#state = State.KeyString;
        return i + 1;
      case State.Colon:
        if (b !== 0x3a) throw this.#issue("expected ':'", this.#offset + i);
        this.#state = State.ValueStart;
        return i + 1;
      case State.ValueStart:
        if (b === 0x5b) {
          this.#array = [];
          this.#state = State.ItemOrEnd;
          return i + 1;
        }
        this.#begin(i);
        this.#depth = 0;
        this.#inString = false;
        this.#state = State.Value;
        return i;
      case State.ItemOrEnd:
      case State.Item:
        if (b === 0x5d && this.#state === State.ItemOrEnd) {
          this.#set(this.#array!);
          this.#array = undefined;
          this.#state = State.AfterValue;
          return i + 1;
        }
        this.#begin(i);
        this.#depth = 0;
        this.#inString = false;
        this.#state = State.ItemValue;
        return i;
      case State.AfterValue:
        if (b === 0x2c) this.#state = State.Key;
        else if (b === 0x7d) this.#state = State.End;
        else throw this.#issue("expected ',' or '}'", this.#offset + i);
        return i + 1;
      default:
        throw this.#issue('unexpected text after the object', this.#offset + i);
    }
  }

  /** Reads inside a key string or a value until it ends or the chunk does; returns the next index. */
  #scan(chunk: Uint8Array, i: number): number {
    const n = chunk.length;
    while (i < n) {
      if (this.#inString) {
        if (this.#escape) {
          this.#escape = false;
          i++;
          continue;
        }
        // Jump to the next quote: most bytes of a plan are inside strings. Backslashes are
        // rare; where the next one is is looked up once and reused until it is passed.
        const q = chunk.indexOf(0x22, i);
        const end = q < 0 ? n : q;
        if (this.#backslash < i) {
          const bs = chunk.indexOf(0x5c, i);
          this.#backslash = bs < 0 ? n : bs;
        }
        if (this.#backslash < end) {
          this.#escape = true;
          i = this.#backslash + 1;
          continue;
        }
        if (q < 0) return n;
        this.#inString = false;
        i = q + 1;
        if (this.#state === State.KeyString) {
          this.#key = this.#parse(this.#end(chunk, i)) as string;
          this.#state = State.Colon;
          return i;
        }
        continue;
      }
      const b = chunk[i]!;
      if (b === 0x22) this.#inString = true;
      else if (b === 0x7b || b === 0x5b) this.#depth++;
      else if (b === 0x7d || b === 0x5d) {
        if (this.#depth === 0) return this.#valueEnd(chunk, i, b);
        this.#depth--;
      } else if (b === 0x2c && this.#depth === 0) return this.#valueEnd(chunk, i, b);
      else if (b === 0x0a) this.#line++;
      i++;
    }
    return n;
  }

  /** A value ended at `i` (the ',' '}' or ']' after it); returns the next index. */
  #valueEnd(chunk: Uint8Array, i: number, b: number): number {
    const value = this.#parse(this.#end(chunk, i));
    if (this.#state === State.ItemValue) {
      this.#item(value);
      if (b === 0x2c) this.#state = State.Item;
      else if (b === 0x5d) {
        this.#set(this.#array!);
        this.#array = undefined;
        this.#state = State.AfterValue;
      } else throw this.#issue("expected ',' or ']'", this.#offset + i);
      return i + 1;
    }
    this.#set(value);
    if (b === 0x2c) this.#state = State.Key;
    else if (b === 0x7d) this.#state = State.End;
    else throw this.#issue("expected ',' or '}'", this.#offset + i);
    return i + 1;
  }

  #begin(i: number): void {
    this.#start = i;
    this.#carry = [];
    this.#pieceOffset = this.#offset + i;
    this.#pieceLine = this.#line;
  }

  /** The bytes of the piece that ends before `i` of this chunk. */
  #end(chunk: Uint8Array, i: number): Uint8Array {
    const from = this.#start === -2 ? 0 : this.#start;
    this.#start = -1;
    const head = chunk.subarray(from, i);
    if (this.#carry.length === 0) return head;
    const all = Buffer.concat([...this.#carry, head]);
    this.#carry = [];
    return all;
  }

  #parse(bytes: Uint8Array): unknown {
    if (!isUtf8(bytes)) throw this.#issue('the text is not UTF-8', this.#pieceOffset, 'utf8');
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw this.#issue((err as Error).message, this.#pieceOffset);
    }
  }

  #set(value: unknown): void {
    const key = this.#key!;
    if (key === '__proto__') {
      Object.defineProperty(this.#record, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      this.#record[key] = value;
    }
  }

  #issue(message: string, offset: number, kind: SyntaxIssue['kind'] = 'json'): SyntaxIssue {
    return new SyntaxIssue(message, offset, this.#pieceLine, kind);
  }
}

/**
 * Called with each item of an array that is a top-level member's value, as soon as it is
 * parsed: the member's key, the array so far (a new one for each such member, the same one for
 * all its items) and the item's index in it. For checks that are cheaper while the item is in
 * the processor's cache; the array is the member's value unless a later duplicate key wins.
 */
export type ItemHook = (key: string, items: readonly unknown[], index: number) => void;

export interface ObjectPiecesOptions {
  readonly onItem?: ItemHook;
}

/** Bytes of array items parsed at once (the items that end within them). */
const BATCH = 256 << 10;

/** Number of newline bytes in `bytes[from, to)`, four at a time. */
export function countNewlines(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  let i = from;
  // Bytewise up to a 4-byte boundary of the underlying buffer, then whole words.
  while (i < to && (bytes.byteOffset + i) % 4 !== 0) if (bytes[i++] === 0x0a) n++;
  const words = (to - i) >> 2;
  if (words > 0) {
    const view = new Int32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let w = 0; w < words; w++) {
      const x = view[w]! ^ 0x0a0a0a0a;
      // The top bit of each byte of x that is zero (a newline here), and of no other byte.
      const zero = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
      if (zero !== 0) n += Math.imul(zero >>> 7, 0x01010101) >>> 24;
    }
    i += words * 4;
  }
  while (i < to) if (bytes[i++] === 0x0a) n++;
  return n;
}

/** Why ObjectPieces could not go on, and about where (line of the piece it was reading). */
export class SyntaxIssue extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly kind: 'json' | 'utf8' | 'not-object',
  ) {
    super(message);
  }
}

const enum State {
  Start,
  KeyOrEnd,
  Key,
  KeyString,
  Colon,
  ValueStart,
  Value,
  ItemOrEnd,
  Item,
  ItemValue,
  AfterValue,
  End,
}
