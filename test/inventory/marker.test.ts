import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  markerEntries, markerFromEntries, markerTags, markerFromTags, markDescription, markerFromDescription, unmarkDescription, isSetupMarked,
} from '../../src/inventory/index.js';

const m = { sourceId: '6f1c-77', kind: 'server' };

test('metadata, tags and descriptions round-trip the marker', () => {
  assert.deepEqual(markerFromEntries({ ...markerEntries(m), other: 'x' }), m);
  assert.deepEqual(markerFromTags(['a', ...markerTags(m)]), m);
  assert.deepEqual(markerFromDescription(markDescription('web tier', m)), m);
  assert.equal(unmarkDescription(markDescription('web tier', m)), 'web tier');
});

test('absent or empty markers read as undefined; a second marking replaces the first', () => {
  assert.equal(markerFromEntries({ pumphouse_source: '' }), undefined);
  assert.equal(markerFromEntries(undefined), undefined);
  assert.equal(markerFromTags(['pumphouse_kind=server']), undefined);
  assert.equal(markerFromDescription('plain text'), undefined);
  const twice = markDescription(markDescription('', m), { sourceId: 'b', kind: 'network' });
  assert.deepEqual(markerFromDescription(twice), { sourceId: 'b', kind: 'network' });
  assert.equal(twice, '[pumphouse_source=b kind=network]');
});

test('setup marks are recognised only when set to 1', () => {
  assert.ok(isSetupMarked({ pumphouse_setup: '1' }));
  assert.ok(isSetupMarked(null, ['pumphouse_setup=1']));
  assert.ok(!isSetupMarked({ pumphouse_setup: '0' }, ['x']));
});
