// Runs on the plan text thread (text-worker.ts): writes the `actions` section of a big plan
// file from the spilled text the thread wrote and the pieces the main thread made (see
// SplicedActions in spilled-action.ts).
import { write, writeSync } from 'node:fs';
import { SpillReader } from './spill-reader.js';

/** Blocks of its reader kept per spill spliced in (see SpillReader). */
const READ_BLOCKS = 16;

/**
 * The plan file's bytes the thread writes for one plan: pieces of text made on the main thread
 * (separators and the two holes of each action) with stretches of spill files spliced in
 * between, written at their file offsets in 1 MB writes and handed to the file's hashes in
 * order. The writes run on libuv's threads while this one goes on hashing and splicing (up to
 * IN_FLIGHT of them; past that, synchronously); `whenWritten` says when they are done. A write
 * that fails (a full disk) is kept in `ioError`; nothing more is written.
 */
export class SplicedWrite {
  readonly #fd: number;
  readonly #hash: (bytes: Uint8Array) => void;
  #out: Buffer = Buffer.allocUnsafe(OUT_BYTES);
  /** Buffers whose write is done, for the next ones. */
  readonly #free: Buffer[] = [];
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  /** Readers of the spills spliced in, for this plan file only (their blocks go with it). */
  readonly #readers = new Map<number, SpillReader>();
  #used = 0;
  /** File offset of #out's first byte. */
  #at = -1;
  ioError: string | undefined;

  constructor(fd: number, hash: (bytes: Uint8Array) => void) {
    this.#fd = fd;
    this.#hash = hash;
  }

  /**
   * Writes from file offset `at`: `literal` (main-thread text from offset `litAt` of its
   * stream) with, per op (`litPos`, spill, from, to), bytes [from, to) of that spill inserted
   * before the literal byte at `litPos`; `spillFile` gives a spill's descriptor.
   */
  piece(at: number, literal: Uint8Array, litAt: number, ops: readonly number[], spillFile: (id: number) => number): void {
    if (this.#at + this.#used !== at) {
      this.flush();
      this.#at = at;
    }
    let lp = litAt;
    for (let k = 0; k < ops.length; k += 4) {
      const litPos = ops[k]!;
      if (litPos > lp) this.#emit(literal.subarray(lp - litAt, litPos - litAt));
      lp = litPos;
      const id = ops[k + 1]!;
      let reader = this.#readers.get(id);
      if (!reader) this.#readers.set(id, (reader = new SpillReader(spillFile(id), READ_BLOCKS)));
      this.#emit(reader.bytes(ops[k + 2]!, ops[k + 3]!));
    }
    if (litAt + literal.length > lp) this.#emit(literal.subarray(lp - litAt));
  }

  /** Hashes and writes what is held (before any other bytes of the file are hashed). */
  flush(): void {
    if (this.#used === 0) return;
    const out = this.#out;
    const length = this.#used;
    const at = this.#at;
    this.#hash(out.subarray(0, length));
    this.#at += length;
    this.#used = 0;
    if (this.ioError !== undefined) return;
    if (this.#inFlight >= IN_FLIGHT) {
      try {
        let done = 0;
        while (done < length) done += writeSync(this.#fd, out, done, length - done, at + done);
      } catch (err) {
        this.ioError = (err as Error).message;
      }
      return;
    }
    this.#inFlight++;
    this.#out = this.#free.pop() ?? Buffer.allocUnsafe(OUT_BYTES);
    const rest = (done: number): void => {
      write(this.#fd, out, done, length - done, at + done, (err, n) => {
        if (!err && done + n < length) return rest(done + n);
        if (err) this.ioError ??= err.message;
        this.#free.push(out);
        if (--this.#inFlight === 0) for (const go of this.#waiting.splice(0)) go();
      });
    };
    rest(0);
  }

  /** Calls `go` once every write handed out so far is done (at once when none is in flight). */
  whenWritten(go: () => void): void {
    if (this.#inFlight === 0) go();
    else this.#waiting.push(go);
  }

  #emit(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      if (this.#used === OUT_BYTES) this.flush();
      const n = Math.min(bytes.length - done, OUT_BYTES - this.#used);
      this.#out.set(bytes.subarray(done, done + n), this.#used);
      this.#used += n;
      done += n;
    }
  }
}

const OUT_BYTES = 1 << 20;
const IN_FLIGHT = 2;
