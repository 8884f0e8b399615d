import { setTimeout as sleep } from 'node:timers/promises';
import { emit, type Reporter } from '../events/index.js';
import { PumphouseError } from '../errors/index.js';
import type { WaitOptions, WaitPoll } from '../kinds/contract.js';

/**
 * Polls until `poll` says done: delays start at `intervalMs` and double up to
 * `maxIntervalMs` (gentle on a cloud during a long build); a `wait` event goes out whenever
 * the status changes. PH_TIMEOUT after `timeoutS` with the last status; PH_ABORTED when
 * `signal` aborts. Errors thrown by `poll` (a server in ERROR) end the wait as they are.
 */
export async function waitFor<T>(
  address: string,
  what: string,
  poll: () => Promise<WaitPoll<T>>,
  options: WaitOptions,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<T> {
  const started = Date.now();
  const deadline = started + options.timeoutS * 1000;
  let delay = options.intervalMs ?? 1000;
  const maxDelay = options.maxIntervalMs ?? 10_000;
  let last: string | undefined;
  for (;;) {
    if (signal.aborted) throw abortedError(address, what, signal);
    const r = await poll();
    if (r.done) return r.value;
    const elapsed = (Date.now() - started) / 1000;
    if (r.status !== last) {
      last = r.status;
      emit(reporter, 'wait', 'info', `${address}: waiting for ${what} (${r.status})`, { address, what, status: r.status, elapsed_s: Math.round(elapsed) });
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new PumphouseError('PH_TIMEOUT', `${address}: ${what} did not happen within ${options.timeoutS} s (last status: ${r.status})`, {
        address,
        details: { what, status: r.status, timeout_s: options.timeoutS },
      });
    }
    try {
      await sleep(Math.min(delay, left), undefined, { signal });
    } catch {
      throw abortedError(address, what, signal);
    }
    delay = Math.min(delay * 2, maxDelay);
  }
}

function abortedError(address: string, what: string, signal: AbortSignal): PumphouseError {
  const reason = signal.reason as unknown;
  if (PumphouseError.is(reason)) return reason;
  return new PumphouseError('PH_ABORTED', `${address}: stopped waiting for ${what}`, { address });
}
