/**
 * One end-to-end test file's run on the testbed: its `phe-<8 hex>` prefix (every tenant it
 * seeds starts with it), a scratch directory for the operators' working directories, the
 * opened clouds, the time each part took, and the cleanup of both clouds (run even when the
 * scenario failed; leftovers fail the file).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wipeTenants } from '../kinds-data-fixtures.js';
import { openTestbed, type Testbed } from '../kinds-support.js';
import { transcript, type CliRun } from './cli.js';

export class E2eRun {
  readonly prefix = `phe-${randomBytes(4).toString('hex')}`;
  readonly root = mkdtempSync(join(tmpdir(), 'ph-e2e-'));
  readonly timings: Record<string, number> = {};
  #tb: Testbed | undefined;

  constructor(private readonly label: string) {}

  get tb(): Testbed {
    if (!this.#tb) throw new Error('test: the testbed is not open');
    return this.#tb;
  }

  async open(): Promise<Testbed> {
    this.#tb = await openTestbed();
    return this.#tb;
  }

  /** Runs `fn`, adding its wall time to `part`. */
  async timed<T>(part: string, fn: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      this.timings[part] = (this.timings[part] ?? 0) + (Date.now() - t0);
    }
  }

  /** Deletes every tenant of this run (and its users) in both clouds; prints the timings; fails on leftovers. */
  async finish(): Promise<void> {
    const left: string[] = [];
    const tb = this.#tb;
    if (tb) {
      await this.timed('cleanup', async () => {
        for (const cloud of [tb.destination, tb.source]) left.push(...(await wipeTenants(cloud, this.prefix).catch((e: Error) => [`${cloud.session.name}: ${e.message}`])));
      });
      await tb.close();
    }
    rmSync(this.root, { recursive: true, force: true });
    const seconds = Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v / 100) / 10]));
    process.stderr.write(`${this.label} timings (s): ${JSON.stringify(seconds)}\n`);
    assert.deepEqual(left, [], 'cleanup');
  }
}

/** Asserts a CLI run exited 0, showing its output otherwise. */
export function succeeded(r: CliRun, what: string): void {
  assert.equal(r.code, 0, `${what}\n${transcript(r)}`);
}
