import type { FieldPath } from './field-path.js';

/**
 * A fast reader for the plain block YAML that configs and manifests are nearly always written
 * in (and that `pumphouse sim` and yaml's stringify write): block mappings and sequences, one
 * scalar per line (plain, or quoted without escapes), comments. It gives the same data, and
 * the same source offset for every path, as the `yaml` package's parseDocument + toJS with the
 * core schema; for anything else it gives up (undefined) and the caller parses with `yaml`,
 * which also words every syntax error. Why: at 10,000 tenants `yaml` took ~0.35 s to parse a
 * manifest the planner waits for; this takes a tenth of that (bench/plan-inputs.ts).
 *
 * Given up on (never guessed): tabs, carriage returns, a byte-order mark, directives and
 * document markers, flow collections, anchors, aliases, tags, block scalars, multi-line
 * scalars, double-quoted escapes, complex and merge keys, duplicate keys, keys that are not
 * strings in the core schema, `__proto__`, plain scalars that start with an indicator or look
 * like a number other than a plain decimal integer, and any line the structure does not expect.
 */
export interface PlainYaml {
  readonly data: unknown;
  /** The offset `yaml`'s Document gives the node at `path` (see yaml-input.ts's findOffset). */
  offsetOf(path: FieldPath, at: 'key' | 'value'): number;
  /** Offsets where lines start, as yaml's LineCounter holds them. */
  readonly lineStarts: readonly number[];
}

interface MapNode {
  readonly kind: 'map';
  readonly start: number;
  readonly entries: Map<string, { readonly keyStart: number; readonly value: Node }>;
}
interface SeqNode {
  readonly kind: 'seq';
  readonly start: number;
  readonly items: Node[];
}
interface ScalarNode {
  readonly kind: 'scalar';
  readonly start: number;
}
type Node = MapNode | SeqNode | ScalarNode;

/** One content line: where its text starts (after the indentation) and ends (before `\n`). */
interface Line {
  readonly indent: number;
  /** Offset of the first character after the indentation. */
  readonly at: number;
  readonly end: number;
}

class GiveUp extends Error {}

const giveUp = (): never => {
  throw new GiveUp();
};

