// Planner scale bench: a synthetic source with N tenants and 10 servers each (default
// 10,000 tenants / 100,000 servers), planned against an empty modern destination, the plan
// written with writePlan and read back with readPlan (verified). Prints wall time and heap for
// the pure plan() call, the time of the write and the read, the plan file's size and the peak
// RSS (with the kernel's high-water mark where Linux gives it: bench/support/kernel-peak.ts), and the ratio to a 10x smaller input (near 10 means linear), and the CPU seconds of each
// step (steadier than wall time on a loaded machine). No HTTP: see
// bench/plan-scale.ts for the whole `pumphouse plan` against the simulator.
//
// With --steps, the CPU seconds of each step of plan() (PlanInput.onStep) for the bigger
// input; with --time-put also the wall time spent in the spill's put (the plan text, not the
// planner's work).
//
// --only skips the 10x smaller input; --plan-only stops after plan() (no write, no read).
//
//   node --import tsx --expose-gc bench/plan-scale-pure.ts [tenants] [--no-read] [--no-spill] [--steps] [--time-put] [--only] [--plan-only]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ActionSpill, readPlan, writePlan, type Plan } from '../src/plan/index.js';
import { boundHeapGrowth } from '../src/cli/heap-growth.js';
import { plan } from '../src/planner/index.js';
import { desired, planOptions, tenant } from '../test/planner/fixtures/manifest.js';
import { SERVERS_PER_TENANT, synthetic } from './support/synthetic-source.js';
import { kernelPeakMib, resetKernelPeak } from './support/kernel-peak.js';

function cpuSeconds(a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number {
  return (b.user - a.user + b.system - a.system) / 1e6;
}

/**
 * CPU seconds of this thread alone (Linux: /proc/thread-self/stat, 10 ms ticks), NaN elsewhere:
 * the plan text thread and V8's helper threads are not the planner's main-thread work.
 */
function threadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Figures {
  readonly ms: number;
  /** CPU seconds (user + system, every thread of the process) of plan(), writePlan, readPlan. */
  readonly cpu: readonly [number, number, number];
  readonly heapMb: number;
  readonly actions: number;
  readonly buildMs: number;
  readonly writeMs: number;
  readonly readMs: number;
  readonly fileMb: number;
  readonly peakRssMb: number;
  /** Peak RSS up to the end of writePlan: what `pumphouse plan` needs (it never reads the plan back). */
  readonly planPeakRssMb: number;
  /**
   * Per step of plan(), in order: its name, CPU seconds of every thread and of the main thread
   * (with --steps); and the wall seconds of the spill's put.
   */
  readonly steps: readonly (readonly [string, number, number])[];
  readonly putS: number;
  /** Heap the returned plan keeps after a full collection (with --steps). */
  readonly retainedMb: number;
}

async function measure(tenants: number, dir: string, read: boolean, write: boolean): Promise<Figures> {
  gc();
  const b0 = performance.now();
  const { source, destination } = synthetic(tenants);
  const buildMs = performance.now() - b0;
  const want = desired({ tenants: Array.from({ length: tenants }, (_, t) => tenant(`tenant-${t}`, { sourceAfter: 'delete' })) });
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  resetKernelPeak();
  let peak = process.memoryUsage().rss;
  // plan() is synchronous: the sampler sees the writing and reading, and the RSS after plan();
  // the kernel's high-water mark sees the planner too.
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const steps: [string, number, number][] = [];
    let last = c0;
    let lastHere = threadCpuSeconds();
    const onStep = (name: string): void => {
      const now = process.cpuUsage();
      const here = threadCpuSeconds();
      steps.push([name, cpuSeconds(last, now), here - lastHere]);
      last = now;
      lastHere = here;
    };
    const timed = { put: 0 };
    const sink = spill ? ActionSpill.open(dir) : undefined;
    if (sink && timePut) {
      // Bench-only: the spill's put is the plan text (owned by plan/), not the planner's work.
      const put = sink.put.bind(sink);
      sink.put = (a) => {
        const t = performance.now();
        const r = put(a);
        timed.put += performance.now() - t;
        return r;
      };
    }
    let p: Plan | null = plan({ desired: want, source, destination, prior: null, options: planOptions(), ...(sink ? { spill: sink } : {}), ...(showSteps ? { onStep } : {}) });
    const ms = performance.now() - t0;
    const c1 = process.cpuUsage();
    peak = Math.max(peak, process.memoryUsage().rss);
    const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
    // With --steps, what the plan itself keeps (after a full collection, outside the timings).
    if (showSteps) gc();
    const retainedMb = showSteps ? (process.memoryUsage().heapUsed - heap0) / 2 ** 20 : NaN;
    if (p.diagnostics.some((x) => x.severity === 'error')) throw new Error(`bench plan has errors: ${p.diagnostics[0]!.summary}`);
    const file = join(dir, `plan-${tenants}.json`);
    const t1 = performance.now();
    const sha = write ? await writePlan(p, file) : '';
    const writeMs = performance.now() - t1;
    const c2 = process.cpuUsage();
    peak = Math.max(peak, process.memoryUsage().rss, (kernelPeakMib() ?? 0) * 2 ** 20);
    const planPeak = peak;
    const actions = p.actions.length;
    // Reading is measured without the planner's copy (apply reads a plan it did not make).
    p = null;
    gc();
    let readMs = NaN;
    const c3 = process.cpuUsage();
    let c4 = c3;
    if (read && write) {
      const t2 = performance.now();
      const loaded = await readPlan(file, { expectSha256: sha });
      readMs = performance.now() - t2;
      c4 = process.cpuUsage();
      peak = Math.max(peak, process.memoryUsage().rss, (kernelPeakMib() ?? 0) * 2 ** 20);
      if (loaded.plan.actions.length !== actions) throw new Error('read back another plan');
    }
    const cpu = [cpuSeconds(c0, c1), cpuSeconds(c1, c2), cpuSeconds(c3, c4)] as const;
    return { ms, cpu, heapMb, actions, buildMs, writeMs, readMs, fileMb: write ? statSync(file).size / 2 ** 20 : 0, peakRssMb: peak / 2 ** 20, planPeakRssMb: planPeak / 2 ** 20, steps, putS: timed.put / 1000, retainedMb };
  } finally {
    clearInterval(sampler);
  }
}

