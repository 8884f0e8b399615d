import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalText, fingerprint, isVolumeSnapshotImage, markerIndex, markerKey } from '../../src/inventory/index.js';
import { neutronClouds } from '../planner/fixtures/neutron-clouds.js';

describe('inventory fingerprint', () => {
  test('stable across list order, key order and discovery bookkeeping', () => {
    const a = neutronClouds().source;
    const b = neutronClouds().source;
    b.servers.reverse();
    b.projects.reverse();
    b.securityGroups = b.securityGroups.map((g) => ({ ...g, rules: [...g.rules].reverse() }));
    b.observed = { at: '2026-11-26T00:00:00Z', calls: 42 };
    assert.equal(fingerprint(a), fingerprint(b));
    assert.match(fingerprint(a), /^[0-9a-f]{64}$/);
  });

  test('changes when a fact changes', () => {
    const a = neutronClouds().source;
    const b = neutronClouds().source;
    b.servers[0] = { ...b.servers[0]!, status: 'SHUTOFF' };
    assert.notEqual(fingerprint(a), fingerprint(b));
  });

  test('canonical text sorts keys and arrays and skips undefined members', () => {
    assert.equal(canonicalText({ b: [3, 1, 2], a: { d: undefined, c: 'x' } }), '{"a":{"c":"x"},"b":[1,2,3]}');
  });

  test('canonical text writes strings, numbers and keys as JSON does, keys in string order', () => {
    // Integer-like keys sort as strings ("10" before "9"), unlike JSON.stringify's own order.
    assert.equal(canonicalText({ '9': 1, '10': 2, b: -0, a: NaN }), '{"10":2,"9":1,"a":null,"b":0}');
    const s = 'q"b\\s\n\u0001\u2028é\ud800';
    assert.equal(canonicalText([s, { [s]: s }]), `[${JSON.stringify(s)},{${JSON.stringify(s)}:${JSON.stringify(s)}}]`);
    // Arrays sort by their elements' text: '"a!"' comes before '"a"'.
    assert.equal(canonicalText(['a', 'a!', [2, 1], { y: [true, false, null] }]), '["a!","a",[1,2],{"y":[false,null,true]}]');
    assert.equal(canonicalText([undefined, {}, []]), '[[],null,{}]');
    // Members of every type, first or not (the first member's text opens the object).
    for (const [value, text] of [[null, 'null'], [true, 'true'], [false, 'false'], ['s', '"s"'], ['a"b', '"a\\"b"'], [2, '2'], [[], '[]'], [{}, '{}']] as const) {
      assert.equal(canonicalText({ a: value }), `{"a":${text}}`);
      assert.equal(canonicalText({ b: value, a: 0 }), `{"a":0,"b":${text}}`);
    }
    // Records of one shape share a cached key order; another shape with the same first key differs.
    assert.equal(canonicalText([{ z: 1, a: 2 }, { z: 1, b: 3, a: 2 }, { z: 1, a: undefined }]), '[{"a":2,"b":3,"z":1},{"a":2,"z":1},{"z":1}]');
  });
});

describe('inventory helpers', () => {
  test('markerIndex finds marked destination objects by kind and source id', () => {
    const d = neutronClouds().destination;
    d.servers.push({ ...neutronClouds().source.servers[0]!, id: 'd-x', marker: { sourceId: 's-sv-web1', kind: 'server' } });
    d.keypairs.push({ name: 'k', userId: 'u', fingerprint: 'f', publicKey: 'p', type: 'ssh', marker: { sourceId: 's-u/k', kind: 'keypair' } });
    const ix = markerIndex(d);
    assert.equal(ix.get(markerKey('server', 's-sv-web1'))?.id, 'd-x');
    assert.equal(ix.get(markerKey('keypair', 's-u/k'))?.id, 'u/k');
    assert.equal(ix.get(markerKey('server', 'nope')), undefined);
  });

  test('boot-from-volume snapshot images are recognised', () => {
    const imgs = neutronClouds().source.images;
    assert.deepEqual(imgs.filter(isVolumeSnapshotImage).map((i) => i.id), ['s-img-bfvsnap']);
  });
});