/** Parses `text` when it is plain block YAML (see PlainYaml); undefined otherwise. */
export function parsePlainYaml(text: string): PlainYaml | undefined {
  if (/[\t\r\uFEFF]/.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch (err) {
    if (err instanceof GiveUp) return undefined;
    throw err;
  }
}

class Reader {
  readonly #text: string;
  readonly #lines: Line[] = [];
  readonly #lineStarts: number[] = [0];
  #next = 0;

  constructor(text: string) {
    this.#text = text;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      else this.#lineStarts.push(end + 1);
      let at = start;
      while (at < end && text.charCodeAt(at) === 32) at++;
      // Blank and comment-only lines carry nothing (a `#` after indentation starts a comment).
      if (at < end && text.charCodeAt(at) !== 35) {
        if (at === start && (text.startsWith('---', at) || text.startsWith('...', at) || text.charCodeAt(at) === 37)) giveUp();
        this.#lines.push({ indent: at - start, at, end });
      }
      start = end + 1;
    }
  }

  read(): PlainYaml {
    const first = this.#lines[0];
    if (!first || first.indent !== 0) giveUp();
    const root = this.#block(0);
    if (this.#next < this.#lines.length) giveUp();
    return {
      data: root.value,
      lineStarts: this.#lineStarts,
      offsetOf: (path, at) => offsetOf(root.node, path, at),
    };
  }

  /** The mapping or sequence whose first line is the next one, at exactly `indent`. */
  #block(indent: number): { node: Node; value: unknown } {
    const line = this.#lines[this.#next]!;
    if (line.indent !== indent) giveUp();
    return this.#isItem(line.at, line.end) ? this.#seq(indent) : this.#map(indent, line.at);
  }

  #isItem(at: number, end: number): boolean {
    return this.#text.charCodeAt(at) === 45 && (at + 1 === end || this.#text.charCodeAt(at + 1) === 32);
  }

  /** A block mapping whose keys start at column `indent` (the first one at `firstAt`). */
  #map(indent: number, firstAt: number): { node: MapNode; value: Record<string, unknown> } {
    const node: MapNode = { kind: 'map', start: firstAt, entries: new Map() };
    const value: Record<string, unknown> = {};
    // The first key may sit after `- ` on the line of a sequence item (a compact mapping).
    let at = firstAt;
    for (;;) {
      const line = this.#lines[this.#next]!;
      this.#next++;
      const { key, valueAt } = this.#key(at, line.end);
      if (node.entries.has(key) || key === '__proto__' || key === '<<') giveUp();
      const entry = this.#value(valueAt, line.end, indent, true);
      node.entries.set(key, { keyStart: at, value: entry.node });
      value[key] = entry.value;
      const next = this.#lines[this.#next];
      if (!next || next.indent < indent) break;
      if (next.indent > indent || this.#isItem(next.at, next.end)) giveUp();
      at = next.at;
    }
    return { node, value };
  }

  /** A block sequence whose `-` are at column `indent`. */
  #seq(indent: number): { node: SeqNode; value: unknown[] } {
    const node: SeqNode = { kind: 'seq', start: this.#lines[this.#next]!.at, items: [] };
    const value: unknown[] = [];
    for (;;) {
      const line = this.#lines[this.#next]!;
      let at = line.at + 1;
      while (at < line.end && this.#text.charCodeAt(at) === 32) at++;
      let item: { node: Node; value: unknown };
      if (at < line.end && this.#text.charCodeAt(at) !== 35 && this.#startsKey(at, line.end)) {
        // `- key: value`: a mapping whose keys are at the column of this first key.
        item = this.#map(indent + (at - line.at), at);
      } else {
        this.#next++;
        item = this.#value(at, line.end, indent, false);
      }
      node.items.push(item.node);
      value.push(item.value);
      const next = this.#lines[this.#next];
      if (!next || next.indent < indent) break;
      if (next.indent > indent) giveUp();
      // A mapping's value may be a sequence at the key's column: the next key ends it.
      if (!this.#isItem(next.at, next.end)) break;
    }
    return { node, value };
  }

  /**
   * The value after `key:` or `-` (from `at`, spaces skipped, to the end of the line): a
   * scalar, or nothing and then a nested block on the lines below (more indented; a mapping's
   * value may also be a sequence at the key's own column), or null.
   */
  #value(at: number, end: number, indent: number, inMap: boolean): { node: Node; value: unknown } {
    const t = this.#text;
    if (at < end && t.charCodeAt(at) !== 35) return this.#scalar(at, end);
    const next = this.#lines[this.#next];
    if (next && (next.indent > indent || (inMap && next.indent === indent && this.#isItem(next.at, next.end)))) {
      return this.#block(next.indent);
    }
    return { node: { kind: 'scalar', start: at }, value: null };
  }

  /** True when a `key:` starts at `at` on this line (the rest then is its value). */
  #startsKey(at: number, end: number): boolean {
    const c = this.#text.charCodeAt(at);
    if (c === 39 || c === 34) {
      const close = this.#text.indexOf(String.fromCharCode(c), at + 1);
      return close > 0 && close < end && this.#text.charCodeAt(close + 1) === 58;
    }
    return this.#keyEnd(at, end) >= 0;
  }

  /** Where the `:` ending a plain key is (followed by a space or the line's end), or -1. */
  #keyEnd(at: number, end: number): number {
    const t = this.#text;
    for (let i = at; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c === 58 && (i + 1 === end || t.charCodeAt(i + 1) === 32)) return i;
      if (c === 35 && t.charCodeAt(i - 1) === 32) return -1;
    }
    return -1;
  }

  /** The key starting at `at` and where its value starts (after `:` and spaces). */
  #key(at: number, end: number): { key: string; valueAt: number } {
    const t = this.#text;
    let key: string;
    let colon: number;
    const c = t.charCodeAt(at);
    if (c === 39 || c === 34) {
      const q = this.#quoted(at, end);
      if (t.charCodeAt(q.after) !== 58) giveUp();
      key = q.value;
      colon = q.after;
    } else {
      colon = this.#keyEnd(at, end);
      if (colon < 0) giveUp();
      key = t.slice(at, colon).trimEnd();
      if (typeof plainValue(key) !== 'string') giveUp();
    }
    let valueAt = colon + 1;
    if (valueAt < end && t.charCodeAt(valueAt) !== 32) giveUp();
    while (valueAt < end && t.charCodeAt(valueAt) === 32) valueAt++;
    return { key, valueAt };
  }

  /** A scalar filling the rest of the line (a trailing ` # comment` allowed). */
  #scalar(at: number, end: number): { node: ScalarNode; value: unknown } {
    const t = this.#text;
    const node: ScalarNode = { kind: 'scalar', start: at };
    const c = t.charCodeAt(at);
    if (c === 39 || c === 34) {
      const q = this.#quoted(at, end);
      let rest = q.after;
      while (rest < end && t.charCodeAt(rest) === 32) rest++;
      if (rest < end && !(t.charCodeAt(rest) === 35 && rest > q.after)) giveUp();
      return { node, value: q.value };
    }
    let stop = end;
    for (let i = at; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 35 && t.charCodeAt(i - 1) === 32) {
        stop = i;
        break;
      }
      // `: ` in a value would start a nested mapping, which YAML does not allow here.
      if (ch === 58 && (i + 1 === end || t.charCodeAt(i + 1) === 32)) giveUp();
    }
    return { node, value: plainValue(t.slice(at, stop).trimEnd()) };
  }

  /** A quoted scalar on one line: `'...'` (with `''`) or `"..."` without escapes. */
  #quoted(at: number, end: number): { value: string; after: number } {
    const t = this.#text;
    const quote = t.charCodeAt(at);
    let i = at + 1;
    let value = '';
    for (;;) {
      const close = t.indexOf(quote === 39 ? "'" : '"', i);
      if (close < 0 || close >= end) giveUp();
      value += t.slice(i, close);
      if (quote === 39 && t.charCodeAt(close + 1) === 39) {
        value += "'";
        i = close + 2;
        continue;
      }
      if (quote === 34 && value.includes('\\')) giveUp();
      return { value, after: close + 1 };
    }
  }
}