const args = process.argv.slice(2);
const planOnly = args.includes('--plan-only');
const read = !args.includes('--no-read') && !planOnly;
const only = args.includes('--only');
// As `pumphouse plan` does: the actions' bulky members go to a spill file as they are made,
// and V8's heap growth is bounded (src/cli/heap-growth.ts); --no-spill plans in the heap.
const spill = !args.includes('--no-spill');
const showSteps = args.includes('--steps');
// Timing each put costs two clock reads per action (~0.3 s at 10,000 tenants, inside the steps).
const timePut = args.includes('--time-put');
boundHeapGrowth();
const big = Number(args.find((a) => !a.startsWith('--')) ?? 10_000);
const small = Math.max(1, Math.round(big / 10));
const dir = mkdtempSync(join(tmpdir(), 'ph-bench-plan-pure-'));
try {
  const a = only ? null : await measure(small, dir, read, !planOnly);
  if (a && !planOnly) rmSync(join(dir, `plan-${small}.json`));
  const b = await measure(big, dir, read, !planOnly);
  const line = (n: number, r: Figures) =>
    `${String(n).padStart(6)} tenants, ${String(n * SERVERS_PER_TENANT).padStart(7)} servers: plan() ${(r.ms / 1000).toFixed(2)} s, ` +
    `${r.actions} actions, heap +${r.heapMb.toFixed(0)} MiB; writePlan ${(r.writeMs / 1000).toFixed(2)} s (${r.fileMb.toFixed(0)} MiB)` +
    `${read ? `, readPlan ${(r.readMs / 1000).toFixed(2)} s` : ''}; peak RSS ${r.peakRssMb.toFixed(0)} MiB (${r.planPeakRssMb.toFixed(0)} MiB up to the written plan; inventory built in ${(r.buildMs / 1000).toFixed(2)} s)\n` +
    `${' '.repeat(8)}CPU (all threads): plan() ${r.cpu[0].toFixed(2)} s, writePlan ${r.cpu[1].toFixed(2)} s${read ? `, readPlan ${r.cpu[2].toFixed(2)} s` : ''}`;
  if (a) console.log(line(small, a));
  console.log(line(big, b));
  if (showSteps) {
    const put = timePut ? `spill put, wall: ${b.putS.toFixed(2)} s, inside the steps that add actions; ` : '';
    console.log(`CPU seconds per step of plan(), ${big} tenants, all threads / main thread (${put}the plan keeps ${b.retainedMb.toFixed(0)} MiB of heap):`);
    for (const [name, sec, here] of b.steps) console.log(`  ${sec.toFixed(2).padStart(6)} ${here.toFixed(2).padStart(6)}  ${name}`);
    const sum = (i: 1 | 2) => b.steps.reduce((t, s) => t + s[i], 0);
    console.log(`  ${sum(1).toFixed(2).padStart(6)} ${sum(2).toFixed(2).padStart(6)}  plan()`);
  }
  if (a) console.log(`plan() time ratio ${(b.ms / a.ms).toFixed(1)}, writePlan ${(b.writeMs / a.writeMs).toFixed(1)} for 10x the input (10 = linear)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
