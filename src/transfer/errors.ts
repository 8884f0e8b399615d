import { PumphouseError } from '../errors/index.js';
import type { Check } from './types.js';

/** A mismatch found by a check: which side, what was compared, both values. */
export interface Mismatch {
  readonly check: Check;
  /** What the source, the plan or the destination claims. */
  readonly claimed: string | number;
  /** What passed through the transfer (computed here), or what `actualBy` states. */
  readonly actual: string | number;
  /** Set when `actual` was not computed here but stated by this side (its digest was not hashed in flight). */
  readonly actualBy?: 'source' | 'expected' | 'destination';
}

/** `PH_TRANSFER_CHECKSUM` naming the address, the comparison, both values and the bytes sent. */
export function checksumError(address: string, m: Mismatch, bytes: number): PumphouseError {
  const [side, what] = m.check.split(' ') as [string, string];
  const by = (s: string): string => (s === 'expected' ? 'the recorded' : `the ${s}'s`);
  const claimedBy = by(side);
  const message =
    what === 'size'
      ? `${address}: ${bytes} bytes were copied but ${claimedBy} size is ${m.claimed}`
      : m.actualBy
        ? `${address}: ${by(m.actualBy)} ${what} is ${m.actual} but ${claimedBy} ${what} is ${m.claimed} (${bytes} bytes copied)`
        : `${address}: the ${what} of the ${bytes} bytes copied is ${m.actual} but ${claimedBy} ${what} is ${m.claimed}`;
  return new PumphouseError('PH_TRANSFER_CHECKSUM', message, {
    address,
    source: 'cloud',
    details: { check: m.check, claimed: m.claimed, actual: m.actual, ...(m.actualBy ? { actual_by: m.actualBy } : {}), bytes },
  });
}

/** Which end of the copy failed: decides the message of a foreign (non-Pumphouse) error. */
export type FailedEnd = 'source' | 'destination' | 'hashing';

/**
 * Keeps PumphouseErrors (they carry the cloud, call and request id); wraps anything else
 * (a socket reset inside a stream, a custom sink's own error) so the operator learns the
 * address, which end failed and after how many bytes.
 */
export function transferError(err: unknown, end: FailedEnd, address: string, bytes: number): PumphouseError {
  if (PumphouseError.is(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  if (end === 'hashing') {
    return new PumphouseError('PH_INTERNAL', `${address}: hashing the data failed after ${bytes} bytes: ${reason}`, { cause: err, address, source: 'internal' });
  }
  const what = end === 'source' ? 'reading from the source' : 'sending to the destination';
  return new PumphouseError('PH_CLOUD_UNREACHABLE', `${address}: ${what} failed after ${bytes} bytes: ${reason}`, {
    cause: err,
    address,
    source: 'cloud',
    details: { end, bytes },
  });
}

export function abortedError(address: string, bytes: number): PumphouseError {
  return new PumphouseError('PH_ABORTED', `${address}: the transfer was interrupted after ${bytes} bytes`, { address, details: { bytes } });
}

/** Worth a fresh attempt: corrupted data, broken connections, timeouts, 5xx and 429. */
export function isRetryable(err: PumphouseError): boolean {
  switch (err.code) {
    case 'PH_TRANSFER_CHECKSUM':
    case 'PH_CLOUD_UNREACHABLE':
    case 'PH_CLOUD_TIMEOUT':
      return true;
    case 'PH_CLOUD_HTTP': {
      const status = err.details?.['status'];
      return typeof status === 'number' && (status >= 500 || status === 429);
    }
    default:
      return false;
  }
}

/** The original failure, told that the broken destination copy is still there. */
export function notDiscardedError(err: PumphouseError, address: string, discardError: unknown): PumphouseError {
  const reason = discardError instanceof Error ? discardError.message : String(discardError);
  return new PumphouseError(err.code, `${err.message}; the destination copy could not be removed either (${reason}): delete it before retrying`, {
    cause: err,
    address,
    source: err.source,
    details: { ...err.details, discard_error: reason },
  });
}

/** The destination holds nothing usable after the upload (`PH_TRANSFER_CHECKSUM`: the data did not arrive). */
export function missingCopyError(address: string, problem: string, bytes: number): PumphouseError {
  return new PumphouseError('PH_TRANSFER_CHECKSUM', `${address}: ${bytes} bytes were sent but ${problem}`, {
    address,
    source: 'cloud',
    details: { check: 'destination copy', bytes },
  });
}

/**
 * The destination did not report the digest the copy was to be checked by, and nothing was
 * hashed in flight: the copy is unverified (`PH_TRANSFER_CHECKSUM`, `details.unreported`).
 * copy() then discards it and sends again hashing everything.
 */
export function unreportedError(address: string, algorithm: string, bytes: number): PumphouseError {
  return new PumphouseError(
    'PH_TRANSFER_CHECKSUM',
    `${address}: ${bytes} bytes were sent but the destination did not report the ${algorithm} they were to be checked by; the copy could not be verified`,
    { address, source: 'cloud', details: { check: `destination ${algorithm}`, unreported: true, bytes } },
  );
}

/** True for unreportedError(): a new attempt must hash every digest itself. */
export function isUnreported(err: PumphouseError): boolean {
  return err.details?.['unreported'] === true;
}
