import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../src/errors/index.js';
import { ObjectPieces, SyntaxIssue } from '../../src/json/object-pieces.js';
import { readPlan, serializePlan } from '../../src/plan/index.js';
import { FIXED_IDENTITY, largePlan, smallPlan } from './fixtures.js';
import { prng } from '../support/prng.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Parses `bytes` fed in chunks of the given sizes (cycled). */
function parse(bytes: Uint8Array, sizes: readonly number[]): Record<string, unknown> {
  const pieces = new ObjectPieces();
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    // A reused buffer, as readPlan's: the reader must copy what it keeps.
    const chunk = Buffer.from(bytes.subarray(at, at + n));
    pieces.push(chunk);
    chunk.fill(0x78);
    at += n;
  }
  return pieces.finish();
}

function randomJson(rnd: () => number, depth: number): unknown {
  const strings = ['', 'a', 'é', 'quote"in', 'back\\slash', '\\', 'line\nbreak', '😀', ',', '}', ']', '{', '['];
  const r = rnd();
  if (depth <= 0 || r < 0.3) return [null, true, false, 0, -1.5, 1e21, strings[Math.floor(rnd() * strings.length)]][Math.floor(rnd() * 7)];
  if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => randomJson(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 4); i > 0; i--) o[strings[Math.floor(rnd() * strings.length)]!] = randomJson(rnd, depth - 1);
  return o;
}

describe('ObjectPieces: a JSON object read piece by piece', () => {
  test('the example plans, cut anywhere, parse to what JSON.parse gives', () => {
    for (const plan of [smallPlan(), largePlan()]) {
      const text = serializePlan(plan, { fixedIdentity: FIXED_IDENTITY }).text;
      const bytes = enc(text);
      for (const sizes of [[bytes.length], [1], [7, 3, 1], [4096], [65536, 5]]) {
        assert.deepEqual(parse(bytes, sizes), JSON.parse(text), `chunks ${sizes.join(',')}`);
      }
    }
  });

  test('random objects in any layout (compact or indented, odd strings) parse like JSON.parse', () => {
    const rnd = prng(11);
    for (let i = 0; i < 500; i++) {
      const o: Record<string, unknown> = {};
      for (let k = Math.floor(rnd() * 5); k > 0; k--) o[`k${Math.floor(rnd() * 4)}`] = randomJson(rnd, 4);
      const text = JSON.stringify(o, null, i % 3 === 0 ? undefined : i % 3);
      assert.deepEqual(parse(enc(text), [1 + Math.floor(rnd() * 9)]), JSON.parse(text), text);
    }
  });

  test('duplicate keys: the last value wins, in the first one place, as JSON.parse does', () => {
    const text = '{"a": 1, "b": [1, 2], "a": {"x": []}, "__proto__": {"p": 1}}';
    const got = parse(enc(text), [3]);
    assert.deepEqual(got, JSON.parse(text));
    assert.deepEqual(Object.keys(got), ['a', 'b', '__proto__']);
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
  });

  test('what is not one JSON object is a SyntaxIssue', () => {
    for (const bad of ['', '[]', '"x"', '{"a": 1', '{"a" 1}', '{"a": 1,}', '{"a": [1,]}', '{"a": x}', '{"a": 1} x', '{a: 1}', '{"a": 1 2}', '{"a": "\u0001"}']) {
      assert.throws(() => parse(enc(bad), [2]), SyntaxIssue, bad);
    }
    assert.throws(() => parse(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), [3]), (e: unknown) => e instanceof SyntaxIssue && e.kind === 'utf8');
  });
});

describe('readPlan in pieces', () => {
  test('a broken file names the line of the break', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ph-pieces-'));
    try {
      const text = serializePlan(largePlan(), { fixedIdentity: FIXED_IDENTITY }).text;
      const i = text.indexOf('"tenant"', text.length / 2);
      const path = join(dir, 'plan.json');
      await writeFile(path, `${text.slice(0, i)}x${text.slice(i + 1)}`);
      await assert.rejects(readPlan(path), (e: unknown) => {
        assert.ok(PumphouseError.is(e));
        assert.equal(e.code, 'PH_PLAN_INVALID');
        assert.equal(e.location?.line, text.slice(0, i).split('\n').length);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
