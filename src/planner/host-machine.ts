import type { FuelNode } from '../inventory/index.js';
import type { ObjectStatus, StateFile } from '../state/types.js';

/**
 * What an earlier run recorded about the machine behind `host[X]`: its MAC set (the unassign
 * step remembers it first, and reports it), and the ids Fuel gave it. Fuel deletes a removed
 * node's row and registers the wiped machine again as `node-<new id>`, so after an earlier run
 * the host's name no longer finds it: its MACs do.
 */
export interface RecordedMachine {
  /** Lower-case, sorted, unique. */
  readonly macs: readonly string[];
  readonly oldNodeId: number | null;
  readonly newNodeId: number | null;
  readonly status: ObjectStatus;
}

/** The state's record of the reassignment at `address` (finished steps' outputs, else the pending step's facts). */
export function recordedMachine(prior: StateFile | null, address: string): RecordedMachine | undefined {
  const o = prior?.objects.find((x) => x.address === address && x.kind === 'host_reassign');
  if (!o) return undefined;
  const data = o.pending?.data ?? {};
  const pick = (key: string): unknown => o.attributes[key] ?? data[key];
  const raw = pick('macs');
  const macs = typeof raw === 'string' ? raw.split(',') : Array.isArray(raw) ? raw.filter((m): m is string => typeof m === 'string') : [];
  const set = [...new Set(macs.map((m) => m.trim().toLowerCase()).filter((m) => m !== ''))].sort();
  if (set.length === 0) return undefined;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
  return {
    macs: set,
    oldNodeId: num(pick('old_node_id')),
    newNodeId: num(pick('new_node_id')) ?? num(o.destination_id),
    status: o.status,
  };
}

/** How the planner found the machine of a manifest host. */
export type FoundMachine =
  | { readonly by: 'name'; readonly node: FuelNode }
  | { readonly by: 'macs'; readonly node: FuelNode; readonly recorded: RecordedMachine }
  /** The state knows it, Fuel lists no node with its MACs now (removed, rebooting into bootstrap). */
  | { readonly by: 'state'; readonly recorded: RecordedMachine }
  /** More than one node carries the recorded MAC set: a broken inventory. */
  | { readonly by: 'shared-macs'; readonly nodes: readonly FuelNode[]; readonly recorded: RecordedMachine };

/**
 * The machine of host `name`: by the MAC set an earlier run recorded (whatever Fuel calls the
 * node now), else by exact hostname (then by short name), else only the state's record.
 */
export function findMachine(nodes: readonly FuelNode[], name: string, recorded: RecordedMachine | undefined): FoundMachine | undefined {
  if (recorded) {
    const byMacs = nodes.filter((n) => sameMacs(n.macs, recorded.macs));
    if (byMacs.length > 1) return { by: 'shared-macs', nodes: byMacs, recorded };
    if (byMacs[0]) return { by: 'macs', node: byMacs[0], recorded };
  }
  const byName = findNode(nodes, name);
  if (byName) return { by: 'name', node: byName };
  return recorded ? { by: 'state', recorded } : undefined;
}

export function findNode(nodes: readonly FuelNode[], name: string): FuelNode | undefined {
  return nodes.find((n) => n.hostname === name) ?? nodes.find((n) => n.hostname.split('.')[0] === name.split('.')[0]);
}

function sameMacs(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a.map((m) => m.toLowerCase()))].sort();
  return x.length === b.length && x.every((m, i) => m === b[i]);
}
