import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { PumphouseError, type ErrorCode, type SourceLocation } from '../../errors/index.js';
import { formatField, type FieldPath } from './field-path.js';
import { invalidInput } from './invalid-input.js';

/** A parsed YAML file that still knows where each value came from. */
export interface YamlInput {
  /** The path as the operator gave it (used in messages). */
  readonly file: string;
  readonly absolutePath: string;
  readonly text: string;
  /** Plain JS data (anchors, aliases and `<<` merge keys resolved). */
  readonly data: unknown;
  /**
   * Where the value at `path` sits (or its key, with `at: 'key'`). A path that does not exist
   * (a missing key, a value that came through a merge key) falls back to its nearest
   * existing parent, so every problem still gets a line.
   */
  locate(path: FieldPath, at?: 'key' | 'value'): SourceLocation;
}

export interface ReadYamlOptions {
  /** Word for messages: `config`, `manifest`, `clouds.yaml`. */
  readonly what: string;
  readonly notFound: ErrorCode;
  readonly invalid: ErrorCode;
  /** Base for relative paths; default process.cwd(). */
  readonly cwd?: string;
}

/** Reads and parses a YAML file; a missing file and a syntax error become PumphouseErrors. */
export async function readYamlInput(file: string, options: ReadYamlOptions): Promise<YamlInput> {
  const absolutePath = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PumphouseError(options.notFound, `${options.what} file does not exist`, { location: { file }, cause: err });
    }
    throw new PumphouseError(options.invalid, `${options.what} file cannot be read (${code ?? 'error'})`, { location: { file }, cause: err });
  }
  return parseYamlInput(file, absolutePath, text, options);
}

/** Parses YAML text; on a syntax error throws `options.invalid` with the line and column. */
export function parseYamlInput(file: string, absolutePath: string, text: string, options: ReadYamlOptions): YamlInput {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const at = nodeAt(doc, first.pos[0]);
    // An unclosed quote is reported at the end of the file; point at where the value starts.
    const offset = first.code === 'MISSING_CHAR' && /quote/.test(first.message) && at ? at.start : first.pos[0];
    const { line, col } = lineCounter.linePos(offset);
    const location: SourceLocation = { file, line, column: col, ...(at && at.path.length > 0 ? { field: formatField(at.path) } : {}) };
    // Only the first syntax error: the ones after it are nearly always its echoes.
    const problem = { message: `YAML syntax error: ${syntaxMessage(first.code, first.message)}`, location };
    throw invalidInput(options.invalid, options.what, file, [problem], 'is not valid YAML');
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  return {
    file,
    absolutePath,
    text,
    data,
    locate(path, at = 'value') {
      const offset = findOffset(doc, path, at);
      const { line, col } = lineCounter.linePos(offset);
      return { file, line, column: col, ...(path.length > 0 ? { field: formatField(path) } : {}) };
    },
  };
}

/** yaml's messages sometimes quote the source text, which may be a secret: keep only the gist. */
function syntaxMessage(code: string, message: string): string {
  if (code === 'BAD_DQ_ESCAPE') return 'invalid escape sequence in a double-quoted string';
  const cut = /^(Unresolved plain scalar|Block scalar header includes extra characters|Not a valid tag|Could not resolve tag)/.exec(message);
  if (cut) return cut[1]!;
  if (code === 'DUPLICATE_KEY') return 'duplicate key (each key may appear once in a mapping)';
  return message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

function findOffset(doc: Document, path: FieldPath, at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) node = node.resolve(doc);
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyValue(p.key) === String(seg));
      if (pair) {
        keyOffset = rangeStart(pair.key);
        next = pair.value;
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined && keyOffset === undefined) return offset;
    const last = i === path.length - 1;
    if (last && at === 'key' && keyOffset !== undefined) return keyOffset;
    // `key:` with nothing after it has a null value without a range: point at the key.
    offset = rangeStart(next) ?? keyOffset ?? offset;
    node = next;
  }
  return offset;
}

/** The innermost node whose range holds `offset`, with its path: gives syntax errors a field. */
function nodeAt(doc: Document, offset: number): { path: (string | number)[]; start: number } | undefined {
  const within = (n: unknown): boolean => {
    const r = (n as Node | null | undefined)?.range;
    return r !== undefined && r !== null && r[0] <= offset && offset <= r[1];
  };
  let node: unknown = doc.contents;
  if (!within(node)) return undefined;
  const path: (string | number)[] = [];
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => within(p.key) || within(p.value));
      if (!pair) break;
      path.push(keyValue(pair.key) ?? '?');
      if (within(pair.key) || !pair.value) return { path, start: rangeStart(pair.key) ?? 0 };
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within(item));
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return { path, start: rangeStart(node) ?? 0 };
}

function keyValue(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
