import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StateObject } from '../../src/state/index.js';

/** The repository root (children run from here so tsx finds tsconfig.json). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh temp directory and a function that removes it. */
export function tempDir(): { readonly dir: string; readonly cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ph-state-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `test/state/fixtures/<name>.ts` under tsx. */
export function child(name: string, args: readonly string[]): ChildProcess {
  const script = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout line of `proc` (rejects if it exits first). */
export function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        proc.stdout?.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`child exited (${code}) before printing: ${err}`)));
  });
}

/** Resolves when `proc` has exited. */
export function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `count` finished server objects (`tenant[t<i % 1000>].server[s<i>]`, ready, about 600 bytes
 * of state text each), for the large-state test and bench/state-file.ts. The attributes are
 * one object shared in memory, written out once per object: the file grows, the heap does not.
 */
export function serverObjects(count: number): StateObject[] {
  const attributes = { name: 'server-name', flavor: 'm1.small', image: 'cirros-0.6.2-x86_64-disk', network: 'private-net', zone: 'nova', note: 'x'.repeat(120) };
  return Array.from({ length: count }, (_, i) => ({
    address: `tenant[t${i % 1000}].server[s${i}]`,
    kind: 'server',
    source_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    destination_id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    status: 'ready',
    step: 'verify',
    steps_done: ['snapshot', 'transfer', 'boot', 'verify'],
    pending: null,
    attributes,
    error: null,
    plan_id: 'p1',
    action_id: `a${i}`,
    updated_at: '2026-11-26T10:00:00.000Z',
  }));
}
