/**
 * The original tool took the config first: `pumphouse config.yaml migrate ...`. Operators'
 * scripts still do, so that form is rewritten to `pumphouse migrate ... -c config.yaml`.
 */
const SEED_VERBS = new Set(['migrate', 'evacuate', 'reassign', 'setup', 'cleanup', 'get_resources']);

export function rewriteSeedArgv(args: readonly string[]): string[] {
  const [first, second, ...rest] = args;
  if (first && second && /\.ya?ml$/i.test(first) && !first.startsWith('-') && SEED_VERBS.has(second)) {
    return [second, ...rest, '--config', first];
  }
  return [...args];
}
