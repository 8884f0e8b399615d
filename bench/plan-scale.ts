// Full `pumphouse plan` scale bench: the app's plan() (config + manifest loading, discovery of
// both clouds over HTTP, planner, plan file written) against the simulator, for N tenants x S
// servers (default 10,000 x 10 = 100,000 servers, juno:neutron source -> modern:neutron).
//
// The simulator runs in a child process (this file with --serve), so the RSS printed is the
// planning process alone: what an operator's machine needs to plan. Prints, per size: wall
// time of plan() and of its parts (discovery, planner, file), peak RSS (the kernel's high-water mark where Linux
// gives it, and as sampled every 100 ms),
// the plan size, and the API calls per cloud by service (plan() returns them).
//
// A second, smaller size (default 1,000 tenants) and the same tenants with 10x the servers
// show what the calls grow with: pages of the bulk lists, and the per-tenant reads that have
// no bulk form (quotas, keypairs, v2.0 role assignments), not servers.
//
//   node --import tsx bench/plan-scale.ts [tenants=10000] [servers-per-tenant=10] [source=juno:neutron]
//   node --import tsx bench/plan-scale.ts 1000 10 juno:nova-network:flatdhcp --only
// The planning process sets V8's heap growth as the CLI does (src/cli/heap-growth.ts).
// Goal (10,000 tenants / 100,000 servers): wall < 20 s, peak RSS < 1 GB.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { plan } from '../src/app/index.js';
import { boundHeapGrowth } from '../src/cli/heap-growth.js';
import type { PumphouseEvent, Reporter } from '../src/events/index.js';
import { simConfigYaml, simManifestYaml } from '../src/sim/cli/files.js';
import { parseProfile, startSimulator } from '../src/sim/index.js';
import { kernelPeakMib, resetKernelPeak } from './support/kernel-peak.js';

const HOSTS = 100;

interface Ready {
  readonly config: string;
  readonly manifest: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly generateS: number;
}

/** Child: start the simulator with N tenants, write config and manifest, report, serve. */
async function serve(dir: string, tenants: number, servers: number, source: string): Promise<void> {
  const p = parseProfile(source);
  const hosts = Array.from({ length: HOSTS }, (_, i) => `node-${i + 2}`);
  const t0 = performance.now();
  const sim = await startSimulator({
    seed: 1,
    source: { release: p.release, network: p.network, computeHosts: hosts },
    destination: { release: 'modern', network: 'neutron', computeHosts: ['node-900', 'node-901'] },
    generate: { tenants, serversPerTenant: servers, usersPerTenant: 2, volumesPerTenant: 1, imagesPerTenant: 1, floatingIpsPerTenant: 1 },
  });
  const generateS = (performance.now() - t0) / 1000;
  const config = join(dir, 'config.yaml');
  const manifest = join(dir, 'manifest.yaml');
  writeFileSync(config, simConfigYaml(sim.source, sim.destination, undefined), { mode: 0o600 });
  writeFileSync(manifest, simManifestYaml(sim.generated));
  const ready: Ready = { config, manifest, counts: sim.generated.counts, generateS };
  process.send!(ready);
  // The parent asks for this process's CPU time around its plan(): on a shared machine CPU
  // seconds say more than wall time.
  process.on('message', (m) => {
    if (m === 'cpu') process.send!({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

/** Counts discovery events without keeping them (a reporter that kept 600,000 events would skew RSS). */
class CountingReporter implements Reporter {
  readonly counts = new Map<string, number>();
  readonly at = new Map<string, number>();
  /** When the last cloud's discovery completed: wall time and this process's CPU time. */
  discovered: { at: number; cpu: NodeJS.CpuUsage; rss: number; heap: number } | undefined;
  emit(event: PumphouseEvent): void {
    this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
    if (!this.at.has(event.type)) this.at.set(event.type, performance.now());
    if (event.type === 'discovery_complete') {
      const m = process.memoryUsage();
      this.discovered = { at: performance.now(), cpu: process.cpuUsage(), rss: m.rss, heap: m.heapUsed };
    }
  }
}

interface Figures {
  readonly tenants: number;
  readonly servers: number;
  readonly generateS: number;
  readonly wallS: number;
  /** CPU seconds (user + system) of the planning process during plan(), and of the simulator. */
  readonly cpuS: number;
  readonly simCpuS: number;
  readonly discoveryS: number;
  readonly discoveryCpuS: number;
  readonly peakRssMb: number;
  /** The kernel's high-water mark of this process's RSS over plan() (Linux), else undefined. */
  readonly kernelPeakRssMb: number | undefined;
  /** Peak RSS sampled up to the end of discovery, and the heap then. */
  readonly discoveryPeakRssMb: number;
  readonly discoveryHeapMb: number;
  readonly actions: number;
  readonly planMb: number;
  readonly calls: Awaited<ReturnType<typeof plan>>['calls'];
}

async function measure(tenants: number, servers: number, source: string): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ph-bench-plan-'));
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', dir, String(tenants), String(servers), source], {
    // The simulator stands for clouds on other machines: a young generation sized for its
    // multi-megabyte replies cut its CPU by 10-15% (docs/architecture/sim.md).
    execArgv: ['--import', 'tsx', '--max-old-space-size=6144', '--max-semi-space-size=64'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const ready = await new Promise<Ready>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Ready));
      child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
    });
    (globalThis as { gc?: () => void }).gc?.();
    // Covers plan() alone, not the sizes measured before in this process.
    resetKernelPeak();
    let peak = process.memoryUsage().rss;
    const reporter = new CountingReporter();
    let discoveryPeak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
      if (!reporter.discovered) discoveryPeak = peak;
    }, 100);
    const out = join(dir, 'plan.json');
    const simCpu0 = await simCpu(child);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      const result = await plan({ configPath: ready.config, manifestPath: ready.manifest, statePath: join(dir, 'state.json'), out, reporter });
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const simCpu1 = await simCpu(child);
      peak = Math.max(peak, process.memoryUsage().rss);
      const doneAt = reporter.discovered?.at;
      const d = reporter.discovered?.cpu;
      const errors = result.plan.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) throw new Error(`the plan has errors: ${errors[0]!.summary}`);
      return {
        tenants,
        servers: tenants * servers,
        generateS: ready.generateS,
        wallS,
        cpuS: (cpu.user + cpu.system) / 1e6,
        simCpuS: (simCpu1.user + simCpu1.system - simCpu0.user - simCpu0.system) / 1e6,
        discoveryCpuS: d ? (d.user + d.system - cpu0.user - cpu0.system) / 1e6 : NaN,
        discoveryS: doneAt === undefined ? NaN : (doneAt - t0) / 1000,
        peakRssMb: peak / 2 ** 20,
        kernelPeakRssMb: kernelPeakMib(),
        discoveryPeakRssMb: Math.max(discoveryPeak, reporter.discovered?.rss ?? 0) / 2 ** 20,
        discoveryHeapMb: (reporter.discovered?.heap ?? NaN) / 2 ** 20,
        actions: result.plan.actions.length,
        planMb: statSync(out).size / 2 ** 20,
        calls: result.calls,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

function peakText(f: Figures): string {
  const sampled = `${f.peakRssMb.toFixed(0)} MiB`;
  return f.kernelPeakRssMb === undefined ? `${sampled} (sampled)` : `${f.kernelPeakRssMb.toFixed(0)} MiB (kernel high-water mark; ${sampled} sampled)`;
}

function simCpu(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    const on = (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'cpu' in m) {
        child.off('message', on);
        resolve((m as { cpu: NodeJS.CpuUsage }).cpu);
      }
    };
    child.on('message', on);
    child.send('cpu');
  });
}

