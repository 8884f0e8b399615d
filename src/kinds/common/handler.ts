import { PumphouseError } from '../../errors/index.js';
import type { Action, ActionType, ResourceKind } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';

/** One step's code. */
export type StepRun = (action: Action, ctx: StepContext) => Promise<StepResult>;

/** The steps of each action type a kind runs, in plan order. */
export type StepTable = Readonly<Partial<Record<ActionType, Readonly<Record<string, StepRun>>>>>;

/**
 * A KindHandler from a table of steps: `steps` lists exactly the (action, step) pairs the
 * table implements, so apply refuses a plan naming anything else before it starts.
 */
export function kindHandler(kind: ResourceKind, table: StepTable, resolvePending?: KindHandler['resolvePending']): KindHandler {
  const steps: Partial<Record<ActionType, readonly string[]>> = {};
  for (const [action, byStep] of Object.entries(table) as [ActionType, Readonly<Record<string, StepRun>>][]) {
    steps[action] = Object.keys(byStep);
  }
  return {
    kind,
    steps,
    runStep(step, action, ctx) {
      const run = table[action.action]?.[step];
      if (!run) {
        throw new PumphouseError('PH_INTERNAL', `${action.address}: kind ${kind} has no step '${step}' for action ${action.action}`, {
          address: action.address,
          source: 'internal',
        });
      }
      return run(action, ctx);
    },
    ...(resolvePending ? { resolvePending } : {}),
  };
}
