import { ACTION_TYPES, RESOURCE_KINDS } from '../kinds.js';
import { ShownAction } from '../shown-action.js';
import type { Action, Plan } from '../types.js';
import {
  actionCounts,
  applyCommand,
  detailLineCount,
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
import { buildReview, type Review } from './review.js';

export interface MarkdownOptions extends RenderOptions {
  /** Size cap in bytes (UTF-8); default 60,000, under GitHub's 65,535-character comments. */
  readonly maxBytes?: number;
  /** Risky actions listed per category before "and N more"; default 6 (first screen). */
  readonly riskyItems?: number;
}

/**
 * A run of lines kept or dropped together; `listing`/`detail` mark an action's listing line or
 * detail block. Once the cap is reached, detail blocks are only counted: `lines` is then empty
 * and `count` says how many there would be.
 */
interface Block {
  readonly lines: readonly string[];
  readonly count: number;
  readonly listing?: string;
  readonly detail?: string;
}

/** Set by renderMarkdown once a block did not fit: the blocks after it are only counted. */
interface Cut {
  counting: boolean;
}

const CAP_ITEMS = 30;

/** renderMarkdown's default size cap, bytes. */
export const MARKDOWN_MAX_BYTES = 60_000;

/**
 * Fewer bytes than any listing line has (`- stop \`\`: ` and a newline: the shortest action,
 * an empty address in a code span, an empty reason; no address or reason is that short).
 */
const LISTING_LINE_MIN_BYTES = 12;

/**
 * The most changes a plan can have for renderMarkdown(plan, { maxBytes }) to show the detail
 * of any action: every change's listing line comes before the first detail, and more of them
 * than this do not fit under the cap (what a reader holding only some actions whole relies on).
 */
export function markdownDetailsUpTo(maxBytes = MARKDOWN_MAX_BYTES): number {
  return Math.floor(maxBytes / LISTING_LINE_MIN_BYTES);
}

/**
 * A change-control ticket rendering: header, counts and risky actions first (they fit the
 * first ~40 lines whatever the plan's size), then one line per object grouped by tenant, host
 * and global, folded `<details>` per action, drift, diagnostics and warnings. The output never
 * exceeds `maxBytes`: when the listing or the details do not fit, whole blocks are left out,
 * and both the header and the cut say so, with how many lines and actions were dropped and the
 * command that shows everything. No colour, deterministic.
 */
export function renderMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const maxBytes = opts.maxBytes ?? MARKDOWN_MAX_BYTES;
  const review = buildReview(plan);
  const tail = tailLines(plan, review, opts);
  const cutAt: Cut = { counting: false };
  // Room kept for the two truncation notices, whose numbers are known only at the end.
  const reserve = 700;
  const fixedHead = headLines(plan, review, opts, null);
  let budget = maxBytes - bytes(fixedHead) - bytes(tail) - reserve;
  const kept: Block[] = [];
  let droppedLines = 0;
  for (const block of middleBlocks(review, cutAt)) {
    if (cutAt.counting) {
      droppedLines += block.count;
      continue;
    }
    const size = bytes(block.lines);
    if (size > budget) {
      // What follows is left out: the blocks after this one are only counted.
      cutAt.counting = true;
      droppedLines += block.count;
      continue;
    }
    budget -= size;
    kept.push(block);
  }
  if (!cutAt.counting) return finish([...fixedHead, ...kept.flatMap((b) => b.lines), ...tail]);

  const listed = new Set(kept.flatMap((b) => (b.listing ? [b.listing] : [])));
  const detailed = new Set(kept.flatMap((b) => (b.detail ? [b.detail] : [])));
  const unlisted = review.changes.length - listed.size;
  const undetailed = review.changes.length - detailed.size;
  const summary = `${droppedLines} line${droppedLines === 1 ? '' : 's'} left out: ${unlisted} of ${review.changes.length} actions not listed, ${undetailed} without details`;
  const head = headLines(plan, review, opts, `> **Truncated** to ${Math.round(maxBytes / 1000)} KB (${summary}); the end of the listing says where. Full plan: \`${showCommand(opts)}\``);
  const notice = `> **Truncated here.** ${summary}. Counts and risky actions above are complete. Full plan: \`${showCommand(opts)}\``;
  return finish([...head, ...kept.flatMap((b) => b.lines), '', notice, '', ...tail]);
}