function print(f: Figures): void {
  const by = (r: Readonly<Record<string, number>>) => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`${f.tenants} tenants / ${f.servers} servers (simulator generated in ${f.generateS.toFixed(1)} s)`);
  console.log(`  plan(): ${f.wallS.toFixed(1)} s wall (discovery ${f.discoveryS.toFixed(1)} s), CPU ${f.cpuS.toFixed(1)} s here (discovery ${f.discoveryCpuS.toFixed(1)} s) + ${f.simCpuS.toFixed(1)} s simulator, load ${loadavg()[0]!.toFixed(1)}, peak RSS ${peakText(f)} (${f.discoveryPeakRssMb.toFixed(0)} MiB by the end of discovery, heap then ${f.discoveryHeapMb.toFixed(0)} MiB), ${f.actions} actions, plan file ${f.planMb.toFixed(0)} MiB`);
  console.log(`  calls: source ${f.calls.source.total} (${by(f.calls.source.byService)}), destination ${f.calls.destination.total} (${by(f.calls.destination.byService)})`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--serve') {
  await serve(argv[1]!, Number(argv[2]), Number(argv[3]), argv[4]!);
} else {
  // What `pumphouse` itself does first (src/cli/main.ts): this process stands for `pumphouse plan`.
  boundHeapGrowth();
  const only = argv.includes('--only');
  const [tenantsArg = '10000', serversArg = '10', source = 'juno:neutron'] = argv.filter((a) => a !== '--only');
  const big = Number(tenantsArg);
  const servers = Number(serversArg);
  const runs: [number, number][] = only ? [[big, servers]] : [[Math.max(1, Math.round(big / 10)), servers], [Math.max(1, Math.round(big / 10)), servers * 10], [big, servers]];
  console.log(`plan-scale: app plan() against the simulator (${source} -> modern:neutron), simulator in a child process`);
  for (const [t, s] of runs) print(await measure(t, s, source));
  if (!only) console.log('goal at the largest size: wall < 20 s, peak RSS < 1024 MiB');
}
