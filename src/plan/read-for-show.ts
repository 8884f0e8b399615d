import { tmpdir } from 'node:os';
import { PlanCopy } from './plan-copy.js';
import { readPlan, readPlanKeeping, type LoadedPlan, type ReadPlanOptions } from './read.js';
import { detailLineCountWithoutRefs } from './render/describe.js';
import { jsonChunks } from './render/json.js';
import { Shared, ShownAction, ShownActions } from './shown-action.js';
import type { Action } from './types.js';

export interface ShowReadOptions extends ReadPlanOptions {
  /**
   * Count each action's detail lines while it is read (ShownAction.detailLines): what a
   * Markdown rendering needs of the details it leaves out, without reading them back.
   */
  readonly countDetailLines?: boolean;
  /** Where the private copy of the file goes; default the temporary directory. */
  readonly dir?: string;
}

/** A verified plan as `show` holds it. */
export interface ShownPlan extends LoadedPlan {
  /** renderJson(plan)'s text as UTF-8 chunks of about 1 MB. */
  jsonChunks(): Iterable<Uint8Array>;
  /** Gives back the private copy of the file (its disk space); idempotent. Renderings are done by then. */
  close(): void;
}

/**
 * readPlan for `show`: the same checks with the same answers and errors, and a plan whose
 * actions are ShownActions (a few members each; the rest is read back from a private copy of
 * the file when an action's detail is rendered), so a 610,000-action plan is held in ~200 MB
 * instead of ~1 GB. Renderers take it as any Plan.
 *
 * The lean road is taken only when the plan passes every check as it is parsed and is found
 * canonical from its bytes (what every file pumphouse wrote and nobody changed is). For
 * anything else (an invalid or changed file, an error of any kind, no room for the copy) the
 * file is read again with readPlan: its plan is then held whole, and its error is the one
 * thrown, so a caller sees exactly what readPlan answers.
 */
export async function readPlanForShow(path: string, options: ShowReadOptions = {}): Promise<ShownPlan> {
  let copy: PlanCopy | undefined;
  try {
    copy = PlanCopy.open(options.dir ?? tmpdir());
    const shown = await readLean(path, options, copy);
    if (shown) return shown;
  } catch {
    // readPlan below answers with the error that counts (or reads a plan this road could not).
  }
  copy?.close();
  const loaded = await readPlan(path, options);
  return { ...loaded, jsonChunks: () => jsonChunks(loaded.plan), close: () => undefined };
}

async function readLean(path: string, options: ShowReadOptions, copy: PlanCopy): Promise<ShownPlan | undefined> {
  const actions = new ShownActions(copy);
  const shared = new Shared();
  const count = options.countDetailLines ?? false;
  let spoiled = false;
  const loaded = await readPlanKeeping(path, options, {
    chunk: (bytes) => copy.push(bytes),
    keep: (parsed, index) => {
      if (spoiled) return parsed;
      try {
        const a = parsed as Action;
        return new ShownAction(actions, a, index, count ? detailLineCountWithoutRefs(a) : -1, shared);
      } catch {
        // Not an action a valid plan holds: the checks say so, and readPlan then words it.
        spoiled = true;
        return parsed;
      }
    },
  });
  if (!loaded || spoiled || !copy.complete || copy.actions !== loaded.plan.actions.length) {
    copy.close();
    return undefined;
  }
  return {
    ...loaded,
    jsonChunks: () => copy.withoutChecksum(),
    close: () => {
      actions.forget();
      copy.close();
    },
  };
}
