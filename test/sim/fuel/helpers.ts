import { startFuelSimulator, type FuelSimulator, type FuelSimulatorOptions } from '../../../src/sim/fuel/index.js';

/** Raw HTTP against the simulator, to check the wire itself (bare-string errors and all). */
export interface RawReply {
  readonly status: number;
  readonly text: string;
  readonly contentType: string;
  json(): unknown;
}

export async function token(sim: FuelSimulator): Promise<string> {
  const res = await fetch(`${sim.url}/keystone/v2.0/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { tenantName: 'admin', passwordCredentials: { username: 'admin', password: 'admin' } } }),
  });
  const doc = (await res.json()) as { access: { token: { id: string } } };
  return doc.access.token.id;
}

export async function raw(sim: FuelSimulator, method: string, path: string, opts: { body?: unknown; token?: string; contentType?: string } = {}): Promise<RawReply> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['x-auth-token'] = opts.token;
  if (opts.body !== undefined || opts.contentType) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${sim.url}${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  const text = await res.text();
  return { status: res.status, text, contentType: res.headers.get('content-type') ?? '', json: () => JSON.parse(text) as unknown };
}

/** A fake cloud that records the simulator's compute-host calls. */
export function recordingCloud(): { calls: string[]; addComputeHost(name: string): void; removeComputeHost(name: string): void } {
  const calls: string[] = [];
  return {
    calls,
    addComputeHost: (name) => calls.push(`add ${name}`),
    removeComputeHost: (name) => calls.push(`remove ${name}`),
  };
}

/** Two environments (source-env, destination-env), each with a controller and computes; times scaled down. */
export async function twoEnvironments(extra: Partial<FuelSimulatorOptions> = {}): Promise<{ sim: FuelSimulator; src: ReturnType<typeof recordingCloud>; dst: ReturnType<typeof recordingCloud> }> {
  const src = recordingCloud();
  const dst = recordingCloud();
  const sim = await startFuelSimulator({
    seed: 42,
    environments: [
      { name: 'source-env', cloud: src },
      { name: 'destination-env', cloud: dst },
    ],
    nodes: [
      { hostname: 'node-1', environment: 'source-env', roles: ['controller'] },
      { hostname: 'node-2', environment: 'source-env' },
      { hostname: 'node-3', environment: 'destination-env', roles: ['controller'] },
      { hostname: 'node-4', environment: 'destination-env' },
      { hostname: 'node-5' },
    ],
    knobs: { timeScale: 0.01 },
    ...extra,
  });
  return { sim, src, dst };
}
