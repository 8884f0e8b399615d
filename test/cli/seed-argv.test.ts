import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteSeedArgv } from '../../src/cli/seed-argv.js';

test('the seed order `config.yaml migrate ...` becomes `migrate ... --config config.yaml`', () => {
  assert.deepEqual(rewriteSeedArgv(['config.yaml', 'migrate', 'images', '--ids', 'a']), [
    'migrate', 'images', '--ids', 'a', '--config', 'config.yaml',
  ]);
});

test('global flags before the config stay in front of the verb', () => {
  assert.deepEqual(rewriteSeedArgv(['--json', 'config.yaml', 'migrate', 'identity', '-i', 't']), [
    '--json', 'migrate', 'identity', '-i', 't', '--config', 'config.yaml',
  ]);
  assert.deepEqual(rewriteSeedArgv(['--debug', '-v', '--no-color', '--verbose', 'c.yml', 'reassign', 'node-2']), [
    '--debug', '-v', '--no-color', '--verbose', 'reassign', 'node-2', '--config', 'c.yml',
  ]);
  // Global flags after the verb are left where they are.
  assert.deepEqual(rewriteSeedArgv(['--json', 'c.yaml', 'cleanup', 'source', '--yes', '--debug']), [
    '--json', 'cleanup', 'source', '--yes', '--debug', '--config', 'c.yaml',
  ]);
});

test('ordinary argv is left alone', () => {
  assert.deepEqual(rewriteSeedArgv(['plan', '-c', 'x.yaml']), ['plan', '-c', 'x.yaml']);
  assert.deepEqual(rewriteSeedArgv(['x.yaml', 'plan']), ['x.yaml', 'plan']);
  assert.deepEqual(rewriteSeedArgv(['--json', 'plan', '-c', 'x.yaml']), ['--json', 'plan', '-c', 'x.yaml']);
  assert.deepEqual(rewriteSeedArgv(['--json', 'x.yaml', 'plan']), ['--json', 'x.yaml', 'plan']);
  // An option with a value is not a global flag: nothing is guessed.
  assert.deepEqual(rewriteSeedArgv(['--state', 's.json', 'c.yaml', 'setup']), ['--state', 's.json', 'c.yaml', 'setup']);
  assert.deepEqual(rewriteSeedArgv([]), []);
});
