/**
 * The apply executor: verifies a plan, locks the state, refuses a stale plan, resumes a
 * crashed run of the same plan, and walks the action graph with bounded concurrency,
 * journaling every step. Per-kind work goes through src/kinds/contract.ts.
 */
export { applyPlan, DEFAULT_PARALLELISM, type ApplyPlanOptions } from './apply-plan.js';
export { execute, type ExecuteOptions } from './executor.js';
export { checkFreshness, type Freshness } from './freshness.js';
export { checkSupport } from './support.js';
export { applyGraph, type ApplyGraph } from './graph.js';
export { actionProgress, type ActionProgress } from './action-progress.js';
export { actionKeys, stepKeys, checkLimits, KIND_GROUP, type LimitKey } from './limits.js';
export { check as checkPrecondition } from './preconditions.js';
export {
  LIMIT_GROUPS,
  type ApplyLimits,
  type ApplyResult,
  type ActionProblem,
  type LimitGroup,
  type OutcomeKind,
  type SkippedAction,
} from './types.js';
