// What `pumphouse plan` does before discovery starts, at N tenants in the manifest (default
// 10,000): loading and checking the config and the manifest (YAML with positions, schema,
// rules, normalizing, digest), the locations of every tenant and host for the planner's
// messages, and reading the prior state; then the same with the logins to two small
// simulated clouds, as app/plan() runs them (the logins do not depend on the manifest's size),
// and with the logins started as soon as the config is loaded (app/startClouds), the manifest
// read meanwhile. Prints CPU seconds (user + system, this process) and wall time per step: the
// first run in the process (at N/10: what a fresh process pays once, ajv compiling the schemas
// and cold code), then the median of 5 runs after it, per size, and the ratio to N/10 (10 =
// linear). The simulator runs in a child process (it stands for clouds on other machines:
// their password hashing is their time, not ours). PH_BENCH_PROFILE=DIR writes a CPU profile
// of the first run's steps there.
//
//   node --import tsx bench/plan-inputs.ts [tenants=10000]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { loadInputs } from '../src/app/load-inputs.js';
import { openClouds, startClouds, type StartedClouds } from '../src/app/open-clouds.js';
import { readPriorState } from '../src/app/prior-state.js';
import { formatLocation } from '../src/errors/index.js';
import { simConfigYaml } from '../src/sim/cli/files.js';
import { startSimulator } from '../src/sim/index.js';
import { profiled } from './support/profile-step.js';

interface Step {
  readonly cpu: number;
  readonly wall: number;
}

async function timed(f: () => Promise<unknown>): Promise<Step> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

/** The manifest `pumphouse sim` writes for N generated tenants (src/sim/cli/files.ts). */
function manifestYaml(tenants: number): string {
  const doc = {
    version: 1,
    tenants: Array.from({ length: tenants }, (_, t) => ({ name: `tenant-${t}`, placement: 'destination', source_after: 'keep' })),
    identity: { users: 'tenant-members', roles: 'used', passwords: 'reset' },
    images: { public: 'none' },
    flavors: 'used',
    options: { keep_fixed_ips: true, keep_floating_ips: true, server_consistency: 'stop' },
  };
  return stringify(doc);
}

/** What app/plan() does with the manifest's tenant and host paths before discovery (src/app/plan.ts's manifestEntries). */
function entries(manifest: Awaited<ReturnType<typeof loadInputs>>['manifest']): number {
  let n = 0;
  for (const paths of [manifest.paths.tenants, manifest.paths.hosts]) {
    for (const path of paths.values()) n += formatLocation({ ...manifest.locate(path), field: undefined }).length;
  }
  return n;
}

function median(steps: Step[]): Step {
  const by = (k: keyof Step): number => [...steps].sort((a, b) => a[k] - b[k])[Math.floor(steps.length / 2)]![k];
  return { cpu: by('cpu'), wall: by('wall') };
}

/** Child: two small simulated clouds; writes their config and waits until the parent leaves. */
async function serve(config: string): Promise<void> {
  const sim = await startSimulator({
    seed: 1,
    source: { release: 'juno', network: 'neutron', computeHosts: ['node-2'] },
    destination: { release: 'modern', network: 'neutron', computeHosts: ['node-900'] },
    generate: { tenants: 1, serversPerTenant: 1 },
  });
  writeFileSync(config, simConfigYaml(sim.source, sim.destination, undefined), { mode: 0o600 });
  process.send!('ready');
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]!);
} else {
  await main();
}

async function main(): Promise<void> {
  const big = Number(process.argv[2] ?? 10_000);
  const small = Math.max(1, Math.round(big / 10));
  const dir = mkdtempSync(join(tmpdir(), 'ph-bench-plan-inputs-'));
  const child = fork(fileURLToPath(import.meta.url), ['--serve', join(dir, 'config.yaml')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
  });
  try {
    const config = join(dir, 'config.yaml');
    const state = join(dir, 'state.json');
    const rows: string[] = [];
    const totals = new Map<number, Step>();
    const cold: Step[] = [];
    for (const n of [small, big]) {
      const manifest = join(dir, `manifest-${n}.yaml`);
      writeFileSync(manifest, manifestYaml(n));
      const runs: Record<string, Step[]> = { inputs: [], locations: [], state: [], logins: [], all: [], overlapped: [] };
      for (let i = 0; i < 6; i++) {
        let loaded: Awaited<ReturnType<typeof loadInputs>> | undefined;
        const first = i === 0 && n === small;
        const step = <T>(name: string, f: () => Promise<T>): (() => Promise<T>) => (first ? () => profiled(`inputs-first-${name}`, f) : f);
        const inputs = await timed(step('load', async () => (loaded = await loadInputs(config, manifest))));
        const locations = await timed(async () => entries(loaded!.manifest));
        const prior = await timed(step('state', () => readPriorState(state)));
        const logins = await timed(step('logins', async () => (await openClouds(loaded!.config)).close()));
        // Everything before discovery, in app/plan()'s order.
        const all = await timed(async () => {
          const got = await loadInputs(config, manifest);
          entries(got.manifest);
          await readPriorState(state);
          await (await openClouds(got.config)).close();
        });
        // The same, the logins started as soon as the config is loaded.
        const overlapped = await timed(async () => {
          let started: StartedClouds | undefined;
          const got = await loadInputs(config, manifest, {}, (c) => (started = startClouds(c)));
          entries(got.manifest);
          await readPriorState(state);
          await (await started!.open({ fuel: got.manifest.desired.hosts.length > 0 })).close();
        });
        if (i === 0) {
          // What one `pumphouse plan` process pays: the first run (ajv compiling, cold code).
          if (n === small) cold.push(inputs, locations, prior, logins);
          continue;
        }
        runs.inputs!.push(inputs);
        runs.locations!.push(locations);
        runs.state!.push(prior);
        runs.logins!.push(logins);
        runs.all!.push(all);
        runs.overlapped!.push(overlapped);
      }
      const f = (s: Step): string => `CPU ${s.cpu.toFixed(3)} s, wall ${s.wall.toFixed(3)} s`;
      const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, Step>;
      totals.set(n, m.all!);
      rows.push(
        `${String(n).padStart(6)} tenants: config + manifest ${f(m.inputs!)}; locations ${f(m.locations!)}; prior state ${f(m.state!)}; logins ${f(m.logins!)}\n` +
          `        all before discovery: ${f(m.all!)}; with the logins started once the config is loaded: ${f(m.overlapped!)}`,
      );
    }
    const f = (s: Step): string => `CPU ${s.cpu.toFixed(3)} s, wall ${s.wall.toFixed(3)} s`;
    const [ci, cl, cs, cg] = cold as [Step, Step, Step, Step];
    console.log(`first run in this process (${small} tenants): config + manifest ${f(ci)}; locations ${f(cl)}; prior state ${f(cs)}; logins ${f(cg)}`);
    console.log(rows.join('\n'));
    console.log(`CPU ratio for 10x the tenants (10 = linear): ${(totals.get(big)!.cpu / totals.get(small)!.cpu).toFixed(1)}`);
  } finally {
    child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
