import { evacuate } from '../../app/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';
import { finishVerb, verbOptions } from './migrate.js';

/**
 * `pumphouse [CONFIG] evacuate HOST [-c CONFIG] [--state FILE]`: disables nova-compute on the
 * source host and live-migrates what is left on it, through a saved plan applied at once.
 * Exit codes as apply's; an unknown host is PH_NOT_FOUND (exit 1) with nothing changed.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const host = args[0];
  if (!host) throw new PumphouseError('PH_USAGE', 'evacuate needs a host: pumphouse evacuate HOST');
  await finishVerb(await evacuate({ host, ...verbOptions(options, ctx) }), ctx);
}
