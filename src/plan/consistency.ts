import { isDeepStrictEqual } from 'node:util';
import type { Problem } from '../errors/index.js';
import { IdPositions } from './id-positions.js';
import { isAllowedAction } from './kinds.js';
import { hasChanges, summarize } from './summary.js';
import type { Plan } from './types.js';

/**
 * Checks what the schema cannot: unique action ids, `depends_on` naming earlier actions (the
 * list is in topological order, which also rules out cycles), allowed (kind, action) pairs,
 * a summary equal to `summarize(actions)`, and `applyable` equal to "no error diagnostics and
 * at least one change". Returns every problem; [] when consistent.
 */
export function consistencyProblems(plan: Plan, file?: string): Problem[] {
  const at = (field: string) => ({ location: { ...(file ? { file } : {}), field } });
  const actions = plan.actions;
  const n = actions.length;
  // One walk over the actions (a plan may have 600,000, scattered over the heap: each is
  // visited once). A dependency must name an action seen before: it is looked up before the
  // action's own id is added; one that is not found yet is sorted out after the walk (it is
  // either later or nowhere). Pointers are made only for a problem.
  const positions = new IdPositions(n);
  const idProblems: Problem[] = [];
  let unresolved: [number, number, string][] | undefined;
  for (let i = 0; i < n; i++) {
    const a = actions[i]!;
    const deps = a.depends_on;
    for (let j = 0; j < deps.length; j++) {
      const dep = deps[j]!;
      if (positions.get(dep) < 0) (unresolved ??= []).push([i, j, dep]);
    }
    const earlier = positions.add(a.id, i);
    if (earlier >= 0) idProblems.push({ message: `/actions/${i}/id duplicates the id of /actions/${earlier}`, ...at(`/actions/${i}/id`) });
    if (!isAllowedAction(a.kind, a.action)) {
      idProblems.push({ message: `/actions/${i} a ${a.kind} cannot take the action '${a.action}'`, ...at(`/actions/${i}/action`) });
    }
  }
  const out = idProblems;
  for (const [i, j, dep] of unresolved ?? []) {
    const field = `/actions/${i}/depends_on/${j}`;
    if (positions.get(dep) < 0) out.push({ message: `${field} names no action in the plan (${dep})`, ...at(field) });
    else out.push({ message: `${field} names an action that comes later (${dep}): actions must be in dependency order`, ...at(field) });
  }
  if (!isDeepStrictEqual(plan.summary, summarize(actions))) {
    out.push({ message: '/summary does not match the actions', ...at('/summary') });
  }
  const applyable = !plan.diagnostics.some((d) => d.severity === 'error') && hasChanges(plan);
  if (plan.applyable !== applyable) {
    out.push({ message: `/applyable must be ${applyable} (error diagnostics or no changes make a plan non-applyable)`, ...at('/applyable') });
  }
  return out;
}
