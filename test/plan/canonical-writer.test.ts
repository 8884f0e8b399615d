import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import stableStringify from 'json-stable-stringify';
import { canonicalJson } from '../../src/plan/index.js';
import { canonicalChunks } from '../../src/plan/canonical-writer.js';
import { largePlan, smallPlan } from './fixtures.js';
import { prng } from '../support/prng.js';

/** The reference: what plan files were written with before the streaming writer. */
function reference(value: unknown): string {
  const text = stableStringify(value, { space: 1 });
  if (text === undefined) throw new TypeError('no JSON form');
  return `${text}\n`;
}

/** Random JSON-ish values, including what JSON drops or turns into null. */
function randomValue(rnd: () => number, depth: number): unknown {
  const r = rnd();
  const strings = ['', 'a', 'web-1', 'é', '"quoted"', 'back\\slash', 'line\nbreak', '\u0001', '\ud800', '😀', '$ref', 'B', 'aa'];
  if (depth <= 0 || r < 0.35) {
    const leaf = [null, true, false, 0, -0, 1.5, -7, 1e21, 2 ** 53, NaN, Infinity, undefined, () => 1, strings[Math.floor(rnd() * strings.length)]];
    return leaf[Math.floor(rnd() * leaf.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 5) }, () => randomValue(rnd, depth - 1));
  if (r < 0.65) return new Date(Date.UTC(2026, 10, 26, 12, 0, Math.floor(rnd() * 60)));
  const out: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) out[strings[Math.floor(rnd() * strings.length)]! + String(Math.floor(rnd() * 3))] = randomValue(rnd, depth - 1);
  return out;
}

describe('canonical writer', () => {
  test('the example plans are byte-identical to json-stable-stringify', () => {
    for (const p of [smallPlan(), largePlan()]) {
      assert.equal(canonicalJson(p), reference(p));
      assert.equal(Buffer.concat([...canonicalChunks(p)]).toString('utf8'), reference(p));
    }
  });

  test('large values come in chunks of about 1 MB (no single string holds them)', () => {
    const chunks = [...canonicalChunks(largePlan())];
    assert.ok(chunks.length >= 2, `${chunks.length} chunks`);
    assert.ok(chunks.every((c) => c.length <= 1 << 20));
  });

  test('random values, with what JSON drops or nulls, are byte-identical to json-stable-stringify', () => {
    const rnd = prng(7);
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(rnd, 4);
      let expected: string | Error;
      try {
        expected = reference(v);
      } catch (e) {
        expected = e as Error;
      }
      if (expected instanceof Error) assert.throws(() => canonicalJson(v), TypeError, `value ${i}`);
      else assert.equal(canonicalJson(v), expected, `value ${i}`);
    }
  });

  test('empty objects and arrays are written over two lines, as the library does', () => {
    const v = { a: {}, b: [], c: [{}, []], d: { e: undefined } };
    assert.equal(canonicalJson(v), reference(v));
    assert.match(canonicalJson(v), /"a": \{\n \}/);
  });

  test('an object inside itself throws TypeError; BigInt throws as JSON.stringify does', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { inner: loop };
    assert.throws(() => canonicalJson(loop), TypeError);
    assert.throws(() => canonicalJson({ n: 1n }), TypeError);
  });
});
