import { isSecretKey } from '../errors/index.js';
import type { Facts, PreconditionReader, ServiceContext } from '../kinds/contract.js';
import type { Action, JsonScalar, Precondition } from '../plan/index.js';

/**
 * Re-reads every precondition of `action` (in parallel, each a fresh read) and returns what
 * no longer holds, one sentence each; [] when all hold. Errors reading a fact (cloud down)
 * are thrown: that is a failure of the action, not a stale plan.
 */
export async function failedPreconditions(action: Action, reader: PreconditionReader, ctx: ServiceContext): Promise<string[]> {
  const results = await Promise.all(action.preconditions.map(async (p) => check(p, await reader.read(p, ctx))));
  return results.filter((r): r is string => r !== null);
}

/** Why `facts` (null: the object does not exist) break `p`, or null when they satisfy it. */
export function check(p: Precondition, facts: Facts | null): string | null {
  const where = `${p.cloud} ${p.ref}`;
  switch (p.must) {
    case 'present':
      return facts === null ? `${where} no longer exists` : null;
    case 'absent':
      return facts === null ? null : `${where} exists now (it did not when the plan was made)`;
    case 'match': {
      if (facts === null) return `${where} no longer exists`;
      const wrong = Object.entries(p.fields).filter(([field, want]) => !same(facts[field], want));
      if (wrong.length === 0) return null;
      const parts = wrong.map(([field, want]) => `${field} is ${show(field, facts[field])}, planned ${show(field, want)}`);
      return `${where}: ${parts.join('; ')}`;
    }
  }
}

function same(actual: JsonScalar | undefined, want: JsonScalar): boolean {
  return actual === want || (actual === undefined && want === null);
}

// Plan fields are scanned for secrets, cloud facts are not: never echo a secret-looking field.
function show(field: string, v: JsonScalar | undefined): string {
  if (isSecretKey(field)) return '(sensitive)';
  return v === undefined ? 'missing' : JSON.stringify(v);
}
