import { emit, formatBytes, type Reporter } from '../events/index.js';
import type { Action } from '../plan/index.js';

/** At most this often per label, except the first and the last report. */
const EVERY_MS = 500;

/**
 * Turns `progress(label, done, total)` calls into `progress` events with a rate (bytes/s
 * over the whole transfer so far) and an ETA, throttled so that a fast stream does not flood
 * the terminal or the `--json` stream. The last report (done >= total) always goes out.
 */
export class ProgressMeter {
  readonly #started = new Map<string, { at: number; done: number }>();
  readonly #last = new Map<string, number>();

  constructor(
    private readonly reporter: Reporter,
    private readonly now: () => number = Date.now,
  ) {}

  report(action: Action, label: string, done: number, total: number | null): void {
    const key = `${action.id} ${label}`;
    const t = this.now();
    let start = this.#started.get(key);
    if (!start || done < start.done) {
      start = { at: t, done };
      this.#started.set(key, start);
    }
    const finished = total !== null && done >= total;
    const last = this.#last.get(key);
    if (last !== undefined && t - last < EVERY_MS && !finished) return;
    this.#last.set(key, t);
    const seconds = (t - start.at) / 1000;
    const rate = seconds > 0 ? (done - start.done) / seconds : 0;
    const eta = total === null ? null : finished ? 0 : rate > 0 ? (total - done) / rate : null;
    const of = total === null ? '' : ` of ${formatBytes(total)}`;
    emit(this.reporter, 'progress', 'info', `${action.address} ${label}: ${formatBytes(done)}${of}`, {
      id: action.id,
      address: action.address,
      label,
      done_bytes: done,
      total_bytes: total,
      rate_bps: Math.round(rate),
      eta_s: eta === null ? null : Math.round(eta),
    });
    if (finished) {
      this.#started.delete(key);
      this.#last.delete(key);
    }
  }
}