function finish(lines: readonly string[]): string {
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function bytes(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
}

function headLines(plan: Plan, review: Review, opts: MarkdownOptions, truncated: string | null): string[] {
  const out = [`## Pumphouse plan \`${plan.plan_id}\``, ''];
  if (truncated) out.push(truncated, '');
  out.push('| | |', '|---|---|');
  for (const [k, v] of headerFacts(plan, opts)) out.push(`| ${k} | ${cell(v)} |`);
  out.push('', `### Changes: ${plan.summary.total}`, '');
  if (plan.summary.total > 0) {
    out.push(`- **by action**: ${actionCounts(plan)}`, `- **by kind**: ${kindCounts(plan)}`);
  }
  out.push(`- ${esc(totalsLine(plan, review))}`);
  const n = opts.riskyItems ?? 6;
  const any = review.irreversible.length + review.destructive.length + review.downtime.length;
  if (any > 0) out.push('', '### Risky actions');
  risky(out, 'Irreversible', review.irreversible, n);
  risky(out, 'Destructive', review.destructive, n);
  risky(out, 'Downtime', review.downtime, n);
  out.push('');
  return out;
}

function risky(out: string[], title: string, list: readonly Action[], n: number): void {
  if (list.length === 0) return;
  const kinds = RESOURCE_KINDS.map((k) => [k, list.filter((a) => a.kind === k).length] as const).filter(([, c]) => c > 0);
  out.push('', `**${title} (${list.length})**: ${kinds.map(([k, c]) => `${k} ${c}`).join(', ')}`);
  for (const a of list.slice(0, n)) {
    const cost = impactText(a);
    out.push(`- **${a.action}** ${code(a.address)}${cost ? ` (${cost})` : ''}: ${esc(a.reason.text)}`);
  }
  if (list.length > n) out.push(`- and ${list.length - n} more, each listed under Actions`);
}

function* middleBlocks(review: Review, cut: Cut): Generator<Block, void, undefined> {
  // One row per tenant/host first: if the listing must be cut, the scope is still all there.
  if (review.groups.length > 1) {
    yield lines(['### Scope', '', '| group | changes | by action |', '|---|---|---|']);
    for (const g of review.groups) {
      const by = ACTION_TYPES.map((t) => [t, g.actions.filter((a) => a.action === t).length] as const)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      yield lines([`| ${g.type === 'global' ? 'global objects' : `${g.type} ${code(g.name)}`} | ${g.actions.length} | ${by} |`]);
    }
    yield lines(['']);
  }
  if (review.groups.length > 0) yield lines(['### Actions', '']);
  for (const g of review.groups) {
    const title = g.type === 'global' ? 'global objects' : `${g.type} ${code(g.name)}`;
    yield lines(['', `#### ${title} (${g.actions.length})`, '']);
    for (const a of g.actions) yield { lines: [`- ${a.action} ${code(a.address)}: ${esc(a.reason.text)}`], count: 1, listing: a.id };
  }
  if (review.changes.length > 0) yield lines(['', '### Details', '']);
  for (const g of review.groups) {
    for (const a of g.actions) {
      // Past the cap only the count matters: the block's 6 lines around the detail's own.
      if (cut.counting) {
        yield { lines: [], count: 6 + countedDetailLines(a, review), detail: a.id };
        continue;
      }
      const body = detailLines(a, review, 5);
      const fence = body.some((l) => l.includes('```')) ? '````' : '```';
      yield lines([`<details><summary>${a.action} <code>${html(a.address)}</code></summary>`, '', `${fence}text`, ...body, fence, '', '</details>'], { detail: a.id });
    }
  }
}

/** detailLineCount(a, review), counted when the action was read where it could be (ShownAction). */
function countedDetailLines(a: Action, review: Review): number {
  return a instanceof ShownAction && a.detailLines >= 0 ? a.detailLines : detailLineCount(a, review);
}

function lines(l: readonly string[], marks: { readonly detail?: string } = {}): Block {
  return { lines: l, count: l.length, ...marks };
}

function tailLines(plan: Plan, review: Review, opts: MarkdownOptions): string[] {
  const out: string[] = [''];
  if (plan.drift.length > 0) {
    out.push(`### Drift: ${plan.drift.length} changed outside pumphouse since the last apply`, '');
    for (const d of plan.drift.slice(0, CAP_ITEMS)) out.push(`- ${esc(driftText(d))}`);
    if (plan.drift.length > CAP_ITEMS) out.push(`- and ${plan.drift.length - CAP_ITEMS} more`);
    out.push('');
  }
  if (plan.diagnostics.length > 0) {
    out.push('### Diagnostics', '');
    // Errors first: they are why a plan cannot be applied.
    const sorted = [...plan.diagnostics.filter((d) => d.severity === 'error'), ...plan.diagnostics.filter((d) => d.severity !== 'error')];
    for (const d of sorted.slice(0, CAP_ITEMS)) out.push(`- ${d.severity === 'error' ? '**error**' : 'warning'}: ${esc(diagnosticText(d).replace(/^(error|warning): /, ''))}${d.detail ? `. ${esc(d.detail)}` : ''}`);
    if (sorted.length > CAP_ITEMS) out.push(`- and ${sorted.length - CAP_ITEMS} more`);
    out.push('');
  }
  if (review.warnings.size > 0) {
    out.push('### Warnings', '');
    const all = [...review.warnings];
    for (const [w, addresses] of all.slice(0, CAP_ITEMS)) out.push(`- ${esc(w)}: ${addresses.length} object${addresses.length === 1 ? '' : 's'} (${esc(someOf(addresses, 3))})`);
    if (all.length > CAP_ITEMS) out.push(`- and ${all.length - CAP_ITEMS} more`);
    out.push('');
  }
  if (plan.applyable) out.push(`To apply exactly this plan: \`${applyCommand(opts)}\``);
  else out.push(plan.summary.total === 0 ? 'No changes: the destination matches the manifest.' : '**This plan cannot be applied**: fix the errors above and plan again.');
  return out;
}

/** Markdown-safe text: HTML and emphasis characters escaped. */
function esc(s: string): string {
  return s.replace(/[\\`*_[\]<>|&]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/** Text inside raw HTML (where markdown escapes would show literally). */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A table cell: escaped, and never breaking the row. */
function cell(s: string): string {
  return esc(s).replace(/\n/g, ' ');
}

/** An inline code span that survives backticks in the text. */
function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const tick = '`'.repeat(longest + 1);
  return longest > 0 ? `${tick} ${s} ${tick}` : `${tick}${s}${tick}`;
}
