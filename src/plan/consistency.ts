import { isDeepStrictEqual } from 'node:util';
import type { Problem } from '../errors/index.js';
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
  const out: Problem[] = [];
  const at = (field: string) => ({ location: { ...(file ? { file } : {}), field } });
  const position = new Map<string, number>();
  plan.actions.forEach((a, i) => {
    if (position.has(a.id)) out.push({ message: `/actions/${i}/id duplicates the id of /actions/${position.get(a.id)}`, ...at(`/actions/${i}/id`) });
    else position.set(a.id, i);
    if (!isAllowedAction(a.kind, a.action)) {
      out.push({ message: `/actions/${i} a ${a.kind} cannot take the action '${a.action}'`, ...at(`/actions/${i}/action`) });
    }
  });
  // A plan may have 600,000 actions and several dependencies each: pointers are made only
  // for a problem.
  for (let i = 0; i < plan.actions.length; i++) {
    const deps = plan.actions[i]!.depends_on;
    for (let j = 0; j < deps.length; j++) {
      const dep = deps[j]!;
      const p = position.get(dep);
      if (p !== undefined && p < i) continue;
      const field = `/actions/${i}/depends_on/${j}`;
      if (p === undefined) out.push({ message: `${field} names no action in the plan (${dep})`, ...at(field) });
      else out.push({ message: `${field} names an action that comes later (${dep}): actions must be in dependency order`, ...at(field) });
    }
  }
  if (!isDeepStrictEqual(plan.summary, summarize(plan.actions))) {
    out.push({ message: '/summary does not match the actions', ...at('/summary') });
  }
  const applyable = !plan.diagnostics.some((d) => d.severity === 'error') && hasChanges(plan);
  if (plan.applyable !== applyable) {
    out.push({ message: `/applyable must be ${applyable} (error diagnostics or no changes make a plan non-applyable)`, ...at('/applyable') });
  }
  return out;
}
