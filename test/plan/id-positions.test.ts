import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IdPositions } from '../../src/plan/id-positions.js';

describe('IdPositions', () => {
  test('hex ids and other ids: first position kept, unknown ids answer -1', () => {
    const ids = ['0123456789ab', 'abcdef012345', 'ABCDEF012345', 'short', 'abcdef01234g', '000000000000', 'ffffffffffff', 'é23456789abc', 'a.b:c-d_e'];
    const p = new IdPositions(ids.length);
    ids.forEach((id, i) => assert.equal(p.add(id, i), -1, id));
    ids.forEach((id, i) => assert.equal(p.get(id), i, id));
    ids.forEach((id, i) => assert.equal(p.add(id, i + 100), i, `${id} again`));
    for (const id of ['0123456789aB', '0123456789ac', 'abcdef', '', 'fffffffffffe']) assert.equal(p.get(id), -1, id);
  });

  test('agrees with a Map on many ids, past the expected count too', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const map = new Map<string, number>();
    // Expect 100 ids, add 5,000 (some repeated, some not hex): the table grows.
    const p = new IdPositions(100);
    for (let i = 0; i < 5000; i++) {
      const r = next();
      const id = r % 7 === 0 ? `id-${r % 3000}` : (r % 3000).toString(16).padStart(12, '0');
      const want = map.get(id) ?? -1;
      if (want < 0) map.set(id, i);
      assert.equal(p.add(id, i), want, id);
    }
    for (let k = 0; k < 6000; k++) {
      const id = k % 2 ? `id-${k}` : k.toString(16).padStart(12, '0');
      assert.equal(p.get(id), map.get(id) ?? -1, id);
    }
  });
});
