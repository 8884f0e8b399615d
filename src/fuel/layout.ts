import { PumphouseError } from '../errors/index.js';
import type { FuelDisk, FuelInterface, FuelNetworkRef } from './types.js';

/** Which networks (by name) a NIC or bond carries. Names, not ids: ids differ per environment. */
export interface NicLayout {
  readonly name: string;
  readonly assignedNetworks: readonly string[];
  /** Present for a bond: its mode and the NICs it bonds. */
  readonly bond?: { readonly mode: string; readonly slaves: readonly string[] };
}

/** Volume sizes (MiB) of a disk, matched by disk name (`sda`). */
export interface DiskLayout {
  readonly name: string;
  readonly size?: number;
  readonly volumes: readonly { readonly name: string; readonly size: number }[];
}

/** The NIC layout of a template node (the original's `discovery` assignment plugin). */
export function nicLayoutOf(interfaces: readonly FuelInterface[]): NicLayout[] {
  return interfaces.map((i) => ({
    name: i.name,
    assignedNetworks: i.assignedNetworks.map((n) => n.name),
    ...(i.type === 'bond' ? { bond: { mode: i.mode ?? '', slaves: [...(i.slaves ?? [])] } } : {}),
  }));
}

/** The disk layout of a template node. */
export function diskLayoutOf(disks: readonly FuelDisk[]): DiskLayout[] {
  return disks.map((d) => ({ name: d.name, size: d.size, volumes: d.volumes.map((v) => ({ name: v.name, size: v.size })) }));
}

/**
 * The target node's interfaces with networks placed as `layout` says. Network names become
 * the ids the target already carries: after assignment Nailgun has put every network of the
 * environment on the node, and `PUT interfaces` must keep exactly that set. Throws
 * PH_PRECONDITION_FAILED (naming the node) when a NIC is missing, a network is unknown, placed
 * twice or left out.
 */
export function interfacesWithLayout(node: string, target: readonly FuelInterface[], layout: readonly NicLayout[]): FuelInterface[] {
  const fail = (msg: string): never => {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `Fuel node ${node}: ${msg}`, { source: 'user', details: { node } });
  };
  const available = new Map<string, FuelNetworkRef>();
  for (const i of target) for (const n of i.assignedNetworks) available.set(n.name, n);
  const nics = new Map(target.filter((i) => i.type === 'ether').map((i) => [i.name, i]));
  const placed = new Map<string, FuelNetworkRef[]>();
  const used = new Set<string>();
  for (const entry of layout) {
    if (!entry.bond && !nics.has(entry.name)) fail(`has no NIC ${entry.name} (it has ${[...nics.keys()].join(', ')})`);
    for (const slave of entry.bond?.slaves ?? []) if (!nics.has(slave)) fail(`bond ${entry.name} needs NIC ${slave}, which the node lacks`);
    const refs = entry.assignedNetworks.map((name) => {
      const ref = available.get(name) ?? fail(`network ${name} is not one of its environment's networks (${[...available.keys()].join(', ')})`);
      if (used.has(name)) fail(`network ${name} is placed on two interfaces`);
      used.add(name);
      return ref;
    });
    placed.set(entry.name, refs);
  }
  const missing = [...available.keys()].filter((n) => !used.has(n));
  if (missing.length > 0) fail(`the layout leaves network(s) ${missing.join(', ')} on no interface`);
  const bonded = new Set(layout.flatMap((l) => l.bond?.slaves ?? []));
  const out: FuelInterface[] = target.filter((i) => i.type === 'ether').map((i) => ({ ...i, assignedNetworks: bonded.has(i.name) ? [] : (placed.get(i.name) ?? []) }));
  for (const entry of layout) {
    if (!entry.bond) continue;
    out.push({
      id: undefined,
      type: 'bond',
      name: entry.name,
      mac: null,
      state: null,
      currentSpeed: null,
      maxSpeed: null,
      assignedNetworks: placed.get(entry.name) ?? [],
      mode: entry.bond.mode,
      slaves: [...entry.bond.slaves],
    });
  }
  return out;
}

/**
 * The target node's disks with volume sizes from `layout`, matched by disk name (each
 * target disk keeps its own `id`). Disks the layout does not name keep their volumes.
 * Throws PH_PRECONDITION_FAILED when a disk or volume is missing or the sizes do not fit.
 */
export function disksWithLayout(node: string, target: readonly FuelDisk[], layout: readonly DiskLayout[]): FuelDisk[] {
  const fail = (msg: string): never => {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `Fuel node ${node}: ${msg}`, { source: 'user', details: { node } });
  };
  const byName = new Map(layout.map((d) => [d.name, d]));
  for (const name of byName.keys()) if (!target.some((d) => d.name === name)) fail(`has no disk ${name} (it has ${target.map((d) => d.name).join(', ')})`);
  return target.map((disk) => {
    const want = byName.get(disk.name);
    if (!want) return disk;
    const known = new Set(disk.volumes.map((v) => v.name));
    for (const v of want.volumes) if (!known.has(v.name)) fail(`disk ${disk.name} has no volume ${v.name} for its roles (it has ${[...known].join(', ')})`);
    const sizes = new Map(want.volumes.map((v) => [v.name, v.size]));
    const volumes = disk.volumes.map((v) => ({ name: v.name, size: sizes.get(v.name) ?? 0 }));
    const total = volumes.reduce((s, v) => s + v.size, 0);
    if (total > disk.size) fail(`disk ${disk.name} has ${disk.size} MiB, the layout needs ${total} MiB`);
    return { ...disk, volumes };
  });
}
