import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortedList } from '../../src/sim/http/sorted-list.js';
import { parseProfile } from '../../src/sim/profile.js';
import { SimStore } from '../../src/sim/store/store.js';
import type { FlavorRecord } from '../../src/sim/store/types/compute.js';

describe('SimStore.derived', () => {
  it('keeps a view until a table insert, put or delete or a touch, then builds it again', () => {
    const store = new SimStore({ seed: 1, name: 'source', profile: parseProfile('juno:neutron'), hashCost: 'fast' });
    let builds = 0;
    const view = () => store.derived('test/flavor-count', () => (builds++, store.flavors.size));
    const first = view();
    assert.equal(view(), first);
    assert.equal(builds, 1);
    // A bare store has no flavors: any record with an id will do for counting.
    const flavor = { id: 'x1', name: 'x1' } as unknown as FlavorRecord;
    store.flavors.insert(flavor);
    assert.equal(view(), first + 1);
    assert.equal(builds, 2);
    store.flavors.put(flavor);
    view();
    assert.equal(builds, 3);
    store.flavors.delete('x1');
    assert.equal(view(), first);
    assert.equal(builds, 4);
    store.touch();
    view();
    assert.equal(builds, 5);
    view();
    assert.equal(builds, 5);
  });
});

describe('sortedList', () => {
  const store = new SimStore({ seed: 1, name: 'source', profile: parseProfile('juno:neutron'), hashCost: 'fast' });
  const callOf = (query: string, projectId = 'p1', isAdmin = false) => ({ req: { path: '/volumes/detail', query: new URLSearchParams(query) }, projectId, isAdmin });
  const asc = (a: number, b: number) => a - b;

  it('sorts once for every page of one walk (marker, limit and offset aside) and again for another query, caller or a change', () => {
    let sorts = 0;
    const items = () => (sorts++, [3, 1, 2]);
    assert.deepEqual(sortedList(store, callOf('all_tenants=1&limit=2'), items, asc), [1, 2, 3]);
    sortedList(store, callOf('all_tenants=1&limit=2&marker=x'), items, asc);
    sortedList(store, callOf('all_tenants=1&offset=2'), items, asc);
    assert.equal(sorts, 1);
    sortedList(store, callOf('all_tenants=1&name=a'), items, asc);
    sortedList(store, callOf('all_tenants=1', 'p2'), items, asc);
    sortedList(store, callOf('all_tenants=1', 'p1', true), items, asc);
    assert.equal(sorts, 4);
    store.touch();
    sortedList(store, callOf('all_tenants=1&limit=2'), items, asc);
    assert.equal(sorts, 5);
  });
});
