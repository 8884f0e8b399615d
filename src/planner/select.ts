import { actionId, parseAddress } from '../plan/index.js';
import type { PlanDraft, WorkingAction } from './draft.js';

/** True when `address` is `pattern` or lies inside it (`tenant[acme]` holds `tenant[acme].server[web]`). */
export function addressMatches(address: string, pattern: string): boolean {
  return address === pattern || address.startsWith(`${pattern}.`);
}

/**
 * Applies `--target` (keep the matches and everything they depend on) and then `--exclude`
 * (drop the matches and everything that depends on them) to the draft's actions, in place.
 *
 * The temporary admin membership is kept whole: a kept grant keeps its revoke, and a revoke
 * only loses the dependencies that were dropped (it is never dropped because some tenant
 * action was), so no selection can leave a grant without its revoke.
 * `implied` excludes (a verb's selector's) are applied after `excludes`, without warnings.
 */
export function applySelection(draft: PlanDraft, targets: readonly string[], excludes: readonly string[], implied: readonly string[] = []): void {
  const valid = (list: readonly string[], flag: string): string[] =>
    list.filter((a) => {
      try {
        parseAddress(a);
        return true;
      } catch (e) {
        draft.error(`${flag} ${a}: ${(e as Error).message}`);
        return false;
      }
    });
  const t = valid(targets, '--target');
  const x = valid(excludes, '--exclude');
  const quiet = valid(implied, '--exclude');
  if (targets.length > 0) keepTargets(draft, t);
  if (x.length > 0) dropExcludes(draft, x, true);
  if (quiet.length > 0) dropExcludes(draft, quiet, false);
}

/** The draft's actions by id (the draft keeps none: selection is the only lookup by id). */
function byId(draft: PlanDraft): Map<string, WorkingAction> {
  const map = new Map<string, WorkingAction>();
  for (const w of draft.actions) map.set(w.id, w);
  return map;
}

function matching(draft: PlanDraft, patterns: readonly string[], flag: string, severity: 'error' | 'warning' | 'none'): string[] {
  const ids: string[] = [];
  for (const p of patterns) {
    let hit = false;
    for (const w of draft.actions) {
      if (addressMatches(w.address, p)) {
        ids.push(w.id);
        hit = true;
      }
    }
    if (!hit) {
      const summary = `${flag} ${p} matches nothing in this plan`;
      if (severity === 'error') draft.error(summary);
      else if (severity === 'warning') draft.warn(summary);
    }
  }
  return ids;
}

function isRevoke(w: WorkingAction): boolean {
  return w.kind === 'admin_membership' && w.action === 'revoke';
}

function grantOf(w: WorkingAction): string {
  return actionId(w.address, 'grant');
}

function keepTargets(draft: PlanDraft, patterns: readonly string[]): void {
  const actions = byId(draft);
  const direct = new Set(matching(draft, patterns, '--target', 'error'));
  const keep = new Set<string>();
  const stack = [...direct];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (keep.has(id)) continue;
    keep.add(id);
    const w = actions.get(id);
    if (w) for (const d of draft.dependencies(w)) if (!keep.has(d.id)) stack.push(d.id);
  }
  // A kept grant brings its revoke (which then only waits for kept actions).
  for (const w of draft.actions) {
    if (isRevoke(w) && keep.has(grantOf(w))) keep.add(w.id);
  }
  draft.keepOnly((w) => keep.has(w.id));
  for (const w of draft.actions) {
    const id = w.id;
    if (isRevoke(w)) w.deps = w.deps.filter((d) => keep.has(d.id));
    if (!direct.has(id) && w.action !== 'no-op' && !isRevoke(w) && w.kind !== 'admin_membership') {
      w.entry.reason = { code: 'dependency_of_target', text: `required by a --target object; ${w.entry.reason.text}` };
    }
  }
}

function dropExcludes(draft: PlanDraft, patterns: readonly string[], warn: boolean): void {
  const actions = byId(draft);
  const dependents = new Map<string, string[]>();
  for (const w of draft.actions) {
    for (const d of draft.dependencies(w)) {
      const list = dependents.get(d.id);
      if (list) list.push(w.id);
      else dependents.set(d.id, [w.id]);
    }
  }
  const drop = new Set<string>();
  const stack = matching(draft, patterns, '--exclude', warn ? 'warning' : 'none');
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (drop.has(id)) continue;
    drop.add(id);
    for (const dep of dependents.get(id) ?? []) {
      const w = actions.get(dep);
      // A revoke goes only with its grant; otherwise it just stops waiting for the dropped action.
      if (w && isRevoke(w) && grantOf(w) !== id) continue;
      stack.push(dep);
    }
  }
  if (drop.size === 0) return;
  const dropped = [...drop].map((id) => actions.get(id)!.address).sort();
  draft.keepOnly((w) => !drop.has(w.id));
  for (const w of draft.actions) if (isRevoke(w)) w.deps = w.deps.filter((d) => !drop.has(d.id));
  if (!warn) return;
  const shown = [...new Set(dropped)];
  const LIMIT = 100;
  draft.warn(
    `--exclude dropped ${drop.size} action(s) and everything that depends on them`,
    undefined,
    shown.slice(0, LIMIT).join('\n') + (shown.length > LIMIT ? `\n... and ${shown.length - LIMIT} more` : ''),
  );
}
