import type { Action } from '../../plan/index.js';
import type { StepContext } from '../contract.js';
import { AfterValues } from '../common/after.js';
import type { DataKindSettings } from './data-options.js';

/** One step of a data/compute action, with what every helper of these kinds needs. */
export interface DataStep {
  readonly action: Action;
  readonly ctx: StepContext;
  readonly settings: DataKindSettings;
  /** `action.address`, for messages and errors. */
  readonly address: string;
  /** The action's source object id (the server, volume or image copied). */
  readonly sourceId: string;
}

export function dataStep(action: Action, ctx: StepContext, settings: DataKindSettings): DataStep {
  return { action, ctx, settings, address: action.address, sourceId: ctx.marker.sourceId };
}

/**
 * `action.after` resolved (refs to destination ids, secrets fetched) as typed reads. Each
 * call fetches the `$secret`s again, so steps that need only ids use `ref()` instead.
 */
export async function afterValues(s: DataStep): Promise<AfterValues> {
  return new AfterValues(await s.ctx.resolveAfter(), s.address);
}

/** One member of `action.after` resolved, as typed reads under the same key. */
export async function afterValue(s: DataStep, key: string): Promise<AfterValues> {
  return new AfterValues({ [key]: await s.ctx.resolve(s.action.after?.[key]) }, s.address);
}

/** A string output an earlier step of this action recorded, or null. */
export function recordedString(s: DataStep, key: string): string | null {
  const v = s.ctx.recorded.outputs[key];
  return typeof v === 'string' && v !== '' ? v : null;
}
