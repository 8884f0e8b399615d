import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupBy, indexBy } from '../../src/inventory/index.js';

describe('indexBy and groupBy', () => {
  test('indexBy keeps the first record of a key, in the order keys first appear', () => {
    const records = [
      { id: 'b', n: 1 },
      { id: 'a', n: 2 },
      { id: 'b', n: 3 },
      { id: 'c', n: 4 },
      { id: 'a', n: 5 },
      { id: 'b', n: 6 },
    ];
    const map = indexBy(records, (r) => r.id);
    assert.deepEqual([...map].map(([k, r]) => [k, r.n]), [
      ['b', 1],
      ['a', 2],
      ['c', 4],
    ]);
    assert.deepEqual([...indexBy(records.slice(3), (r) => r.id).keys()], ['c', 'a', 'b']);
    assert.equal(indexBy([], (r: { id: string }) => r.id).size, 0);
  });

  test('groupBy keeps input order inside each group and skips null keys', () => {
    const records = [
      { p: 'x', n: 1 },
      { p: null, n: 2 },
      { p: 'y', n: 3 },
      { p: 'x', n: 4 },
    ];
    const groups = groupBy(records, (r) => r.p);
    assert.deepEqual([...groups].map(([k, rs]) => [k, rs.map((r) => r.n)]), [
      ['x', [1, 4]],
      ['y', [3]],
    ]);
  });
});
