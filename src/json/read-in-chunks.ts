import { open } from 'node:fs/promises';
import { ObjectPieces, SyntaxIssue, type ObjectPiecesOptions } from './object-pieces.js';

/**
 * What readObjectInChunks saw: the object (what JSON.parse of the whole text gives), or the
 * first problem that kept the text from being one. `size`: bytes in the file (all of them are
 * read, even after an issue).
 */
export type ChunkedObject =
  | { readonly record: Record<string, unknown>; readonly issue: undefined; readonly size: number }
  | { readonly record: undefined; readonly issue: SyntaxIssue; readonly size: number };

/**
 * Reads the JSON object in the file at `path` through ObjectPieces, `chunkSize` bytes at a
 * time, so that neither its bytes nor its text are ever held whole (the plan and state files
 * both outgrow a JavaScript string). `onChunk` sees every chunk in order, those after a
 * syntax issue too (the plan reader hashes them all: a wrong expected digest is reported
 * before bad syntax); it must not keep the chunk, whose buffer is reused.
 * A syntax problem is answered as `issue`, not thrown, for the caller to word (or to re-read
 * a small file whole for JSON.parse's exact message). File-system errors (ENOENT, EACCES...)
 * are thrown as they come, for the caller to name the file. `options` go to ObjectPieces
 * (`onItem`: each item of a top-level array as it is parsed).
 */
export async function readObjectInChunks(
  path: string,
  chunkSize: number,
  onChunk?: (chunk: Uint8Array) => void,
  options?: ObjectPiecesOptions,
): Promise<ChunkedObject> {
  const pieces = new ObjectPieces(options);
  let issue: SyntaxIssue | undefined;
  let size = 0;
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkSize);
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      size += bytesRead;
      onChunk?.(chunk);
      if (!issue) issue = pushed(pieces, chunk);
    }
  } finally {
    await fh.close();
  }
  if (issue) return { record: undefined, issue, size };
  try {
    return { record: pieces.finish(), issue: undefined, size };
  } catch (err) {
    if (!(err instanceof SyntaxIssue)) throw err;
    return { record: undefined, issue: err, size };
  }
}

/** Pushes `chunk`, answering the SyntaxIssue that stops it (anything else is thrown on). */
function pushed(pieces: ObjectPieces, chunk: Uint8Array): SyntaxIssue | undefined {
  try {
    pieces.push(chunk);
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxIssue) return err;
    throw err;
  }
}
