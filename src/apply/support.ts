import { PumphouseError, type Problem } from '../errors/index.js';
import type { KindRegistry } from '../kinds/registry.js';
import type { AttributeValue, Plan } from '../plan/index.js';

/**
 * Checks, before anything is locked or changed, that `registry` can run every action of the
 * plan that has something to do: a handler for its kind that knows each of its steps, a
 * precondition reader when it has preconditions, a secret resolver when it references
 * secrets. Throws PH_INTERNAL listing every gap (a build that plans what it cannot apply is
 * a pumphouse bug), so that a plan is never left half applied for want of code.
 */
export function checkSupport(plan: Plan, registry: KindRegistry): void {
  const problems: Problem[] = [];
  const missingKinds = new Set<string>();
  let needsReader = false;
  let needsSecrets = false;
  for (const a of plan.actions) {
    if (a.action === 'no-op') continue;
    needsReader ||= a.preconditions.length > 0;
    needsSecrets ||= Object.values(a.after ?? {}).some(hasSecret);
    const handler = registry.handler(a.kind);
    if (!handler) {
      missingKinds.add(a.kind);
      continue;
    }
    const known = handler.steps[a.action] ?? [];
    const unknown = a.steps.filter((s) => !known.includes(s));
    if (unknown.length > 0) {
      problems.push({ message: `${a.address}: the ${a.kind} handler has no step ${unknown.join(', ')} for '${a.action}'`, location: { field: `actions/${a.id}` } });
    }
  }
  if (missingKinds.size > 0) {
    problems.unshift({ message: `this build has no apply code for kind(s): ${[...missingKinds].sort().join(', ')}` });
  }
  if (needsReader && !registry.preconditions) problems.push({ message: 'the plan has preconditions, but no precondition reader is registered' });
  if (needsSecrets && !registry.secrets) problems.push({ message: 'the plan references secrets, but no secret resolver is registered' });
  if (problems.length > 0) {
    throw new PumphouseError('PH_INTERNAL', `this pumphouse cannot apply the plan: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; nothing was changed`, {
      source: 'internal',
      problems,
    });
  }
}

function hasSecret(v: AttributeValue | undefined): boolean {
  if (v === null || v === undefined || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasSecret);
  if (typeof (v as { $secret?: unknown }).$secret === 'string') return true;
  return Object.values(v as Record<string, AttributeValue | undefined>).some(hasSecret);
}
