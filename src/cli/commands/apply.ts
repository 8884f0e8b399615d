import { apply } from '../../app/index.js';
import { LIMIT_GROUPS, type ApplyLimits, type ApplyResult } from '../../apply/index.js';
import { PumphouseError, type ErrorCode, type Problem } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

/**
 * `pumphouse apply PLAN [-c config] [--state FILE] [--parallelism N] [--limit GROUP=N]...
 * [--expect-sha256 HEX] [--lock-timeout S]`: applies a reviewed plan. Progress goes through
 * the reporter (terminal bars or `--json` events). Exit codes, through main.ts: 0 when every
 * action is done; 1 when the plan is refused or an action failed (the error lists each
 * failed action with its code; the state is saved); 130 when interrupted (Ctrl-C: in-flight
 * steps finished, state saved; the same command continues).
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const planPath = args[0];
  if (!planPath) throw new PumphouseError('PH_USAGE', 'apply needs a plan file: pumphouse apply PLAN');
  const result = await apply({
    planPath,
    configPath: String(options.config ?? 'pumphouse.yaml'),
    statePath: String(options.state ?? 'pumphouse.state.json'),
    parallelism: wholeNumber(options.parallelism ?? '10', '--parallelism'),
    limits: parseLimits(options.limit),
    lockTimeoutS: duration(options.lockTimeout ?? '0'),
    ...(typeof options.expectSha256 === 'string' ? { expectSha256: options.expectSha256 } : {}),
    ...(typeof options.passwordsFile === 'string' ? { resetPasswordsPath: options.passwordsFile } : {}),
    ...(typeof options.ownerPasswordsFile === 'string' ? { ownerPasswordsPath: options.ownerPasswordsFile } : {}),
    reporter: ctx.reporter,
    signal: ctx.signal,
  });
  if (result.result === 'ok') return;
  throw outcomeError(result);
}

/**
 * The error main.ts prints for a run that did not finish: every failure with its code, and
 * every skipped action with the reason. PH_ABORTED (exit 130) when interrupted; otherwise the
 * failures' code when they share one, PH_PRECONDITION_FAILED when any precondition failed.
 */
export function outcomeError(r: ApplyResult): PumphouseError {
  const problems: Problem[] = [
    ...r.failures.map((f) => ({ message: `${f.address}: [${f.code}] ${f.message}` })),
    ...r.skipped.map((s) => ({ message: `${s.address}: skipped, ${s.because}` })),
  ];
  const saved = `the state is saved (${r.statePath}, serial ${r.serial})`;
  if (r.result === 'interrupted') {
    return new PumphouseError('PH_ABORTED', `interrupted: ${r.counts.interrupted} action(s) not finished; ${saved}; run the same apply again to continue`, {
      problems,
      details: { plan_id: r.planId, counts: r.counts },
    });
  }
  const failed = r.counts.failed + r.counts.precondition;
  const codes = [...new Set(r.failures.map((f) => f.code))];
  const code: ErrorCode = codes.length === 1 ? codes[0]! : codes.includes('PH_PRECONDITION_FAILED') ? 'PH_PRECONDITION_FAILED' : (codes[0] ?? 'PH_INTERNAL');
  return new PumphouseError(
    code,
    `${failed} action(s) failed and ${r.counts.skipped} were skipped (${r.counts.done} done now, ${r.counts.already} earlier); ${saved}. ` +
      'Fix the cause and run the same apply to continue, or make a new plan to see what remains',
    { problems, details: { plan_id: r.planId, counts: r.counts, codes } },
  );
}

function wholeNumber(value: unknown, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new PumphouseError('PH_USAGE', `${option} must be a whole number of at least 1, not '${String(value)}'`);
  return n;
}

/** Seconds, or a number with `s`, `m` or `h` (Terraform writes `-lock-timeout=5m`). */
function duration(value: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(String(value).trim());
  if (!m) throw new PumphouseError('PH_USAGE', `--lock-timeout must be seconds or a duration such as 30s or 5m, not '${String(value)}'`);
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

/** `--limit server=4 --limit transfer=2` -> { server: 4, transfer: 2 }. */
function parseLimits(value: unknown): ApplyLimits {
  const out: Record<string, number> = {};
  for (const item of Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]) {
    const m = /^([a-z_]+)=(.+)$/.exec(item);
    if (!m || !([...LIMIT_GROUPS, 'default'] as string[]).includes(m[1]!)) {
      throw new PumphouseError('PH_USAGE', `--limit takes GROUP=N with GROUP one of ${[...LIMIT_GROUPS, 'default'].join(', ')}; got '${item}'`);
    }
    out[m[1]!] = wholeNumber(m[2], `--limit ${m[1]}`);
  }
  return out;
}
