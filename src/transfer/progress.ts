import { emit, formatBytes, type Reporter } from '../events/index.js';

export interface ProgressOptions {
  readonly reporter: Reporter | undefined;
  readonly id: string;
  readonly address: string;
  readonly label: string;
  /** Bytes expected; null when unknown. */
  readonly total: number | null;
  /** Least time between two events (the final one excepted). */
  readonly everyMs: number;
  readonly now: () => number;
}

/** Rate is measured over this much recent time, so a stall shows up within seconds. */
const WINDOW_MS = 5_000;

interface Sample {
  readonly at: number;
  readonly bytes: number;
}

/**
 * Counts the bytes of one attempt and emits `progress` events: at most one per `everyMs`,
 * plus a final one at 100% (`finish`). Rates come from a sliding window; done_bytes never
 * goes down within an attempt.
 */
export class ProgressMeter {
  private done = 0;
  private readonly started: number;
  private lastEmit: number;
  private readonly samples: Sample[] = [];

  constructor(private readonly o: ProgressOptions) {
    this.started = o.now();
    this.lastEmit = this.started;
    this.samples.push({ at: this.started, bytes: 0 });
  }

  get bytes(): number {
    return this.done;
  }

  add(n: number): void {
    this.done += n;
    if (!this.o.reporter) return;
    const now = this.o.now();
    if (now - this.lastEmit < this.o.everyMs) return;
    this.lastEmit = now;
    this.samples.push({ at: now, bytes: this.done });
    while (this.samples.length > 2 && this.samples[1]!.at <= now - WINDOW_MS) this.samples.shift();
    const oldest = this.samples[0]!;
    const rate = now > oldest.at ? ((this.done - oldest.bytes) * 1000) / (now - oldest.at) : 0;
    this.send(this.done, this.o.total, rate);
  }

  /** The last event: everything arrived, rate averaged over the whole attempt. */
  finish(): void {
    const elapsed = this.o.now() - this.started;
    const rate = elapsed > 0 ? (this.done * 1000) / elapsed : 0;
    this.send(this.done, this.o.total ?? this.done, rate);
  }

  private send(done: number, total: number | null, rate: number): void {
    const rateBps = Math.round(rate);
    const eta = total === null || rateBps <= 0 ? null : Math.ceil(Math.max(0, total - done) / rateBps);
    const pct = total ? ` ${Math.min(100, Math.floor((done / total) * 100))}%` : '';
    emit(this.o.reporter, 'progress', 'info', `${this.o.address} ${this.o.label}:${pct} ${formatBytes(done)} at ${formatBytes(rateBps)}/s`, {
      id: this.o.id,
      address: this.o.address,
      label: this.o.label,
      done_bytes: done,
      total_bytes: total,
      rate_bps: rateBps,
      eta_s: done === total ? 0 : eta,
    });
  }
}
