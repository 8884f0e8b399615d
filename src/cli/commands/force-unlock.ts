import type { CommandContext } from '../context.js';
import { forceUnlock } from '../../state/index.js';

/**
 * `pumphouse force-unlock LOCK_ID [--state FILE]`: removes a lock left by a killed run. Only
 * the lock with exactly that ID is removed; the ID is shown by the error of a refused lock.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const id = args[0] ?? '';
  const info = await forceUnlock(String(options.state), id, ctx.reporter);
  ctx.stdout.write(`Released lock ${info.ID} held by ${info.Who} (pid ${info.pid}) for '${info.Operation}' since ${info.Created}. ${info.Path} is unlocked.\n`);
}
