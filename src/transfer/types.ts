import type { Readable } from 'node:stream';
import type { Reporter } from '../events/index.js';

/** Digests as lower-case hex. Either may be unknown. */
export interface Checksums {
  readonly md5?: string;
  readonly sha512?: string;
}

/** What a source hands over for one attempt: its data and what it claims about it. */
export interface OpenedSource {
  /** Consumed (or destroyed) by the transfer. */
  readonly stream: Readable;
  /** Bytes announced (Content-Length); null when the source streams without one. */
  readonly size: number | null;
  /** Digests the source has recorded for these bytes (Glance `checksum`, `os_hash_value`). */
  readonly checksums: Checksums;
}

/** Where data comes from. `open` is called once per attempt, so it must be repeatable. */
export interface TransferSource {
  open(signal: AbortSignal): Promise<OpenedSource>;
}

/** What the destination says it holds once the upload is over. */
export interface ArrivedCopy extends Checksums {
  readonly size?: number;
  /**
   * False when the destination says the copy is unusable or unfinished (a Glance image
   * `killed` or still `queued`); undefined when the destination has no such notion.
   */
  readonly complete?: boolean;
}

/** Where data goes. One sink serves every attempt of a transfer. */
export interface TransferSink {
  /**
   * Sends `stream` (the source's bytes, hashed as they pass) to the destination, creating
   * the destination copy if this attempt has none. Resolves once the destination has
   * accepted every byte. Must read `stream` at its own pace (backpressure) and destroy it
   * when it gives up.
   */
  write(stream: Readable, size: number | null, signal: AbortSignal): Promise<void>;
  /** What the destination reports about its copy; null when it has none. */
  verify(signal: AbortSignal): Promise<ArrivedCopy | null>;
  /** Removes the destination copy so the next attempt starts from scratch; absent is fine. */
  discard(): Promise<void>;
}

/** How digests are computed: on this thread, on two worker threads, or chosen by size. */
export type Hashing = 'auto' | 'inline' | 'threads';

export interface CopyOptions {
  /** Action id (events). */
  readonly id: string;
  /** Plan/state address of the object whose data moves, e.g. `tenant[acme].image[cirros]`. */
  readonly address: string;
  /** What moves, for progress lines ("image data"). */
  readonly label?: string;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** Further attempts after a failed one that may succeed when repeated (default 2). */
  readonly retries?: number;
  /** Wait before the first retry, doubled for each next one (default 2000 ms). */
  readonly retryDelayMs?: number;
  /** Facts recorded before the transfer (inventory, plan): checked like the source's own. */
  readonly expected?: Checksums & { readonly size?: number };
  /** Least time between two progress events of one attempt (default 250 ms). */
  readonly progressEveryMs?: number;
  readonly hashing?: Hashing;
  /** Milliseconds clock (tests). */
  readonly now?: () => number;
}

/** One comparison that held, e.g. `destination sha512`. */
export type Check = `${'source' | 'expected' | 'destination'} ${'md5' | 'sha512' | 'size'}`;

export interface TransferResult {
  readonly bytes: number;
  readonly md5: string;
  readonly sha512: string;
  readonly elapsedMs: number;
  /** 1 when the first attempt succeeded. */
  readonly attempts: number;
  /** Every comparison made on the last attempt; empty means nothing could be verified. */
  readonly checks: readonly Check[];
}
