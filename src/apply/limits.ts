import { PumphouseError } from '../errors/index.js';
import type { Action, ResourceKind } from '../plan/index.js';
import { LIMIT_GROUPS, type ApplyLimits, type LimitGroup } from './types.js';

/** The limit group of each kind (the manifest's `concurrency` words). */
export const KIND_GROUP: { readonly [K in ResourceKind]: LimitGroup } = {
  project: 'identity',
  user: 'identity',
  role: 'identity',
  role_assignment: 'identity',
  password_hash: 'identity',
  admin_membership: 'identity',
  quota: 'tenant',
  keypair: 'tenant',
  owner_keypairs: 'tenant',
  security_group: 'tenant',
  security_group_rule: 'tenant',
  flavor: 'flavor',
  flavor_access: 'flavor',
  network: 'network',
  subnet: 'network',
  router: 'network',
  router_interface: 'network',
  rbac_policy: 'network',
  port: 'network',
  floating_ip: 'floating_ip',
  image: 'image',
  volume: 'volume',
  server_group: 'tenant',
  server: 'server',
  source_after: 'server',
  host_evacuate: 'host',
  host_reassign: 'host',
};

/** A named counting limit; an action or step holds one slot of each of its keys while it runs. */
export interface LimitKey {
  readonly key: string;
  readonly limit: number;
}

/**
 * The limits one action holds while it runs, besides `parallelism`:
 * - its group's limit, when one is set (`--limit server=4`, or `default`);
 * - one action per host for `host_evacuate`/`host_reassign` (`host:<name>`);
 * - one reassignment per Fuel environment, source and destination (`fuel-env:<id>`): each
 *   deploys its environment, and Nailgun runs one deployment of an environment at a time.
 */
export function actionKeys(action: Action, limits: ApplyLimits): LimitKey[] {
  const keys: LimitKey[] = [];
  const group = KIND_GROUP[action.kind];
  const groupLimit = limits[group] ?? limits.default;
  if (groupLimit !== undefined) keys.push({ key: `group:${group}`, limit: groupLimit });
  if (action.kind === 'host_evacuate' || action.kind === 'host_reassign') {
    keys.push({ key: `host:${action.host ?? action.address}`, limit: 1 });
  }
  if (action.kind === 'host_reassign') {
    for (const field of ['source_environment', 'destination_environment']) {
      const env = action.after?.[field];
      if (typeof env === 'number' || typeof env === 'string') keys.push({ key: `fuel-env:${env}`, limit: 1 });
    }
  }
  return dedupe(keys);
}

/** The limit a step holds while it runs: `transfer` steps share the `transfer` group's limit. */
export function stepKeys(step: string, limits: ApplyLimits): LimitKey[] {
  const limit = limits.transfer ?? limits.default;
  return step === 'transfer' && limit !== undefined ? [{ key: 'group:transfer', limit }] : [];
}

/** Checks limits given by an operator: known groups, whole numbers >= 1. PH_USAGE otherwise. */
export function checkLimits(limits: ApplyLimits, parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new PumphouseError('PH_USAGE', `--parallelism must be a whole number of at least 1, not ${parallelism}`);
  }
  for (const [group, n] of Object.entries(limits)) {
    if (group !== 'default' && !(LIMIT_GROUPS as readonly string[]).includes(group)) {
      throw new PumphouseError('PH_USAGE', `unknown limit group '${group}': use ${[...LIMIT_GROUPS, 'default'].join(', ')}`);
    }
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
      throw new PumphouseError('PH_USAGE', `the limit of ${group} must be a whole number of at least 1, not ${n}`);
    }
  }
}

/** Counting slots per key. Not a queue: the walk asks and retries when something finishes. */
export class Slots {
  readonly #used = new Map<string, number>();

  /** True when every key has a free slot. */
  free(keys: readonly LimitKey[]): boolean {
    return keys.every((k) => (this.#used.get(k.key) ?? 0) < k.limit);
  }

  take(keys: readonly LimitKey[]): void {
    for (const k of keys) this.#used.set(k.key, (this.#used.get(k.key) ?? 0) + 1);
  }

  give(keys: readonly LimitKey[]): void {
    for (const k of keys) {
      const n = (this.#used.get(k.key) ?? 0) - 1;
      if (n <= 0) this.#used.delete(k.key);
      else this.#used.set(k.key, n);
    }
  }
}

/**
 * Waits for free slots of `keys`, outside the walk's own scheduling (step-level limits).
 * FIFO among waiters so that no step starves.
 */
export class SlotGate {
  readonly #slots = new Slots();
  readonly #waiters: { keys: readonly LimitKey[]; go: () => void }[] = [];

  async run<T>(keys: readonly LimitKey[], work: () => Promise<T>): Promise<T> {
    if (keys.length === 0) return work();
    if (this.#waiters.length > 0 || !this.#slots.free(keys)) {
      await new Promise<void>((go) => this.#waiters.push({ keys, go }));
    } else {
      this.#slots.take(keys);
    }
    try {
      return await work();
    } finally {
      this.#slots.give(keys);
      this.#wake();
    }
  }

  #wake(): void {
    while (this.#waiters.length > 0 && this.#slots.free(this.#waiters[0]!.keys)) {
      const w = this.#waiters.shift()!;
      this.#slots.take(w.keys);
      w.go();
    }
  }
}

function dedupe(keys: LimitKey[]): LimitKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k.key) ? false : (seen.add(k.key), true)));
}
