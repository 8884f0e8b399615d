/**
 * The state file's text, `JSON.stringify(state, null, 2) + '\n'`, made and written in
 * pieces: a state of 600,000 objects is longer than the longest string V8 can make
 * (about 512 MiB), so the whole text must never exist at once. The bytes are exactly those
 * of the one-string form (tested against it), so files written before and after read and
 * diff the same.
 */

const INDENT = '  ';
/** Pieces are joined into strings of about this length before each write. */
const BATCH_CHARS = 1 << 20;

/**
 * The pieces of `JSON.stringify(value, null, 2)`, then `'\n'`. The top-level object and its
 * arrays are walked here (one piece per array item, re-indented: JSON text has no raw line
 * breaks inside strings, so prefixing every '\n' is exact); anything else (an item, a
 * scalar, an object with toJSON) is one JSON.stringify call. Same omissions as
 * JSON.stringify: members whose value is undefined, a function or a symbol are left out,
 * such array items become null.
 */
export function* stateTextPieces(value: unknown): Generator<string, void, undefined> {
  yield* pieces(value, '', 0);
  yield '\n';
}

function* pieces(value: unknown, indent: string, depth: number): Generator<string, void, undefined> {
  // Two levels (the state object, its arrays) are enough: below them every value is small.
  if (depth < 2 && Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    const inner = indent + INDENT;
    yield '[';
    for (let i = 0; i < value.length; i++) {
      yield i === 0 ? `\n${inner}` : `,\n${inner}`;
      const item: unknown = value[i];
      if (omitted(item)) yield 'null';
      else yield* pieces(item, inner, depth + 1);
    }
    yield `\n${indent}]`;
    return;
  }
  if (depth < 2 && isPlainObject(value)) {
    const inner = indent + INDENT;
    let first = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      if (omitted(member)) continue;
      yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
      first = false;
      yield* pieces(member, inner, depth + 1);
    }
    yield first ? '{}' : `\n${indent}}`;
    return;
  }
  const text = JSON.stringify(value, null, 2);
  yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** An object JSON.stringify would walk member by member (no toJSON, not a boxed value). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** `pieces` joined into strings of about 1 MiB: few, large writes. */
export function* batched(pieces: Iterable<string>): Generator<string, void, undefined> {
  let parts: string[] = [];
  let length = 0;
  for (const p of pieces) {
    parts.push(p);
    length += p.length;
    if (length >= BATCH_CHARS) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}
