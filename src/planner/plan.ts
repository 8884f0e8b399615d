import { fingerprint, type FuelInventory, type Inventory } from '../inventory/index.js';
import { PumphouseError } from '../errors/index.js';
import { ACTION_TYPES, PLAN_FORMAT_VERSION, hasChanges, summarize } from '../plan/index.js';
import { orderByDependencies } from '../plan/topo-order.js';
import type { Action, Observation, Plan } from '../plan/index.js';
import { createContext, type PlanContext } from './context.js';
import { detectDrift } from './drift.js';
import { planFlavors } from './flavor.js';
import { planFloatingIps } from './floating-ip.js';
import { planHosts } from './hosts.js';
import { planIdentity } from './identity.js';
import { planImages } from './image.js';
import type { PlanInput } from './input.js';
import { planKeypairs } from './keypair.js';
import { planNetworks } from './network.js';
import { planPorts } from './port.js';
import { planRbac } from './rbac.js';
import { planQuotas } from './quota.js';
import { resolveScope } from './scope.js';
import { planSecurityGroups } from './security-group.js';
import { applySelection } from './select.js';
import { planServers, selectMigratable } from './server.js';
import { planServerGroups } from './server-group.js';
import { planTenantScopes } from './tenant-scope.js';
import { planVolumes } from './volume.js';
import { byCodeUnits } from '../json/code-unit-order.js';

/**
 * The planner: a pure function of the desired state, both inventories, Fuel, the prior state
 * and the options (clock and ids injected) to a Plan. No I/O, no clock, no randomness: the
 * same input gives a deep-equal plan, with the same action ids in the same order.
 *
 * Objects already migrated (state id map, or the source-id marker on a destination object)
 * become `no-op` actions, so planning right after a complete apply shows no changes.
 * Problems in the input (unknown tenants or hosts in the manifest, flavors that clash...)
 * are error diagnostics that make the plan not applyable; the function itself only throws
 * PH_INTERNAL, for planner bugs (a dependency cycle, two actions at one address).
 */
export function plan(input: PlanInput): Plan {
  // Fingerprints first: hashing a 100,000-server inventory makes much short-lived text, which
  // costs less while the heap does not hold the plan yet.
  const step = input.onStep ?? ignoreStep;
  const observed = observations(input);
  step('fingerprints');
  const ctx = createContext(input);
  if (input.destination.capabilities.networkModel !== 'neutron') {
    ctx.draft.error('the destination runs nova-network; pumphouse migrates into Neutron destinations only');
  }
  resolveScope(ctx);
  selectMigratable(ctx);
  step('scope');
  planIdentity(ctx);
  step('identity');
  planQuotas(ctx);
  planFlavors(ctx);
  planKeypairs(ctx);
  step('quotas, flavors, keypairs');
  planSecurityGroups(ctx);
  step('security groups');
  const externals = planNetworks(ctx);
  planRbac(ctx);
  step('networks');
  planPorts(ctx);
  step('ports');
  planFloatingIps(ctx, externals);
  step('floating IPs');
  planImages(ctx);
  planVolumes(ctx);
  step('images, volumes');
  planServerGroups(ctx);
  planServers(ctx);
  step('servers');
  planTenantScopes(ctx);
  step('tenant scopes');
  planHosts(ctx);
  detectDrift(ctx);
  const { targets, excludes, impliedExcludes } = input.options;
  applySelection(ctx.draft, targets, excludes, impliedExcludes);
  step('hosts, drift, selection');
  return assemble(ctx, observed, step);
}

function ignoreStep(): void {}

const ACTION_RANK = new Map(ACTION_TYPES.map((a, i) => [a, i]));

function observations(input: PlanInput): Plan['observed'] {
  const at = input.options.createdAt;
  return {
    source: observe(input.source, at),
    destination: observe(input.destination, at),
    ...(input.fuel ? { fuel: observe(input.fuel, at) } : {}),
  };
}

