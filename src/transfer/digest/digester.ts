import type { Hashing } from '../types.js';
import { InlineDigester } from './inline-digester.js';
import { ThreadedDigester } from './threaded-digester.js';

/** The two digests every transfer computes, lower-case hex. */
export interface Digests {
  readonly md5: string;
  readonly sha512: string;
}

/** Hashes bytes as they pass. Chunks must be fed in order. */
export interface Digester {
  /**
   * Takes one chunk. A returned promise means "wait before feeding more": the hashers are
   * behind, and waiting here is what keeps memory bounded.
   */
  update(chunk: Uint8Array): void | Promise<void>;
  /** Digests of everything fed; no update after this. */
  digest(): Promise<Digests>;
  /** Releases threads and memory; safe to call at any time and more than once. */
  destroy(): void;
}

/**
 * Below this size two worker threads cost more (start-up, ring memory) than they save;
 * above it hashing on other cores keeps the copy as fast as the network allows.
 */
export const THREADED_FROM_BYTES = 32 * 1024 * 1024;

export function createDigester(hashing: Hashing, size: number | null): Digester {
  const wanted = hashing === 'threads' || (hashing === 'auto' && (size === null || size >= THREADED_FROM_BYTES));
  const threads = wanted && ThreadedDigester.available();
  return threads ? new ThreadedDigester() : new InlineDigester();
}
