import { generate, type GeneratedCloud, type GeneratorOptions } from './generator/index.js';
import type { SimKnobs } from './knobs.js';
import { startFuelSimulator, type FuelSimKnobs, type FuelSimNodeSeed, type FuelSimulator } from './fuel/index.js';
import { SimCloud, type CloudSpec } from './cloud/sim-cloud.js';

export interface SimOptions {
  /** Everything random derives from it; default 1. */
  readonly seed?: number;
  /** Default juno:nova-network:flatdhcp. */
  readonly source?: CloudSpec;
  /** Default modern:neutron. */
  readonly destination?: CloudSpec;
  /** Knobs for both clouds at start. */
  readonly knobs?: Partial<SimKnobs>;
  /** Listen address; default 127.0.0.1. */
  readonly host?: string;
  /** Tenants and resources to generate in the source cloud. */
  readonly generate?: GeneratorOptions;
  /**
   * Also start a Fuel master with environments `source-env` (the source cloud's compute hosts
   * deployed in it) and `destination-env` (the destination's), wired so that deploying or
   * removing a compute node adds or removes that host in the mapped cloud. Compute hosts are
   * then named like Fuel names them (`node-N`) unless the specs name them.
   */
  readonly fuel?: boolean | FuelSpec;
}

export interface FuelSpec {
  readonly port?: number;
  readonly knobs?: FuelSimKnobs;
}

/** A source and a destination cloud, each on its own port. */
export interface Simulator {
  readonly seed: number;
  readonly source: SimCloud;
  readonly destination: SimCloud;
  /** What the generator made in the source (empty when `generate` was not given). */
  readonly generated: GeneratedCloud;
  readonly fuel: FuelSimulator | undefined;
  close(): Promise<void>;
}

export const DEFAULT_SOURCE: CloudSpec = { release: 'juno', network: 'nova-network:flatdhcp' };
export const DEFAULT_DESTINATION: CloudSpec = { release: 'modern', network: 'neutron' };

/** Starts a source and a destination cloud. Close it to free the ports and timers. */
export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const common = { seed, ...(opts.knobs ? { knobs: opts.knobs } : {}), ...(opts.host ? { host: opts.host } : {}) };
  let sourceSpec = opts.source ?? DEFAULT_SOURCE;
  let destinationSpec = opts.destination ?? DEFAULT_DESTINATION;
  if (opts.fuel) {
    // Fuel names nodes node-<id>: node-1 is the source controller, then its computes, then the destination's.
    const n = (first: number, count: number) => Array.from({ length: count }, (_, i) => `node-${first + i}`);
    const srcCount = sourceSpec.computeHosts?.length ?? 2;
    if (!sourceSpec.computeHosts) sourceSpec = { ...sourceSpec, computeHosts: n(2, srcCount) };
    if (!destinationSpec.computeHosts) destinationSpec = { ...destinationSpec, computeHosts: n(srcCount + 3, 2) };
  }
  const started: Array<{ close(): Promise<void> }> = [];
  const closeAll = () => Promise.all(started.map((s) => s.close())).then(() => undefined);
  try {
    const source = await SimCloud.start({ ...common, name: 'source', spec: sourceSpec });
    started.push(source);
    const destination = await SimCloud.start({ ...common, name: 'destination', spec: destinationSpec });
    started.push(destination);
    const generated: GeneratedCloud = opts.generate ? await generate(source.store, opts.generate) : { tenants: [], counts: {} };
    const fuel = opts.fuel ? await startFuel(seed, opts.fuel === true ? {} : opts.fuel, source, destination) : undefined;
    if (fuel) started.push(fuel);
    return { seed, source, destination, generated, fuel, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function fuelRelease(cloud: SimCloud): string | undefined {
  return cloud.profile.release === 'havana' || cloud.profile.release === 'icehouse' ? 'Icehouse on Ubuntu 12.04.4' : undefined;
}

function startFuel(seed: number, spec: FuelSpec, source: SimCloud, destination: SimCloud): Promise<FuelSimulator> {
  const hosts = (cloud: SimCloud) => cloud.store.computeServices.filter((s) => s.binary === 'nova-compute').map((s) => s.host);
  const nodes: FuelSimNodeSeed[] = [];
  for (const [env, cloud] of [['source-env', source], ['destination-env', destination]] as const) {
    nodes.push({ hostname: `node-${nodes.length + 1}`, environment: env, roles: ['controller'] });
    for (const h of hosts(cloud)) nodes.push({ hostname: h, environment: env, roles: ['compute'] });
  }
  const env = (name: string, cloud: SimCloud) => ({
    name,
    ...(fuelRelease(cloud) ? { release: fuelRelease(cloud)! } : {}),
    netProvider: cloud.profile.neutron ? ('neutron' as const) : ('nova_network' as const),
    cloud: { addComputeHost: (h: string) => cloud.addComputeHost(h), removeComputeHost: (h: string) => void cloud.removeComputeHost(h) },
  });
  return startFuelSimulator({
    seed,
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    ...(spec.knobs ? { knobs: spec.knobs } : {}),
    environments: [env('source-env', source), env('destination-env', destination)],
    nodes,
  });
}

/** One cloud alone (contract tests of one profile). */
export function startSimCloud(spec: CloudSpec, options: { readonly name?: string; readonly seed?: number; readonly knobs?: Partial<SimKnobs>; readonly host?: string } = {}): Promise<SimCloud> {
  return SimCloud.start({
    name: options.name ?? 'sim',
    spec,
    seed: options.seed ?? 1,
    ...(options.knobs ? { knobs: options.knobs } : {}),
    ...(options.host ? { host: options.host } : {}),
  });
}
