import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { cleanup, type Asker } from '../../app/index.js';
import type { PumphouseEvent, Reporter } from '../../events/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

/**
 * `pumphouse [CONFIG] cleanup source|destination [--yes] [-c CONFIG] [--state FILE]`: lists
 * what setup or pumphouse made in that cloud, asks on a terminal (default no), then deletes it
 * in dependency order. Without a terminal (or with --json) it refuses unless --yes is given.
 * Exit codes: 0 deleted (or nothing to delete), 1 refused, cancelled or some deletion failed.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const side = args[0];
  if (side !== 'source' && side !== 'destination') throw new PumphouseError('PH_USAGE', `cleanup takes source or destination, not '${side ?? ''}'`);
  const stdin = process.stdin as Readable & { isTTY?: boolean };
  const interactive = Boolean(stdin.isTTY) && Boolean((ctx.stdout as { isTTY?: boolean }).isTTY) && !ctx.json;
  const result = await cleanup({
    cloud: side,
    configPath: String(options.config ?? 'pumphouse.yaml'),
    statePath: String(options.state ?? 'pumphouse.state.json'),
    yes: options.yes === true,
    ...(interactive ? { ask: terminalAsker(stdin, ctx.stdout) } : {}),
    // On a terminal the prompt itself shows the question.
    reporter: interactive ? withoutQuestions(ctx.reporter) : ctx.reporter,
    signal: ctx.signal,
  });
  if (result.cancelled) {
    ctx.exitCode = 1;
    return;
  }
  const failed = result.deletion?.failed ?? [];
  if (failed.length > 0) {
    const codes = [...new Set(failed.map((f) => f.code))];
    throw new PumphouseError(codes.length === 1 ? (codes[0] as PumphouseError['code']) : 'PH_CLOUD_HTTP', `cleanup could not delete ${failed.length} object(s); run it again once the cause is fixed`, {
      problems: failed.map((f) => ({ message: `${f.item.kind} ${f.item.name} (${f.item.id}): [${f.code}] ${f.message}` })),
    });
  }
}

/**
 * Asks on the terminal; only `y`/`yes` (any case) says yes, anything else (Enter included)
 * takes the default, which is the question's (no, for cleanup).
 */
export function terminalAsker(input: Readable, output: Writable): Asker {
  return async (question) => {
    const rl = createInterface({ input, output, terminal: false });
    try {
      const answer = (await rl.question(`${question.text} [${question.default === 'yes' ? 'Y/n' : 'y/N'}] `)).trim().toLowerCase();
      if (answer === 'y' || answer === 'yes') return 'yes';
      if (answer === 'n' || answer === 'no') return 'no';
      return question.default;
    } finally {
      rl.close();
    }
  };
}

function withoutQuestions(reporter: Reporter): Reporter {
  return {
    emit: (event: PumphouseEvent) => {
      if (event.type !== 'question') reporter.emit(event);
    },
    ...(reporter.close ? { close: () => reporter.close?.() } : {}),
  };
}
