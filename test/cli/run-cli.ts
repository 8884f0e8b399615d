import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository root: the CLI runs from there, as `node --import tsx src/cli/run.ts`. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** How one CLI run ended: its exit code (null when killed by a signal) and its output. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI from the sources in a child process (no build needed) and resolves with
 * its exit code and output; never rejects for a non-zero exit. Asynchronous on purpose:
 * simulators and scripted clouds living in the test's process must keep answering.
 * `env` is the child's whole environment (default: this process's). stdin is closed.
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
