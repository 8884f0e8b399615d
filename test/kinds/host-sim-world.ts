/**
 * What the host kinds' simulator tests share: a source and a destination cloud with Fuel
 * (startSimulator `fuel: true`: source-env holds node-2/node-3, destination-env node-5/node-6,
 * each wired to its cloud's compute hosts), clients opened as a real apply opens them, plans
 * with the host actions the planner would write, and applyPlan with the host kinds.
 *
 * The clouds are opened compute-only (Session + ComputeClient): the host kinds touch nothing
 * else, and the tests then do not depend on the other simulated services.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyResult } from '../../src/apply/index.js';
import { MemoryReporter, type Reporter } from '../../src/events/index.js';
import { openFuel, type FuelClient, type FuelCredentials, type FuelNode } from '../../src/fuel/index.js';
import type { CloudAccess } from '../../src/kinds/contract.js';
import { hostKinds, type HostKindOptions } from '../../src/kinds/host/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { ComputeClient, Session, type Cloud } from '../../src/openstack/index.js';
import type { Attributes, Plan } from '../../src/plan/index.js';
import { startSimulator, type SimCloud, type SimOptions, type Simulator } from '../../src/sim/index.js';
import { TestPlan, writeTestPlan } from '../apply/fixtures/plans.js';

/** A Cloud with only its compute client (what the host kinds use). */
export async function computeOnly(url: string, admin: { username: string; password: string; projectName: string }, name: string): Promise<Cloud> {
  const session = await Session.login({ authUrl: url, username: admin.username, password: admin.password, projectName: admin.projectName }, { name, retry: { attempts: 2 } });
  const compute = await ComputeClient.open(session);
  return { session, compute, close: () => session.close() } as unknown as Cloud;
}

/** CloudAccess opened lazily from URLs (what the apply child does too). */
export interface WorldUrls {
  readonly source: string;
  readonly destination: string;
  readonly admin: { readonly username: string; readonly password: string; readonly projectName: string };
  readonly fuel: { readonly url: string; readonly credentials: FuelCredentials };
}

export function openAccess(urls: WorldUrls): CloudAccess & { close(): Promise<void> } {
  const opened: Array<Promise<{ close(): Promise<void> }>> = [];
  const once = <T extends { close(): Promise<void> }>(make: () => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => {
      if (!p) {
        p = make();
        opened.push(p);
      }
      return p;
    };
  };
  const source = once(() => computeOnly(urls.source, urls.admin, 'source'));
  const destination = once(() => computeOnly(urls.destination, urls.admin, 'destination'));
  const fuel = once(() => openFuel(urls.fuel.credentials, { retry: { attempts: 2 } }));
  return {
    source,
    destination,
    scoped: () => Promise.reject(new Error('host kinds never act inside a project')),
    fuel,
    async close() {
      for (const p of opened) await (await p).close().catch(() => undefined);
    },
  };
}

export interface HostWorld {
  readonly sim: Simulator;
  readonly source: SimCloud;
  readonly destination: SimCloud;
  readonly access: CloudAccess & { close(): Promise<void> };
  readonly fuel: FuelClient;
  readonly dir: string;
  readonly statePath: string;
  /** URLs and credentials for a child process. */
  readonly urls: WorldUrls;
  close(): Promise<void>;
}

/** Starts the simulator with Fuel; `fuelTimeScale` scales Fuel's phases (removal, rediscovery, provisioning, deployment). */
export async function hostWorld(opts: { fuelTimeScale?: number; source?: SimOptions['source']; generate?: SimOptions['generate'] } = {}): Promise<HostWorld> {
  const sim = await startSimulator({
    fuel: { knobs: { timeScale: opts.fuelTimeScale ?? 0.02 } },
    source: opts.source ?? { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' },
    destination: { release: 'modern', network: 'neutron', hashCost: 'fast' },
    knobs: { timeScale: 0.01 },
    ...(opts.generate ? { generate: opts.generate } : {}),
  });
  const urls: WorldUrls = {
    source: sim.source.authUrl,
    destination: sim.destination.authUrl,
    admin: { username: sim.source.admin.username, password: sim.source.admin.password, projectName: sim.source.admin.projectName },
    fuel: { url: sim.fuel!.url, credentials: sim.fuel!.credentials },
  };
  const access = openAccess(urls);
  const fuel = await access.fuel();
  const dir = mkdtempSync(join(tmpdir(), 'ph-host-'));
  return {
    sim,
    source: sim.source,
    destination: sim.destination,
    access,
    fuel,
    dir,
    statePath: join(dir, 'state.json'),
    urls,
    async close() {
      await access.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The node named `hostname` (exact) in Fuel. */
export async function fuelNode(w: HostWorld, hostname: string): Promise<FuelNode> {
  const n = await w.fuel.findNodeByHostname(hostname);
  if (!n) throw new Error(`test: no Fuel node ${hostname}`);
  return n;
}

/** `after` of a host_reassign as the planner writes it (src/planner/hosts.ts). */
export async function reassignAfter(w: HostWorld, hostname: string, layout: Attributes = { kind: 'plugin' }): Promise<Attributes> {
  const node = await fuelNode(w, hostname);
  const dst = await w.fuel.clusterByName('destination-env');
  return {
    node_id: node.id,
    hostname: node.hostname,
    macs: [...node.macs],
    source_environment: node.clusterId,
    destination_environment: dst!.id,
    destination_environment_name: 'destination-env',
    roles: ['compute'],
    layout,
  };
}

/** A plan evacuating (optionally) and reassigning `hostname`, as the planner orders them. */
export async function hostPlan(w: HostWorld, hostname: string, opts: { evacuate?: boolean; layout?: Attributes; planId?: string; timeouts?: Attributes } = {}): Promise<Plan> {
  const plan = new TestPlan();
  const deps: string[] = [];
  if (opts.evacuate ?? true) {
    deps.push(
      plan.add({
        address: `host[${hostname}].evacuation`,
        kind: 'host_evacuate',
        action: 'evacuate',
        host: hostname,
        sourceId: hostname,
        after: { host: hostname, servers: [], ...(opts.timeouts ? { timeouts: opts.timeouts } : {}) },
      }),
    );
  }
  const after = await reassignAfter(w, hostname, opts.layout);
  plan.add({
    address: `host[${hostname}]`,
    kind: 'host_reassign',
    action: 'reassign',
    host: hostname,
    sourceId: String(after['node_id']),
    deps,
    after: { ...after, ...(opts.timeouts ? { timeouts: opts.timeouts } : {}) },
  });
  return plan.build(opts.planId ? { planId: opts.planId } : {});
}

/** Applies `plan` in this process with the host kinds. */
export async function applyHosts(w: HostWorld, plan: Plan, opts: { reporter?: Reporter; kinds?: HostKindOptions; name?: string } = {}): Promise<{ result: ApplyResult; reporter: MemoryReporter | Reporter }> {
  const { path } = await writeTestPlan(plan, w.dir, opts.name ?? 'plan.json');
  return applyFile(w, path, opts);
}

export async function applyFile(w: HostWorld, planPath: string, opts: { reporter?: Reporter; kinds?: HostKindOptions } = {}): Promise<{ result: ApplyResult; reporter: MemoryReporter | Reporter }> {
  const reporter = opts.reporter ?? new MemoryReporter();
  const result = await applyPlan({
    planPath,
    statePath: w.statePath,
    registry: kindRegistry({ handlers: hostKinds({ pollIntervalMs: 10, maxPollIntervalMs: 50, ...opts.kinds }) }),
    clouds: w.access,
    reporter,
  });
  return { result, reporter };
}
