import { ACTION_TYPES } from './kinds.js';
import type { Action, ActionType, Plan, PlanSummary, ResourceKind } from './types.js';

/**
 * Counts a plan's actions. `by_action` lists every action type (zeros included); `by_kind`
 * only kinds with at least one change; `total`, `destructive`, `irreversible` and
 * `downtime_servers` ignore no-ops. Pure: the planner calls it to fill `Plan.summary`.
 */
export function summarize(actions: readonly Action[]): PlanSummary {
  const byAction = Object.fromEntries(ACTION_TYPES.map((a) => [a, 0])) as Record<ActionType, number>;
  const byKind: Partial<Record<ResourceKind, number>> = {};
  let total = 0;
  let bytes = 0;
  let downtimeServers = 0;
  let destructive = 0;
  let irreversible = 0;
  // An indexed loop: 600,000 actions, and for-of made an iterator result per action here.
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    byAction[a.action]++;
    if (a.action === 'no-op') continue;
    total++;
    byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    bytes += a.impact.bytes ?? 0;
    if (a.kind === 'server' && a.impact.downtime) downtimeServers++;
    if (a.impact.destructive) destructive++;
    if (a.impact.irreversible) irreversible++;
  }
  return {
    by_action: byAction,
    by_kind: byKind,
    total,
    bytes,
    downtime_servers: downtimeServers,
    destructive,
    irreversible,
  };
}

/** True when applying the plan would change anything (some action is not a no-op). */
export function hasChanges(plan: Pick<Plan, 'actions'>): boolean {
  return plan.actions.some((a) => a.action !== 'no-op');
}
