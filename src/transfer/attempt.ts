import type { PumphouseError } from '../errors/index.js';
import { arrivedClaim, checkArrived, checkSent, claimedAlgorithms, digestsToCompute, type Claim } from './checks.js';
import { createDigester, type Digests } from './digest/digester.js';
import { abortedError, checksumError, missingCopyError, transferError, unreportedError } from './errors.js';
import { HashingMeter } from './meter.js';
import type { ProgressMeter } from './progress.js';
import type { Check, Checksums, DigestAlgorithm, DigestChoice, Hashing, TransferSink, TransferSource } from './types.js';

export interface AttemptContext {
  readonly source: TransferSource;
  readonly sink: TransferSink;
  readonly address: string;
  readonly signal: AbortSignal;
  readonly hashing: Hashing;
  readonly digests: DigestChoice;
  readonly expected: (Checksums & { readonly size?: number }) | undefined;
  readonly progress: (total: number | null) => ProgressMeter;
}

/** Everything went through and matched what the source and the plan state. */
export interface SentData {
  readonly bytes: number;
  /** Computed in flight (only those needed; see digestsToCompute). */
  readonly digests: Digests;
  readonly hashed: readonly DigestAlgorithm[];
  /** The source's and the plan's claims, for the destination's report to be checked against. */
  readonly claims: readonly Claim[];
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
  const claims: Claim[] = [
    ['source', { ...opened.checksums, size: opened.size }],
    ['expected', ctx.expected],
  ];
  const hashed = digestsToCompute(ctx.digests, claimedAlgorithms(claims), ctx.sink.reports);
  const digester = createDigester(ctx.hashing, size, hashed);
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
    digester?.destroy();
  }
  const bytes = progress.bytes;
  if (signal.aborted) {
    digester?.destroy();
    return { ok: false, error: abortedError(address, bytes) };
  }
  if (!consumed) {
    if (sourceError !== undefined) return { ok: false, error: transferError(sourceError, 'source', address, bytes) };
    if (hashFailure !== undefined) return { ok: false, error: transferError(hashFailure, 'hashing', address, bytes) };
    const why = sinkFailed ? sinkError : new Error('the destination answered before it had read all the data');
    return { ok: false, error: transferError(why, 'destination', address, bytes) };
  }

  let digests: Digests = {};
  try {
    if (digester) digests = await digester.digest();
  } catch (err) {
    return { ok: false, error: transferError(err, 'hashing', address, bytes) };
  }
  const fromSource = checkSent(bytes, digests, claims);
  if (fromSource.mismatch) return { ok: false, error: checksumError(address, fromSource.mismatch, bytes) };
  const sent: SentData = { bytes, digests, hashed, claims, checks: fromSource.checks };
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
  const verdict = checkArrived(sent.bytes, sent.digests, sent.claims, a.claim);
  if (verdict.mismatch) return { ok: false, error: checksumError(ctx.address, verdict.mismatch, sent.bytes) };
  if (verdict.unreported) return { ok: false, error: unreportedError(ctx.address, verdict.unreported, sent.bytes) };
  return { ok: true, ...sent, digests: verdict.known, checks: [...sent.checks, ...verdict.checks] };
}
