/** Per-attempt time limits. Each applies to one phase of one HTTP attempt. */
export interface Timeouts {
  /** TCP (and TLS) connection set-up. */
  readonly connectMs: number;
  /** From the end of the request body to the response headers. */
  readonly headersMs: number;
  /** Longest silence while a request or response body is flowing. */
  readonly bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 60_000 };

export type TimeoutPhase = 'headers' | 'body';

/**
 * One timer per attempt that aborts the attempt when a phase goes silent for too long.
 * undici's own timers have a resolution of about a second (fast timers); this one is exact,
 * and it tells a timeout apart from the caller's abort.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | undefined;
  /** The delay `timer` was created with: a refresh with the same delay re-uses it. */
  private timerMs = 0;
  private phase: TimeoutPhase = 'headers';
  private ms = 0;
  private readonly controller = new AbortController();
  private unlink: (() => void) | undefined;
  firedIn: TimeoutPhase | undefined;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Also aborts when `caller` does (the caller's abort, not a timeout: `firedIn` stays
   * undefined). Cheaper than `AbortSignal.any` per attempt, and the listener leaves the
   * caller's signal at `disarm()` instead of waiting for a garbage collection.
   */
  follow(caller: AbortSignal): void {
    if (caller.aborted) {
      this.controller.abort(caller.reason);
      return;
    }
    const onAbort = (): void => this.controller.abort(caller.reason);
    caller.addEventListener('abort', onAbort, { once: true });
    this.unlink = () => caller.removeEventListener('abort', onAbort);
  }

  arm(phase: TimeoutPhase, ms: number): void {
    this.phase = phase;
    this.ms = ms;
    this.refresh();
  }

  refresh(): void {
    if (this.ms <= 0 || this.firedIn) {
      this.clear();
      return;
    }
    // Once per chunk of every body: re-arming the same timer allocates nothing.
    if (this.timer && this.timerMs === this.ms) {
      this.timer.refresh();
      return;
    }
    this.clear();
    this.timerMs = this.ms;
    this.timer = setTimeout(() => {
      this.firedIn = this.phase;
      this.controller.abort(new Error(`${this.phase} timeout`));
    }, this.ms);
    this.timer.unref?.();
  }

  disarm(): void {
    this.clear();
    this.unlink?.();
    this.unlink = undefined;
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
