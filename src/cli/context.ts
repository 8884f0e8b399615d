import type { Writable } from 'node:stream';
import { HumanReporter, JsonLinesReporter, type Reporter } from '../events/index.js';

/** What every command gets: where to write, how to report, and a signal for Ctrl-C. */
export interface CommandContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly reporter: Reporter;
  readonly json: boolean;
  /** Colour is wanted: a terminal, no `--no-color`, no NO_COLOR, no --json. */
  readonly color: boolean;
  readonly signal: AbortSignal;
  /** Set by a command to ask main.ts for an exit code other than 0 without an error. */
  exitCode: number;
}

export interface GlobalOptions {
  readonly json?: boolean;
  readonly debug?: boolean;
  readonly color?: boolean;
  readonly verbose?: boolean;
}

/** Colour only on a terminal, and never when the operator said no (`--no-color`, NO_COLOR). */
export function wantsColor(opts: GlobalOptions, stdout: { isTTY?: boolean }): boolean {
  return !opts.json && Boolean(stdout.isTTY) && opts.color !== false && !process.env.NO_COLOR;
}

export function makeReporter(opts: GlobalOptions, stdout: Writable & { isTTY?: boolean }): Reporter {
  if (opts.json) return new JsonLinesReporter(stdout);
  const tty = Boolean(stdout.isTTY) && !process.env.CI;
  return new HumanReporter(stdout, { tty, color: wantsColor(opts, stdout), verbose: opts.verbose ?? false });
}
