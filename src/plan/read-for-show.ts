import { tmpdir } from 'node:os';
import { PumphouseError } from '../errors/index.js';
import { DetailTexts } from './detail-texts.js';
import { IdPositions } from './id-positions.js';
import { PlanCopy } from './plan-copy.js';
import { readPlan, readPlanKeeping, type LoadedPlan, type ReadPlanOptions } from './read.js';
import { detailLineCountWithoutRefs, detailLines } from './render/describe.js';
import { jsonChunks } from './render/json.js';
import { markdownDetailsUpTo } from './render/markdown.js';
import { DETAIL_INDENT } from './render/text.js';
import { Shared, ShownAction, ShownActions } from './shown-action.js';
import type { Action } from './types.js';

export interface ShowReadOptions extends ReadPlanOptions {
  /**
   * What the plan is read for (default `json`, which allows every use):
   * - `text`: each action's Details block is made as it is read (ShownAction.textDetail) and
   *   kept in a temporary file; the actions cannot be read whole afterwards (no copy is kept);
   * - `markdown`: each action's detail lines are counted as it is read (ShownAction.detailLines,
   *   what Markdown needs of the details it leaves out); the changes are kept whole only in a
   *   plan small enough for Markdown capped at MARKDOWN_MAX_BYTES to show any detail
   *   (markdownDetailsUpTo), so renderMarkdown takes it with a cap up to that one;
   * - `json`: the file is copied (jsonChunks streams it).
   */
  readonly rendering?: 'text' | 'markdown' | 'json';
  /** Where the temporary file goes; default the temporary directory. */
  readonly dir?: string;
}

/** A verified plan as `show` holds it. */
export interface ShownPlan extends LoadedPlan {
  /** renderJson(plan)'s text as UTF-8 chunks of about 1 MB (a plan read for `json` only: PH_INTERNAL otherwise). */
  jsonChunks(): Iterable<Uint8Array>;
  /** Gives back the temporary file (its disk space); idempotent. Renderings are done by then. */
  close(): void;
}

/**
 * readPlan for `show`: the same checks with the same answers and errors, and a plan whose
 * actions are ShownActions (a few members each; the rest is made in advance for a text
 * rendering, counted for Markdown, or read back from a private copy of the file), so a
 * 610,000-action plan is held in ~200 MB instead of ~1 GB. Renderers take it as any Plan, for
 * the rendering it was read for (see ShowReadOptions.rendering).
 *
 * The lean road is taken only when the plan passes every check as it is parsed and is found
 * canonical from its bytes (what every file pumphouse wrote and nobody changed is). What is
 * rendered comes from the bytes that were verified (a copy, or text made from them), never
 * from the file again. For anything else (an invalid or changed file, an error of any kind, no
 * room for the temporary file) the file is read again with readPlan: its plan is then held
 * whole, and its error is the one thrown, so a caller sees exactly what readPlan answers.
 */
export async function readPlanForShow(path: string, options: ShowReadOptions = {}): Promise<ShownPlan> {
  try {
    const shown = await readLean(path, options);
    if (shown) return shown;
  } catch {
    // readPlan below answers with the error that counts (or reads a plan this road could not).
  }
  const loaded = await readPlan(path, options);
  return { ...loaded, jsonChunks: () => jsonChunks(loaded.plan), close: () => undefined };
}

