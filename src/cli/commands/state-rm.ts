import type { CommandContext } from '../context.js';
import { PumphouseError } from '../../errors/index.js';
import { markInterrupted, removeObjects, StateLock, StateStore, type HistoryEntry } from '../../state/index.js';

/**
 * `pumphouse state rm ADDRESS... [--state FILE]`: forgets objects (nothing is deleted in
 * any cloud). Takes the lock; every address must exist, or nothing is written.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const statePath = String(options.state);
  const timeoutMs = seconds(options.lockTimeout) * 1000;
  const lock = await StateLock.acquire(statePath, { operation: 'state rm', timeoutMs, reporter: ctx.reporter, signal: ctx.signal });
  const store = StateStore.open(statePath, { reporter: ctx.reporter });
  try {
    const started = new Date().toISOString();
    const { state } = await store.load();
    const known = new Set(state.objects.map((o) => o.address));
    const unknown = [...new Set(args)].filter((a) => !known.has(a));
    if (unknown.length > 0) {
      throw new PumphouseError('PH_NOT_FOUND', `no object at ${unknown.join(', ')}; nothing was removed`, {
        address: unknown[0],
        location: { file: store.path },
        problems: unknown.map((a) => ({ message: `no object at ${a}` })),
      });
    }
    // We hold the lock: an operation still marked running died without finishing.
    const { state: remaining, removed } = removeObjects(markInterrupted(state), args);
    const entry: HistoryEntry = {
      plan_id: null,
      operation: 'state rm',
      started_at: started,
      finished_at: new Date().toISOString(),
      result: 'ok',
      done: removed.length,
      failed: 0,
      serial_before: state.serial,
      serial_after: null,
    };
    const written = await store.write({ ...remaining, history: [...remaining.history, entry] });
    for (const o of removed) ctx.stdout.write(`Removed ${o.address} (${o.kind}, destination id ${o.destination_id ?? '-'})\n`);
    ctx.stdout.write(`Removed ${removed.length} object(s) from ${store.path} (serial ${written.serial}); nothing was changed in any cloud.\n`);
  } finally {
    await store.close();
    await lock.release();
  }
}

function seconds(value: unknown): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new PumphouseError('PH_USAGE', `--lock-timeout must be a number of seconds, not '${String(value)}'`);
  return n;
}
