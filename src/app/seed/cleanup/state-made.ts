import { actionId } from '../../../plan/index.js';
import type { StateFile } from '../../../state/index.js';
import type { CleanupKind } from './doomed.js';

/** Destination objects the state says apply created (not adopted), by cleanup kind. */
export type StateMade = ReadonlyMap<CleanupKind, ReadonlySet<string>>;

const KINDS: Readonly<Record<string, CleanupKind>> = {
  project: 'project',
  user: 'user',
  server: 'server',
  server_group: 'server_group',
  volume: 'volume',
  image: 'image',
  network: 'network',
  subnet: 'subnet',
  router: 'router',
  router_interface: 'router_interface',
  port: 'port',
  floating_ip: 'floating_ip',
  security_group: 'security_group',
  flavor: 'flavor',
};

/**
 * What the state records apply as having made in the destination: objects whose last action
 * was a `create` or a `migrate` (their action id is `actionId(address, create|migrate)`), with
 * a destination id, not deleted. Adopted objects (found by name, Neutron's default groups,
 * existing flavors) are left out: pumphouse did not make them and cleanup never deletes them.
 */
export function stateMade(state: StateFile | null): StateMade {
  const out = new Map<CleanupKind, Set<string>>();
  for (const o of state?.objects ?? []) {
    const kind = KINDS[o.kind];
    if (!kind || o.destination_id === null || o.status === 'deleted' || o.action_id === null) continue;
    if (o.action_id !== actionId(o.address, 'create') && o.action_id !== actionId(o.address, 'migrate')) continue;
    const set = out.get(kind) ?? new Set<string>();
    set.add(o.destination_id);
    out.set(kind, set);
  }
  return out;
}
