// Discovery alone at scale: the app's config and manifest loading, both clouds opened, then
// discover() (both clouds side by side, every generated tenant in the manifest) against the
// simulator in a child process (bench/plan-scale.ts --serve), once per concurrency given.
// Prints per run: wall time, this process's CPU, the simulator's CPU, the calls per cloud and
// service, and the time the manifest load took. The planner and the plan file are left out
// (bench/plan-scale.ts measures the whole `pumphouse plan`).
//
//   node --import tsx bench/discovery-scale.ts [tenants=1000] [servers-per-tenant=10] [source=juno:neutron] [concurrency=8,16]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openClouds } from '../src/app/open-clouds.js';
import { loadConfig } from '../src/config/index.js';
import { discover } from '../src/discovery/index.js';
import { loadManifest } from '../src/manifest/index.js';

const [tenantsArg = '1000', serversArg = '10', source = 'juno:neutron', concArg = '8,16'] = process.argv.slice(2);
const concurrencies = concArg.split(',').map(Number);

interface Ready {
  readonly config: string;
  readonly manifest: string;
}

function ask<T>(child: ChildProcess, key: string, send?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: unknown) => {
      if (typeof m === 'object' && m !== null && key in m) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
    if (send) child.send(send);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ph-discovery-scale-'));
const child = fork(fileURLToPath(new URL('./plan-scale.ts', import.meta.url)), ['--serve', dir, tenantsArg, serversArg, source], {
  // The simulator stands for clouds on other machines: a young generation sized for its
  // multi-megabyte replies cut its CPU by 10-15% (docs/architecture/sim.md).
  execArgv: ['--import', 'tsx', '--max-old-space-size=6144', '--max-semi-space-size=64', ...(process.env.PH_BENCH_CHILD_ARGS ?? '').split(' ').filter(Boolean)],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
try {
  const ready = await ask<Ready>(child, 'config');
  console.log(`discovery-scale: ${tenantsArg} tenants x ${serversArg} servers (${source} -> modern:neutron)`);
  for (const concurrency of concurrencies) {
    const config = await loadConfig(ready.config);
    const m0 = performance.now();
    const manifest = await loadManifest(ready.manifest);
    const manifestMs = performance.now() - m0;
    const clouds = await openClouds(config);
    try {
      const sim0 = (await ask<{ cpu: NodeJS.CpuUsage }>(child, 'cpu', 'cpu')).cpu;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const found = await discover({ source: clouds.source, destination: clouds.destination, desired: manifest.desired, prior: null }, { concurrency });
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const sim1 = (await ask<{ cpu: NodeJS.CpuUsage }>(child, 'cpu', 'cpu')).cpu;
      const simS = (sim1.user + sim1.system - sim0.user - sim0.system) / 1e6;
      const by = (r: Readonly<Record<string, number>>) => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ');
      console.log(
        `  concurrency ${concurrency}: discover ${wallS.toFixed(2)} s wall, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s here + ${simS.toFixed(2)} s simulator, load ${loadavg()[0]!.toFixed(1)}; manifest load ${manifestMs.toFixed(0)} ms`,
      );
      console.log(`    calls: source ${found.calls.source.discovery} (${by(found.calls.source.byService)}), destination ${found.calls.destination.discovery} (${by(found.calls.destination.byService)})`);
    } finally {
      await clouds.close();
    }
  }
} finally {
  child.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
