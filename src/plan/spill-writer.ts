// Runs on the plan text thread (text-worker.ts): writes a big spill's actions into the spill
// file from their JSON.stringify text (see ActionSpill), instead of the main thread.
import { writeSync } from 'node:fs';
import type { Problem } from '../errors/index.js';
import { CanonicalBytes } from './canonical-writer.js';
import { SpillOffsets, type SpillPlaces } from './spill-offsets.js';
import { spilledBodyProblems, spilledTextProblems } from './spilled-check.js';

/** Actions are items of the plan's `actions` member: level 2 of the canonical text. */
const ACTION_LEVEL = 2;
const HOLES = ['depends_on', 'reason'] as const;

/**
 * One spill's actions written by the plan text thread. Each action arrives as its JSON text
 * (what JSON.stringify gives on the main thread: toJSON() called, undefined members left out,
 * -0 as 0, lone surrogates escaped), is parsed, checked (spilledBodyProblems: schema and
 * secret scan, as the main thread checks a small spill's actions), and written as its
 * canonical text with its two holes, which is the canonical text of the action itself (JSON
 * parsing gives back the values JSON.stringify wrote, and the canonical writer writes values
 * as JSON.stringify does). Full 1 MB chunks are written at once (this thread may block);
 * `sync` writes the rest, so everything told is readable from the file.
 */
export class SpillWriter {
  readonly #fd: number;
  readonly #from: number;
  readonly #writer = new CanonicalBytes();
  readonly #places = new SpillOffsets();
  readonly problems: Problem[] = [];
  /** File offset up to which text was written. */
  #written: number;
  #ioError: string | undefined;

  constructor(fd: number, at: number) {
    this.#fd = fd;
    this.#from = at;
    this.#written = at;
  }

  /** Checks and writes one action from its JSON text. */
  add(json: string): void {
    const body = JSON.parse(json) as Record<string, unknown>;
    // Also puts schema-valid stand-ins in the holes, so both are members (their values are not written).
    for (const p of spilledBodyProblems(body)) this.problems.push(p);
    const w = this.#writer;
    const start = w.position;
    const [dependsAt, reasonAt] = w.holed(body, ACTION_LEVEL, HOLES);
    this.#places.push(this.#from + start, w.position - start, dependsAt! - start, reasonAt! - start);
    this.#writeReady(w);
  }

  /** Writes the full chunks (the buffer is given back to the writer once written). */
  #writeReady(w: CanonicalBytes): void {
    if (w.ready.length === 0) return;
    for (const chunk of w.ready.splice(0)) {
      this.#write(chunk);
      w.recycle(chunk);
    }
  }

  /** The spill file (for the plan file's spliced text: what sync() has written is readable). */
  get fd(): number {
    return this.#fd;
  }

  /**
   * Checks and writes one action from its canonical text with its holes (made on the main
   * thread, see ThreadText): `dependsAt`, `reasonAt` are where the holes go from its start.
   */
  addCanonical(bytes: Uint8Array, dependsAt: number, reasonAt: number): void {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    for (const p of spilledTextProblems(text)) this.problems.push(p);
    const w = this.#writer;
    const start = w.position;
    w.raw(bytes);
    this.#places.push(this.#from + start, bytes.length, dependsAt, reasonAt);
    this.#writeReady(w);
  }

  /** Writes what is left, and tells the places recorded since the last sync and the first write failure. */
  sync(): { readonly places: SpillPlaces; readonly written: number; readonly ioError?: string } {
    for (const chunk of this.#writer.take()) this.#write(chunk);
    return { places: this.#places.take(), written: this.#written, ...(this.#ioError === undefined ? {} : { ioError: this.#ioError }) };
  }

  #write(bytes: Uint8Array): void {
    const at = this.#written;
    this.#written += bytes.length;
    // After a failure nothing more is written: the main thread refuses the plan (PH_PLAN_IO).
    if (this.#ioError !== undefined) return;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, at + done);
    } catch (err) {
      this.#ioError = (err as Error).message;
    }
  }
}
