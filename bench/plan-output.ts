// What an operator waits for after the plan is made: `pumphouse plan`'s printed output (the
// rendering of the plan the planner just made, whose actions are spilled to a file) and
// `pumphouse show PLAN` (readPlan, then the rendering of the plan read back), for the synthetic
// source of bench/plan-scale-pure.ts at N tenants (10 servers each) and N/10.
//
// Both outputs go to /dev/null through the commands' own code (src/cli/commands/plan.ts's
// printPlan, show.ts's run), in the CLI's order: the plan is written first, then printed.
// Prints per size: CPU seconds (user + system, all threads) and wall time of each step, the
// bytes and lines written, and the ratios between the two sizes (10 = linear). No HTTP and
// no discovery: bench/plan-scale.ts measures the whole `pumphouse plan`.
//
//   node --import tsx --expose-gc bench/plan-output.ts [tenants=10000] [--format text|markdown|json]
// PH_BENCH_PROFILE=DIR writes a CPU profile of each step there (bench/support/profile-step.ts).
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { boundHeapGrowth } from '../src/cli/heap-growth.js';
import type { CommandContext } from '../src/cli/context.js';
import { printPlan } from '../src/cli/commands/plan.js';
import { run as show } from '../src/cli/commands/show.js';
import { ActionSpill, writePlan } from '../src/plan/index.js';
import { plan } from '../src/planner/index.js';
import { desired, planOptions, tenant } from '../test/planner/fixtures/manifest.js';
import { profiled } from './support/profile-step.js';
import { SERVERS_PER_TENANT, synthetic } from './support/synthetic-source.js';

interface Step {
  readonly cpu: number;
  readonly wall: number;
}

interface Figures {
  readonly actions: number;
  readonly fileMb: number;
  readonly plan: Step;
  readonly printed: { readonly bytes: number; readonly lines: number };
  readonly read: Step;
  readonly show: Step;
  readonly shown: { readonly bytes: number; readonly lines: number };
  readonly peakRssMb: number;
}

/**
 * A /dev/null that counts the bytes it is given, and the lines when asked (a byte loop: ~1 s
 * for 600 MB, so not for show's text, whose line count is not the point).
 */
class Counting extends Writable {
  bytes = 0;
  lines = 0;
  readonly #sink = createWriteStream('/dev/null');
  readonly #countLines: boolean;
  constructor(countLines: boolean) {
    super();
    this.#countLines = countLines;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.#countLines) {
      let n = 0;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) n++;
      this.lines += n;
    }
    this.#sink.write(chunk, done);
  }
}

function context(stdout: Writable): CommandContext {
  const sink = new Counting(false);
  return { stdout, stderr: sink, reporter: { emit: () => undefined }, json: false, color: false, signal: new AbortController().signal, exitCode: 0 };
}

async function timed(f: () => Promise<void>): Promise<Step> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c1 = process.cpuUsage(c0);
  return { cpu: (c1.user + c1.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function measure(tenants: number, dir: string, format: string): Promise<Figures> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const file = join(dir, `plan-${tenants}.json`);
    const { source, destination } = synthetic(tenants);
    const want = desired({ tenants: Array.from({ length: tenants }, (_, t) => tenant(`tenant-${t}`, { sourceAfter: 'delete' })) });
    let p: ReturnType<typeof plan> | null = plan({ desired: want, source, destination, prior: null, options: planOptions(), spill: ActionSpill.open(dir) });
    const sha256 = await writePlan(p, file);
    const actions = p.actions.length;
    gc();
    const printedTo = new Counting(true);
    const made = p;
    const printStep = await timed(() => profiled(`plan-output-${tenants}`, () => printPlan(made, { path: file, sha256 }, context(printedTo))));
    p = null;
    gc();
    const shownTo = new Counting(false);
    const showStep = await timed(() => profiled(`show-${tenants}`, () => show([file], { format }, context(shownTo))));
    // readPlan alone, to tell the read from the rendering.
    gc();
    const { readPlan } = await import('../src/plan/index.js');
    const readStep = await timed(async () => void (await readPlan(file)));
    return {
      actions,
      fileMb: statSync(file).size / 2 ** 20,
      plan: printStep,
      printed: { bytes: printedTo.bytes, lines: printedTo.lines },
      read: readStep,
      show: showStep,
      shown: { bytes: shownTo.bytes, lines: shownTo.lines },
      peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}

const args = process.argv.slice(2);
const fmtAt = args.indexOf('--format');
const format = fmtAt >= 0 ? (args[fmtAt + 1] ?? 'text') : 'text';
boundHeapGrowth();
const big = Number(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--format') ?? 10_000);
const small = Math.max(1, Math.round(big / 10));
const dir = mkdtempSync(join(tmpdir(), 'ph-bench-plan-output-'));
const s = (x: Step): string => `CPU ${x.cpu.toFixed(2)} s, wall ${x.wall.toFixed(2)} s`;
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
try {
  const results: [number, Figures][] = [];
  for (const n of [small, big]) {
    const r = await measure(n, dir, format);
    rmSync(join(dir, `plan-${n}.json`));
    results.push([n, r]);
    console.log(
      `${String(n).padStart(6)} tenants, ${String(n * SERVERS_PER_TENANT).padStart(7)} servers, ${r.actions} actions, plan file ${r.fileMb.toFixed(0)} MiB; peak RSS ${r.peakRssMb.toFixed(0)} MiB\n` +
        `        pumphouse plan's output: ${s(r.plan)} (${mb(r.printed.bytes)}, ${r.printed.lines} lines)\n` +
        `        pumphouse show --format ${format}: ${s(r.show)} (${mb(r.shown.bytes)}); of which readPlan alone ${s(r.read)}`,
    );
  }
  const [[, a], [, b]] = results as [[number, Figures], [number, Figures]];
  console.log(`CPU ratio for 10x the input (10 = linear): plan output ${(b.plan.cpu / a.plan.cpu).toFixed(1)}, show ${(b.show.cpu / a.show.cpu).toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
