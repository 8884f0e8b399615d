// What the seed verb tests share: a simulated source and destination (optionally with Fuel)
// with a config file next to a state file, the built-in kinds composed as the lead will wire
// them (parts 1-3), and the CLI run as a child process.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { kindsPart1 } from '../../src/kinds/index-part-1.js';
import { dataComputeKinds } from '../../src/kinds/index-part-2.js';
import { kindsPart3 } from '../../src/kinds/index-part-3.js';
import type { HostKindOptions } from '../../src/kinds/host/index.js';
import { kindRegistry, type KindRegistry } from '../../src/kinds/registry.js';
import { openCloud, type Cloud } from '../../src/openstack/index.js';
import { simConfigYaml } from '../../src/sim/cli/files.js';
import { startSimulator, type SimCloud, type SimOptions, type Simulator } from '../../src/sim/index.js';

export interface SeedBench {
  readonly sim: Simulator;
  readonly dir: string;
  readonly config: string;
  readonly state: string;
  /** Admin clients of one simulated cloud (opened once, closed with the bench). */
  admin(side: 'source' | 'destination'): Promise<Cloud>;
  close(): Promise<void>;
}

export interface SeedBenchOptions {
  readonly source?: SimOptions['source'];
  readonly destination?: SimOptions['destination'];
  readonly fuel?: boolean;
  readonly generate?: SimOptions['generate'];
  /** Merged into CLOUDS.source of the written config (populate, workloads). */
  readonly sourceExtra?: Record<string, unknown>;
}

export async function seedBench(o: SeedBenchOptions = {}): Promise<SeedBench> {
  const sim = await startSimulator({
    source: o.source ?? { release: 'modern', network: 'neutron', hashCost: 'fast' },
    destination: o.destination ?? { release: 'modern', network: 'neutron', hashCost: 'fast' },
    knobs: { timeScale: 0.01 },
    ...(o.fuel ? { fuel: { knobs: { timeScale: 0.02 } } } : {}),
    ...(o.generate ? { generate: o.generate } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'ph-seed-'));
  const doc = parse(simConfigYaml(sim.source, sim.destination, sim.fuel)) as { CLOUDS: { source: Record<string, unknown> } };
  Object.assign(doc.CLOUDS.source, o.sourceExtra ?? {});
  const config = join(dir, 'config.yaml');
  await writeFile(config, stringify(doc));
  const opened = new Map<string, Promise<Cloud>>();
  return {
    sim,
    dir,
    config,
    state: join(dir, 'state.json'),
    admin(side) {
      let c = opened.get(side);
      if (!c) {
        c = openAdmin(sim[side]);
        opened.set(side, c);
      }
      return c;
    },
    async close() {
      await Promise.all([...opened.values()].map((p) => p.then((c) => c.close(), () => undefined)));
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function openAdmin(cloud: SimCloud): Promise<Cloud> {
  const a = cloud.admin;
  return openCloud(
    {
      authUrl: cloud.authUrl,
      username: a.username,
      password: a.password,
      projectName: a.projectName,
      ...(cloud.profile.keystoneV2 ? {} : { userDomainName: 'Default', projectDomainName: 'Default' }),
    },
    { retry: { attempts: 2 } },
  );
}

/** The built-in kinds (parts 1-3) in one registry, with quick polls for the simulator (host kinds' timeouts overridable). */
export function allKinds(host: { timeouts?: HostKindOptions['timeouts'] } = {}): KindRegistry {
  const part1 = kindsPart1();
  return kindRegistry({
    ...part1,
    handlers: [...part1.handlers, ...dataComputeKinds({ pollIntervalMs: 20 }), ...kindsPart3({ pollIntervalMs: 10, maxPollIntervalMs: 50, ...host })],
  });
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node --import tsx src/cli/run.ts ARGS` from the repository root, asynchronously (the simulator runs in this process). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('node', ['--import', 'tsx', 'src/cli/run.ts', ...args], { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
