import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Catalog, catalogFromV2, catalogFromV3 } from '../../../src/openstack/session/catalog.js';

test('v2 catalog: one entry per <interface>URL key, grouped by region', () => {
  const entries = catalogFromV2([
    {
      type: 'compute',
      name: 'nova',
      endpoints: [
        { region: 'RegionOne', publicURL: 'http://h:8774/v2/t1', internalURL: 'http://i:8774/v2/t1', adminURL: 'http://a:8774/v2/t1' },
        { region: 'RegionTwo', publicURL: 'http://h2:8774/v2/t1' },
      ],
    },
  ]);
  assert.equal(entries.length, 4);
  const c = new Catalog(entries, 't1', { interface: 'public' }, 'source');
  assert.equal(c.url('compute'), 'http://h:8774/v2/t1');
  assert.equal(c.url('compute', { interface: 'admin' }), 'http://a:8774/v2/t1');
  assert.equal(c.url('compute', { region: 'RegionTwo' }), 'http://h2:8774/v2/t1');
});

test('v3 catalog: region_id wins over region; legacy region-only works', () => {
  const entries = catalogFromV3([
    { type: 'network', endpoints: [{ interface: 'public', region: 'legacy-name', region_id: 'R1', url: 'http://n:9696' }] },
    { type: 'image', endpoints: [{ interface: 'public', region: 'R1', url: 'http://g:9292' }] },
    { type: 'bogus', endpoints: [{ interface: 'sideways', url: 'http://x' }] },
  ]);
  assert.deepEqual(entries.map((e) => e.region), ['R1', 'R1']);
  const c = new Catalog(entries, 'p', { region: 'R1' }, 'source');
  assert.equal(c.url('network'), 'http://n:9696');
  assert.equal(c.url('image'), 'http://g:9292');
});

test('leftover %(tenant_id)s templates are filled with the project id', () => {
  const c = new Catalog(catalogFromV3([{ type: 'volume', endpoints: [{ interface: 'public', url: 'http://c:8776/v1/%(tenant_id)s' }] }]), 'p9', {}, 's');
  assert.equal(c.url('volume'), 'http://c:8776/v1/p9');
  const d = new Catalog(catalogFromV3([{ type: 'volumev3', endpoints: [{ interface: 'public', url: 'http://c:8776/v3/$(project_id)s' }] }]), 'p9', {}, 's');
  assert.equal(d.url('volumev3'), 'http://c:8776/v3/p9');
});
