/**
 * The pumphouse binary as an operator runs it, from the sources (`node --import tsx
 * src/cli/run.ts`, no build needed), with a way to SIGKILL it when its output or the state's
 * journal shows it is in the middle of something.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');
// Resolved here: the child runs in the operator's directory, where `--import tsx` would not resolve.
const TSX = import.meta.resolve('tsx');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Why the test killed it, when it did. */
  readonly killedBecause?: string;
}

export interface CliOptions {
  readonly cwd: string;
  /**
   * Called with each complete stdout line (the `--json` events) and every 250 ms with nothing;
   * answering a string SIGKILLs the child (kill -9), the string saying why.
   */
  readonly killWhen?: (line: string | null) => string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `pumphouse ARGS...` to its end (or its SIGKILL). */
export function pumphouse(args: readonly string[], options: CliOptions): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/run.ts'), ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let killedBecause: string | undefined;
    const consider = (line: string | null) => {
      if (killedBecause !== undefined || !options.killWhen) return;
      const why = options.killWhen(line);
      if (why !== undefined) {
        killedBecause = why;
        child.kill('SIGKILL');
      }
    };
    const timer = options.killWhen ? setInterval(() => consider(null), 250) : undefined;
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) consider(l);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, ...(killedBecause !== undefined ? { killedBecause } : {}) });
    });
  });
}

/** The `--json` events of a run, parsed (lines that are not JSON are left out). */
export function events(run: CliRun): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by the kill
    }
  }
  return out;
}

/** Lines of the state's journal (`<state>.journal.ndjson`) now; 0 when there is none. */
export function journalLines(statePath: string): number {
  const path = `${statePath}.journal.ndjson`;
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
}

/** A run's output for an assertion message (the tail, where the error is). */
export function transcript(run: CliRun): string {
  const tail = (s: string) => (s.length > 4000 ? `...${s.slice(-4000)}` : s);
  return `exit ${run.code} signal ${run.signal}\n--- stdout\n${tail(run.stdout)}\n--- stderr\n${tail(run.stderr)}`;
}