function assemble(ctx: PlanContext, observed: Plan['observed'], step: (name: string) => void): Plan {
  const { options } = ctx.input;
  // By address then action type: the order the dependency order keeps among independent actions.
  const sorted = ctx.draft.actions.slice();
  sorted.sort(
    (a, b) =>
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
      ACTION_RANK.get(a.action)! - ACTION_RANK.get(b.action)!,
  );
  const n = sorted.length;
  for (let i = 0; i < n; i++) sorted[i]!.position = i;
  // Each action's dependencies as positions (for the order) and as sorted ids (depends_on):
  // the draft holds the actions themselves, so no id is looked up.
  const from = new Int32Array(n + 1);
  let listed = 0;
  for (let i = 0; i < n; i++) {
    listed += ctx.draft.dependencyCount(sorted[i]!);
    from[i + 1] = listed;
  }
  const to = new Int32Array(listed);
  for (let i = 0, k = 0; i < n; i++) {
    const w = sorted[i]!;
    const deps = ctx.draft.dependencies(w);
    // The list becomes the action's depends_on in place (it is sized exactly, and nothing reads
    // the draft's dependencies after this; a copy apiece was 50 MB more at the peak).
    const ids = deps as unknown as string[];
    for (let j = 0; j < deps.length; j++, k++) {
      const d = deps[j]!;
      if (d.position < 0) {
        throw new PumphouseError('PH_INTERNAL', `action ${w.id} (${w.address}) depends on unknown action ${d.id}`, { address: w.address });
      }
      to[k] = d.position;
      ids[j] = d.id;
    }
    w.entry.depends_on = sortedUnique(ids, w.id);
  }
  step('assemble: dependencies and sort');
  const order = orderByDependencies(n, from, to, (i) => sorted[i]!.address);
  const actions = new Array<Action>(n);
  for (let i = 0; i < n; i++) actions[i] = sorted[order[i]!]!.entry;
  step('assemble: topological order');
  // Errors first, then by address and text: independent of the order discovery listed things.
  const diagnostics = [...ctx.draft.diagnostics].sort(
    (a, b) =>
      Number(b.severity === 'error') - Number(a.severity === 'error') ||
      byCodeUnits(a.address ?? '', b.address ?? '') ||
      byCodeUnits(a.summary, b.summary) ||
      byCodeUnits(a.detail ?? '', b.detail ?? ''),
  );
  const errors = diagnostics.some((d) => d.severity === 'error');
  const excludes = [...options.excludes, ...(options.impliedExcludes ?? [])];
  const selected = options.targets.length > 0 || excludes.length > 0;
  const { prior } = ctx.input;
  const summary = summarize(actions);
  step('assemble: summary, diagnostics');
  return {
    format_version: PLAN_FORMAT_VERSION,
    pumphouse_version: options.toolVersion,
    plan_id: options.planId,
    created_at: options.createdAt,
    manifest: { path: options.manifest.path, sha256: options.manifest.sha256, text_sha256: options.manifest.text_sha256 },
    config: options.config,
    prior_state: prior ? { lineage: prior.lineage, serial: prior.serial } : null,
    observed,
    options: { targets: [...options.targets], excludes },
    actions,
    drift: ctx.drift,
    summary,
    diagnostics,
    applyable: !errors && hasChanges({ actions }),
    complete: !errors && !selected && ctx.draft.skipped === 0,
  };
}

const NO_IDS: readonly string[] = [];

/**
 * `given` sorted, without duplicates or `self`, in an array of exactly that size. `given` (the
 * draft's working list, or a copy with the tenant's gate) is sorted in place and not used
 * again; it is returned itself when nothing was removed (the draft sizes its lists exactly).
 */
function sortedUnique(given: readonly string[], self: string): readonly string[] {
  if (given.length === 0) return NO_IDS;
  const ids = given as string[];
  if (ids.length > SMALL) ids.sort();
  else if (ids.length > 1) sortSmall(ids);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id === self || (n > 0 && ids[n - 1] === id)) continue;
    ids[n++] = id;
  }
  if (n === 0) return NO_IDS;
  return n === ids.length ? ids : ids.slice(0, n);
}

// Array.prototype.sort makes ~600 bytes of working state per call whatever the length (36 MB
// at 1,000 tenants for these lists, most of two to six ids): short lists are sorted here.
const SMALL = 16;

/** Insertion sort by UTF-16 code units, as sort() orders strings. */
function sortSmall(ids: string[]): void {
  for (let i = 1; i < ids.length; i++) {
    const v = ids[i]!;
    let j = i - 1;
    while (j >= 0 && ids[j]! > v) {
      ids[j + 1] = ids[j]!;
      j--;
    }
    ids[j + 1] = v;
  }
}

function observe(inv: Inventory | FuelInventory, fallbackAt: string): Observation {
  return { fingerprint: fingerprint(inv), at: inv.observed?.at ?? fallbackAt, calls: inv.observed?.calls ?? 0 };
}
