import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, editDistance } from '../../../src/config/input/index.js';

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('tenant_name', 'tenat_name'), 1);
  assert.equal(editDistance('tneant', 'tenant'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});

test('suggests the closest name within two edits, ignoring case and -/_', () => {
  assert.equal(didYouMean('tenat_name', ['tenant_name', 'project_name']), 'tenant_name');
  assert.equal(didYouMean('Plugins', ['PLUGINS', 'CLOUDS']), 'PLUGINS');
  assert.equal(didYouMean('source-after', ['source_after']), 'source_after');
  assert.equal(didYouMean('flavours', ['flavors', 'hosts']), 'flavors');
});

test('no suggestion when nothing is close, or for very short words', () => {
  assert.equal(didYouMean('completely_else', ['tenant_name']), undefined);
  assert.equal(didYouMean('x', ['y', 'id']), undefined);
});
