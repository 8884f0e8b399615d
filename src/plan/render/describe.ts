import { ACTION_TYPES, RESOURCE_KINDS } from '../kinds.js';
import type { Action, CloudEndpoint, Diagnostic, DriftItem, Plan, Precondition } from '../types.js';
import { attributeLineCount, attributeLines, formatBytes, formatDuration } from './format.js';
import type { Review } from './review.js';

/** Options every renderer takes. */
export interface RenderOptions {
  /** sha256 of the plan file bytes (readPlan's `sha256`), shown in the header and the apply command. */
  readonly sha256?: string;
  /** Path of the plan file, used in the commands the rendering suggests. */
  readonly path?: string;
}

/** Header facts as `[label, value]`, in the order reviewers read them. */
export function headerFacts(plan: Plan, opts: RenderOptions): [string, string][] {
  const facts: [string, string][] = [];
  if (opts.sha256) facts.push(['plan sha256', opts.sha256]);
  facts.push(['made', `${plan.created_at} by pumphouse ${plan.pumphouse_version} (plan format ${plan.format_version})`]);
  facts.push(['manifest', `${plan.manifest.path} (desired state sha256 ${plan.manifest.sha256.slice(0, 16)}, file sha256 ${plan.manifest.text_sha256.slice(0, 16)})`]);
  facts.push(['source', `${endpoint(plan.config.source)}; observed ${plan.observed.source.at} (${plan.observed.source.calls} API calls)`]);
  facts.push(['destination', `${endpoint(plan.config.destination)}; observed ${plan.observed.destination.at} (${plan.observed.destination.calls} API calls)`]);
  const fuel = plan.config.fuel;
  if (fuel) {
    const envs = fuel.source_environment !== undefined || fuel.destination_environment !== undefined
      ? `, environment ${fuel.source_environment ?? '?'} to ${fuel.destination_environment ?? '?'}`
      : '';
    const seen = plan.observed.fuel ? `; observed ${plan.observed.fuel.at} (${plan.observed.fuel.calls} API calls)` : '';
    facts.push(['fuel', `${fuel.url}${envs}${seen}`]);
  }
  facts.push(['prior state', plan.prior_state ? `lineage ${plan.prior_state.lineage}, serial ${plan.prior_state.serial}` : 'none (first plan)']);
  if (plan.options.targets.length > 0) facts.push(['targets', plan.options.targets.join(', ')]);
  if (plan.options.excludes.length > 0) facts.push(['excludes', plan.options.excludes.join(', ')]);
  facts.push(['status', status(plan)]);
  return facts;
}

