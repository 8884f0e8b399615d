// outerMembers: an answer's members other than its big list, read from both ends without
// parsing the list, equal what JSON.parse gives; anything it cannot read exactly is undefined.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { outerMembers } from '../../../src/openstack/http/outer-members.js';

const servers = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s-${i}`, name: `vm "${i}" ]}{[`, metadata: { 'a\\': 'b"],' } }));

/** What JSON.parse says the members other than `key` are. */
function parsedOuter(text: string, key: string): Record<string, unknown> {
  const { [key]: _list, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return rest;
}

describe('outerMembers', () => {
  test('Nova: the next link after 1,000 servers, read without the list', () => {
    const text = JSON.stringify({ servers: servers(1000), servers_links: [{ href: 'http://n/v2.1/servers/detail?limit=1000&marker=s-999', rel: 'next' }] });
    const got = outerMembers(text, 'servers');
    assert.deepEqual(got, { members: parsedOuter(text, 'servers'), listEmpty: false });
  });

  test('members before the list (Keystone v3 links), after it (Glance v2), pretty-printed, empty list', () => {
    const cases = [
      JSON.stringify({ links: { next: 'http://k/v3/projects?marker=p', self: 'x', previous: null }, projects: servers(3) }),
      JSON.stringify({ images: servers(50), schema: '/v2/schemas/images', first: '/v2/images', next: '/v2/images?marker=s-49' }, null, 2),
      JSON.stringify({ truncated: false, images: [], n: 1.5e3, t: true, z: null }),
      ' {\n "images" : [ ] ,\r\n\t"next" : "a\\"b" } ',
    ];
    for (const text of cases) {
      const got = outerMembers(text, 'projects' in JSON.parse(text) ? 'projects' : 'images');
      const key = 'projects' in JSON.parse(text) ? 'projects' : 'images';
      assert.deepEqual(got?.members, parsedOuter(text, key), text.slice(0, 80));
      assert.equal(got?.listEmpty, (JSON.parse(text) as Record<string, unknown[]>)[key]!.length === 0);
    }
  });

  test('what it cannot read exactly is undefined', () => {
    assert.equal(outerMembers('[1, 2]', 'servers'), undefined);
    assert.equal(outerMembers(JSON.stringify({ flavors: [] }), 'servers'), undefined);
    assert.equal(outerMembers(JSON.stringify({ servers: {} }), 'servers'), undefined);
    assert.equal(outerMembers('{"servers": [], "servers_links": [], "servers": [1]}', 'servers'), undefined);
    assert.equal(outerMembers('{"servers": [], "servers_links": [tru', 'servers'), undefined);
    // A member before the list larger than the budget.
    assert.equal(outerMembers(JSON.stringify({ big: 'x'.repeat(200), servers: [] }), 'servers', 100), undefined);
  });

  test('random objects: every member but the list equals JSON.parse', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const value = (depth: number): unknown => {
      switch (rnd(depth > 2 ? 4 : 7)) {
        case 0: return rnd(1000) - 500;
        case 1: return ['a', '\\', '"', ']', '}', '{"x":[1]}', 'é', '\\"'][rnd(8)]! + String(rnd(10));
        case 2: return [true, false, null][rnd(3)];
        case 3: return rnd(100) / 7;
        case 4: return Array.from({ length: rnd(4) }, () => value(depth + 1));
        default: return Object.fromEntries(Array.from({ length: rnd(4) }, (_, i) => [`k${i}"]`, value(depth + 1)]));
      }
    };
    for (let n = 0; n < 300; n++) {
      const entries: Array<[string, unknown]> = Array.from({ length: rnd(5) }, (_, i) => [`m${i}`, value(0)]);
      entries.splice(rnd(entries.length + 1), 0, ['items', Array.from({ length: rnd(3) }, () => value(1))]);
      const text = JSON.stringify(Object.fromEntries(entries), null, rnd(2) ? 1 : undefined);
      const got = outerMembers(text, 'items');
      assert.deepEqual(got?.members, parsedOuter(text, 'items'), text);
    }
  });
});
