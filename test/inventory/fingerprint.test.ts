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

/** The definition canonicalText implements, written plainly: keys sorted, arrays sorted by their elements' text. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => reference(v === undefined ? null : v)).sort().join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${reference((value as Record<string, unknown>)[k])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A small deterministic generator (no Math.random: a failure must replay). */
function values(seed: number): () => unknown {
  let x = seed;
  const next = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  // Characters around the quote (space, '!', '#') and prefixes of one another are where a
  // shortcut in the sorting of quoted strings would go wrong.
  const words = ['a', 'a b', 'a!', 'a#', 'ab', 'a\t', 'a"', 'é', 'a\u2028', 'sg-1', 'sg-10', 'sg-1 ', '', '\ud83d\ude00', '\ufb01'];
  const keys = ['id', 'name', 'a', 'b', 'z', '10', '9'];
  const value = (level: number): unknown => {
    switch (next(level > 2 ? 4 : 7)) {
      case 0:
        return words[next(words.length)];
      case 1:
        return next(3) === 0 ? null : next(2) === 0;
      case 2:
        return next(1000) - 500;
      case 3:
        return words[next(words.length)];
      case 4:
      case 5:
        return Array.from({ length: [0, 1, 2, 3, 12, 13, 20][next(7)]! }, () => (next(2) === 0 ? words[next(words.length)] : value(level + 1)));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = next(5); i > 0; i--) o[keys[next(keys.length)]!] = next(8) === 0 ? undefined : value(level + 1);
        return o;
      }
    }
  };
  return () => value(0);
}

describe('canonical text against its definition', () => {
  test('random values, lists of plain strings of every length, shapes that share a first key', () => {
    const make = values(7);
    for (let i = 0; i < 3000; i++) {
      const v = make();
      assert.equal(canonicalText(v), reference(v), JSON.stringify(v));
    }
  });

  test('a record that is not a plain object is written from its own keys', () => {
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
    }
    assert.equal(canonicalText([new Point(2, 1), { y: 0 }]), '[{"x":1,"y":2},{"y":0}]');
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