function endpoint(e: CloudEndpoint): string {
  const bits = [e.release, e.networking, e.identity_api ? `Keystone ${e.identity_api}` : undefined, e.region].filter(Boolean);
  return `${e.auth_url}${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

function status(plan: Plan): string {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const parts = [plan.applyable ? 'applyable' : `NOT applyable${errors ? ` (${errors} error${errors > 1 ? 's' : ''})` : ' (no changes)'}`];
  parts.push(plan.complete ? 'complete' : 'incomplete: plan and apply again afterwards');
  return parts.join(', ');
}

/** `create 30, migrate 8, ...`: non-zero action counts in the standard order. */
export function actionCounts(plan: Plan): string {
  return ACTION_TYPES.filter((a) => a !== 'no-op' && plan.summary.by_action[a] > 0)
    .map((a) => `${a} ${plan.summary.by_action[a]}`)
    .join(', ');
}

/** `project 1, user 2, ...`: changes per kind in dependency order. */
export function kindCounts(plan: Plan): string {
  return RESOURCE_KINDS.filter((k) => (plan.summary.by_kind[k] ?? 0) > 0)
    .map((k) => `${k} ${plan.summary.by_kind[k]}`)
    .join(', ');
}

/** The one-line totals under the counts. */
export function totalsLine(plan: Plan, review: Review): string {
  const s = plan.summary;
  const downtime = review.changes.reduce((t, a) => t + (a.impact.downtime ? (a.impact.downtime_s ?? 0) : 0), 0);
  return [
    `data to copy ${formatBytes(s.bytes)}`,
    `servers with downtime ${s.downtime_servers}${downtime ? ` (sum of estimates ${formatDuration(downtime)})` : ''}`,
    `destructive ${s.destructive}`,
    `irreversible ${s.irreversible}`,
    `unchanged ${review.unchanged}`,
  ].join('; ');
}

/** Cost facts of an action: `downtime ~5m00s, 20.0 GiB, est. 6m`. Empty when nothing is known. */
export function impactText(a: Action): string {
  const bits: string[] = [];
  if (a.impact.downtime) bits.push(a.impact.downtime_s !== undefined ? `downtime ~${formatDuration(a.impact.downtime_s)}` : 'downtime');
  if (a.impact.bytes !== undefined) bits.push(formatBytes(a.impact.bytes));
  if (a.impact.estimate_s !== undefined) bits.push(`est. ${formatDuration(a.impact.estimate_s)}`);
  return bits.join(', ');
}

/** A listing line's parts: the action word padded for alignment, address, and the reason. */
export function actionWord(a: Action): string {
  return a.action.padEnd(8);
}

export function preconditionText(p: Precondition): string {
  if (p.must === 'match') {
    const fields = Object.keys(p.fields).sort().map((k) => `${k}=${JSON.stringify(p.fields[k])}`).join(', ');
    return `${p.cloud} ${p.ref} has ${fields}`;
  }
  return `${p.cloud} ${p.ref} is ${p.must}`;
}

/**
 * The folded detail of one action as plain lines (no markup): identity, reason, dependencies,
 * steps, impact, preconditions, attribute changes, warnings. The first line starts with
 * `indent.first`, the others with `indent.rest` and their own two spaces (none by default: the
 * text rendering indents while the lines are made rather than copying each line again).
 * `maxDeps` caps the dependency list (markdown); text shows them all.
 */
export function detailLines(a: Action, review: Pick<Review, 'addressOf'>, maxDeps = Infinity, indent: { readonly first: string; readonly rest: string } = NO_INDENT): string[] {
  const r = indent.rest;
  const out = [`${indent.first}${a.address}  ${a.action} ${a.kind}  (id ${a.id})`];
  out.push(`${r}  reason: ${a.reason.code}: ${a.reason.text}`);
  if (a.source) out.push(`${r}  source: ${a.source.name} (${a.source.cloud} id ${a.source.id})`);
  if (a.destination) {
    const d = a.destination;
    out.push(`${r}  destination: ${d.name} (${d.id !== undefined ? `${d.cloud ?? 'destination'} id ${d.id}` : 'new'})`);
  }
  if (a.depends_on.length > 0) {
    const deps = a.depends_on.map(review.addressOf).sort();
    out.push(`${r}  depends on: ${someOf(deps, maxDeps)}`);
  }
  if (a.steps.length > 0) out.push(`${r}  steps: ${a.steps.join(' > ')}`);
  const flags = [a.impact.irreversible && 'IRREVERSIBLE', a.impact.destructive && 'destructive', impactText(a)].filter(Boolean);
  if (flags.length > 0) out.push(`${r}  impact: ${flags.join(', ')}`);
  for (const p of a.preconditions) out.push(`${r}  check: ${preconditionText(p)}`);
  const attrs = attributeLines(a.before, a.after, review.addressOf, `${r}    `);
  if (attrs.lines.length > 0 || attrs.unchanged > 0) {
    out.push(`${r}  attributes:${attrs.unchanged ? ` (${attrs.unchanged} unchanged not shown)` : ''}`);
    for (const l of attrs.lines) out.push(l);
  }
  for (const w of a.warnings ?? []) out.push(`${r}  warning: ${w}`);
  return out;
}

const NO_INDENT = { first: '', rest: '' } as const;

/** `detailLines(a, review).length`, without making the lines (the values are not formatted). */
export function detailLineCount(a: Action, review: Pick<Review, 'addressOf'>): number {
  let n = 2;
  if (a.source) n++;
  if (a.destination) n++;
  if (a.depends_on.length > 0) n++;
  if (a.steps.length > 0) n++;
  if (a.impact.irreversible || a.impact.destructive || impactText(a) !== '') n++;
  n += a.preconditions.length;
  const attrs = attributeLineCount(a.before, a.after, review.addressOf);
  if (attrs.lines > 0 || attrs.unchanged > 0) n += 1 + attrs.lines;
  return n + (a.warnings?.length ?? 0);
}

/**
 * `detailLineCount(a, review)` for any review of a plan holding `a`, when the count does not
 * depend on how `$ref`s resolve to addresses (it does only where an attribute is on both
 * sides: two values are then compared as shown); -1 when it does. For a reader that counts
 * an action's lines while it holds the whole action, before the plan's ids are all known.
 */
export function detailLineCountWithoutRefs(a: Action): number {
  let resolved = false;
  const n = detailLineCount(a, {
    addressOf: (id) => {
      resolved = true;
      return id;
    },
  });
  return resolved ? -1 : n;
}

export function driftText(d: DriftItem): string {
  const fields = d.fields && d.fields.length > 0 ? ` [${d.fields.join(', ')}]` : '';
  return `${d.change} in ${d.cloud}: ${d.address}${fields}: ${d.text}`;
}

export function diagnosticText(d: Diagnostic): string {
  return `${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}`;
}

/** `a, b, c and 7 more`. */
export function someOf(items: readonly string[], max: number): string {
  const shown = items.slice(0, max);
  return `${shown.join(', ')}${items.length > shown.length ? ` and ${items.length - shown.length} more` : ''}`;
}

/** The command that applies this plan, pinned to its digest when known. */
export function applyCommand(opts: RenderOptions): string {
  return `pumphouse apply ${shellWord(opts.path ?? 'PLAN')}${opts.sha256 ? ` --expect-sha256 ${opts.sha256}` : ''}`;
}

/** The command that shows the whole plan as text. */
export function showCommand(opts: RenderOptions): string {
  return `pumphouse show ${shellWord(opts.path ?? 'PLAN')} --format text`;
}

function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
