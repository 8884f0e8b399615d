import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeShapes, shapeOf } from './shape.js';

describe('shapeOf', () => {
  test('keeps the key structure with value types, never values', () => {
    const s = shapeOf({ id: 'abc', size: 3, ratio: 1.5, ok: true, gone: null, tags: [], list: [{ a: 1 }, { a: 2, b: 'x' }] });
    assert.deepEqual(s, { gone: 'null', id: 'string', list: [{ a: 'integer', 'b?': 'string' }], ok: 'boolean', ratio: 'number', size: 'integer', tags: [] });
    assert.ok(!JSON.stringify(s).includes('abc'));
  });

  test('templates data keys and merges keys that collapse to one template', () => {
    const s = shapeOf({ 'net-a': [{ addr: '10.0.0.1' }], 'net-b': [{ addr: '10.0.0.2', mac: null }] }, (k) => (k.startsWith('net-') ? '{name}' : k));
    assert.deepEqual(s, { '{name}': [{ addr: 'string', 'mac?': 'null' }] });
  });
});

describe('mergeShapes', () => {
  test('joins primitive types and marks keys seen only sometimes as optional', () => {
    assert.equal(mergeShapes('string', 'null'), 'null|string');
    assert.deepEqual(mergeShapes({ a: 'string' }, { a: 'null', b: 'integer' }), { a: 'null|string', 'b?': 'integer' });
    assert.deepEqual(mergeShapes({ 'a?': 'string' }, { a: 'string' }), { 'a?': 'string' });
  });

  test('an always-empty array takes the item shape of a filled one', () => {
    assert.deepEqual(mergeShapes([], ['string']), ['string']);
    assert.deepEqual(mergeShapes([], []), []);
  });

  test('different kinds at one place become $oneOf, folded by kind', () => {
    const m = mergeShapes(mergeShapes('null', { x: 'string' }), { x: 'integer' });
    assert.deepEqual(m, { $oneOf: ['null', { x: 'integer|string' }] });
  });
});
