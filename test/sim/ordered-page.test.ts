import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderedPage } from '../../src/sim/http/ordered-page.js';
import { SimRandom } from '../../src/sim/random.js';

interface Row {
  readonly id: string;
  readonly key: number;
}

// Descending key, ascending id: a total order like the services' (the id breaks ties).
const order = (a: Row, b: Row) => b.key - a.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('orderedPage', () => {
  it('equals the fully sorted list sliced after the marker, for every marker and limit', () => {
    const rng = SimRandom.derive(7, 'ordered-page');
    for (let round = 0; round < 300; round++) {
      const n = Math.floor(rng.next() * 40);
      const rows: Row[] = Array.from({ length: n }, (_, i) => ({ id: `r${String(i).padStart(3, '0')}`, key: Math.floor(rng.next() * 4) }));
      const sorted = [...rows].sort(order);
      const limit = Math.floor(rng.next() * 10);
      const at = n > 0 && rng.next() < 0.7 ? Math.floor(rng.next() * n) : -1;
      const want = sorted.slice(at + 1, at + 1 + limit);
      assert.deepEqual(orderedPage(rows, order, at >= 0 ? sorted[at] : undefined, limit), want, `round ${round}`);
    }
  });

  it('takes a marker that is not among the items (its place in the order counts) and leaves the input alone', () => {
    const rows: Row[] = [{ id: 'a', key: 1 }, { id: 'b', key: 3 }, { id: 'c', key: 2 }];
    const copy = [...rows];
    assert.deepEqual(orderedPage(rows, order, { id: 'x', key: 2 }, 5).map((r) => r.id), ['a']);
    assert.deepEqual(orderedPage(rows, order, undefined, 0), []);
    assert.deepEqual(rows, copy);
  });
});
