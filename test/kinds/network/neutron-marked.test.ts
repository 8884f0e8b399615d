import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { markerFromDescription, unmarkDescription } from '../../../src/inventory/marker.js';
import { markedDescription, NeutronMarks } from '../../../src/kinds/network/index.js';
import type { NetworkClient, Query } from '../../../src/openstack/index.js';

interface Rec {
  id: string;
  description: string;
  tags: string[];
}

function fakeNet(records: Rec[], exts: string[], taggable = true) {
  const calls: Query[] = [];
  const setTags: [string, string[]][] = [];
  const api = {
    list: async (q: Query) => {
      calls.push(q);
      const want = typeof q['tags'] === 'string' ? q['tags'].split(',') : [];
      return records.filter((r) => want.every((t) => r.tags.includes(t)));
    },
  };
  const net = {
    extensions: new Set(exts),
    supportsTags: () => taggable,
    setTags: async (_c: string, id: string, tags: string[]) => void setTags.push([id, tags]),
  } as unknown as NetworkClient;
  return { net, api, calls, setTags };
}

const marker = { sourceId: 'src-1', kind: 'network' };

describe('the marker on Neutron objects', () => {
  it('appends the marker to the description within 255 characters, keeping the source text readable', () => {
    const d = markedDescription('web servers', marker);
    assert.equal(d, 'web servers [pumphouse_source=src-1 kind=network]');
    assert.equal(unmarkDescription(d), 'web servers');
    const long = markedDescription('x'.repeat(300), marker);
    assert.equal(long.length, 255);
    assert.deepEqual(markerFromDescription(long), marker);
    assert.deepEqual(markerFromDescription(markedDescription(d, { sourceId: 'src-2', kind: 'network' })), { sourceId: 'src-2', kind: 'network' }, 'a second mark replaces the first');
  });

  it('does not tag source ids that cannot be Neutron tags (too long, or with a slash)', () => {
    const { net } = fakeNet([], ['standard-attr-description']);
    const marks = new NeutronMarks(net);
    assert.deepEqual(marks.tags('ports', marker), ['pumphouse_source=src-1', 'pumphouse_kind=network']);
    assert.equal(marks.tags('ports', { sourceId: '0b1c9a5e-6d7f-4a8b-9c0d-1e2f3a4b5c6d/fa:16:3e:00:00:01', kind: 'port' }), null);
  });

  it('finds by tags first, then by description (an object made just before a crash), lowest id first', async () => {
    const tagged = { id: 'b', description: '', tags: ['pumphouse_source=src-1', 'pumphouse_kind=network'] };
    const described = { id: 'a', description: markedDescription('', marker), tags: [] };
    const other = { id: '0', description: markedDescription('', { sourceId: 'src-2', kind: 'network' }), tags: [] };
    const withTag = fakeNet([tagged, described, other], ['standard-attr-description']);
    assert.equal((await new NeutronMarks(withTag.net).find('networks', withTag.api as never, marker, { tenant_id: 'p1' }))?.id, 'b');
    assert.deepEqual(withTag.calls, [{ tenant_id: 'p1', tags: 'pumphouse_source=src-1,pumphouse_kind=network' }]);
    const untagged = fakeNet([described, other], ['standard-attr-description']);
    assert.equal((await new NeutronMarks(untagged.net).find('networks', untagged.api as never, marker, { tenant_id: 'p1' }))?.id, 'a');
    const none = fakeNet([other], ['standard-attr-description']);
    assert.equal(await new NeutronMarks(none.net).find('networks', none.api as never, marker, {}), undefined);
  });

  it('tags an untagged copy once, keeping the tags it has; legacy Neutron gets no description', async () => {
    const f = fakeNet([], []);
    const marks = new NeutronMarks(f.net);
    await marks.tag('networks', { id: 'n1', description: '', tags: ['keep'] }, marker);
    await marks.tag('networks', { id: 'n2', description: '', tags: ['pumphouse_source=src-1', 'pumphouse_kind=network'] }, marker);
    assert.deepEqual(f.setTags, [['n1', ['keep', 'pumphouse_source=src-1', 'pumphouse_kind=network']]]);
    assert.equal(marks.description('x', marker), undefined);
  });
});
