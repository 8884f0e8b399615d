import { Chalk, type ChalkInstance } from 'chalk';
import { ShownAction } from '../shown-action.js';
import type { Action, Plan } from '../types.js';
import {
  actionCounts,
  actionWord,
  applyCommand,
  detailLines,
  diagnosticText,
  driftText,
  headerFacts,
  impactText,
  kindCounts,
  showCommand,
  someOf,
  totalsLine,
  type RenderOptions,
} from './describe.js';
import { buildReview } from './review.js';

export interface TextOptions extends RenderOptions {
  /** ANSI colours (a terminal that asked for them); default false. */
  readonly color?: boolean;
  /**
   * Print the Details section only for a plan of at most this many changes (default: always).
   * Past it, the section is one line saying how many actions it would hold and the command
   * that prints them: `pumphouse plan` does this for plans too large to read on a terminal
   * (see src/cli/commands/plan.ts); everything before it is unchanged.
   */
  readonly detailsUpTo?: number;
}

/**
 * The full human rendering, for a terminal or a log: header, counts, risky actions
 * (irreversible with host reprovisioning first, destructive, downtime), one line per object
 * grouped by tenant then host then global, every action's detail, drift, diagnostics and
 * warnings, and the command that applies the plan. Never truncated; deterministic. The text of
 * a plan of more than about 450,000 actions does not fit in one string: use `textChunks`.
 */
export function renderText(plan: Plan, opts: TextOptions = {}): string {
  return [...textChunks(plan, opts)].join('');
}

/**
 * `renderText`'s lines one at a time, without their newlines (renderText is these lines, each
 * followed by a newline). Prefer `textChunks` to write a large rendering: same text, far fewer
 * pieces.
 */
export function* textLines(plan: Plan, opts: TextOptions = {}): Generator<string, void, undefined> {
  for (const chunk of textChunks(plan, opts)) {
    const lines = chunk.split('\n');
    lines.pop();
    yield* lines;
  }
}

/**
 * Size of the pieces textChunks yields, in UTF-16 code units (about 64 KB of output). Small on
 * purpose: a piece is built of many short strings, and one that lives across young-generation
 * collections is promoted, making the old generation (where a read plan's ~1 GB sits) collect
 * more often: 1 MB pieces cost 40% more CPU in total at 61,005 actions (bench/plan-output.ts).
 */
const CHUNK = 1 << 16;

/** Lines appended to a string, handed out in pieces of about CHUNK. */
class TextOut {
  #text = '';

  line(s: string): void {
    this.#text += `${s}\n`;
  }

  /** Lines already joined, each ending with a newline. */
  lines(s: string): void {
    this.#text += s;
  }

  get full(): boolean {
    return this.#text.length >= CHUNK;
  }

  take(): string {
    const t = this.#text;
    this.#text = '';
    return t;
  }
}

/** The Details section's indentation: two spaces before an action's first line, four before the others. */
export const DETAIL_INDENT = { first: '  ', rest: '    ' } as const;

/** Chalk's painters, or the identity when there is no colour (no call into chalk per line). */
interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly redBold: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly yellowBold: (s: string) => string;
  readonly green: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const same = (s: string): string => s;
const PLAIN: Paint = { bold: same, dim: same, red: same, redBold: same, yellow: same, yellowBold: same, green: same, cyan: same };

function painter(color: boolean): Paint {
  if (!color) return PLAIN;
  const c: ChalkInstance = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, red: c.red, redBold: c.red.bold, yellow: c.yellow, yellowBold: c.yellow.bold, green: c.green, cyan: c.cyan };
}

/**
 * `renderText`'s text in pieces of about 64 KB, each ending with a newline (their concatenation
 * is renderText), so a caller writes a rendering of any size with flat memory and a few
 * hundred writes instead of one per line.
 */
