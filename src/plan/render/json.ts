import { canonicalJson } from '../canonical.js';
import type { Plan } from '../types.js';

/**
 * The plan as canonical JSON (sorted keys, one-space indent, trailing newline), without the
 * file's `checksum`: the machine view for scripts and the API. Same plan, same text.
 */
export function renderJson(plan: Plan): string {
  const { checksum: _file, ...rest } = plan as Plan & { checksum?: string };
  return canonicalJson(rest);
}
