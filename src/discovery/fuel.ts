import { emit, type Reporter } from '../events/index.js';
import type { FuelEnvironment, FuelInventory, FuelNode, FuelNodeLayout } from '../inventory/index.js';

/**
 * The read calls discovery makes on a Fuel master; `FuelClient` (src/fuel) has this shape.
 * Taking only these methods is what keeps Fuel discovery read-only: Nailgun lists are GETs
 * and never paginated, so Fuel costs 3 calls whatever the number of nodes (plus the version
 * probe and login made when the client was opened).
 */
export interface FuelReader {
  readonly callCount: number;
  clusters(o?: { readonly signal?: AbortSignal }): Promise<readonly FuelClusterFacts[]>;
  releases(o?: { readonly signal?: AbortSignal }): Promise<readonly FuelReleaseFacts[]>;
  nodes(o?: { readonly signal?: AbortSignal }): Promise<readonly FuelNodeFacts[]>;
  /** A node's NICs and the networks on them (read only for layout templates). */
  interfaces?(nodeId: number, o?: { readonly signal?: AbortSignal }): Promise<readonly FuelInterfaceFacts[]>;
  /** A node's disks and volume sizes (read only for layout templates). */
  disks?(nodeId: number, o?: { readonly signal?: AbortSignal }): Promise<readonly FuelNodeLayout['disks'][number][]>;
}

export interface FuelInterfaceFacts {
  readonly type: string;
  readonly name: string;
  readonly assignedNetworks: readonly { readonly name: string }[];
  readonly mode?: string;
  readonly slaves?: readonly string[];
}

export interface FuelClusterFacts {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly releaseId: number;
}

export interface FuelReleaseFacts {
  readonly id: number;
  readonly name: string;
  readonly version: string;
}

export interface FuelNodeFacts {
  readonly id: number;
  readonly hostname: string;
  readonly status: string;
  readonly online: boolean;
  readonly clusterId: number | null;
  readonly roles: readonly string[];
  readonly pendingRoles: readonly string[];
  readonly macs: readonly string[];
}

export interface FuelDiscoveryOptions {
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /**
   * The nodes whose disks and NIC mapping to read (the manifest's hosts copy them), chosen
   * from the inventory; 2 GETs each. None when absent or the reader cannot read them.
   */
  readonly layoutsOf?: (inventory: FuelInventory) => readonly number[];
}

/** Environments (with their release's name and version) and every node with its MACs. */
export async function discoverFuel(fuel: FuelReader, opts: FuelDiscoveryOptions = {}): Promise<FuelInventory> {
  const started = performance.now();
  emit(opts.reporter, 'discovery_start', 'info', 'discovering fuel', { cloud: 'fuel' });
  const o = opts.signal ? { signal: opts.signal } : {};
  const [clusters, releases, nodes] = await Promise.all([fuel.clusters(o), fuel.releases(o), fuel.nodes(o)]);
  const listed = fuelInventory(clusters, releases, nodes, { at: (opts.now?.() ?? new Date()).toISOString(), calls: fuel.callCount });
  const layouts = await readLayouts(fuel, opts.layoutsOf?.(listed) ?? [], o);
  const inventory: FuelInventory = layouts ? { ...listed, observed: { ...listed.observed!, calls: fuel.callCount }, layouts } : listed;
  const objects = inventory.environments.length + inventory.nodes.length;
  const elapsed = Math.round(performance.now() - started);
  emit(opts.reporter, 'discovery_complete', 'info', `fuel: ${objects} objects in ${fuel.callCount} calls (${elapsed} ms)`, {
    cloud: 'fuel',
    calls: fuel.callCount,
    objects,
    elapsed_ms: elapsed,
  });
  return inventory;
}

/** Pure mapping, tested with recorded shapes. */
export function fuelInventory(
  clusters: readonly FuelClusterFacts[],
  releases: readonly FuelReleaseFacts[],
  nodes: readonly FuelNodeFacts[],
  observed: { readonly at: string; readonly calls: number },
): FuelInventory {
  const releaseById = new Map(releases.map((r) => [r.id, r]));
  const environments: FuelEnvironment[] = clusters.map((c) => {
    const r = releaseById.get(c.releaseId);
    return { id: c.id, name: c.name, release: r ? `${r.name} (${r.version})` : String(c.releaseId), status: c.status };
  });
  const mapped: FuelNode[] = nodes.map((n) => ({
    id: n.id,
    hostname: n.hostname,
    status: n.status,
    online: n.online,
    clusterId: n.clusterId,
    roles: [...n.roles].sort(),
    pendingRoles: [...n.pendingRoles].sort(),
    macs: [...new Set(n.macs.map((m) => m.toLowerCase()))].sort(),
  }));
  return { observed, environments, nodes: mapped };
}

/** The layouts of `ids` by node id, in their names-only form; undefined when none is read. */
async function readLayouts(fuel: FuelReader, ids: readonly number[], o: { readonly signal?: AbortSignal }): Promise<Record<string, FuelNodeLayout> | undefined> {
  if (ids.length === 0 || !fuel.interfaces || !fuel.disks) return undefined;
  const out: Record<string, FuelNodeLayout> = {};
  for (const id of ids) {
    const [nics, disks] = await Promise.all([fuel.interfaces(id, o), fuel.disks(id, o)]);
    out[String(id)] = {
      interfaces: nics.map((i) => ({
        name: i.name,
        assignedNetworks: i.assignedNetworks.map((n) => n.name),
        ...(i.type === 'bond' ? { bond: { mode: i.mode ?? '', slaves: [...(i.slaves ?? [])] } } : {}),
      })),
      disks: disks.map((d) => ({ name: d.name, size: d.size, volumes: d.volumes.map((v) => ({ name: v.name, size: v.size })) })),
    };
  }
  return out;
}
