import { isDeepStrictEqual } from 'node:util';
import type { Problem } from '../errors/index.js';
import { IdPositions } from './id-positions.js';
import { ACTION_TYPES, isAllowedAction } from './kinds.js';
import { hasChanges } from './summary.js';
import type { Action, ActionType, Plan, PlanSummary, ResourceKind } from './types.js';

/**
 * Checks what the schema cannot: unique action ids, `depends_on` naming earlier actions (the
 * list is in topological order, which also rules out cycles), allowed (kind, action) pairs,
 * a summary equal to `summarize(actions)`, and `applyable` equal to "no error diagnostics and
 * at least one change". Returns every problem; [] when consistent.
 */
export function consistencyProblems(plan: Plan, file?: string): Problem[] {
  const order = new ActionOrder(file, plan.actions.length);
  for (const a of plan.actions) order.add(a);
  return order.problems(plan);
}

/**
 * consistencyProblems() fed one action at a time, in plan order (the plan reader adds each
 * action as it is parsed, schema-valid ones only): `problems(plan)` then gives the same answer
 * for the plan whose actions those were.
 *
 * One walk over the actions (a plan may have 600,000, scattered over the heap: each is visited
 * once). A dependency must name an action seen before: it is looked up before the action's own
 * id is added; one not found yet is sorted out at the end (it is either later or nowhere).
 * Pointers are made only for a problem. The summary is counted in the same walk, by
 * summarize()'s rules (summary.ts; test/plan/consistency.test.ts holds the two equal): a walk
 * of its own cost a quarter of the check.
 */
export class ActionOrder {
  readonly #positions: IdPositions;
  readonly #problems: Problem[] = [];
  #unresolved: [number, number, string][] | undefined;
  #count = 0;
  readonly #byAction = Object.fromEntries(ACTION_TYPES.map((a) => [a, 0])) as Record<ActionType, number>;
  readonly #byKind: Partial<Record<ResourceKind, number>> = {};
  #total = 0;
  #bytes = 0;
  #downtimeServers = 0;
  #destructive = 0;
  #irreversible = 0;

  constructor(
    private readonly file?: string,
    expected?: number,
  ) {
    this.#positions = new IdPositions(expected);
  }

  /** Number of actions added. */
  get count(): number {
    return this.#count;
  }

  add(a: Action): void {
    const i = this.#count++;
    const positions = this.#positions;
    const deps = a.depends_on;
    for (let j = 0; j < deps.length; j++) {
      const dep = deps[j]!;
      if (positions.get(dep) < 0) (this.#unresolved ??= []).push([i, j, dep]);
    }
    const earlier = positions.add(a.id, i);
    if (earlier >= 0) this.#problems.push(this.#problem(`/actions/${i}/id`, `duplicates the id of /actions/${earlier}`));
    if (!isAllowedAction(a.kind, a.action)) {
      this.#problems.push(this.#problem(`/actions/${i}/action`, `a ${a.kind} cannot take the action '${a.action}'`, `/actions/${i}`));
    }
    this.#byAction[a.action]++;
    if (a.action === 'no-op') return;
    this.#total++;
    this.#byKind[a.kind] = (this.#byKind[a.kind] ?? 0) + 1;
    this.#bytes += a.impact.bytes ?? 0;
    if (a.kind === 'server' && a.impact.downtime) this.#downtimeServers++;
    if (a.impact.destructive) this.#destructive++;
    if (a.impact.irreversible) this.#irreversible++;
  }

  /** summarize() of the actions added. */
  summary(): PlanSummary {
    return {
      by_action: { ...this.#byAction },
      by_kind: { ...this.#byKind },
      total: this.#total,
      bytes: this.#bytes,
      downtime_servers: this.#downtimeServers,
      destructive: this.#destructive,
      irreversible: this.#irreversible,
    };
  }

  /** Every problem of `plan`, whose actions are those added (ids and pairs, dependencies, summary, applyable). */
  problems(plan: Plan): Problem[] {
    if (plan.actions.length !== this.#count) throw new Error(`ActionOrder: ${this.#count} actions added, the plan has ${plan.actions.length}`);
    const out = [...this.#problems];
    for (const [i, j, dep] of this.#unresolved ?? []) {
      const field = `/actions/${i}/depends_on/${j}`;
      out.push(
        this.#positions.get(dep) < 0
          ? this.#problem(field, `names no action in the plan (${dep})`)
          : this.#problem(field, `names an action that comes later (${dep}): actions must be in dependency order`),
      );
    }
    if (!isDeepStrictEqual(plan.summary, this.summary())) out.push(this.#problem('/summary', 'does not match the actions'));
    const applyable = !plan.diagnostics.some((d) => d.severity === 'error') && hasChanges(plan);
    if (plan.applyable !== applyable) {
      out.push(this.#problem('/applyable', `must be ${applyable} (error diagnostics or no changes make a plan non-applyable)`));
    }
    return out;
  }

  /** A problem at `field`, its message starting with `named` (the field itself unless said). */
  #problem(field: string, text: string, named = field): Problem {
    return { message: `${named} ${text}`, location: { ...(this.file ? { file: this.file } : {}), field } };
  }
}
