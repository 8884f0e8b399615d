import { PumphouseError } from '../../errors/index.js';
import { readPlanForShow, renderMarkdown, textChunks } from '../../plan/index.js';
import type { CommandContext } from '../context.js';
import { writeChunks, writeText } from '../write-out.js';

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
  // readPlan's checks and errors, with a lean plan: each action's detail is made as it is read
  // (text) or read back from a private copy of the file (markdown, json); a 600,000-action
  // plan's parsed actions are ~1 GB.
  const loaded = await readPlanForShow(path, { rendering: format });
  try {
    const facts = { sha256: loaded.sha256, path };
    // Text and JSON go out in pieces: a 600,000-action plan's rendering does not fit in one
    // string. Markdown is capped (60 KB) by design.
    if (format === 'json') await writeChunks(ctx.stdout, loaded.jsonChunks());
    else if (format === 'markdown') await writeText(ctx.stdout, renderMarkdown(loaded.plan, facts));
    else for (const chunk of textChunks(loaded.plan, { ...facts, color: ctx.color })) await writeText(ctx.stdout, chunk);
  } finally {
    loaded.close();
  }
}

function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}