async function readLean(path: string, options: ShowReadOptions): Promise<ShownPlan | undefined> {
  const dir = options.dir ?? tmpdir();
  const rendering = options.rendering ?? 'json';
  const copy = rendering === 'json' ? PlanCopy.open(dir) : undefined;
  let texts: DetailTexts | undefined;
  try {
    texts = rendering === 'text' ? DetailTexts.open(dir) : undefined;
  } catch (err) {
    copy?.close();
    throw err;
  }
  const actions = new ShownActions({ ...(copy ? { copy } : {}), ...(texts ? { texts } : {}) });
  const close = (): void => {
    actions.forget();
    copy?.close();
    texts?.close();
  };
  const shared = new Shared();
  const made = texts ? new DetailsAsRead(actions, texts) : undefined;
  const whole = rendering === 'markdown' ? new WholeForMarkdown(actions) : undefined;
  let spoiled = false;
  let loaded: LoadedPlan | undefined;
  try {
    loaded = await readPlanKeeping(path, options, {
      chunk: copy ? (bytes) => copy.push(bytes) : () => undefined,
      keep: (parsed, index) => {
        if (spoiled) return parsed;
        try {
          const a = parsed as Action;
          const lines = whole ? detailLineCountWithoutRefs(a) : -1;
          const shown = new ShownAction(actions, a, index, lines, shared);
          made?.add(shown, a);
          whole?.add(index, a, lines);
          return shown;
        } catch {
          // Not an action a valid plan holds: the checks say so, and readPlan then words it.
          spoiled = true;
          return parsed;
        }
      },
    });
  } catch (err) {
    close();
    throw err;
  }
  const placed = !copy || (copy.complete && copy.actions === loaded?.plan.actions.length);
  if (!loaded || spoiled || !placed) {
    close();
    return undefined;
  }
  return {
    ...loaded,
    jsonChunks: () => {
      if (!copy) throw new PumphouseError('PH_INTERNAL', `the plan was read for a ${rendering} rendering: it has no copy to write as JSON`);
      return copy.withoutChecksum();
    },
    close,
  };
}

/**
 * Makes each action's Details block of the text rendering as the action is read, with the
 * `$ref`s and dependencies resolved to the addresses of the actions read before it (in a
 * verified plan every id is unique, so those are the addresses the rendering would show). An
 * action naming an id not read yet is kept whole instead, and rendered with the plan. No-ops
 * have no block (the rendering lists changes only).
 */
class DetailsAsRead {
  readonly #positions = new IdPositions(1 << 16);
  readonly #addresses: string[] = [];
  #unresolved = false;
  readonly #addressOf = (id: string): string => {
    const at = this.#positions.get(id);
    if (at < 0) {
      this.#unresolved = true;
      return id;
    }
    return this.#addresses[at]!;
  };

  constructor(
    private readonly actions: ShownActions,
    private readonly texts: DetailTexts,
  ) {}

  add(shown: ShownAction, a: Action): void {
    const i = this.#addresses.length;
    if (shown.ordinal !== i) throw new Error(`action ${shown.ordinal} read after ${i}`);
    if (a.action !== 'no-op') {
      this.#unresolved = false;
      const lines = detailLines(a, { addressOf: this.#addressOf }, Infinity, DETAIL_INDENT);
      if (this.#unresolved) this.actions.keepWhole(i, a);
      else this.texts.add(i, `${lines.join('\n')}\n`);
    }
    this.#positions.add(shown.id, i);
    this.#addresses.push(shown.address);
  }
}

/**
 * Keeps whole what a Markdown rendering may show the detail of: every change while the plan
 * may still be small enough for a detail to fit under the cap (markdownDetailsUpTo; let go
 * of past that), and any change whose detail lines could not be counted as it was read (a
 * `$ref` on both sides of an attribute: counted with the plan). A 610,000-action plan keeps
 * none (its Markdown is cut in the listing) and needs no copy of the file.
 */
class WholeForMarkdown {
  readonly #upTo = markdownDetailsUpTo();
  #changes = 0;
  #early: number[] | undefined = [];

  constructor(private readonly actions: ShownActions) {}

  add(ordinal: number, a: Action, lines: number): void {
    if (a.action === 'no-op') return;
    this.#changes++;
    if (lines < 0) this.actions.keepWhole(ordinal, a);
    else if (this.#early) {
      this.actions.keepWhole(ordinal, a);
      this.#early.push(ordinal);
    }
    if (this.#early && this.#changes > this.#upTo) {
      for (const i of this.#early) this.actions.letGo(i);
      this.#early = undefined;
    }
  }
}
