/** How failed requests are retried. Only requests that are safe to repeat are retried. */
export interface RetryPolicy {
  /** Total attempts including the first; 1 never retries. */
  readonly attempts: number;
  /** First backoff step; each later step doubles, capped by maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error surfaces instead. */
  readonly maxRetryAfterMs: number;
  /** Statuses worth another try. */
  readonly statuses: readonly number[];
  /**
   * 429s answered with a Retry-After that are waited for without spending an attempt (default
   * 10): the cloud said when to come back, which is no sign of trouble with the request; a
   * burst of three 429s after a 503 and a reset used up 5 attempts of a read (fault torture).
   */
  readonly throttleWaits?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
  statuses: [429, 500, 502, 503, 504],
};

/**
 * Delay before retry number `retry` (1 for the first retry): exponential with "equal
 * jitter" (half fixed, half random), so concurrent clients spread out but never retry
 * at once.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Milliseconds asked by a Retry-After header (delta seconds or an HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
