import type { Writable } from 'node:stream';
import { PumphouseError } from '../../errors/index.js';
import { readPlan, renderJson, renderMarkdown, renderText } from '../../plan/index.js';
import type { CommandContext } from '../context.js';

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

/**
 * `pumphouse show PLAN [--format text|markdown|json]`: reads and verifies the plan file
 * (integrity, format and tool version, schema, secret scan) and writes its rendering to
 * stdout. Any problem with the file is a PumphouseError (main.ts prints it, exit 1).
 * Text is coloured only on a terminal without NO_COLOR.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const path = args[0];
  if (!path) throw new PumphouseError('PH_USAGE', 'show needs a plan file: pumphouse show PLAN');
  const format = String(options.format ?? 'text');
  if (!isFormat(format)) throw new PumphouseError('PH_USAGE', `unknown format '${format}': use ${FORMATS.join(', ')}`);
  const loaded = await readPlan(path);
  const facts = { sha256: loaded.sha256, path };
  const text =
    format === 'json'
      ? renderJson(loaded.plan)
      : format === 'markdown'
        ? renderMarkdown(loaded.plan, facts)
        : renderText(loaded.plan, { ...facts, color: ctx.color });
  await write(ctx.stdout, text);
}

function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

// Waits for the data to be handed to the OS: a large plan piped into `less` or a file must
// not be cut short when the process exits.
function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())));
}
