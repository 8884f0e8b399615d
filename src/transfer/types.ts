import type { Readable } from 'node:stream';
import type { Reporter } from '../events/index.js';

/** The digests a transfer knows how to compute and compare. */
export type DigestAlgorithm = 'md5' | 'sha512';

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
  /**
   * The digests `verify()` will report for the copy, when known before the upload (Glance
   * always reports md5, its `checksum`). A digest the source also states then needs no
   * hashing in flight: the source's value is compared with the one the destination computed
   * from what it stored. Undefined: unknown, so every check is made on hashes computed here.
   */
  readonly reports?: readonly DigestAlgorithm[];
}

/** How digests are computed: on this thread, on worker threads (one a digest), or chosen by size. */
export type Hashing = 'auto' | 'inline' | 'threads';

/**
 * Which digests are computed in flight. `needed`: only those no claim can be checked
 * without (none when the source and the destination state the same digest: they are
 * compared with each other); `all`: md5 and sha512 always, each checked against every claim.
 */
export type DigestChoice = 'needed' | 'all';

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
  /** Default `needed`. */
  readonly digests?: DigestChoice;
  /** Milliseconds clock (tests). */
  readonly now?: () => number;
}

/** One comparison that held, e.g. `destination sha512`. */
export type Check = `${'source' | 'expected' | 'destination'} ${'md5' | 'sha512' | 'size'}`;

export interface TransferResult {
  readonly bytes: number;
  /**
   * The digest of the bytes, when known: computed in flight, or stated by the source (or
   * the plan) and confirmed by the destination. Null when neither.
   */
  readonly md5: string | null;
  readonly sha512: string | null;
  /** The digests computed in flight on the last attempt (empty: the claims were compared). */
  readonly hashed: readonly DigestAlgorithm[];
  readonly elapsedMs: number;
  /** 1 when the first attempt succeeded. */
  readonly attempts: number;
  /** Every comparison made on the last attempt; empty means nothing could be verified. */
  readonly checks: readonly Check[];
}
