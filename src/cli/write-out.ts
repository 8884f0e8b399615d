import type { Writable } from 'node:stream';

const BATCH = 1 << 20;

/**
 * Writes `text` and waits until it is handed to the OS: a large rendering piped into `less`
 * or a file must not be cut short when the process exits.
 */
export function writeText(out: Writable, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())));
}

/**
 * Writes each line followed by a newline, in batches of about 1 MB, waiting for each batch:
 * a rendering of any size (a 600,000-action plan's text does not fit in one string) goes out
 * with flat memory.
 */
export async function writeLines(out: Writable, lines: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  for (const line of lines) {
    batch.push(line);
    size += line.length + 1;
    if (size >= BATCH) {
      await writeText(out, `${batch.join('\n')}\n`);
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) await writeText(out, `${batch.join('\n')}\n`);
}

/** Writes byte chunks one after the other, waiting for each. */
export async function writeChunks(out: Writable, chunks: Iterable<Uint8Array>): Promise<void> {
  for (const chunk of chunks) await writeText(out, chunk);
}
