import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { constants } from 'node:buffer';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { emptyState, StateStore } from '../../src/state/index.js';
import { serverObjects, tempDir } from './helpers.js';

// By default 120,000 objects (a ~100 MB file, ~100 chunks of reading, a few seconds).
// PUMPHOUSE_LARGE_STATE=1: 700,000 objects, a 564 MiB file, longer than the longest string
// V8 can make, which JSON.stringify could not write nor readFile(..., 'utf8') read (about
// 15 s of CPU: too much for every run on the shared machine).
const LARGE = process.env['PUMPHOUSE_LARGE_STATE'] === '1';
const COUNT = LARGE ? 700_000 : 120_000;

const { dir, cleanup } = tempDir();
after(cleanup);

test(`a state of ${COUNT} objects is written and read back${LARGE ? ', its text longer than a string can be' : ''}`, async () => {
  const objects = serverObjects(COUNT);
  const path = join(dir, 'state.json');
  const written = await StateStore.open(path).write({ ...emptyState(), objects });
  const bytes = statSync(path).size;
  if (LARGE) assert.ok(bytes > constants.MAX_STRING_LENGTH, `${bytes} bytes: not beyond the string limit (${constants.MAX_STRING_LENGTH})`);
  const back = await StateStore.open(path).read();
  assert.equal(back.serial, written.serial);
  assert.equal(back.objects.length, COUNT);
  for (const i of [0, 1, Math.floor(COUNT / 2), COUNT - 1]) assert.deepEqual(back.objects[i], objects[i]);
});
