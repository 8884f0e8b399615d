import type { Problem } from '../errors/index.js';
import type { SpillPlaces } from './spill-offsets.js';

/** What the main thread posts to the plan text thread (text-worker.ts). */
export type ThreadRequest =
  /**
   * From now on the thread writes spill `spill`'s actions into the spill file `fd` (the
   * process's descriptor, which the main thread closes once the spill is forgotten) from file
   * offset `at`.
   */
  | { readonly t: 'write-spill'; readonly spill: number; readonly fd: number; readonly at: number }
  /**
   * Text of actions of a spill the thread writes, in the ring at [offset, offset + length)
   * from stream offset `at`, and per action that ends in it (flattened by 4, in the stream):
   * start, end, and where its holes are from its start, or -1, -1 when the text is its
   * JSON.stringify text (written canonically here) rather than its canonical text with holes
   * (copied). Each is checked and written, and its place recorded.
   */
  | { readonly t: 'actions'; readonly spill: number; readonly at: number; readonly offset: number; readonly length: number; readonly ranges: readonly number[] }
  /**
   * Part of plan file `fd`'s actions section for hash job `job`, written and hashed by the
   * thread from file offset `at`: the main thread's text in the ring at [offset, offset +
   * length) (from offset `litAt` of its stream) with stretches of spill files inserted, per
   * op (flattened: before literal byte `litPos`, spill, [from, to)); see SplicedWrite.
   */
  | {
      readonly t: 'splice';
      readonly job: number;
      readonly fd: number;
      readonly at: number;
      readonly offset: number;
      readonly length: number;
      readonly litAt: number;
      readonly ops: readonly number[];
    }
  /** Plan file bytes for hash job `job`, in the ring: to the checksum's hash, the file's, or both. */
  | { readonly t: 'hash'; readonly job: number; readonly offset: number; readonly length: number; readonly to: 'both' | 'body' | 'file' }
  /** Answers the problems found in a spill since the last sync (all of its text was posted before). */
  | { readonly t: 'sync'; readonly seq: number; readonly spill: number; readonly close: boolean }
  /** Answers one digest of a hash job (the file's last: the job is then forgotten). */
  | { readonly t: 'digest'; readonly seq: number; readonly job: number; readonly which: 'body' | 'file' };

/** What the thread answers on its reply port. */
export type ThreadReply =
  /**
   * A spill's problems since the last sync; for a spill the thread writes, every action handed
   * over is written (to the file: readable) and `places` are those of the actions written since
   * the last sync; `ioError`: a write to the spill file failed (a full disk).
   */
  | {
      readonly t: 'synced';
      readonly seq: number;
      readonly problems: readonly Problem[];
      readonly pending: number;
      readonly places?: SpillPlaces;
      readonly written?: number;
      readonly ioError?: string;
    }
  /** `ioError`: a write of the job's spliced text to the plan file failed. */
  | { readonly t: 'digest'; readonly seq: number; readonly hex: string; readonly ioError?: string }
  | { readonly t: 'failed'; readonly seq: number; readonly message: string };

/**
 * Slots of the shared BigInt64Array: set once loaded; answers posted; bytes of the ring
 * handled (text and hash messages are handled in the order they were posted, so the ring is
 * read in order); set once something failed (a 'failed' answer says what).
 */
export const READY = 0;
export const ANSWERED = 1;
export const BYTES_DONE = 2;
export const FAILED = 3;
export const SIGNAL_SLOTS = 4;

/** Size of the ring the text is copied through: the most bytes waiting for the thread. */
export const RING_BYTES = 8 << 20;
/** The largest piece one message carries (a bigger chunk is cut). */
export const PIECE_BYTES = RING_BYTES / 4;
