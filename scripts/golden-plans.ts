// The example plans in plans/, made by the real `pumphouse plan` (app/plan(): config and
// manifest loading, discovery over HTTP, planner, plan file) against the simulator, so they
// show what the planner writes today and cannot rot: test/plan/golden-plans.test.ts checks
// that the committed files are exactly what this script produces.
//
//   node --import tsx scripts/golden-plans.ts          rewrite plans/example-*
//   node --import tsx scripts/golden-plans.ts --check  exit 1 when a committed file differs
//
// Reproducible because: the simulator derives every id, name and address from its seed; the
// plan id and time are fixed (app/plan()'s `identity`, which also fixes the observation
// times); and two header fields that name where the inputs happened to be are rewritten
// before the canonical serialization: the clouds' and Fuel's URLs (the simulator listens on
// free ports) and the manifest path (a temporary directory). Nothing else is touched; the
// checksum is computed after the rewrite, so the files verify.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { plan } from '../src/app/index.js';
import { renderMarkdown, serializePlan, type Plan } from '../src/plan/index.js';
import { simConfigYaml } from '../src/sim/cli/files.js';
import { startSimulator, type GeneratedCloud, type SimOptions } from '../src/sim/index.js';

const ROOT = join(import.meta.dirname, '..');
export const GOLDEN_IDENTITY = { plan_id: '00000000-0000-4000-8000-000000000001', created_at: '2026-11-26T12:00:00.000Z' } as const;

interface Example {
  readonly name: string;
  readonly sim: SimOptions;
  /** The manifest, from what the simulator generated. */
  manifest(generated: GeneratedCloud): Record<string, unknown>;
}

const AFTER = ['keep', 'stop', 'delete'] as const;

export const EXAMPLES: readonly Example[] = [
  {
    // The acceptance scenario: Juno nova-network (FlatDHCP) to a modern Neutron cloud.
    name: 'small',
    sim: {
      seed: 1,
      source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' },
      destination: { release: 'modern', network: 'neutron', hashCost: 'fast' },
      generate: { tenants: 2, serversPerTenant: 3, usersPerTenant: 2, volumesPerTenant: 2, imagesPerTenant: 1, floatingIpsPerTenant: 1 },
    },
    manifest: (g) => ({
      version: 1,
      tenants: g.tenants.map((t, i) => ({ name: t.name, placement: 'destination', source_after: AFTER[i % 2] })),
      identity: { users: 'tenant-members', roles: 'used', passwords: 'reset' },
      images: { public: 'none' },
      flavors: 'used',
      options: { keep_fixed_ips: true, keep_floating_ips: true, server_consistency: 'stop' },
    }),
  },
  {
    // A ticket-sized plan: 500 servers in 50 tenants on an Icehouse VLAN cloud, every
    // source_after, and two hypervisors evacuated and handed to the destination's Fuel environment.
    name: '500',
    sim: {
      seed: 2,
      source: { release: 'icehouse', network: 'nova-network:vlan', hashCost: 'fast', computeHosts: Array.from({ length: 10 }, (_, i) => `node-${i + 2}`) },
      destination: { release: 'modern', network: 'neutron', hashCost: 'fast' },
      fuel: true,
      generate: { tenants: 50, serversPerTenant: 10, usersPerTenant: 2, volumesPerTenant: 2, imagesPerTenant: 1, floatingIpsPerTenant: 2 },
    },
    manifest: (g) => ({
      version: 1,
      tenants: g.tenants.map((t, i) => ({ name: t.name, placement: 'destination', source_after: AFTER[i % 3] })),
      identity: { users: 'tenant-members', roles: 'used', passwords: 'reset' },
      images: { public: 'none' },
      flavors: 'used',
      hosts: ['node-2', 'node-3'].map((name) => ({ name, environment: 'destination-env', roles: ['compute'], copy_from: 'node-13' })),
      options: { keep_fixed_ips: true, keep_floating_ips: true, server_consistency: 'suspend' },
    }),
  },
];

/** Repo-relative path -> the text this script writes there, for every example. */
export async function goldenPlans(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const ex of EXAMPLES) for (const [path, text] of await makeExample(ex)) files.set(path, text);
  return files;
}

async function makeExample(ex: Example): Promise<Map<string, string>> {
  const base = `plans/example-${ex.name}`;
  const sim = await startSimulator(ex.sim);
  const dir = await mkdtemp(join(tmpdir(), 'ph-golden-'));
  try {
    const config = join(dir, 'config.yaml');
    const manifestPath = join(dir, 'manifest.yaml');
    const manifestText = `# The manifest ${base}.plan.json was planned from (scripts/golden-plans.ts).\n${stringify(ex.manifest(sim.generated))}`;
    await writeFile(config, simConfigYaml(sim.source, sim.destination, sim.fuel), { mode: 0o600 });
    await writeFile(manifestPath, manifestText);
    const result = await plan({ configPath: config, manifestPath, statePath: join(dir, 'state.json'), identity: GOLDEN_IDENTITY });
    const urls = new Map<string, string>([
      [sim.source.authUrl, `http://source.sim.example:5000${new URL(sim.source.authUrl).pathname}`],
      [sim.destination.authUrl, `http://destination.sim.example:5000${new URL(sim.destination.authUrl).pathname}`],
      ...(sim.fuel ? [[sim.fuel.url, 'http://fuel.sim.example:8000'] as [string, string]] : []),
    ]);
    const stable = withStableHeader(result.plan, urls, `${base}.manifest.yaml`);
    const { text, sha256, plan: file } = serializePlan(stable, { fixedIdentity: GOLDEN_IDENTITY });
    return new Map([
      [`${base}.manifest.yaml`, manifestText],
      [`${base}.plan.json`, text],
      [`${base}.md`, renderMarkdown(file, { sha256, path: `${base}.plan.json` })],
    ]);
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Only the header fields that name where the inputs were; see the top of this file. */
function withStableHeader(p: Plan, urls: ReadonlyMap<string, string>, manifestPath: string): Plan {
  const url = (u: string): string => {
    for (const [from, to] of urls) if (u.replace(/\/$/, '') === from.replace(/\/$/, '')) return to;
    throw new Error(`golden-plans: ${u} is not one of the simulator's URLs`);
  };
  const { fuel } = p.config;
  return {
    ...p,
    manifest: { ...p.manifest, path: manifestPath },
    config: {
      source: { ...p.config.source, auth_url: url(p.config.source.auth_url) },
      destination: { ...p.config.destination, auth_url: url(p.config.destination.auth_url) },
      ...(fuel ? { fuel: { ...fuel, url: url(fuel.url) } } : {}),
    },
  };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let differ = 0;
  for (const [path, text] of await goldenPlans()) {
    const full = join(ROOT, path);
    if (check) {
      const committed = await readFile(full, 'utf8').catch(() => undefined);
      if (committed !== text) {
        differ++;
        process.stdout.write(`${path}: differs from what the planner writes\n`);
      }
    } else {
      await writeFile(full, text);
      process.stdout.write(`wrote ${path} (${Buffer.byteLength(text)} bytes)\n`);
    }
  }
  if (differ > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
