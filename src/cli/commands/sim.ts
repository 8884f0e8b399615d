import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import { simConfigYaml, simManifestYaml } from '../../sim/cli/files.js';
import { parseProfile, startSimulator, type CloudSpec } from '../../sim/index.js';
import type { CommandContext } from '../context.js';

function count(options: Record<string, unknown>, key: string, flag: string, min: number): number {
  const raw = String(options[key]);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new PumphouseError('PH_USAGE', `${flag} must be a whole number >= ${min} (got '${raw}')`);
  return n;
}

const SOURCE_PUBLIC_CIDR = '203.0.113.0/24';

function spec(text: string, flag: string, hosts: readonly string[], port: number, identityDbUrl: unknown): CloudSpec {
  try {
    const p = parseProfile(text);
    return { release: p.release, network: p.network, computeHosts: hosts, port, ...(typeof identityDbUrl === 'string' ? { identityDbUrl } : {}) };
  } catch (err) {
    throw new PumphouseError('PH_USAGE', `${flag}: ${(err as Error).message}`);
  }
}

/**
 * `pumphouse sim`: starts a source and a destination cloud plus a Fuel master, generates
 * tenants in the source, writes DIR/config.yaml and DIR/manifest.yaml, reports `sim_ready`,
 * then serves until Ctrl-C (ctx.signal) and closes everything.
 */
export async function run(_args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const tenants = count(options, 'tenants', '--tenants', 0);
  const serversPerTenant = count(options, 'serversPerTenant', '--servers-per-tenant', 0);
  const hosts = count(options, 'hosts', '--hosts', 1);
  const seed = count(options, 'seed', '--seed', 0);
  const port = count(options, 'port', '--port', 0);
  const dir = resolve(String(options['dir'] ?? '.pumphouse-sim'));
  // Fuel names nodes node-<id>: node-1 controls the source, node-(hosts+2) the destination.
  const names = (first: number) => Array.from({ length: hosts }, (_, i) => `node-${first + i}`);
  const source = spec(String(options['source']), '--source', names(2), port, options['sourceIdentityDb']);
  // A forklift upgrade keeps the hardware and its external network: the destination's
  // floating range is the source's, so floating IPs can keep their addresses.
  const destination = { ...spec(String(options['destination']), '--destination', names(hosts + 3), port === 0 ? 0 : port + 1, options['destinationIdentityDb']), publicCidr: SOURCE_PUBLIC_CIDR };

  const sim = await startSimulator({ seed, source, destination, fuel: { port: port === 0 ? 0 : port + 2 }, generate: { tenants, serversPerTenant } });
  try {
    await mkdir(dir, { recursive: true });
    const configPath = join(dir, 'config.yaml');
    const manifestPath = join(dir, 'manifest.yaml');
    const dbs = { source: source.identityDbUrl, destination: destination.identityDbUrl };
    await writeFile(configPath, simConfigYaml(sim.source, sim.destination, sim.fuel, dbs), { mode: 0o600 });
    await writeFile(manifestPath, simManifestYaml(sim.generated, dbs.source !== undefined && dbs.destination !== undefined));
    const next = [
      `pumphouse validate -c ${configPath} -m ${manifestPath}`,
      `pumphouse plan -c ${configPath} -m ${manifestPath} -out ${join(dir, 'plan.json')}`,
      `pumphouse apply ${join(dir, 'plan.json')} -c ${configPath}`,
    ];
    const message = [
      `simulator ready (seed ${seed}); Ctrl-C stops it`,
      `  source       ${sim.source.profile.label}  ${sim.source.authUrl}`,
      `  destination  ${sim.destination.profile.label}  ${sim.destination.authUrl}`,
      ...(sim.fuel ? [`  fuel         ${sim.fuel.url}`] : []),
      `  ${tenants} tenants x ${serversPerTenant} servers generated in the source; admin/admin on both clouds`,
      `  config       ${configPath}`,
      `  manifest     ${manifestPath}`,
      'next:',
      ...next.map((c) => `  ${c}`),
    ].join('\n');
    emit(ctx.reporter, 'sim_ready', 'info', message, {
      url: sim.source.url,
      destination_url: sim.destination.url,
      ...(sim.fuel ? { fuel_url: sim.fuel.url } : {}),
      config_path: configPath,
      manifest_path: manifestPath,
      tenants,
    });
    await new Promise<void>((done) => {
      if (ctx.signal.aborted) return done();
      ctx.signal.addEventListener('abort', () => done(), { once: true });
    });
    emit(ctx.reporter, 'log', 'info', 'simulator stopped', { text: 'simulator stopped' });
  } finally {
    await sim.close();
  }
}
