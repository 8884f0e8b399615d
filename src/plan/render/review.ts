import { IdPositions } from '../id-positions.js';
import { RESOURCE_KINDS } from '../kinds.js';
import type { Action, Plan } from '../types.js';
import { byCodeUnits } from '../../json/code-unit-order.js';

/** One section of the per-object listing. */
export interface Group {
  /** `tenant`, `host` or `global`. */
  readonly type: 'tenant' | 'host' | 'global';
  /** Tenant or host name; empty for global. */
  readonly name: string;
  readonly actions: readonly Action[];
}

/** What every renderer shows, computed once: risky actions and the grouped listing. */
export interface Review {
  readonly plan: Plan;
  /** Address of an action id (for `$ref` and depends_on), or the id itself when unknown. */
  readonly addressOf: (id: string) => string;
  /** Actions that change something, in plan order. */
  readonly changes: readonly Action[];
  readonly unchanged: number;
  /** Host reprovisioning first, then the rest in plan order. */
  readonly irreversible: readonly Action[];
  /** Destructive but not irreversible. */
  readonly destructive: readonly Action[];
  /** With downtime, neither destructive nor irreversible (each action is listed once). */
  readonly downtime: readonly Action[];
  /** Tenants by name, then hosts by name, then global objects. */
  readonly groups: readonly Group[];
  /** Action warnings with the same text grouped: text -> addresses. */
  readonly warnings: ReadonlyMap<string, readonly string[]>;
}

const KIND_ORDER = new Map(RESOURCE_KINDS.map((k, i) => [k, i]));

/** Builds the review model of a plan (pure, deterministic). */
export function buildReview(plan: Plan): Review {
  // Built on the first lookup: a rendering without details never resolves an id. The table
  // holds the planner's 12-hex ids as numbers (a Map of 600,000 id strings chased them over
  // the heap); filled from the end, so that of two equal ids the later one answers, as a Map
  // built in plan order would.
  let positions: IdPositions | undefined;
  const addressOf = (id: string): string => {
    if (!positions) {
      positions = new IdPositions(plan.actions.length);
      for (let i = plan.actions.length - 1; i >= 0; i--) positions.add(plan.actions[i]!.id, i);
    }
    const at = positions.get(id);
    return at < 0 ? id : plan.actions[at]!.address;
  };
  // One walk over the actions (a read plan's actions come in many shapes: every member read
  // is a slow lookup, so each is read once): changes, each risky one in its worst category,
  // the groups, and the warnings of every action (no-ops too).
  const changes: Action[] = [];
  const irreversibleHosts: Action[] = [];
  const irreversibleOther: Action[] = [];
  const destructive: Action[] = [];
  const downtime: Action[] = [];
  const tenants = new Map<string, Action[]>();
  const hosts = new Map<string, Action[]>();
  const global: Action[] = [];
  const warnings = new Map<string, string[]>();
  for (const a of plan.actions) {
    const ws = a.warnings;
    if (ws) for (const w of ws) push(warnings, w, a.address);
    if (a.action === 'no-op') continue;
    changes.push(a);
    const impact = a.impact;
    if (impact.irreversible) (a.kind === 'host_reassign' ? irreversibleHosts : irreversibleOther).push(a);
    else if (impact.destructive) destructive.push(a);
    else if (impact.downtime) downtime.push(a);
    const tenant = a.tenant;
    if (tenant !== undefined) push(tenants, tenant, a);
    else if (a.host !== undefined) push(hosts, a.host, a);
    else global.push(a);
  }
  const irreversible = irreversibleHosts.length === 0 ? irreversibleOther : [...irreversibleHosts, ...irreversibleOther];
  // Kind order reads like the migration; a revoke closes its group, as it closes the work.
  // Each group's list is in plan order already: bucketing by rank keeps that order within a
  // rank, which is what sorting by (rank, plan position) gives, without a sort per group.
  const sorted = (list: readonly Action[]): Action[] => {
    const buckets: Action[][] = [];
    for (const a of list) {
      const r = a.action === 'revoke' ? RESOURCE_KINDS.length : KIND_ORDER.get(a.kind)!;
      (buckets[r] ??= []).push(a);
    }
    return buckets.length === 1 && buckets[0] ? buckets[0] : buckets.flat();
  };
  const byName = <T>(m: Map<string, T>): [string, T][] => [...m.entries()].sort(([a], [b]) => byCodeUnits(a, b));
  const groups: Group[] = [
    ...byName(tenants).map(([name, list]) => ({ type: 'tenant' as const, name, actions: sorted(list) })),
    ...byName(hosts).map(([name, list]) => ({ type: 'host' as const, name, actions: sorted(list) })),
    ...(global.length > 0 ? [{ type: 'global' as const, name: '', actions: sorted(global) }] : []),
  ];

  return {
    plan,
    addressOf,
    changes,
    unchanged: plan.actions.length - changes.length,
    irreversible,
    destructive,
    downtime,
    groups,
    warnings,
  };
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}
