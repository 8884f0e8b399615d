import { setTimeout as sleep } from 'node:timers/promises';
import { PumphouseError } from '../errors/index.js';
import { emit } from '../events/index.js';
import { checkDestination, runAttempt, type AttemptOutcome } from './attempt.js';
import { abortedError, isRetryable, isUnreported, notDiscardedError } from './errors.js';
import { ProgressMeter } from './progress.js';
import type { CopyOptions, TransferResult, TransferSink, TransferSource } from './types.js';

const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 2_000;
const DEFAULT_PROGRESS_EVERY_MS = 250;

/**
 * Streams the source's bytes into the sink: no temporary file, memory bounded by stream
 * buffers (backpressure holds end to end), the bytes counted and, when needed, hashed as
 * they pass.
 *
 * The bytes must match every claim: the source's recorded digests and size, `expected`
 * (what the plan recorded), and what the destination reports after the upload. A digest
 * the source (or the plan) and the destination both state (`sink.reports`) is compared
 * between them, without hashing here: the destination hashed what it stored. Other claims
 * are checked against digests computed in flight (`digests: 'all'` computes md5 and sha512
 * always). A mismatch, or a destination that does not report the digest it was counted on
 * for, is `PH_TRANSFER_CHECKSUM` (the next attempt then hashes everything). A failed attempt is repeated from scratch (destination copy
 * discarded first) when repeating may help (corruption, broken connection, timeout, 5xx,
 * 429), up to `retries` times; when only the destination's answer failed, its copy is
 * checked first and kept if whole. Abort (`signal`) destroys both streams, discards the
 * destination copy and throws `PH_ABORTED`. Progress goes to `reporter` as `progress`
 * events (throttled, final one at 100%), retries as `transfer_retry`.
 *
 * Throws a PumphouseError; on failure the destination holds no copy (unless it could not
 * be removed, which the error says).
 */
export async function copy(source: TransferSource, sink: TransferSink, options: CopyOptions): Promise<TransferResult> {
  const { id, address, reporter } = options;
  const signal = options.signal ?? new AbortController().signal;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const now = options.now ?? (() => performance.now());
  const label = options.label ?? 'data';
  const started = now();
  let digests = options.digests ?? 'needed';
  for (let attempt = 1; ; attempt++) {
    const ctx = {
      source,
      sink,
      address,
      signal,
      hashing: options.hashing ?? 'auto',
      digests,
      expected: options.expected,
      progress: (total: number | null) =>
        new ProgressMeter({
          reporter,
          id,
          address,
          label: attempt === 1 ? label : `${label} (attempt ${attempt})`,
          total,
          everyMs: options.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS,
          now,
        }),
    };
    let outcome: AttemptOutcome = await runAttempt(ctx);
    // The data went through whole and right, only the destination's answer failed: keep
    // its copy if it holds exactly these bytes, instead of sending them again.
    if (!outcome.ok && outcome.sent && !signal.aborted) {
      const second = await checkDestination(ctx, outcome.sent);
      if (second.ok) outcome = second;
    }
    if (outcome.ok) {
      return {
        bytes: outcome.bytes,
        md5: outcome.digests.md5 ?? null,
        sha512: outcome.digests.sha512 ?? null,
        hashed: outcome.hashed,
        elapsedMs: Math.round(now() - started),
        attempts: attempt,
        checks: outcome.checks,
      };
    }
    const error = outcome.error;
    try {
      await sink.discard();
    } catch (discardError) {
      throw notDiscardedError(error, address, discardError);
    }
    if (error.code === 'PH_ABORTED' || signal.aborted) throw signal.aborted ? abortedOf(error, address) : error;
    if (attempt > retries || !isRetryable(error)) throw error;
    // The destination left out the digest it was counted on for: check everything here.
    if (isUnreported(error)) digests = 'all';
    const delay = (options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS) * 2 ** (attempt - 1);
    emit(reporter, 'transfer_retry', 'warn', `${error.message}; discarded the destination copy, attempt ${attempt + 1} in ${Math.round(delay / 1000)} s`, {
      id,
      address,
      attempt: attempt + 1,
      code: error.code,
      error: error.message,
      delay_ms: delay,
    });
    if (delay > 0) {
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        throw abortedError(address, 0);
      }
    }
  }
}

function abortedOf(error: PumphouseError, address: string): PumphouseError {
  return error.code === 'PH_ABORTED' ? error : new PumphouseError('PH_ABORTED', `${address}: the transfer was interrupted`, { address, cause: error });
}
