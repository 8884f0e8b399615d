import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectPieces, SyntaxIssue, countNewlines } from '../../src/json/object-pieces.js';

/** Feeds `text` in chunks of `size` bytes (a reused buffer) with an item hook; the record and every hook call. */
function read(text: string, size: number): { record?: Record<string, unknown>; issue?: SyntaxIssue; calls: [string, unknown, number][] } {
  const calls: [string, unknown, number][] = [];
  const pieces = new ObjectPieces({ onItem: (key, items, index) => calls.push([key, items[index], index]) });
  const bytes = Buffer.from(text);
  const buffer = Buffer.alloc(size);
  try {
    for (let at = 0; at < bytes.length; at += size) {
      const n = bytes.copy(buffer, 0, at, at + size);
      pieces.push(buffer.subarray(0, n));
      buffer.fill(0x78);
    }
    return { record: pieces.finish(), calls };
  } catch (err) {
    if (err instanceof SyntaxIssue) return { issue: err, calls };
    throw err;
  }
}

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `a-${i}`, nested: { list: [i, { deep: '},\n  {' }], text: 'é😀"\\' }, empty: {} }));

describe('ObjectPieces: runs of indented array items', () => {
  test('indented text (1 and 2 spaces) in many chunk sizes is what JSON.parse gives; each item goes to the hook once, in order', () => {
    for (const indent of [1, 2]) {
      const value = { a: items(300), b: 'x', c: [1, 2, { d: [] }], e: items(3), f: [] };
      const text = JSON.stringify(value, null, indent);
      for (const size of [7, 1000, 4096, 65536, 1 << 22]) {
        const { record, calls } = read(text, size);
        assert.deepEqual(record, JSON.parse(text), `indent ${indent}, chunks of ${size}`);
        const expected = [
          ...value.a.map((item, i) => ['a', item, i]),
          ...value.c.map((item, i) => ['c', item, i]),
          ...value.e.map((item, i) => ['e', item, i]),
        ];
        assert.deepEqual(calls, expected, `hook, indent ${indent}, chunks of ${size}`);
      }
    }
  });

  test('a problem inside a run is found where the scan finds it: offset and line', () => {
    const good = JSON.stringify({ a: items(200) }, null, 1);
    const lines = good.split('\n');
    // Break an item in the middle of the run: a member without its value.
    const at = lines.findIndex((l, i) => i > 1000 && l.includes('"id"'));
    lines[at] = lines[at]!.replace(/"a-\d+"/, '');
    const bad = lines.join('\n');
    for (const size of [100, 1 << 20]) {
      const { issue } = read(bad, size);
      assert.ok(issue, `chunks of ${size}`);
      // The issue names the piece (the item) holding the broken line: it starts a few lines above.
      const itemStart = lines.slice(0, at).lastIndexOf('  {');
      assert.equal(issue.line, itemStart + 1, `line, chunks of ${size}`);
      assert.equal(issue.offset, Buffer.byteLength(lines.slice(0, itemStart).join('\n')) + 1 + 2, `offset, chunks of ${size}`);
    }
  });

  test('a later duplicate member wins, and its items go to the hook as a new array', () => {
    const text = `{\n "a": [\n  {"x": 1},\n  {"x": 2}\n ],\n "a": [\n  {"y": 1}\n ]\n}`;
    const arrays = new Set<readonly unknown[]>();
    const pieces = new ObjectPieces({ onItem: (_key, list) => arrays.add(list) });
    pieces.push(Buffer.from(text));
    const record = pieces.finish();
    assert.deepEqual(record, JSON.parse(text));
    assert.equal(arrays.size, 2);
    assert.ok([...arrays].includes(record['a'] as unknown[]));
  });

  test('a nested brace at the items indentation (no run applies) is still read right', () => {
    const item = `  {"x": {\n  },\n  "y": [\n  ],\n  "z": 1}`;
    const text = `{\n "a": [\n${Array.from({ length: 50 }, () => item).join(',\n')}\n ]\n}`;
    for (const size of [9, 1 << 20]) {
      const { record, calls } = read(text, size);
      assert.deepEqual(record, JSON.parse(text));
      assert.equal(calls.length, 50);
    }
  });

  test('countNewlines at every alignment', () => {
    const bytes = Buffer.from('a\nbc\n\n\ndef\ng\n\n' + 'x\n'.repeat(50));
    const base = new Uint8Array(bytes.length + 8);
    for (let shift = 0; shift < 4; shift++) {
      const view = base.subarray(shift, shift + bytes.length);
      view.set(bytes);
      for (let from = 0; from < 9; from++) {
        for (const to of [from, from + 1, from + 5, bytes.length - 3, bytes.length]) {
          if (to < from) continue;
          const want = [...bytes.subarray(from, to)].filter((b) => b === 0x0a).length;
          assert.equal(countNewlines(view, from, to), want, `shift ${shift} ${from}..${to}`);
        }
      }
    }
  });
});
