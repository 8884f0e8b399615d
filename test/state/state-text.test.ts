import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PumphouseError } from '../../src/errors/index.js';
import { emptyState, StateStore, type StateFile, type StateObject } from '../../src/state/index.js';
import { batched, stateTextPieces } from '../../src/state/state-text.js';
import { tempDir } from './helpers.js';

const { dir, cleanup } = tempDir();
after(cleanup);
let n = 0;
const fresh = (): string => {
  const d = join(dir, `case-${n++}`);
  mkdirSync(d);
  return join(d, 'state.json');
};

const oneString = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
const pieced = (v: unknown): string => [...batched(stateTextPieces(v))].join('');

/** A small deterministic random generator (tests must be repeatable). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TEXTS = ['', 'plain', 'line\nbreak', 'tab\tquote"back\\slash', 'ünïcödé ✓', '\u2028\u2029', '\u0000\u001f', '😀 pair', '\ud800 lone'];

function value(r: () => number, depth: number): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 5 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return [0, -1, 1.5, 1e21, -0, Number.NaN, 123456789][Math.floor(r() * 7)];
    case 3:
    case 4:
      return TEXTS[Math.floor(r() * TEXTS.length)];
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) o[TEXTS[Math.floor(r() * TEXTS.length)]! + i] = value(r, depth + 1);
      return o;
    }
  }
}

describe('the state file text in pieces', () => {
  test('is byte for byte JSON.stringify(state, null, 2) + newline, for random states', () => {
    const r = random(7);
    for (let round = 0; round < 200; round++) {
      const objects = Array.from({ length: Math.floor(r() * 6) }, (_, i) => ({ address: `a${i}`, attributes: value(r, 0), steps_done: value(r, 2) }));
      const state = { version: 1, serial: round, objects, temporaries: Array.from({ length: Math.floor(r() * 3) }, () => value(r, 1)), history: [], extra: value(r, 0) };
      assert.equal(pieced(state), oneString(state), `round ${round}`);
    }
  });

  test('leaves out what JSON.stringify leaves out, and writes null for such array items', () => {
    const odd = {
      a: undefined,
      b: () => 1,
      c: Symbol('s'),
      list: [undefined, () => 1, Symbol('t'), 1],
      when: new Date(0),
      boxed: Object('text') as unknown,
      bare: Object.assign(Object.create(null) as object, { x: [1, { y: 2 }] }),
      withToJson: { toJSON: () => ({ replaced: true }) },
      empty: {},
      none: [],
      nested: [[], {}, [[1]], { deep: { deeper: [1, 2] } }],
    };
    assert.equal(pieced(odd), oneString(odd));
    assert.equal(pieced([]), oneString([]));
    assert.equal(pieced({}), oneString({}));
    assert.equal(pieced('text'), oneString('text'));
  });

  test('batches pieces into strings of about 1 MiB', () => {
    const big = { objects: Array.from({ length: 30_000 }, (_, i) => ({ address: `tenant[t].server[s${i}]`, pad: 'x'.repeat(64) })) };
    const batches = [...batched(stateTextPieces(big))];
    assert.ok(batches.length >= 3, `${batches.length} batches`);
    assert.ok(batches.slice(0, -1).every((b) => b.length >= 1 << 20 && b.length < (1 << 20) + 4096));
    assert.equal(batches.join(''), oneString(big));
  });
});

const object = (i: number, extra: Partial<StateObject> = {}): StateObject => ({
  address: `tenant[t${i % 97}].server[s${i}]`,
  kind: 'server',
  source_id: `src-${i}`,
  destination_id: `dst-${i}`,
  status: 'ready',
  step: 'boot',
  steps_done: ['snapshot', 'boot'],
  pending: null,
  attributes: { name: `s${i}`, note: 'ünïcödé "quoted"\nline' },
  error: null,
  plan_id: 'p1',
  action_id: `a${i}`,
  updated_at: '2026-11-26T10:00:00.000Z',
  ...extra,
});

describe('StateStore.write and read with the pieced text', () => {
  test('the file holds exactly the one-string form of what write() answers, and reads back equal', async () => {
    const path = fresh();
    const store = StateStore.open(path);
    const state: StateFile = { ...emptyState(), objects: Array.from({ length: 2_000 }, (_, i) => object(i)) };
    const written = await store.write(state);
    const text = readFileSync(path, 'utf8');
    assert.equal(text, oneString(written));
    assert.deepEqual(await StateStore.open(path).read(), JSON.parse(text));
    // And the backup of the next write is that same file.
    await store.write(written);
    assert.equal(readFileSync(`${path}.backup`, 'utf8'), text);
  });

  test('malformed JSON spread over many chunks still names the line', async () => {
    const path = fresh();
    const good = oneString({ ...emptyState(), objects: Array.from({ length: 20_000 }, (_, i) => object(i)) });
    const at = good.indexOf('"source_id": "src-15000"');
    writeFileSync(path, `${good.slice(0, at)}"source_id" "src-15000"${good.slice(at + '"source_id": "src-15000"'.length)}`);
    const line = good.slice(0, at).split('\n').length;
    await assert.rejects(StateStore.open(path).read(), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_STATE_INVALID');
      assert.equal(err.location?.line, line);
      return true;
    });
  });
});
