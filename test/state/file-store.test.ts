import assert from 'node:assert/strict';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MemoryReporter } from '../../src/events/index.js';
import { emptyState, StateStore, type StateFile, type StateObject } from '../../src/state/index.js';
import { tempDir } from './helpers.js';
import { isCode } from '../support/rejection.js';

const { dir, cleanup } = tempDir();
after(cleanup);
let n = 0;
const fresh = (): string => {
  const d = join(dir, `case-${n++}`);
  mkdirSync(d);
  return join(d, 'state.json');
};

const object = (address: string, extra: Partial<StateObject> = {}): StateObject => ({
  address,
  kind: 'server',
  source_id: `src-${address}`,
  destination_id: `dst-${address}`,
  status: 'ready',
  step: 'boot',
  steps_done: ['boot'],
  pending: null,
  attributes: { name: address },
  error: null,
  plan_id: 'p1',
  action_id: 'a1',
  updated_at: '2026-11-26T10:00:00.000Z',
  ...extra,
});

describe('StateStore.read', () => {
  test('a missing file is an empty state with a new lineage and serial 0', async () => {
    const a = await StateStore.open(fresh()).read();
    const b = await StateStore.open(fresh()).read();
    assert.equal(a.serial, 0);
    assert.deepEqual(a.objects, []);
    assert.match(a.lineage, /^[0-9a-f-]{36}$/);
    assert.notEqual(a.lineage, b.lineage);
  });

  test('malformed JSON names the file, line and column', async () => {
    const path = fresh();
    writeFileSync(path, '{\n  "version": 1,\n  "serial": ,\n}\n');
    await assert.rejects(StateStore.open(path).read(), isCode('PH_STATE_INVALID', (e) => {
      assert.equal(e.location?.file, path);
      assert.equal(e.location?.line, 3);
      assert.equal(e.location?.column, 13);
    }));
  });

  test('a schema violation names the file and the field', async () => {
    const path = fresh();
    const bad = { ...emptyState(), objects: [object('tenant[a].server[w]'), { ...object('tenant[a].server[x]'), status: 'gone' }] };
    writeFileSync(path, JSON.stringify(bad));
    await assert.rejects(StateStore.open(path).read(), isCode('PH_STATE_INVALID', (e) => {
      assert.equal(e.location?.file, path);
      assert.equal(e.location?.field, 'objects[1].status');
      assert.match(e.message, /objects\[1\]\.status must be one of "ready"/);
    }));
  });

  test('a missing field, an unknown field and a repeated address are all reported', async () => {
    const path = fresh();
    const { serial: _s, ...noSerial } = emptyState();
    writeFileSync(path, JSON.stringify({ ...noSerial, extra: 1 }));
    await assert.rejects(StateStore.open(path).read(), isCode('PH_STATE_INVALID', (e) => {
      const fields = e.problems.map((p) => p.location?.field).sort();
      assert.deepEqual(fields, ['extra', 'serial']);
    }));
    writeFileSync(path, JSON.stringify({ ...emptyState(), objects: [object('x'), object('x')] }));
    await assert.rejects(StateStore.open(path).read(), isCode('PH_STATE_INVALID', (e) => assert.equal(e.location?.field, 'objects[1].address')));
  });

  test('a newer format version is refused with a clear message', async () => {
    const path = fresh();
    writeFileSync(path, JSON.stringify({ ...emptyState(), version: 2 }));
    await assert.rejects(StateStore.open(path).read(), isCode('PH_STATE_INVALID', (e) => {
      assert.equal(e.location?.field, 'version');
      assert.match(e.message, /newer than this pumphouse/);
    }));
  });
});

describe('StateStore.write', () => {
  test('bumps the serial on every write, keeps lineage, and round-trips', async () => {
    const path = fresh();
    const store = StateStore.open(path);
    const s0 = await store.read();
    const s1 = await store.write({ ...s0, objects: [object('a')] });
    const s2 = await store.write(s1);
    assert.equal(s1.serial, 1);
    assert.equal(s2.serial, 2);
    const back = await StateStore.open(path).read();
    assert.equal(back.serial, 2);
    assert.equal(back.lineage, s0.lineage);
    assert.deepEqual(back.objects, [object('a')]);
  });

  test('keeps the previous version as .backup and leaves no temp files', async () => {
    const path = fresh();
    const store = StateStore.open(path);
    const s1 = await store.write({ ...(await store.read()), objects: [object('first')] });
    assert.equal(existsSync(`${path}.backup`), false, 'no backup before a previous version exists');
    await store.write({ ...s1, objects: [object('second')] });
    const backup = JSON.parse(readFileSync(`${path}.backup`, 'utf8')) as StateFile;
    assert.equal(backup.serial, 1);
    assert.equal(backup.objects[0]?.address, 'first');
    const current = JSON.parse(readFileSync(path, 'utf8')) as StateFile;
    assert.equal(current.objects[0]?.address, 'second');
    const leftovers = readdirSync(join(path, '..')).filter((f) => f.includes('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  test('no temp file is left when the backup already is the state file (killed between link and rename)', async () => {
    const path = fresh();
    const store = StateStore.open(path);
    const s1 = await store.write(await store.read());
    linkSync(path, `${path}.backup`);
    await store.write(s1);
    assert.deepEqual(readdirSync(join(path, '..')).filter((f) => f.includes('.tmp')), []);
    assert.equal((JSON.parse(readFileSync(`${path}.backup`, 'utf8')) as StateFile).serial, 1);
  });

  test('a failed write dumps errored.state.json next to it and throws PH_STATE_IO', async () => {
    const path = fresh();
    // A directory where the file should be: rename() onto it fails.
    mkdirSync(path);
    writeFileSync(join(path, 'occupied'), '');
    const store = StateStore.open(path);
    await assert.rejects(store.write(emptyState()), isCode('PH_STATE_IO', (e) => {
      assert.match(e.message, /errored\.state\.json/);
    }));
    const dumped = JSON.parse(readFileSync(join(path, '..', 'errored.state.json'), 'utf8')) as StateFile;
    assert.equal(dumped.serial, 1);
    const leftovers = readdirSync(join(path, '..')).filter((f) => f.includes('.tmp'));
    assert.deepEqual(leftovers, []);
  });

  test('emits state_persisted with the serial', async () => {
    const reporter = new MemoryReporter();
    const store = StateStore.open(fresh(), { reporter });
    await store.write(await store.read());
    assert.deepEqual(reporter.ofType('state_persisted').map((e) => e.serial), [1]);
  });
});
