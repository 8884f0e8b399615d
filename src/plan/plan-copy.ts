import { closeSync, readSync, writeSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { PumphouseError } from '../errors/index.js';
import { openUnlinkedFile } from './unlinked-file.js';

/** An action item of the canonical text ends with these bytes (its `}` at two spaces of indent). */
const ITEM_END = Buffer.from('\n  }');
/** The first action item starts after these bytes. */
const ITEM_START = Buffer.from('\n  {');
/** The `actions` member ends with its `]` at one space of indent (the first such line of the file). */
const ACTIONS_END = Buffer.from('\n ]');
/** The checksum member, as BodyHash finds it: these bytes, 64 hex digits and a quote. */
const CHECKSUM_MEMBER = Buffer.from(',\n "checksum": "');
const CHECKSUM_MEMBER_LENGTH = CHECKSUM_MEMBER.length + 65;
/** Bytes kept from the end of a chunk: a needle may begin there and end in the next. */
const TAIL = 16;
/** Bytes of the JSON rendering handed out at a time. */
const JSON_CHUNK = 1 << 20;

/**
 * A private copy of a plan file's bytes, made as the reader reads them (`push`), and where
 * each action's text is in it. `show` keeps a lean object per action (ShownAction) and reads
 * an action's text back from here, parsing it again, only to render its detail: a
 * 610,000-action plan's parsed actions are ~1 GB of heap, their text 750 MB of page cache.
 *
 * The places are found in the bytes, assuming the canonical text (items of `actions` at two
 * spaces of indent, the member first in the file): they are right only for a file the reader
 * found canonical, and readPlanForShow uses them only then. The copy is what was verified: a
 * change to the plan file after the read cannot reach what `show` prints. The file is in the
 * temporary directory, unlinked at once (nothing is left behind whatever ends the process), and
 * given back by `close()`.
 */
export class PlanCopy {
  readonly #fd: number;
  #size = 0;
  /** End (after the `}`) of each action's text; an action starts 4 bytes after the previous one ends. */
  #ends = new Float64Array(1 << 12);
  #count = 0;
  #firstStart = -1;
  #state: 'before' | 'items' | 'checksum' | 'done' = 'before';
  #checksumAt = -1;
  /** Absolute offset where the search for the next needle starts. */
  #next = 0;
  /** The last bytes of the previous chunk, and the absolute offset of its first byte. */
  #tail: Buffer = Buffer.alloc(0);
  #tailAt = 0;
  #read: Buffer = Buffer.allocUnsafe(1 << 14);
  #closed = false;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** A new empty copy in a new unlinked file in `dir`. File-system errors are thrown as they come. */
  static open(dir: string): PlanCopy {
    return new PlanCopy(openUnlinkedFile(dir, 'show', 'plan'));
  }

  /** The next bytes of the plan file (copied: the caller may reuse its buffer). */
  push(chunk: Uint8Array): void {
    let done = 0;
    while (done < chunk.length) done += writeSync(this.#fd, chunk, done, chunk.length - done, this.#size + done);
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#state !== 'done') this.#scan(buf);
    this.#size += chunk.length;
  }

  /**
   * Finds the places in `buf` (at absolute offset this.#size). A needle beginning in the last
   * TAIL bytes is looked for with the next chunk (it may end there), or by `complete`.
   */
  #scan(buf: Buffer): void {
    const base = this.#size;
    const tail = this.#tail;
    if (tail.length > 0) this.#find(Buffer.concat([tail, buf.subarray(0, TAIL)]), this.#tailAt, tail.length);
    this.#find(buf, base, buf.length - Math.min(TAIL, buf.length));
    // The last TAIL bytes pushed (of this chunk and the tail, for a chunk shorter than that).
    const last = buf.length >= TAIL ? buf : Buffer.concat([tail, buf]);
    this.#tail = Buffer.from(last.subarray(Math.max(0, last.length - TAIL)));
    this.#tailAt = base + buf.length - this.#tail.length;
  }

  /**
   * Finds the places whose needle begins in `bytes[0, before)` at or after this.#next
   * (`bytes` starting at absolute offset `at`); this.#next is then just past the last needle found.
   */
  #find(bytes: Buffer, at: number, before: number): void {
    let i = Math.max(0, this.#next - at);
    // Found once: looking for it again after each item would scan the rest of the chunk each time.
    let end = -2;
    for (;;) {
      if (this.#state === 'before' || this.#state === 'items') {
        const needle = this.#state === 'before' ? ITEM_START : ITEM_END;
        const item = bytes.indexOf(needle, i);
        if (end === -2) end = bytes.indexOf(ACTIONS_END, i);
        if (end >= 0 && end < before && (item < 0 || end < item)) {
          this.#state = 'checksum';
          i = end + ACTIONS_END.length;
          this.#next = at + i;
          continue;
        }
        if (item < 0 || item >= before) break;
        if (this.#state === 'before') {
          this.#firstStart = at + item + ITEM_START.length - 1;
          this.#state = 'items';
        } else {
          this.#addEnd(at + item + ITEM_END.length);
        }
        i = item + needle.length;
        this.#next = at + i;
      } else if (this.#state === 'checksum') {
        const member = bytes.indexOf(CHECKSUM_MEMBER, i);
        if (member < 0 || member >= before) break;
        this.#checksumAt = at + member;
        this.#state = 'done';
        this.#next = at + member + CHECKSUM_MEMBER.length;
        break;
      } else {
        break;
      }
    }
  }

  #addEnd(end: number): void {
    if (this.#count === this.#ends.length) {
      const more = new Float64Array(this.#ends.length * 2);
      more.set(this.#ends);
      this.#ends = more;
    }
    this.#ends[this.#count++] = end;
  }

  /** Number of action items found. */
  get actions(): number {
    return this.#count;
  }

  /** Whether the places were all found: the actions' ends and the checksum member after them. */
  get complete(): boolean {
    if (this.#state !== 'done' && this.#tail.length > 0) {
      this.#find(this.#tail, this.#tailAt, this.#tail.length);
      this.#tail = Buffer.alloc(0);
    }
    return this.#state === 'done';
  }

  /** The text of action `ordinal` (0-based, plan order), as read back from the copy. */
  text(ordinal: number): string {
    if (ordinal < 0 || ordinal >= this.#count) throw new PumphouseError('PH_INTERNAL', `the plan copy has no action ${ordinal}`);
    const start = ordinal === 0 ? this.#firstStart : this.#ends[ordinal - 1]! + 4;
    const length = this.#ends[ordinal]! - start;
    if (this.#read.length < length) this.#read = Buffer.allocUnsafe(Math.max(length, 2 * this.#read.length));
    const bytes = this.#bytes(this.#read, start, length);
    // The reader checked that the file is UTF-8; most plans are ASCII (decoded as Latin-1).
    return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  }

  /**
   * The plan's canonical text without its checksum member (what `renderJson` makes of the
   * plan: the bytes the checksum was computed over), in chunks of about 1 MB.
   */
  *withoutChecksum(): Generator<Uint8Array, void, undefined> {
    if (this.#checksumAt < 0) throw new PumphouseError('PH_INTERNAL', 'the plan copy has no checksum member');
    yield* this.#stretch(0, this.#checksumAt);
    yield* this.#stretch(this.#checksumAt + CHECKSUM_MEMBER_LENGTH, this.#size);
  }

  *#stretch(from: number, to: number): Generator<Uint8Array, void, undefined> {
    for (let at = from; at < to; at += JSON_CHUNK) {
      const length = Math.min(JSON_CHUNK, to - at);
      // A new buffer each time: the caller may still be writing the last one.
      yield this.#bytes(Buffer.allocUnsafe(length), at, length);
    }
  }

  #bytes(into: Buffer, start: number, length: number): Buffer {
    let got = 0;
    while (got < length) {
      const n = readSync(this.#fd, into, got, length - got, start + got);
      if (n === 0) throw new PumphouseError('PH_INTERNAL', 'the plan copy is shorter than what was written to it');
      got += n;
    }
    return into.subarray(0, length);
  }

  /** Gives the file (and its disk space) back; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}
