import { byCodeUnits } from '../../../json/code-unit-order.js';

/** What cleanup may delete, in the order it deletes them (dependents first). */
export const CLEANUP_ORDER = [
  'server',
  'server_group',
  'floating_ip',
  'port',
  'router_interface',
  'router',
  'subnet',
  'network',
  'security_group',
  'volume',
  'image',
  'flavor',
  'user',
  'project',
] as const;

export type CleanupKind = (typeof CLEANUP_ORDER)[number];

/** One object cleanup found to be ours, and why it counts as ours. */
export interface Doomed {
  readonly kind: CleanupKind;
  readonly id: string;
  readonly name: string;
  /** Project it lives in, when it lives in one. */
  readonly projectId?: string;
  /**
   * `setup marker`, `pumphouse marker` (a copy apply made), `state` (apply recorded creating
   * it), `in a project of ours` (it lives in a project cleanup deletes), `the project's
   * default group` (Neutron's own, kept after the project otherwise).
   */
  readonly why: string;
  /** Kind-specific coordinates: the router of an interface, a nova-network floating IP's address. */
  readonly detail?: Readonly<Record<string, string>>;
}

/** Sorted in deletion order, then by name and id (stable output). */
export function inDeletionOrder(items: readonly Doomed[]): Doomed[] {
  const rank = new Map<string, number>(CLEANUP_ORDER.map((k, i) => [k, i]));
  return [...items].sort((a, b) => rank.get(a.kind)! - rank.get(b.kind)! || byCodeUnits(a.name, b.name) || byCodeUnits(a.id, b.id));
}
