/**
 * Simulated time: events run in (time, insertion) order, each with its scheduled time as
 * "now", so chained phases start exactly where the previous one ended however late the
 * timer fires. Requests call advance() first, so what a client reads is never behind the
 * clock.
 */
export class Scheduler {
  private queue: { at: number; seq: number; run: (at: number) => void }[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private failure: unknown;
  private closed = false;

  constructor(readonly now: () => number) {}

  /** Runs `run(at)` at simulated time `at` (or at once if `at` is past). */
  at(at: number, run: (at: number) => void): void {
    if (this.closed) return;
    this.queue.push({ at, seq: this.seq++, run });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.arm();
  }

  /** Runs every event that is due. */
  advance(): void {
    const now = this.now();
    while (!this.closed) {
      const next = this.queue[0];
      if (!next || next.at > now) break;
      this.queue.shift();
      try {
        next.run(next.at);
      } catch (err) {
        this.failure ??= err;
      }
    }
    this.arm();
    if (this.queue.length === 0 || this.failure !== undefined) this.wake();
  }

  /** Resolves once nothing is scheduled (all tasks finished, all machines back); rejects if an event threw. */
  settle(): Promise<void> {
    this.advance();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  get pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    this.wake();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.queue[0];
    if (!next || this.closed) return;
    this.timer = setTimeout(() => this.advance(), Math.max(0, next.at - this.now()));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.failure !== undefined) w.reject(this.failure);
      else w.resolve();
    }
  }
}
