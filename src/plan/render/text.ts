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
 * warnings, and the command that applies the plan. Never truncated; deterministic.
 */
export function renderText(plan: Plan, opts: TextOptions = {}): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const review = buildReview(plan);
  const out: string[] = [];
  out.push(c.bold(`Pumphouse plan ${plan.plan_id}`));
  const facts = headerFacts(plan, opts);
  const width = Math.max(...facts.map(([k]) => k.length));
  for (const [k, v] of facts) out.push(`  ${`${k}:`.padEnd(width + 1)} ${v}`);

  out.push('', c.bold(`Changes: ${plan.summary.total}`) + (plan.summary.total ? ` (${actionCounts(plan)})` : ''));
  if (plan.summary.total) out.push(`  by kind: ${kindCounts(plan)}`);
  out.push(`  ${totalsLine(plan, review)}`);

  risky(out, c, 'Irreversible', review.irreversible, c.red);
  risky(out, c, 'Destructive', review.destructive, c.red);
  risky(out, c, 'Downtime', review.downtime, c.yellow);

  if (review.groups.length > 0) out.push('', c.bold('Actions'));
  for (const g of review.groups) {
    out.push(`  ${g.type === 'global' ? 'global objects' : `${g.type} ${g.name}`} (${g.actions.length})`);
    for (const a of g.actions) out.push(`    ${paint(c, a)} ${a.address}  ${c.dim(a.reason.text)}`);
  }

  if (review.changes.length > 0) out.push('', c.bold('Details'));
  for (const a of review.groups.flatMap((g) => g.actions)) {
    const [first, ...rest] = detailLines(a, review);
    out.push(`  ${first}`, ...rest.map((l) => `    ${l}`));
  }

  if (plan.drift.length > 0) {
    out.push('', c.bold(`Drift: ${plan.drift.length} object${plural(plan.drift.length)} changed outside pumphouse since the last apply`));
    for (const d of plan.drift) out.push(`  ${driftText(d)}`);
  }
  if (plan.diagnostics.length > 0) {
    out.push('', c.bold('Diagnostics'));
    for (const d of plan.diagnostics) {
      out.push(`  ${d.severity === 'error' ? c.red(diagnosticText(d)) : c.yellow(diagnosticText(d))}`);
      if (d.detail) out.push(`      ${d.detail}`);
    }
  }
  if (review.warnings.size > 0) {
    out.push('', c.bold('Warnings'));
    for (const [w, addresses] of review.warnings) out.push(`  ${c.yellow(w)}`, `      ${addresses.length} object${plural(addresses.length)}: ${someOf(addresses, 5)}`);
  }

  out.push('');
  if (plan.applyable) out.push(`To apply exactly this plan: ${applyCommand(opts)}`);
  else out.push(plan.summary.total === 0 ? 'No changes: the destination matches the manifest.' : 'This plan cannot be applied: fix the errors above and plan again.');
  return `${out.join('\n')}\n`;
}

function risky(out: string[], c: ChalkInstance, title: string, list: readonly Action[], colour: ChalkInstance): void {
  if (list.length === 0) return;
  out.push('', colour.bold(`${title} (${list.length})`));
  for (const a of list) {
    const cost = impactText(a);
    out.push(`  ${paint(c, a)} ${a.address}${cost ? `  [${cost}]` : ''}  ${c.dim(a.reason.text)}`);
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

