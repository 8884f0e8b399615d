import type { Writable } from 'node:stream';
import { migrate, type MigrateWhat, type VerbResult } from '../../app/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { outcomeError } from './apply.js';

const WHATS: Readonly<Record<string, MigrateWhat>> = { images: 'images', identity: 'identity', resources: 'resources', servers: 'resources', volumes: 'volumes' };

/**
 * `pumphouse [CONFIG] migrate images|identity|resources|volumes --ids ID... [-c CONFIG]
 * [--state FILE] [--parallelism N]`: the original's verb. Plans exactly those objects (and
 * what they need), saves the plan next to the state, prints its path and sha256, and applies
 * it at once, with apply's events and exit codes (0 done, 1 failed or refused, 130
 * interrupted). `servers` is the original's name for `resources`.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const what = WHATS[args[0] ?? ''];
  if (!what) throw new PumphouseError('PH_USAGE', `migrate takes images, identity, resources or volumes, not '${args[0] ?? ''}'`);
  const ids = Array.isArray(options.ids) ? options.ids.map(String) : [];
  if (ids.length === 0) throw new PumphouseError('PH_USAGE', `migrate ${what} needs the source ids: pumphouse migrate ${what} --ids ID...`);
  const result = await migrate({ what, ids, ...verbOptions(options, ctx) });
  await finishVerb(result, ctx);
}

/** The options every verb command shares. */
export function verbOptions(options: Record<string, unknown>, ctx: CommandContext) {
  const parallelism = Number(options.parallelism ?? 10);
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new PumphouseError('PH_USAGE', `--parallelism must be a whole number of at least 1, not '${String(options.parallelism)}'`);
  }
  return {
    configPath: String(options.config ?? 'pumphouse.yaml'),
    statePath: String(options.state ?? 'pumphouse.state.json'),
    parallelism,
    reporter: ctx.reporter,
    signal: ctx.signal,
  };
}

/** Where the plan is kept, then apply's outcome (a failed or interrupted run is thrown for main.ts). */
export async function finishVerb(result: VerbResult, ctx: CommandContext): Promise<void> {
  if (!ctx.json) {
    const { counts } = result.applied;
    await write(
      ctx.stdout,
      [
        `Plan kept for the record: ${result.planPath}`,
        `  plan id: ${result.plan.plan_id}`,
        `  sha256:  ${result.sha256}`,
        `Applied: ${counts.done} done, ${counts.already} already done, ${counts.failed + counts.precondition} failed, ${counts.skipped} skipped.`,
        '',
      ].join('\n'),
    );
  }
  if (result.applied.result !== 'ok') throw outcomeError(result.applied);
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())));
}
