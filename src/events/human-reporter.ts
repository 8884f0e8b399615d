import type { Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { redactUrl } from '../errors/index.js';
import type { Reporter } from './reporter.js';
import type { EventOf, PumphouseEvent } from './registry.js';
import { formatBytes, formatDuration } from './format.js';

export interface HumanReporterOptions {
  /** Draw redrawn progress bars (a TTY) instead of occasional plain lines. */
  readonly tty: boolean;
  readonly color: boolean;
  readonly verbose?: boolean;
  /** Plain mode prints a progress line at most this often per transfer. */
  readonly plainProgressEveryMs?: number;
}

/**
 * Terminal output. On a TTY, transfers get a bar redrawn in place (bytes, rate, ETA);
 * elsewhere (CI logs) a plain line now and then, so logs stay readable.
 */
export class HumanReporter implements Reporter {
  private readonly c: ChalkInstance;
  private readonly bars = new Map<string, EventOf<'progress'>>();
  private readonly lastPlain = new Map<string, number>();
  private drawnLines = 0;

  constructor(
    private readonly out: Writable,
    private readonly options: HumanReporterOptions,
  ) {
    this.c = new Chalk({ level: options.color ? 1 : 0 });
  }

  emit(event: PumphouseEvent): void {
    if (event.type === 'progress') return this.progress(event);
    if (event.type === 'version') return;
    if ((event['@level'] === 'debug' || event['@level'] === 'trace') && !this.options.verbose) return;
    if (event.type === 'action_complete' || event.type === 'action_errored') {
      this.bars.delete(event.id);
    }
    this.printLine(this.line(event));
  }

  close(): void {
    this.clearBars();
    this.bars.clear();
  }

  private line(event: PumphouseEvent): string {
    const msg = redactUrl(event['@message']);
    switch (event['@level']) {
      case 'error':
        return this.c.red(`error: ${msg}`);
      case 'warn':
        return this.c.yellow(`warning: ${msg}`);
      default:
        break;
    }
    switch (event.type) {
      case 'action_complete':
        return `${this.c.green('✓')} ${msg}`;
      case 'action_start':
        return `${this.c.cyan('→')} ${msg}`;
      case 'action_skipped':
        return `${this.c.gray('-')} ${msg}`;
      default:
        return msg;
    }
  }

  private progress(event: EventOf<'progress'>): void {
    if (!this.options.tty) {
      const now = Date.now();
      const every = this.options.plainProgressEveryMs ?? 10_000;
      const last = this.lastPlain.get(event.id) ?? 0;
      const finished = event.total_bytes !== null && event.done_bytes >= event.total_bytes;
      if (now - last < every && !finished) return;
      this.lastPlain.set(event.id, now);
      this.out.write(`${this.describe(event)}\n`);
      return;
    }
    this.bars.set(event.id, event);
    this.redraw();
  }

  private describe(e: EventOf<'progress'>): string {
    const total = e.total_bytes;
    const pct = total ? Math.min(100, Math.floor((e.done_bytes / total) * 100)) : null;
    const parts = [
      `${e.address} ${e.label}`,
      total ? `${formatBytes(e.done_bytes)}/${formatBytes(total)}` : formatBytes(e.done_bytes),
      `${formatBytes(e.rate_bps)}/s`,
      e.eta_s === null ? 'ETA ?' : `ETA ${formatDuration(e.eta_s)}`,
    ];
    if (pct !== null) parts.splice(1, 0, `${pct}%`);
    return parts.join('  ');
  }

  private bar(e: EventOf<'progress'>): string {
    const width = 24;
    const frac = e.total_bytes ? Math.min(1, e.done_bytes / e.total_bytes) : 0;
    const full = Math.round(frac * width);
    return `[${this.c.green('#'.repeat(full))}${' '.repeat(width - full)}] ${this.describe(e)}`;
  }

  private clearBars(): void {
    if (!this.options.tty || this.drawnLines === 0) return;
    this.out.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
  }

  private redraw(): void {
    this.clearBars();
    const lines = [...this.bars.values()].map((b) => this.bar(b));
    if (lines.length) this.out.write(`${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  private printLine(text: string): void {
    this.clearBars();
    this.out.write(`${text}\n`);
    if (this.options.tty && this.bars.size) this.redraw();
  }
}
