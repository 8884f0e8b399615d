/** How failed Fuel requests are retried. Only requests that are safe to repeat are retried. */
export interface FuelRetryPolicy {
  /** Total attempts including the first; 1 never retries. */
  readonly attempts: number;
  /** First backoff step; each later step doubles, capped by maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Statuses worth another try (the master's nginx answers 502/504 while Nailgun restarts). */
  readonly statuses: readonly number[];
}

export const DEFAULT_FUEL_RETRY: FuelRetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, statuses: [429, 502, 503, 504] };

/** Exponential backoff with equal jitter: half fixed, half random. `retry` is 1 for the first retry. */
export function backoff(policy: FuelRetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Milliseconds asked by a Retry-After header (seconds or HTTP date); undefined if absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Sleeps `ms`, rejecting with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
