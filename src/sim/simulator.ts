import { generate, type GeneratedCloud, type GeneratorOptions } from './generator/index.js';
import type { SimKnobs } from './knobs.js';
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
}

/** A source and a destination cloud, each on its own port. */
export interface Simulator {
  readonly seed: number;
  readonly source: SimCloud;
  readonly destination: SimCloud;
  /** What the generator made in the source (empty when `generate` was not given). */
  readonly generated: GeneratedCloud;
  close(): Promise<void>;
}

export const DEFAULT_SOURCE: CloudSpec = { release: 'juno', network: 'nova-network:flatdhcp' };
export const DEFAULT_DESTINATION: CloudSpec = { release: 'modern', network: 'neutron' };

/** Starts a source and a destination cloud. Close it to free the ports and timers. */
export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const common = { seed, ...(opts.knobs ? { knobs: opts.knobs } : {}), ...(opts.host ? { host: opts.host } : {}) };
  const source = await SimCloud.start({ ...common, name: 'source', spec: opts.source ?? DEFAULT_SOURCE });
  let destination: SimCloud;
  try {
    destination = await SimCloud.start({ ...common, name: 'destination', spec: opts.destination ?? DEFAULT_DESTINATION });
  } catch (err) {
    await source.close();
    throw err;
  }
  let generated: GeneratedCloud = { tenants: [], counts: {} };
  try {
    if (opts.generate) generated = await generate(source.store, opts.generate);
  } catch (err) {
    await Promise.all([source.close(), destination.close()]);
    throw err;
  }
  return {
    seed,
    source,
    destination,
    generated,
    close: async () => {
      await Promise.all([source.close(), destination.close()]);
    },
  };
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
