/**
 * The original tool took the config first: `pumphouse config.yaml migrate ...`. Operators'
 * scripts still do, so that form is rewritten to `pumphouse migrate ... --config config.yaml`.
 * Global flags may come before the config (`pumphouse --json config.yaml migrate ...`): they
 * are kept in front of the verb, where commander reads the program's own options.
 */
const SEED_VERBS = new Set(['migrate', 'evacuate', 'reassign', 'setup', 'cleanup', 'get_resources']);

/** The program's options (src/cli/program.ts): none of them takes a value. */
const GLOBAL_FLAGS = new Set(['--json', '--debug', '-v', '--verbose', '--no-color']);

export function rewriteSeedArgv(args: readonly string[]): string[] {
  let i = 0;
  while (i < args.length && GLOBAL_FLAGS.has(args[i]!)) i++;
  const first = args[i];
  const second = args[i + 1];
  if (first && second && /\.ya?ml$/i.test(first) && !first.startsWith('-') && SEED_VERBS.has(second)) {
    return [...args.slice(0, i), second, ...args.slice(i + 2), '--config', first];
  }
  return [...args];
}
