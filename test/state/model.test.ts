import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyState, findBySourceId, findObject, idMap, removeObjects, upsertObject, type StateObject } from '../../src/state/index.js';

const obj = (address: string, kind: string, source: string, dest: string | null, status: StateObject['status']): StateObject => ({
  address,
  kind,
  source_id: source,
  destination_id: dest,
  status,
  step: null,
  steps_done: [],
  pending: null,
  attributes: {},
  error: null,
  plan_id: 'p',
  action_id: 'a',
  updated_at: '2026-11-26T10:00:00.000Z',
});

const state = {
  ...emptyState(),
  objects: [
    obj('tenant[a].image[old]', 'image', 'i1', 'd-old', 'deleted'),
    obj('tenant[a].image[cirros]', 'image', 'i1', 'd1', 'ready'),
    obj('tenant[a].server[w]', 'server', 's1', 'ds1', 'pending'),
    obj('tenant[a].network[n]', 'network', 'n1', 'dn1', 'ready'),
  ],
};

describe('state lookups', () => {
  test('findObject and findBySourceId (a live copy wins over a deleted one)', () => {
    assert.equal(findObject(state, 'tenant[a].server[w]')?.source_id, 's1');
    assert.equal(findObject(state, 'nope'), undefined);
    assert.equal(findBySourceId(state, 'image', 'i1')?.destination_id, 'd1');
    assert.equal(findBySourceId(state, 'server', 'i1'), undefined);
  });

  test('idMap maps ready objects only, per kind', () => {
    const map = idMap(state);
    assert.equal(map.get('image')?.get('i1'), 'd1');
    assert.equal(map.get('network')?.get('n1'), 'dn1');
    assert.equal(map.get('server'), undefined, 'a pending server is not a usable reference');
  });

  test('upsertObject replaces by address or appends, without changing its input', () => {
    const replaced = upsertObject(state, { ...obj('tenant[a].server[w]', 'server', 's1', 'ds1', 'ready') });
    assert.equal(replaced.objects.length, 4);
    assert.equal(findObject(replaced, 'tenant[a].server[w]')?.status, 'ready');
    assert.equal(findObject(state, 'tenant[a].server[w]')?.status, 'pending');
    const added = upsertObject(state, obj('x', 'flavor', 'f', 'df', 'ready'));
    assert.equal(added.objects.length, 5);
  });

  test('removeObjects returns what it removed', () => {
    const { state: rest, removed } = removeObjects(state, ['tenant[a].server[w]', 'unknown']);
    assert.deepEqual(removed.map((o) => o.address), ['tenant[a].server[w]']);
    assert.equal(rest.objects.length, 3);
  });
});
