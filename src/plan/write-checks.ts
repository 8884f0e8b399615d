import { PumphouseError, type Problem } from '../errors/index.js';
import { hasJsonText, jsonValue, type StringWatch } from './canonical-writer.js';
import { secretProblem, secretString } from './secret-scan.js';
import { SpilledAction } from './spilled-action.js';
import { consistencyProblems } from './consistency.js';
import { actionSchemaProblems, holesAreValid, schemaProblems } from './schema.js';
import { planProblems, structureProblems } from './validate.js';
import type { Plan } from './types.js';

// The schema wants a checksum; its value is known only once the text is made.
const PLACEHOLDER = '0'.repeat(64);

/**
 * The plan to write (identity applied, no `checksum`), checked against the schema and for
 * consistency: PH_INTERNAL listing every problem (secrets included) when it fails (a planner
 * bug: such a plan never becomes a file). The secret scan of a plan that passes runs while
 * the text is written (SecretFinds), which spares a walk over a 600,000-action plan.
 *
 * The checks run on the plan as it is, which is what the file holds unless the plan has
 * members JSON leaves out or rewrites (undefined, NaN, objects with toJSON...). Those make
 * the checks fail, so only then is the plan turned into its JSON form and checked again, as
 * the file will hold it (copying a 600,000-action plan through JSON.stringify would take
 * seconds and more than a string can hold).
 */
export function checkedPlanBody(plan: Plan, identity?: { readonly plan_id: string; readonly created_at: string }): Record<string, unknown> {
  const body: Record<string, unknown> = { ...plan, ...identity };
  delete body['checksum'];
  if (plan.actions.some((a) => a instanceof SpilledAction)) return checkedSpilledBody(body, plan);
  if (structureProblems({ ...body, checksum: PLACEHOLDER }).length === 0) return body;
  const json = jsonForm(body);
  const problems = planProblems({ ...json, checksum: PLACEHOLDER });
  if (problems.length > 0) throw refusal(problems);
  return json;
}

/**
 * checkedPlanBody() for a plan with spilled actions, without reading their text back: each
 * was checked against the schema and scanned for secrets when it was spilled (the spill's
 * `problems`); here the rest of the plan is checked against the schema, the two members
 * that change after spilling (`depends_on`, `reason`) of every action, then consistency.
 */
function checkedSpilledBody(body: Record<string, unknown>, plan: Plan): Record<string, unknown> {
  const problems: Problem[] = [...schemaProblems({ ...body, checksum: PLACEHOLDER, actions: [] })];
  const spills = new Set<SpilledAction['problems']>();
  plan.actions.forEach((a, i) => {
    if (a instanceof SpilledAction) {
      spills.add(a.problems);
      if (holesAreValid(a)) return;
      const view = { id: a.id, address: a.address, kind: a.kind, action: a.action, reason: a.reason, depends_on: a.depends_on, ...SPILLED_REST };
      for (const p of actionSchemaProblems(view, `/actions/${i}`)) problems.push(p);
    } else {
      for (const p of actionSchemaProblems(a, `/actions/${i}`)) problems.push(p);
    }
  });
  for (const found of spills) problems.push(...found);
  if (problems.length === 0) problems.push(...consistencyProblems(plan));
  if (problems.length > 0) throw refusal(problems);
  return body;
}

// Checked in the spilled text; stand-ins that keep the view of a spilled action complete.
const SPILLED_REST = { preconditions: [], impact: { downtime: false, destructive: false, irreversible: false }, steps: [] } as const;

/** Collects what the secret scan finds in the strings a writer writes. */
export class SecretFinds {
  readonly problems: Problem[] = [];
  constructor(private readonly file?: string) {}

  readonly watch: StringWatch = (path, key, value) => {
    const verdict = secretString(key, value);
    if (verdict) this.problems.push(secretProblem(path, verdict, this.file));
  };
}

/** PH_INTERNAL: a plan with these problems is not written. */
export function refusal(problems: readonly Problem[]): PumphouseError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new PumphouseError('PH_INTERNAL', `refusing to write an invalid plan: ${problems[0]!.message}${more}`, {
    problems: [...problems],
    source: 'internal',
  });
}

/** What JSON.parse(JSON.stringify(body)) gives, one member (and one action) at a time. */
function jsonForm(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(body)) {
    const v = jsonValue(body[key]);
    if (!hasJsonText(v)) continue;
    out[key] = Array.isArray(v) ? v.map((item) => (hasJsonText(jsonValue(item)) ? roundTrip(item) : null)) : roundTrip(v);
  }
  return out;
}

function roundTrip(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}
