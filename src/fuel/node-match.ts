import { PumphouseError } from '../errors/index.js';
import { firstLabel, normalizeMac } from './normalize.js';
import type { FuelNode } from './types.js';

/**
 * True when `name` names this node. Exact, case-insensitive comparison only: a full name
 * (with dots) must equal the node's `fqdn`; a short name must equal the node's hostname
 * (the first label of its fqdn). Never a prefix or pattern: the original tool's pattern
 * search took `node-1` for `node-10`.
 */
export function nodeHasName(node: Pick<FuelNode, 'hostname' | 'fqdn'>, name: string): boolean {
  const wanted = name.trim().toLowerCase().replace(/\.$/, '');
  if (wanted === '') return false;
  if (wanted.includes('.')) return node.fqdn === wanted;
  return node.hostname === wanted || firstLabel(node.fqdn) === wanted;
}

/** The one node named `name` (see nodeHasName), or undefined. Two matches are an error: names must identify a host. */
export function pickNodeByName(nodes: readonly FuelNode[], name: string, master: string): FuelNode | undefined {
  const found = nodes.filter((n) => nodeHasName(n, name));
  if (found.length > 1) {
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `Fuel master ${master}: ${found.length} nodes are named ${JSON.stringify(name)} (ids ${found.map((n) => n.id).join(', ')}); name the host by its full name`,
      { source: 'cloud', details: { master, hostname: name, node_ids: found.map((n) => n.id) } },
    );
  }
  return found[0];
}

/** Lower-case, unique, sorted MAC set. */
export function macSet(macs: Iterable<string>): string[] {
  return [...new Set([...macs].map(normalizeMac).filter((m) => m !== ''))].sort();
}

/**
 * True when the node's interfaces carry exactly these MACs. A machine keeps its MACs when
 * Nailgun deletes and rediscovers it under a new id, so the set identifies the machine.
 */
export function hasMacs(node: Pick<FuelNode, 'macs'>, macs: Iterable<string>): boolean {
  const want = macSet(macs);
  return want.length > 0 && want.length === node.macs.length && want.every((m, i) => node.macs[i] === m);
}

/** The node with exactly this MAC set, or undefined (two would be a broken inventory: error). */
export function pickNodeByMacs(nodes: readonly FuelNode[], macs: Iterable<string>, master: string): FuelNode | undefined {
  const want = macSet(macs);
  const found = nodes.filter((n) => hasMacs(n, want));
  if (found.length > 1) {
    throw new PumphouseError('PH_PRECONDITION_FAILED', `Fuel master ${master}: nodes ${found.map((n) => n.id).join(', ')} share the MACs ${want.join(', ')}`, {
      source: 'cloud',
      details: { master, macs: want, node_ids: found.map((n) => n.id) },
    });
  }
  return found[0];
}
