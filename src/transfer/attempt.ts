import type { PumphouseError } from '../errors/index.js';
import { arrivedClaim, compare } from './checks.js';
import { createDigester, type Digests } from './digest/digester.js';
import { abortedError, checksumError, missingCopyError, transferError } from './errors.js';
import { HashingMeter } from './meter.js';
import type { ProgressMeter } from './progress.js';
import type { Check, Checksums, Hashing, TransferSink, TransferSource } from './types.js';

export interface AttemptContext {
  readonly source: TransferSource;
  readonly sink: TransferSink;
  readonly address: string;
  readonly signal: AbortSignal;
  readonly hashing: Hashing;
  readonly expected: (Checksums & { readonly size?: number }) | undefined;
  readonly progress: (total: number | null) => ProgressMeter;
}

/** Everything went through and matched the source: the data itself was right. */
export interface SentData {
  readonly bytes: number;
  readonly digests: Digests;
  readonly checks: readonly Check[];
}

export type AttemptOutcome =
  | ({ readonly ok: true } & SentData)
  | {
      readonly ok: false;
      readonly error: PumphouseError;
      /** Set when only the destination's answer failed: its copy may still be whole. */
      readonly sent?: SentData;
    };

/**
 * One attempt: open the source, pipe it through the hashing meter into the sink, then
 * check the bytes against the source's claims and the destination's report. Never
 * throws; leaves nothing running (streams destroyed, hashing threads stopped).
 */
export async function runAttempt(ctx: AttemptContext): Promise<AttemptOutcome> {
  const { signal, address } = ctx;
  if (signal.aborted) return { ok: false, error: abortedError(address, 0) };
  let opened;
  try {
    opened = await ctx.source.open(signal);
  } catch (err) {
    return { ok: false, error: signal.aborted ? abortedError(address, 0) : transferError(err, 'source', address, 0) };
  }
  if (signal.aborted) {
    opened.stream.on('error', () => {}).destroy();
    return { ok: false, error: abortedError(address, 0) };
  }
  const size = opened.size ?? ctx.expected?.size ?? null;
  const progress = ctx.progress(size);
  const digester = createDigester(ctx.hashing, size);
  const meter = new HashingMeter(digester, progress);
  const src = opened.stream;
  let sourceError: unknown;
  // Set when we close the source ourselves (the sink gave up, abort): undici then errors
  // the body with "Request aborted", which is not the source's fault.
  let closingSource = false;
  const closeSource = (): void => {
    if (src.destroyed) return;
    closingSource = true;
    src.destroy();
  };
  src.on('error', (err) => {
    if (closingSource) return;
    sourceError ??= err;
    meter.destroy(err);
  });
  // Errors are attributed below from what each end recorded; a sink need not listen.
  meter.on('error', () => {});
  meter.on('close', closeSource);
  const onAbort = (): void => {
    closeSource();
    meter.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  src.pipe(meter);

  let sinkError: unknown;
  let sinkFailed = false;
  try {
    await ctx.sink.write(meter, opened.size, signal);
  } catch (err) {
    sinkFailed = true;
    sinkError = err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const hashFailure = meter.hashFailure;
  const consumed = meter.readableEnded;
  if (!consumed) {
    closeSource();
    meter.destroy();
    digester.destroy();
  }
  const bytes = progress.bytes;
  if (signal.aborted) {
    digester.destroy();
    return { ok: false, error: abortedError(address, bytes) };
  }
  if (!consumed) {
    if (sourceError !== undefined) return { ok: false, error: transferError(sourceError, 'source', address, bytes) };
    if (hashFailure !== undefined) return { ok: false, error: transferError(hashFailure, 'hashing', address, bytes) };
    const why = sinkFailed ? sinkError : new Error('the destination answered before it had read all the data');
    return { ok: false, error: transferError(why, 'destination', address, bytes) };
  }

  let digests: Digests;
  try {
    digests = await digester.digest();
  } catch (err) {
    return { ok: false, error: transferError(err, 'hashing', address, bytes) };
  }
  const fromSource = compare(bytes, digests, [
    ['source', { ...opened.checksums, size: opened.size }],
    ['expected', ctx.expected],
  ]);
  if (fromSource.mismatch) return { ok: false, error: checksumError(address, fromSource.mismatch, bytes) };
  const sent: SentData = { bytes, digests, checks: fromSource.checks };
  if (sinkFailed) return { ok: false, error: transferError(sinkError, 'destination', address, bytes), sent };
  progress.finish();
  return checkDestination(ctx, sent);
}

/** Compares the destination's report with what was sent. */
export async function checkDestination(ctx: Pick<AttemptContext, 'sink' | 'signal' | 'address'>, sent: SentData): Promise<AttemptOutcome> {
  let arrived;
  try {
    arrived = await ctx.sink.verify(ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) return { ok: false, error: abortedError(ctx.address, sent.bytes) };
    return { ok: false, error: transferError(err, 'destination', ctx.address, sent.bytes), sent };
  }
  const a = arrivedClaim(arrived);
  if ('problem' in a) return { ok: false, error: missingCopyError(ctx.address, a.problem, sent.bytes) };
  const verdict = compare(sent.bytes, sent.digests, [['destination', a.claim]]);
  if (verdict.mismatch) return { ok: false, error: checksumError(ctx.address, verdict.mismatch, sent.bytes) };
  return { ok: true, ...sent, checks: [...sent.checks, ...verdict.checks] };
}
