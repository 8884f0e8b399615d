import { formatLocation, PumphouseError, redactUrl, toPumphouseError } from '../errors/index.js';
import { boundHeapGrowth } from './heap-growth.js';
import { buildProgram } from './program.js';
import { rewriteSeedArgv } from './seed-argv.js';

/**
 * The only place that prints errors and exits. Exit codes: 0 ok, 1 error, 2 changes present
 * (plan --detailed-exitcode), 130 interrupted.
 */
export async function main(argv: readonly string[]): Promise<number> {
  boundHeapGrowth();
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\ninterrupt: finishing in-flight steps and saving state (Ctrl-C again to abort at once)\n');
    controller.abort(new PumphouseError('PH_ABORTED', 'interrupted by the operator'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  try {
    const program = buildProgram(controller.signal);
    await program.parseAsync(rewriteSeedArgv(argv), { from: 'user' });
    return program.exitCodeFromCommand();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      const exit = (err as { exitCode?: number }).exitCode ?? 1;
      return exit;
    }
    const e = toPumphouseError(err);
    printError(e, { debug, json });
    return e.code === 'PH_ABORTED' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function printError(e: PumphouseError, opts: { debug: boolean; json: boolean }): void {
  if (opts.json) {
    const line = {
      '@level': 'error',
      '@message': redactUrl(e.message),
      '@timestamp': new Date().toISOString(),
      type: 'diagnostic',
      severity: 'error',
      code: e.code,
      source: e.source,
      location: e.location,
      address: e.address,
      problems: e.problems.map((p) => ({ message: redactUrl(p.message), location: p.location })),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return;
  }
  const where = formatLocation(e.location);
  const lines = [`error [${e.code}]: ${where ? `${where}: ` : ''}${e.message}`];
  for (const p of e.problems) {
    const at = formatLocation(p.location);
    lines.push(`  - ${at ? `${at}: ` : ''}${p.message}`);
  }
  if (e.source === 'internal') lines.push('This is a bug in Pumphouse; please report it with the output of --debug.');
  if (opts.debug) {
    lines.push(e.stack ?? '');
    let cause = e.cause;
    while (cause) {
      lines.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  process.stderr.write(`${redactUrl(lines.join('\n'))}\n`);
}
