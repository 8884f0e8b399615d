import { PumphouseError } from '../../errors/index.js';
import type { Action, Plan } from '../../plan/index.js';
import { addressMatches } from '../../planner/index.js';
import { byCodeUnits } from '../../json/code-unit-order.js';

export interface Selection {
  readonly targets: readonly string[];
  readonly excludes: readonly string[];
}

/**
 * The `--target`/`--exclude` lists that make the planner keep exactly the `wanted` actions of
 * `whole` and what they depend on. A target keeps its whole address subtree
 * (`tenant[acme]` holds every object of the tenant), so whatever a target would bring in
 * beyond that closure is excluded by its own address, unless something kept lies inside it.
 * The planner does the selection itself (reasons, grant/revoke pairing, summary), so the plan
 * is what `pumphouse plan --target ... --exclude ...` would write.
 */
export function exactSelection(whole: Plan, wanted: readonly Action[]): Selection {
  const byId = new Map(whole.actions.map((a) => [a.id, a]));
  const keep = new Set<string>();
  const stack = wanted.map((a) => a.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    for (const d of byId.get(id)?.depends_on ?? []) if (!keep.has(d)) stack.push(d);
  }
  const targets = [...new Set(wanted.map((a) => a.address))].sort();
  const kept = [...keep].map((id) => byId.get(id)?.address).filter((a): a is string => a !== undefined);
  const excludes: string[] = [];
  const extra = whole.actions
    .filter((a) => !keep.has(a.id) && targets.some((t) => addressMatches(a.address, t)))
    .map((a) => a.address)
    .sort((a, b) => a.length - b.length || byCodeUnits(a, b));
  for (const address of extra) {
    if (excludes.some((e) => addressMatches(address, e))) continue;
    if (kept.some((k) => addressMatches(k, address))) continue;
    excludes.push(address);
  }
  return { targets, excludes: excludes.sort() };
}

/**
 * The actions of `whole` that `pick` wants; PH_USAGE naming every requested object the plan
 * has no action for (it exists, but the planner left it out: its diagnostics say why).
 */
export function pickActions(whole: Plan, requested: readonly string[], what: string, pick: (a: Action) => string | undefined): Action[] {
  const found = new Set<string>();
  const actions: Action[] = [];
  for (const a of whole.actions) {
    const key = pick(a);
    if (key === undefined) continue;
    found.add(key);
    actions.push(a);
  }
  const missing = requested.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const warnings = whole.diagnostics.map((d) => ({ message: d.address ? `${d.address}: ${d.summary}` : d.summary }));
    throw new PumphouseError(
      'PH_USAGE',
      `the plan has nothing to do for ${what} ${missing.join(', ')}: it exists in the source but cannot be migrated this way (the plan's diagnostics, listed, may say why); nothing was changed`,
      { problems: warnings, details: { missing } },
    );
  }
  return actions;
}
