import { setTimeout as sleep } from 'node:timers/promises';
import { emit, type Reporter } from '../events/index.js';
import { PumphouseError, toPumphouseError } from '../errors/index.js';
import { FuelHttpError, FuelTransportError } from '../fuel/index.js';
import type { WaitOptions, WaitPoll } from '../kinds/contract.js';
import { CloudHttpError, CloudTransportError } from '../openstack/index.js';

/**
 * How long polls may keep failing transiently before the wait gives up, in seconds.
 * WHY 120 s: the client already retries each poll for ~8 s (backoff over 5 attempts); an API
 * restart, a failover of the controllers' VIP or a Keystone hiccup takes tens of seconds to
 * a minute or two, and failing a 40-minute Fuel deploy or a long transfer whose task is fine
 * is far worse than waiting. Longer than that, the operator should hear about it.
 */
export const WAIT_UNREACHABLE_S = 120;

/** The clock of a wait (tests pass a fake one). */
export interface WaitClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

const realClock: WaitClock = { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, undefined, { signal }) };

/**
 * Polls until `poll` says done: delays start at `intervalMs` and double up to
 * `maxIntervalMs` (gentle on a cloud during a long build); a `wait` event goes out whenever
 * the status changes. PH_TIMEOUT after `timeoutS` with the last status; PH_ABORTED when
 * `signal` aborts.
 *
 * A poll that fails transiently (the cloud or Fuel unreachable or timing out, HTTP 5xx, 408
 * or 429 after the client's own retries) does not end the wait: polling goes on, with the
 * same backoff, until a poll answers again, as long as the failures have lasted less than
 * `unreachableS` (default {@link WAIT_UNREACHABLE_S}) and the wait's timeout has not passed;
 * then the last error is thrown (its code kept) saying how long the cloud was unreachable and
 * how many polls failed. A `wait` event (warn) says the polls fail, once per outage. Any other
 * error (404, 400, 403, a 401 the client could not cure by logging in again, a server in
 * ERROR the poll reports) ends the wait as it is.
 */
export async function waitFor<T>(
  address: string,
  what: string,
  poll: () => Promise<WaitPoll<T>>,
  options: WaitOptions & { readonly unreachableS?: number },
  reporter: Reporter,
  signal: AbortSignal,
  clock: WaitClock = realClock,
): Promise<T> {
  const started = clock.now();
  const deadline = started + options.timeoutS * 1000;
  const tolerateMs = (options.unreachableS ?? WAIT_UNREACHABLE_S) * 1000;
  let delay = options.intervalMs ?? 1000;
  const maxDelay = options.maxIntervalMs ?? 10_000;
  let last: string | undefined;
  let outage: { readonly since: number; failed: number } | undefined;
  for (;;) {
    if (signal.aborted) throw abortedError(address, what, signal);
    let r: WaitPoll<T>;
    try {
      r = await poll();
      outage = undefined;
    } catch (err) {
      if (signal.aborted || !transient(err)) throw err;
      const now = clock.now();
      if (!outage) {
        outage = { since: now, failed: 0 };
        emit(reporter, 'wait', 'warn', `${address}: waiting for ${what}: polling failed (${toPumphouseError(err).message}); polling on for up to ${tolerateMs / 1000} s`, {
          address,
          what,
          status: 'unreachable',
          elapsed_s: Math.round((now - started) / 1000),
        });
        last = 'unreachable';
      }
      outage.failed++;
      if (now - outage.since >= tolerateMs || now >= deadline) throw unreachableError(address, what, err, now - outage.since, outage.failed, now >= deadline ? options.timeoutS : undefined);
      await pause(Math.min(delay, Math.max(1, deadline - now)));
      delay = Math.min(delay * 2, maxDelay);
      continue;
    }
    if (r.done) return r.value;
    const elapsed = (clock.now() - started) / 1000;
    if (r.status !== last) {
      last = r.status;
      emit(reporter, 'wait', 'info', `${address}: waiting for ${what} (${r.status})`, { address, what, status: r.status, elapsed_s: Math.round(elapsed) });
    }
    const left = deadline - clock.now();
    if (left <= 0) {
      throw new PumphouseError('PH_TIMEOUT', `${address}: ${what} did not happen within ${options.timeoutS} s (last status: ${r.status})`, {
        address,
        details: { what, status: r.status, timeout_s: options.timeoutS },
      });
    }
    await pause(Math.min(delay, left));
    delay = Math.min(delay * 2, maxDelay);
  }

  async function pause(ms: number): Promise<void> {
    try {
      await clock.sleep(ms, signal);
    } catch {
      throw abortedError(address, what, signal);
    }
  }
}

/**
 * A poll failure that says nothing about the awaited task: the API is down, overloaded,
 * throttling or unreachable (the client gave up its own retries). A 4xx other than 408/429
 * is an answer (the object is gone, the request is wrong, the credentials no longer work).
 */
function transient(err: unknown): boolean {
  if (err instanceof CloudHttpError || err instanceof FuelHttpError) return err.status >= 500 || err.status === 408 || err.status === 429;
  if (err instanceof CloudTransportError || err instanceof FuelTransportError) return err.code === 'PH_CLOUD_UNREACHABLE' || err.code === 'PH_CLOUD_TIMEOUT';
  return false;
}

function unreachableError(address: string, what: string, err: unknown, forMs: number, failed: number, timeoutS: number | undefined): PumphouseError {
  const e = toPumphouseError(err);
  const s = Math.round(forMs / 1000);
  const why = timeoutS !== undefined ? `and the wait's ${timeoutS} s ran out` : 'giving up';
  return new PumphouseError(e.code, `${address}: waiting for ${what}: the polls failed for ${s} s (${failed} in a row), ${why}; last error: ${e.message}`, {
    address,
    cause: err,
    source: e.source,
    details: { ...(e.details ?? {}), what, unreachable_s: s, failed_polls: failed },
  });
}

function abortedError(address: string, what: string, signal: AbortSignal): PumphouseError {
  const reason = signal.reason as unknown;
  if (PumphouseError.is(reason)) return reason;
  return new PumphouseError('PH_ABORTED', `${address}: stopped waiting for ${what}`, { address });
}
