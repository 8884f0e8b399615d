interface Pending {
  readonly due: number;
  readonly seq: number;
  readonly run: () => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Drives every asynchronous status change of a simulated cloud (BUILD -> ACTIVE, creating ->
 * available, saving -> active, migrations...). Delays are in simulated milliseconds and are
 * multiplied by `timeScale` (0 = next tick, 0.01 = a hundred times faster than the knob says).
 * Tests call `settle()` to wait for everything pending, or `flush()` to run it all now.
 */
export class SimClock {
  private readonly pending = new Set<Pending>();
  private seq = 0;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private scale: number = 1) {}

  get timeScale(): number {
    return this.scale;
  }

  set timeScale(value: number) {
    this.scale = Math.max(0, value);
  }

  /** Wall-clock now; the simulator does not fake time, only shortens waits. */
  now(): Date {
    return new Date();
  }

  /** Number of transitions still waiting. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Runs `fn` after `delayMs` simulated ms (scaled). Returns a cancel function. Errors thrown by
   * `fn` are swallowed after being reported to `onError`, so one broken transition cannot stop
   * the clock.
   */
  after(delayMs: number, fn: () => void): () => void {
    if (this.closed) return () => undefined;
    const real = Math.max(0, delayMs * this.scale);
    const p: Pending = { due: Date.now() + real, seq: this.seq++, run: fn, timer: undefined };
    p.timer = setTimeout(() => this.fire(p), real);
    this.pending.add(p);
    return () => this.cancel(p);
  }

  /** Resolves once nothing is pending (transitions scheduled by transitions included). */
  settle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Runs every pending transition now, in due order, until none is left (bounded). */
  flush(maxRounds = 10_000): void {
    for (let round = 0; round < maxRounds && this.pending.size > 0; round++) {
      const next = [...this.pending].sort((a, b) => a.due - b.due || a.seq - b.seq)[0]!;
      this.fire(next);
    }
  }

  /** Drops everything pending; later `after` calls are ignored. */
  close(): void {
    this.closed = true;
    for (const p of this.pending) clearTimeout(p.timer);
    this.pending.clear();
    this.wake();
  }

  onError: (err: unknown) => void = () => undefined;
  /** Called after every transition ran (the cloud marks its store changed). */
  onRun: () => void = () => undefined;

  private fire(p: Pending): void {
    if (!this.pending.delete(p)) return;
    clearTimeout(p.timer);
    try {
      p.run();
    } catch (err) {
      this.onError(err);
    } finally {
      this.onRun();
    }
    if (this.pending.size === 0) this.wake();
  }

  private cancel(p: Pending): void {
    if (!this.pending.delete(p)) return;
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}
