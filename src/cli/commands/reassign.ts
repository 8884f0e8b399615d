import { reassign } from '../../app/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { finishVerb, verbOptions } from './migrate.js';

/**
 * `pumphouse [CONFIG] reassign HOST [-c CONFIG] [--state FILE]`: evacuates the host, then
 * moves it in Fuel from the source environment to the destination one, through a saved plan
 * applied at once. Exit codes as apply's; an unknown host is PH_NOT_FOUND (exit 1).
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const host = args[0];
  if (!host) throw new PumphouseError('PH_USAGE', 'reassign needs a host: pumphouse reassign HOST');
  await finishVerb(await reassign({ host, ...verbOptions(options, ctx) }), ctx);
}
