import { closeSync, readSync, writeSync } from 'node:fs';
import { PumphouseError } from '../errors/index.js';
import { openUnlinkedFile } from './unlinked-file.js';

/** Bytes gathered before a write. */
const STAGE = 1 << 20;

/**
 * The text rendering's Details block of each action, made while the plan is read (the whole
 * action is in hand then) and kept in a temporary file until the rendering reads it back in
 * its own order: `show --format text` then neither holds the parsed actions nor parses them
 * twice. An action whose block was not made (`add` not called: a no-op, or a `$ref` that
 * could not be resolved yet) has none. The file is unlinked at once and given back by
 * `close()`.
 */
export class DetailTexts {
  readonly #fd: number;
  #size = 0;
  #stage = Buffer.allocUnsafe(STAGE);
  #staged = 0;
  /** Start of each action's text by ordinal (-1: none), and its length in bytes. */
  #starts = new Float64Array(1 << 12).fill(-1);
  #lengths = new Uint32Array(1 << 12);
  #read = Buffer.allocUnsafe(1 << 14);
  #closed = false;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /** A new empty store in a new unlinked file in `dir`. File-system errors are thrown as they come. */
  static open(dir: string): DetailTexts {
    return new DetailTexts(openUnlinkedFile(dir, 'show', 'details'));
  }

  /** Keeps `text` as the block of action `ordinal`. */
  add(ordinal: number, text: string): void {
    this.#room(ordinal);
    const max = Buffer.byteLength(text);
    if (this.#staged + max > this.#stage.length) this.#flush();
    if (max > this.#stage.length) this.#stage = Buffer.allocUnsafe(max);
    const n = this.#stage.write(text, this.#staged);
    this.#starts[ordinal] = this.#size + this.#staged;
    this.#lengths[ordinal] = n;
    this.#staged += n;
  }

  /** The block of action `ordinal`, or undefined when none was kept. */
  text(ordinal: number): string | undefined {
    if (ordinal >= this.#starts.length) return undefined;
    const start = this.#starts[ordinal]!;
    if (start < 0) return undefined;
    const length = this.#lengths[ordinal]!;
    if (start >= this.#size) return this.#stage.toString('utf8', start - this.#size, start - this.#size + length);
    if (this.#read.length < length) this.#read = Buffer.allocUnsafe(Math.max(length, 2 * this.#read.length));
    let got = 0;
    while (got < length) {
      const n = readSync(this.#fd, this.#read, got, length - got, start + got);
      if (n === 0) throw new PumphouseError('PH_INTERNAL', 'the detail file is shorter than what was written to it');
      got += n;
    }
    return this.#read.toString('utf8', 0, length);
  }

  #room(ordinal: number): void {
    if (ordinal < this.#starts.length) return;
    let n = this.#starts.length;
    while (n <= ordinal) n *= 2;
    const starts = new Float64Array(n).fill(-1);
    starts.set(this.#starts);
    const lengths = new Uint32Array(n);
    lengths.set(this.#lengths);
    this.#starts = starts;
    this.#lengths = lengths;
  }

  #flush(): void {
    let done = 0;
    while (done < this.#staged) done += writeSync(this.#fd, this.#stage, done, this.#staged - done, this.#size + done);
    this.#size += this.#staged;
    this.#staged = 0;
  }

  /** Gives the file (and its disk space) back; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}
