import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { MasterKeystone } from './keystone.js';
import { hostnameOf } from './model.js';
import type { FuelSimFault, FuelSimNodeView, FuelSimulator, FuelSimulatorOptions } from './options.js';
import { prng } from './prng.js';
import { defaultNodeSeeds, seedWorld } from './seed.js';
import { handleRequest, type MasterState } from './server.js';
import { FuelWorld } from './world.js';

const DEFAULTS = { provisionMs: 6_000, deployMs: 9_000, removeMs: 3_000, rediscoverMs: 4_000, timeScale: 1, tokenTtlMs: 3_600_000 };

/**
 * Starts a simulated Fuel master (Nailgun 6.0 API and the master's Keystone v2.0) on
 * 127.0.0.1 and a free port. Same options and seed, same MACs, ids and answers. Nodes move
 * through Nailgun's lifecycle on simulated time: unassign + deploy changes deletes a node,
 * and after `rediscoverMs` its machine registers again under a NEW id in `discover` with the
 * same MACs; assign + deploy changes provisions, deploys and makes it `ready`, calling the
 * environment's `cloud.addComputeHost` (and `removeComputeHost` when a compute node leaves).
 */
export async function startFuelSimulator(opts: FuelSimulatorOptions): Promise<FuelSimulator> {
  const knobs = { ...DEFAULTS, ...opts.knobs };
  const scaled = (ms: number): number => Math.max(1, Math.round(ms * knobs.timeScale));
  const random = prng(opts.seed ?? 1);
  const fuelVersion = opts.fuelVersion ?? '6.0';
  const world = new FuelWorld(
    random,
    { provisionMs: scaled(knobs.provisionMs), deployMs: scaled(knobs.deployMs), removeMs: scaled(knobs.removeMs), rediscoverMs: scaled(knobs.rediscoverMs) },
    { fuelVersion },
    () => performance.now(),
  );
  seedWorld(world, opts.environments, opts.nodes ?? defaultNodeSeeds(opts.environments));
  const credentials = { username: 'admin', password: 'admin', tenantName: 'admin' };
  const closing = new AbortController();
  const state: MasterState = {
    world,
    keystone: new MasterKeystone(credentials.username, credentials.password, credentials.tenantName, random, knobs.tokenTtlMs),
    authRequired: opts.authRequired ?? true,
    fuelVersion,
    faults: [],
    log: [],
    internalErrors: [],
    closing: closing.signal,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handleRequest(state, req, res).catch((err: unknown) => {
      state.internalErrors.push(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('internal server error');
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const clusterName = (id: number | null): string | null => (id === null ? null : (world.clusters.get(id)?.name ?? null));

  return {
    url: `http://${host}:${port}`,
    credentials: { host, port, ...credentials },
    nodes(): FuelSimNodeView[] {
      world.scheduler.advance();
      return [...world.nodes.values()].map((n) => ({
        id: n.id,
        name: n.name,
        hostname: hostnameOf(n),
        fqdn: n.fqdn,
        mac: n.machine.nics[0]?.mac ?? '',
        macs: n.machine.nics.map((x) => x.mac).sort(),
        status: n.status,
        online: n.online,
        clusterId: n.clusterId,
        environment: clusterName(n.clusterId),
        roles: [...n.roles],
        pendingRoles: [...n.pendingRoles],
        pendingAddition: n.pendingAddition,
        pendingDeletion: n.pendingDeletion,
        progress: world.nodeTask.has(n.id) ? world.taskProgress(world.nodeTask.get(n.id)!) : n.progress,
        errorType: n.errorType,
      }));
    },
    clusters: () => {
      world.scheduler.advance();
      return [...world.clusters.values()].map((c) => ({ id: c.id, name: c.name, status: c.status }));
    },
    requests: () => state.log,
    injectFault(fault: FuelSimFault): void {
      state.faults.push({ ...fault, left: fault.times ?? 1 });
    },
    failNext(mac: string, phase: 'provision' | 'deploy' | 'deletion'): void {
      const wanted = mac.toLowerCase();
      const machine = [...world.nodes.values()].map((n) => n.machine).find((m) => m.nics.some((x) => x.mac === wanted));
      if (!machine) throw new Error(`fuel simulator: no machine has MAC ${mac}`);
      machine.failNext = phase;
    },
    revokeTokens: () => state.keystone.revokeAll(),
    get loginCount() {
      return state.keystone.loginCount;
    },
    async settle(): Promise<void> {
      await world.scheduler.settle();
      if (state.internalErrors.length > 0) throw state.internalErrors[0];
    },
    async close(): Promise<void> {
      closing.abort();
      world.scheduler.close();
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