export function* textChunks(plan: Plan, opts: TextOptions = {}): Generator<string, void, undefined> {
  const c = painter(opts.color ?? false);
  const out = new TextOut();
  const review = buildReview(plan);
  out.line(c.bold(`Pumphouse plan ${plan.plan_id}`));
  const facts = headerFacts(plan, opts);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) out.line(`  ${`${k}:`.padEnd(width + 1)} ${v}`);

  out.line('');
  out.line(c.bold(`Changes: ${plan.summary.total}`) + (plan.summary.total ? ` (${actionCounts(plan)})` : ''));
  if (plan.summary.total) out.line(`  by kind: ${kindCounts(plan)}`);
  out.line(`  ${totalsLine(plan, review)}`);

  for (const [title, list, colour] of [
    ['Irreversible', review.irreversible, c.redBold],
    ['Destructive', review.destructive, c.redBold],
    ['Downtime', review.downtime, c.yellowBold],
  ] as const) {
    if (list.length === 0) continue;
    out.line('');
    out.line(colour(`${title} (${list.length})`));
    for (const a of list) {
      const cost = impactText(a);
      out.line(`  ${paint(c, a)} ${a.address}${cost ? `  [${cost}]` : ''}  ${c.dim(a.reason.text)}`);
      if (out.full) yield out.take();
    }
  }

  if (review.groups.length > 0) {
    out.line('');
    out.line(c.bold('Actions'));
  }
  for (const g of review.groups) {
    out.line(`  ${g.type === 'global' ? 'global objects' : `${g.type} ${g.name}`} (${g.actions.length})`);
    for (const a of g.actions) {
      out.line(`    ${paint(c, a)} ${a.address}  ${c.dim(a.reason.text)}`);
      if (out.full) yield out.take();
    }
  }

  if (review.changes.length > (opts.detailsUpTo ?? Infinity)) {
    out.line('');
    out.line(c.bold('Details'));
    out.line(`  not printed for more than ${opts.detailsUpTo} changes; every action's detail: ${showCommand(opts)}`);
  } else if (review.changes.length > 0) {
    out.line('');
    out.line(c.bold('Details'));
    for (const g of review.groups) {
      for (const a of g.actions) {
        // A plan read for show has each block made as it was read (readPlanForShow).
        const made = a instanceof ShownAction ? a.textDetail() : undefined;
        if (made !== undefined) out.lines(made);
        else for (const l of detailLines(a, review, Infinity, DETAIL_INDENT)) out.line(l);
        if (out.full) yield out.take();
      }
    }
  }

  if (plan.drift.length > 0) {
    out.line('');
    out.line(c.bold(`Drift: ${plan.drift.length} object${plural(plan.drift.length)} changed outside pumphouse since the last apply`));
    for (const d of plan.drift) out.line(`  ${driftText(d)}`);
  }
  if (plan.diagnostics.length > 0) {
    out.line('');
    out.line(c.bold('Diagnostics'));
    for (const d of plan.diagnostics) {
      out.line(`  ${d.severity === 'error' ? c.red(diagnosticText(d)) : c.yellow(diagnosticText(d))}`);
      if (d.detail) out.line(`      ${d.detail}`);
    }
  }
  if (review.warnings.size > 0) {
    out.line('');
    out.line(c.bold('Warnings'));
    for (const [w, addresses] of review.warnings) {
      out.line(`  ${c.yellow(w)}`);
      out.line(`      ${addresses.length} object${plural(addresses.length)}: ${someOf(addresses, 5)}`);
      if (out.full) yield out.take();
    }
  }

  out.line('');
  if (plan.applyable) out.line(`To apply exactly this plan: ${applyCommand(opts)}`);
  else out.line(plan.summary.total === 0 ? 'No changes: the destination matches the manifest.' : 'This plan cannot be applied: fix the errors above and plan again.');
  yield out.take();
}

function paint(c: Paint, a: Action): string {
  const word = actionWord(a);
  if (a.impact.irreversible || a.impact.destructive) return c.red(word);
  switch (a.action) {
    case 'create':
    case 'grant':
      return c.green(word);
    case 'migrate':
    case 'update':
    case 'evacuate':
    case 'stop':
      return c.yellow(word);
    case 'delete':
    case 'revoke':
    case 'reassign':
      return c.red(word);
    default:
      return c.cyan(word);
  }
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
