import { Chalk, type ChalkInstance } from 'chalk';
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
  someOf,
  totalsLine,
  type RenderOptions,
} from './describe.js';
import { buildReview } from './review.js';

export interface TextOptions extends RenderOptions {
  /** ANSI colours (a terminal that asked for them); default false. */
  readonly color?: boolean;
}

/**
 * The full human rendering, for a terminal or a log: header, counts, risky actions
 * (irreversible with host reprovisioning first, destructive, downtime), one line per object
 * grouped by tenant then host then global, every action's detail, drift, diagnostics and
 * warnings, and the command that applies the plan. Never truncated; deterministic. The text of
 * a plan of more than about 450,000 actions does not fit in one string: use `textLines`.
 */
export function renderText(plan: Plan, opts: TextOptions = {}): string {
  return `${[...textLines(plan, opts)].join('\n')}\n`;
}

/**
 * `renderText`'s lines one at a time, without their newlines (renderText is these lines, each
 * followed by a newline), so a caller can write a rendering of any size in pieces.
 */
export function* textLines(plan: Plan, opts: TextOptions = {}): Generator<string, void, undefined> {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const review = buildReview(plan);
  yield c.bold(`Pumphouse plan ${plan.plan_id}`);
  const facts = headerFacts(plan, opts);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) yield `  ${`${k}:`.padEnd(width + 1)} ${v}`;

  yield '';
  yield c.bold(`Changes: ${plan.summary.total}`) + (plan.summary.total ? ` (${actionCounts(plan)})` : '');
  if (plan.summary.total) yield `  by kind: ${kindCounts(plan)}`;
  yield `  ${totalsLine(plan, review)}`;

  yield* risky(c, 'Irreversible', review.irreversible, c.red);
  yield* risky(c, 'Destructive', review.destructive, c.red);
  yield* risky(c, 'Downtime', review.downtime, c.yellow);

  if (review.groups.length > 0) yield* ['', c.bold('Actions')];
  for (const g of review.groups) {
    yield `  ${g.type === 'global' ? 'global objects' : `${g.type} ${g.name}`} (${g.actions.length})`;
    for (const a of g.actions) yield `    ${paint(c, a)} ${a.address}  ${c.dim(a.reason.text)}`;
  }

  if (review.changes.length > 0) yield* ['', c.bold('Details')];
  for (const g of review.groups) {
    for (const a of g.actions) {
      const [first, ...rest] = detailLines(a, review);
      yield `  ${first}`;
      for (const l of rest) yield `    ${l}`;
    }
  }

  if (plan.drift.length > 0) {
    yield* ['', c.bold(`Drift: ${plan.drift.length} object${plural(plan.drift.length)} changed outside pumphouse since the last apply`)];
    for (const d of plan.drift) yield `  ${driftText(d)}`;
  }
  if (plan.diagnostics.length > 0) {
    yield* ['', c.bold('Diagnostics')];
    for (const d of plan.diagnostics) {
      yield `  ${d.severity === 'error' ? c.red(diagnosticText(d)) : c.yellow(diagnosticText(d))}`;
      if (d.detail) yield `      ${d.detail}`;
    }
  }
  if (review.warnings.size > 0) {
    yield* ['', c.bold('Warnings')];
    for (const [w, addresses] of review.warnings) yield* [`  ${c.yellow(w)}`, `      ${addresses.length} object${plural(addresses.length)}: ${someOf(addresses, 5)}`];
  }

  yield '';
  if (plan.applyable) yield `To apply exactly this plan: ${applyCommand(opts)}`;
  else yield plan.summary.total === 0 ? 'No changes: the destination matches the manifest.' : 'This plan cannot be applied: fix the errors above and plan again.';
}

function* risky(c: ChalkInstance, title: string, list: readonly Action[], colour: ChalkInstance): Generator<string, void, undefined> {
  if (list.length === 0) return;
  yield* ['', colour.bold(`${title} (${list.length})`)];
  for (const a of list) {
    const cost = impactText(a);
    yield `  ${paint(c, a)} ${a.address}${cost ? `  [${cost}]` : ''}  ${c.dim(a.reason.text)}`;
  }
}

function paint(c: ChalkInstance, a: Action): string {
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

