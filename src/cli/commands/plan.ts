import { plan } from '../../app/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { EventType, PumphouseEvent, Reporter } from '../../events/index.js';
import { textChunks, type Plan, type PlanIdentity } from '../../plan/index.js';
import type { CommandContext } from '../context.js';
import { writeLines, writeText } from '../write-out.js';

/**
 * Test-only: `{"plan_id": "...", "created_at": "..."}` fixes the plan's identity (and the
 * discovery times), so two plans of unchanged clouds are byte-identical. Not an option on
 * purpose: operators have no use for it and a fixed plan id defeats apply's bookkeeping.
 */
export const FIXED_IDENTITY_ENV = 'PUMPHOUSE_TEST_PLAN_IDENTITY';

/** Events whose content the text rendering shows; a terminal does not need them twice. */
const RENDERED: ReadonlySet<EventType> = new Set(['planned_change', 'diagnostic', 'change_summary', 'plan_written']);

/**
 * `pumphouse plan [-c CONFIG] [-m MANIFEST] [--state FILE] [-o FILE] [--detailed-exitcode]
 * [--target ADDR]... [--exclude ADDR]...`: discovers both clouds, plans, writes the plan file
 * when asked, and prints the text rendering followed by where the plan went (plan id, sha256;
 * the rendering ends with the exact apply command). With `--json` only the events are
 * written. Exit codes: 1 when the plan has error diagnostics (it is still rendered, and
 * written, for review); with `--detailed-exitcode`, otherwise 2 when it has changes, 0 when not.
 */
export async function run(_args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const out = typeof options.out === 'string' && options.out !== '' ? options.out : undefined;
  const identity = fixedIdentity();
  const result = await plan({
    configPath: String(options.config),
    manifestPath: String(options.manifest),
    statePath: String(options.state),
    ...(out ? { out } : {}),
    targets: strings(options.target),
    excludes: strings(options.exclude),
    reporter: ctx.json ? ctx.reporter : withoutRendered(ctx.reporter),
    signal: ctx.signal,
    ...(identity ? { identity } : {}),
  });
  const p = result.plan;
  const errors = p.diagnostics.some((d) => d.severity === 'error');
  if (!ctx.json) {
    await printPlan(p, { ...(result.path ? { path: result.path } : {}), ...(result.sha256 ? { sha256: result.sha256 } : {}) }, ctx);
    const lines = [''];
    if (result.path && result.sha256) {
      lines.push(`Saved the plan to: ${result.path}`, `  plan id: ${p.plan_id}`, `  sha256:  ${result.sha256}`);
    } else if (result.hasChanges) {
      lines.push(`Note: no plan file was saved (plan id ${p.plan_id}). Run again with --out FILE to save one: only a saved plan can be applied.`);
    }
    if (errors) lines.push('The plan has errors (see Diagnostics): fix them and plan again.');
    else if (!result.hasChanges) lines.push('No changes.');
    await writeLines(ctx.stdout, lines);
  }
  if (errors) ctx.exitCode = 1;
  else if (options.detailedExitcode === true) ctx.exitCode = result.hasChanges ? 2 : 0;
}

/**
 * Plans of more changes than this are printed without their Details section (a line gives
 * `pumphouse show PLAN --format text` instead): summary, risky actions and one line per object
 * are what a terminal can show for 600,000 actions (10.7 million lines with details, ~600 MB).
 * 10,000 changes is about 170 tenants of 10 servers, ~170,000 lines of detail.
 */
export const PLAN_DETAILS_UP_TO = 10_000;

/**
 * Writes the plan's text rendering to `ctx.stdout` (what `pumphouse plan` prints before where
 * the plan went), in pieces, awaiting each: a 600,000-action plan's text does not fit in one
 * string. Details only up to PLAN_DETAILS_UP_TO changes.
 */
export async function printPlan(p: Plan, saved: { readonly path?: string; readonly sha256?: string }, ctx: Pick<CommandContext, 'stdout' | 'color'>): Promise<void> {
  for (const chunk of textChunks(p, { color: ctx.color, detailsUpTo: PLAN_DETAILS_UP_TO, ...saved })) await writeText(ctx.stdout, chunk);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function fixedIdentity(): PlanIdentity | undefined {
  const raw = process.env[FIXED_IDENTITY_ENV];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const o = parsed as Partial<PlanIdentity> | undefined;
  if (typeof o?.plan_id !== 'string' || typeof o.created_at !== 'string' || Number.isNaN(Date.parse(o.created_at))) {
    throw new PumphouseError('PH_USAGE', `${FIXED_IDENTITY_ENV} must be {"plan_id": "<uuid>", "created_at": "<RFC 3339 time>"}`);
  }
  return { plan_id: o.plan_id, created_at: o.created_at };
}

function withoutRendered(reporter: Reporter): Reporter {
  return {
    emit: (event: PumphouseEvent) => {
      if (!RENDERED.has(event.type)) reporter.emit(event);
    },
    accepts: (type) => !RENDERED.has(type) && (reporter.accepts?.(type) ?? true),
    ...(reporter.close ? { close: () => reporter.close?.() } : {}),
  };
}
