import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { constants } from 'node:buffer';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { emptyState, StateStore, type StateObject } from '../../src/state/index.js';
import { tempDir } from './helpers.js';

// By default 120,000 objects (a ~100 MB file, ~100 chunks of reading, a few seconds).
// PUMPHOUSE_LARGE_STATE=1: 700,000 objects, a 564 MiB file, longer than the longest string
// V8 can make, which JSON.stringify could not write nor readFile(..., 'utf8') read (about
// 15 s of CPU: too much for every run on the shared machine).
const LARGE = process.env['PUMPHOUSE_LARGE_STATE'] === '1';
const COUNT = LARGE ? 700_000 : 120_000;

const { dir, cleanup } = tempDir();
after(cleanup);

test(`a state of ${COUNT} objects is written and read back${LARGE ? ', its text longer than a string can be' : ''}`, async () => {
  const attributes = { name: 'server-name', flavor: 'm1.small', image: 'cirros-0.6.2-x86_64-disk', network: 'private-net', zone: 'nova', note: 'x'.repeat(120) };
  const objects: StateObject[] = Array.from({ length: COUNT }, (_, i) => ({
    address: `tenant[t${i % 1000}].server[s${i}]`,
    kind: 'server',
    source_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    destination_id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    status: 'ready',
    step: 'verify',
    steps_done: ['snapshot', 'transfer', 'boot', 'verify'],
    pending: null,
    // Shared in memory, written out once per object: the file grows, the test's heap does not.
    attributes,
    error: null,
    plan_id: 'p1',
    action_id: `a${i}`,
    updated_at: '2026-11-26T10:00:00.000Z',
  }));
  const path = join(dir, 'state.json');
  const written = await StateStore.open(path).write({ ...emptyState(), objects });
  const bytes = statSync(path).size;
  if (LARGE) assert.ok(bytes > constants.MAX_STRING_LENGTH, `${bytes} bytes: not beyond the string limit (${constants.MAX_STRING_LENGTH})`);
  const back = await StateStore.open(path).read();
  assert.equal(back.serial, written.serial);
  assert.equal(back.objects.length, COUNT);
  for (const i of [0, 1, Math.floor(COUNT / 2), COUNT - 1]) assert.deepEqual(back.objects[i], objects[i]);
});
