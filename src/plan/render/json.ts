import { canonicalJson } from '../canonical.js';
import { canonicalChunks } from '../canonical-writer.js';
import type { Plan } from '../types.js';

/**
 * The plan as canonical JSON (sorted keys, one-space indent, trailing newline), without the
 * file's `checksum`: the machine view for scripts and the API. Same plan, same text.
 */
export function renderJson(plan: Plan): string {
  const { checksum: _file, ...rest } = plan as Plan & { checksum?: string };
  return canonicalJson(rest);
}

/** `renderJson`'s text as UTF-8 chunks of about 1 MB, for plans whose text does not fit in one string. */
export function jsonChunks(plan: Plan): Generator<Uint8Array, void, undefined> {
  const { checksum: _file, ...rest } = plan as Plan & { checksum?: string };
  return canonicalChunks(rest);
}
