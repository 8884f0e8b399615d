import type { DigestAlgorithm, Hashing } from '../types.js';
import { InlineDigester } from './inline-digester.js';
import { ThreadedDigester } from './threaded-digester.js';

/** Digests computed by a digester, lower-case hex: one for each algorithm it was given. */
export type Digests = { readonly [A in DigestAlgorithm]?: string };

/** Hashes bytes as they pass. Chunks must be fed in order. */
export interface Digester {
  /** What it computes. */
  readonly algorithms: readonly DigestAlgorithm[];
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
 * Below this size worker threads cost more (start-up, ring memory) than they save;
 * above it hashing on other cores keeps the copy as fast as the network allows.
 */
export const THREADED_FROM_BYTES = 32 * 1024 * 1024;

/** A digester for `algorithms`; null when there is nothing to compute. */
export function createDigester(hashing: Hashing, size: number | null, algorithms: readonly DigestAlgorithm[]): Digester | null {
  if (algorithms.length === 0) return null;
  const wanted = hashing === 'threads' || (hashing === 'auto' && (size === null || size >= THREADED_FROM_BYTES));
  const threads = wanted && ThreadedDigester.available();
  return threads ? new ThreadedDigester(algorithms) : new InlineDigester(algorithms);
}
