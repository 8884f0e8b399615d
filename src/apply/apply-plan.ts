import { silentReporter, type Reporter } from '../events/index.js';
import { PumphouseError } from '../errors/index.js';
import type { CloudAccess } from '../kinds/contract.js';
import type { KindRegistry } from '../kinds/registry.js';
import { readPlan, type Plan } from '../plan/index.js';
import { StateLock, StateStore } from '../state/index.js';
import { execute } from './executor.js';
import { checkFreshness } from './freshness.js';
import { checkLimits } from './limits.js';
import { checkSupport } from './support.js';
import type { ApplyLimits, ApplyResult } from './types.js';

export const DEFAULT_PARALLELISM = 10;

export interface ApplyPlanOptions {
  readonly planPath: string;
  readonly statePath: string;
  /**
   * The kinds to run, or a factory called with the verified plan (the built-in kinds are set
   * up per plan); a registry the factory made is closed at the end, a given one is not.
   */
  readonly registry: KindRegistry | ((plan: Plan) => KindRegistry);
  readonly clouds: CloudAccess;
  /** Actions at once; default 10 (Terraform's default). */
  readonly parallelism?: number;
  readonly limits?: ApplyLimits;
  /** sha256 the plan file must have (from the ticket); PH_PLAN_TAMPERED otherwise. */
  readonly expectSha256?: string;
  /** How long to wait for the state lock; default 0 (fail at once if held). */
  readonly lockTimeoutMs?: number;
  /** Lock lease (tests use short ones); default the state module's 60 s. */
  readonly leaseMs?: number;
  readonly reporter?: Reporter;
  /** Ctrl-C: in-flight steps finish, the state is saved, the result is `interrupted`. */
  readonly signal?: AbortSignal;
  /** Running tool version (tests); default the package's. */
  readonly runningVersion?: string;
  /** Extra checks of the verified plan before the state is locked (config endpoints...). */
  readonly checkPlan?: (plan: Plan) => void | Promise<void>;
}

/**
 * Applies a plan file. In order, each refusal a PumphouseError with nothing changed:
 * 1. read and verify the plan: format, checksum, canonical bytes, schema, secret scan, the
 *    exact tool version, `expectSha256` (PH_PLAN_TAMPERED / PH_PLAN_VERSION / PH_PLAN_INVALID);
 *    a plan with error diagnostics is refused (PH_PLAN_INVALID);
 * 2. `checkPlan`, then this build's support for every kind and step (PH_INTERNAL);
 * 3. lock the state (PH_STATE_LOCKED after `lockTimeoutMs`);
 * 4. fold the journal and check the plan against the state (PH_PLAN_STALE; see freshness.ts);
 * 5. recover what a crashed run left (mark it interrupted, compact);
 * then execute (executor.ts). The lock is released whatever happens.
 */
export async function applyPlan(options: ApplyPlanOptions): Promise<ApplyResult> {
  const reporter = options.reporter ?? silentReporter;
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  const limits = options.limits ?? {};
  checkLimits(limits, parallelism);
  const loaded = await readPlan(options.planPath, {
    toolVersion: 'exact',
    ...(options.expectSha256 !== undefined ? { expectSha256: options.expectSha256 } : {}),
    ...(options.runningVersion !== undefined ? { runningVersion: options.runningVersion } : {}),
  });
  const plan = loaded.plan;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new PumphouseError('PH_PLAN_INVALID', `the plan has ${errors.length} error(s) and cannot be applied: ${errors[0]!.summary}`, {
      location: { file: options.planPath },
      problems: errors.map((d) => ({ message: d.address ? `${d.address}: ${d.summary}` : d.summary })),
    });
  }
  await options.checkPlan?.(plan);
  const made = typeof options.registry === 'function';
  const registry = typeof options.registry === 'function' ? options.registry(plan) : options.registry;
  try {
    checkSupport(plan, registry);
    return await locked(options, plan, loaded.sha256, registry, reporter, parallelism, limits);
  } finally {
    if (made) await registry.close();
  }
}

async function locked(
  options: ApplyPlanOptions,
  plan: Plan,
  sha256: string,
  registry: KindRegistry,
  reporter: Reporter,
  parallelism: number,
  limits: ApplyLimits,
): Promise<ApplyResult> {
  const lock = await StateLock.acquire(options.statePath, {
    operation: 'apply',
    info: plan.plan_id,
    timeoutMs: options.lockTimeoutMs ?? 0,
    reporter,
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const store = StateStore.open(options.statePath, { reporter });
  try {
    // First, under the lock, even for a plan refused below: undo what a killed apply left
    // outside the state (source passwords made temporary to read keypairs as their owner).
    await registry.recover?.(reporter);
    const { state } = await store.load();
    const freshness = checkFreshness(plan, state, store.path);
    await store.recover();
    return await execute({
      plan,
      sha256,
      store,
      freshness,
      registry,
      clouds: options.clouds,
      reporter,
      signal: options.signal ?? new AbortController().signal,
      hardSignal: lock.signal,
      parallelism,
      limits,
    });
  } finally {
    await store.close();
    await lock.release();
  }
}
