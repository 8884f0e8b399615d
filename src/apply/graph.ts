import type { Action, Plan } from '../plan/index.js';

/**
 * The apply graph, derived from the plan alone (what was reviewed is what runs): each
 * action's prerequisites are its `depends_on` plus, for actions sharing an address
 * (`admin_membership` grant and revoke; any two actions on one object), the previous action
 * on that address in plan order. The extra edge keeps the journal of one state object
 * describing one action at a time, which resume relies on; the planner already orders such
 * pairs, so it normally adds nothing.
 */
export interface ApplyGraph {
  readonly actions: readonly Action[];
  readonly byId: ReadonlyMap<string, Action>;
  /** Index in plan order. */
  readonly position: ReadonlyMap<string, number>;
  /** id -> ids that must finish first. */
  readonly prerequisites: ReadonlyMap<string, readonly string[]>;
  /** id -> ids waiting for it. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** address -> the actions on it, in plan order. */
  readonly chains: ReadonlyMap<string, readonly Action[]>;
}

/** Builds the graph. The plan was verified (ids unique, dependencies earlier in the list). */
export function applyGraph(plan: Plan): ApplyGraph {
  const byId = new Map<string, Action>();
  const position = new Map<string, number>();
  const chains = new Map<string, Action[]>();
  const prerequisites = new Map<string, string[]>();
  const dependents = new Map<string, string[]>();
  plan.actions.forEach((a, i) => {
    byId.set(a.id, a);
    position.set(a.id, i);
    dependents.set(a.id, []);
    const chain = chains.get(a.address);
    const pre = new Set(a.depends_on);
    if (chain) {
      pre.add(chain[chain.length - 1]!.id);
      chain.push(a);
    } else {
      chains.set(a.address, [a]);
    }
    prerequisites.set(a.id, [...pre]);
  });
  for (const [id, pre] of prerequisites) for (const p of pre) dependents.get(p)!.push(id);
  return { actions: plan.actions, byId, position, prerequisites, dependents, chains };
}
