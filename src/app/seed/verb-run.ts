import { basename, dirname, join } from 'node:path';
import type { ApplyLimits, ApplyResult } from '../../apply/index.js';
import type { Reporter } from '../../events/index.js';
import type { KindRegistry } from '../../kinds/registry.js';
import type { DesiredState } from '../../manifest/index.js';
import { newPlanIdentity, type Plan, type PlanIdentity } from '../../plan/index.js';
import { apply } from '../apply.js';
import { plan, type PlanSelector } from '../plan.js';

/** What every verb (migrate, evacuate, reassign) takes: the config, the state, apply's knobs. */
export interface VerbOptions {
  readonly configPath: string;
  readonly statePath: string;
  /** Actions at once (apply's --parallelism); default 10. */
  readonly parallelism?: number;
  readonly limits?: ApplyLimits;
  /** Wait this long for the state lock; default 0. */
  readonly lockTimeoutS?: number;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** The kinds apply runs; default the built-in ones (tests inject). */
  readonly kinds?: KindRegistry;
  /** Environment for `${VAR}` secrets in the config; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A fixed plan id and time (reproducible tests); default a fresh one. */
  readonly identity?: PlanIdentity;
}

/** What a verb did: the plan it made (kept next to the state for the record) and the apply. */
export interface VerbResult {
  readonly plan: Plan;
  readonly planPath: string;
  readonly sha256: string;
  readonly applied: ApplyResult;
}

/** Where a verb keeps its plan: next to the state, named after the state, the verb and the plan id. */
export function verbPlanPath(statePath: string, verb: string, planId: string): string {
  const stem = basename(statePath).replace(/\.json$/i, '');
  return join(dirname(statePath), `${stem}.${verb}-${planId}.plan.json`);
}

/**
 * The one path every verb takes to the clouds: plan() with the verb's desired state and
 * selector (discovery, planner, plan file with its sha256 and `plan_written` event), then
 * apply() of exactly that file (`expectSha256`), so a verb runs what a reviewer of the saved
 * plan would see, under the same state lock, journal, events and errors as `pumphouse apply`.
 * Throws what plan() and apply() throw (a plan with errors is refused by apply as
 * PH_PLAN_INVALID, the file is kept for review); a failed action is in `applied`, not thrown.
 */
export async function planAndApply(verb: string, label: string, desired: DesiredState, select: PlanSelector, options: VerbOptions): Promise<VerbResult> {
  const identity = options.identity ?? newPlanIdentity();
  const planPath = verbPlanPath(options.statePath, verb, identity.plan_id);
  const planned = await plan({
    configPath: options.configPath,
    desired: { desired, label },
    select,
    statePath: options.statePath,
    out: planPath,
    identity,
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { configOptions: { env: options.env } } : {}),
  });
  const sha256 = planned.sha256!;
  const applied = await apply({
    planPath,
    configPath: options.configPath,
    statePath: options.statePath,
    expectSha256: sha256,
    ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.lockTimeoutS !== undefined ? { lockTimeoutS: options.lockTimeoutS } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.kinds ? { kinds: options.kinds } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  return { plan: planned.plan, planPath, sha256, applied };
}
