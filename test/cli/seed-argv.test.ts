import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteSeedArgv } from '../../src/cli/seed-argv.js';

test('the seed order `config.yaml migrate ...` becomes `migrate ... --config config.yaml`', () => {
  assert.deepEqual(rewriteSeedArgv(['config.yaml', 'migrate', 'images', '--ids', 'a']), [
    'migrate', 'images', '--ids', 'a', '--config', 'config.yaml',
  ]);
});

test('ordinary argv is left alone', () => {
  assert.deepEqual(rewriteSeedArgv(['plan', '-c', 'x.yaml']), ['plan', '-c', 'x.yaml']);
  assert.deepEqual(rewriteSeedArgv(['x.yaml', 'plan']), ['x.yaml', 'plan']);
});