/** The core schema's numbers (yaml's schema/core int.js and float.js), and what it resolves as null or a boolean. */
const NUMBER = /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
const DECIMAL = /^(?:0|-?[1-9][0-9]{0,14})$/;

/**
 * A plain scalar's value in the core schema, for the forms handled here: null, booleans,
 * decimal integers without sign or leading zeros (and below 10^15), and strings that the
 * schema reads as nothing else. Gives up on other numbers and on indicators.
 */
function plainValue(s: string): unknown {
  if (s === '' || '-?:,[]{}#&*!|>\'"%@`'.includes(s[0]!)) {
    if (DECIMAL.test(s)) return Number(s);
    giveUp();
  }
  switch (s) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 46) {
    if (DECIMAL.test(s)) return Number(s);
    if (NUMBER.test(s)) giveUp();
  }
  return s;
}

/** yaml-input.ts's findOffset, over this reader's nodes. */
function offsetOf(root: Node, path: FieldPath, at: 'key' | 'value'): number {
  let node: Node | undefined = root;
  let offset = root.start;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    let next: Node | undefined;
    let keyOffset: number | undefined;
    if (node?.kind === 'map') {
      const entry = node.entries.get(String(seg));
      if (entry) {
        keyOffset = entry.keyStart;
        next = entry.value;
      }
    } else if (node?.kind === 'seq' && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined && keyOffset === undefined) return offset;
    if (i === path.length - 1 && at === 'key' && keyOffset !== undefined) return keyOffset;
    offset = next?.start ?? keyOffset ?? offset;
    node = next;
  }
  return offset;
}
