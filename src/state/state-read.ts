import { readFile } from 'node:fs/promises';
import { PumphouseError } from '../errors/index.js';
// The plan file's chunked reader knows nothing of plans: a JSON object read member by
// member, arrays item by item. The state file has the same shape and the same problem.
import { readObjectInChunks, type ChunkedObject } from '../json/read-in-chunks.js';
import { jsonErrorPosition } from './json-position.js';

const READ_CHUNK = 1 << 20;
/** Up to this size a malformed file is read again whole, for JSON.parse's exact message and column. */
const WHOLE_TEXT_LIMIT = 256 << 20;

/**
 * Parses the state file at `path` without ever holding its whole text: the bytes are read
 * in 1 MiB chunks and each top-level member, and each item of an array member (objects,
 * temporaries, history), goes to JSON.parse on its own. The result is what JSON.parse of
 * the whole text gives. Answers undefined when there is no file.
 * Errors: PH_STATE_IO (unreadable), PH_STATE_INVALID (not a JSON object: with line and
 * column, or for files over 256 MiB the line of the value it was in).
 */
export async function readStateValue(path: string): Promise<unknown> {
  let read: ChunkedObject;
  try {
    read = await readObjectInChunks(path, READ_CHUNK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PumphouseError('PH_STATE_IO', `could not read the state file (${errCode(err)})`, { cause: err, location: { file: path } });
  }
  const { record, issue, size } = read;
  if (issue === undefined) return record;
  if (size <= WHOLE_TEXT_LIMIT) return parseWhole(await readFile(path, 'utf8'), path);
  const what = issue.kind === 'not-object' ? 'does not hold a JSON object' : `is not valid JSON: ${issue.message} (in the value starting at byte ${issue.offset})`;
  throw new PumphouseError('PH_STATE_INVALID', `the state file ${what}`, { cause: issue, location: { file: path, line: issue.line } });
}

/** JSON.parse with the error turned into PH_STATE_INVALID at line:column. */
function parseWhole(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = jsonErrorPosition(text);
    throw new PumphouseError('PH_STATE_INVALID', `the state file is not valid JSON: ${(err as Error).message.split('\n')[0] ?? ''}`, {
      cause: err,
      location: { file, ...at },
    });
  }
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}
