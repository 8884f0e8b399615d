import type { IdentityDb } from '../identity-db/index.js';
import type { FuelInventory, Inventory } from '../inventory/index.js';
import type { DesiredState } from '../manifest/index.js';
import type { Cloud } from '../openstack/index.js';
import type { StateFile } from '../state/index.js';
import { CloudDiscovery, type CallReport, type DiscoveredCloud } from './cloud-discovery.js';
import { discoverFuel, type FuelReader } from './fuel.js';
import { layoutTemplateIds } from '../planner/host-layout.js';
import { destinationScope, everything, sourceProjects, sourceUsers } from './scope.js';
import type { DiscoveryNote, DiscoveryOptions } from './types.js';

export interface DiscoverInput {
  readonly source: Cloud;
  readonly destination: Cloud;
  readonly fuel?: FuelReader;
  /** The manifest: its tenants (and identity scope) bound the per-object reads. */
  readonly desired: DesiredState;
  /** The prior state: its id map also marks destination objects as in scope. */
  readonly prior: StateFile | null;
  readonly sourceIdentityDb?: IdentityDb;
  readonly destinationIdentityDb?: IdentityDb;
}

export interface Discovery {
  readonly source: Inventory;
  readonly destination: Inventory;
  readonly fuel?: FuelInventory;
  /** What discovery could not see or left out, source's then destination's. */
  readonly notes: readonly DiscoveryNote[];
  readonly calls: { readonly source: CallReport; readonly destination: CallReport; readonly fuel?: number };
}

/**
 * Discovers the source, the destination and Fuel side by side, read-only (GET and HEAD
 * only; see read-only.ts). Bulk lists run first on both clouds and Fuel at once; then the
 * source's scope (the manifest's tenants, their members and server owners) is worked out,
 * the destination's follows from it (markers, prior state, names), and both clouds' per-object
 * reads run at once. The first failure rejects (an unreachable cloud, a refused call).
 */
export async function discover(input: DiscoverInput, given: DiscoveryOptions = {}): Promise<Discovery> {
  // The operator's setting (manifest `concurrency.discovery`) unless the caller chose one.
  const concurrency = given.concurrency ?? input.desired.concurrency?.discovery;
  const options: DiscoveryOptions = concurrency === undefined ? given : { ...given, concurrency };
  // The nodes the manifest's hosts copy their disks and NIC mapping from: read now, so the
  // plan shows (and apply checks) the layout a reassigned node gets.
  const layoutsOf = (inventory: FuelInventory) => layoutTemplateIds(input.desired.hosts, inventory);
  const fuel = input.fuel ? discoverFuel(input.fuel, { ...options, layoutsOf }) : undefined;
  // Settled at the end, so a failing cloud does not leave Fuel's rejection unhandled.
  fuel?.catch(() => undefined);
  const [src, dst] = await Promise.all([
    // The source's quotas (one Nova and one Cinder read per tenant: most of the calls at
    // scale) start as soon as its projects are listed, while servers and ports still page.
    CloudDiscovery.begin(input.source, { role: 'source', ...(input.sourceIdentityDb ? { identityDb: input.sourceIdentityDb } : {}) }, options, (projects) =>
      sourceProjects(input.desired, projects),
    ),
    CloudDiscovery.begin(input.destination, { role: 'destination', ...(input.destinationIdentityDb ? { identityDb: input.destinationIdentityDb } : {}) }, options),
  ]);

  const srcProjects = sourceProjects(input.desired, src.survey.projects);
  const srcAssignments = await src.assignments(srcProjects);
  const srcUsers = sourceUsers(input.desired, srcProjects, src.survey.users, srcAssignments, src.survey.servers);
  const dstScope = destinationScope(
    { projects: src.survey.projects.filter((p) => srcProjects.has(p.id)), users: src.survey.users.filter((u) => srcUsers.has(u.id)) },
    dst.survey.projects,
    dst.survey.users,
    input.prior,
  );
  const dstAssignments = await dst.assignments(dstScope.projectIds);

  const [source, destination, fuelInventory] = await Promise.all([
    src.finish({ projectIds: srcProjects, userIds: srcUsers }, srcAssignments),
    dst.finish(dstScope, dstAssignments),
    fuel,
  ]);
  return {
    source: source.inventory,
    destination: destination.inventory,
    ...(fuelInventory ? { fuel: fuelInventory } : {}),
    notes: [...source.notes, ...destination.notes],
    calls: { source: source.calls, destination: destination.calls, ...(input.fuel ? { fuel: input.fuel.callCount } : {}) },
  };
}

/**
 * One cloud on its own, every project and user in scope (no manifest): what `discover`
 * does for each cloud, for tools and tests that look at a single cloud.
 */
export async function discoverCloud(
  cloud: Cloud,
  target: { readonly role: 'source' | 'destination'; readonly identityDb?: IdentityDb },
  options: DiscoveryOptions = {},
): Promise<DiscoveredCloud> {
  const d = await CloudDiscovery.begin(cloud, target, options, (projects) => new Set(projects.map((p) => p.id)));
  const scope = everything(d.survey.projects, d.survey.users);
  return d.finish(scope, await d.assignments(scope.projectIds));
}
