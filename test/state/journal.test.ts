import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MemoryReporter } from '../../src/events/index.js';
import { findObject, StateStore, type JournalRecord } from '../../src/state/index.js';
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

const at = '2026-11-26T10:00:00.000Z';
const ref = (k: number) => ({ address: `tenant[a].volume[v${k}]`, kind: 'volume', source_id: `src-${k}`, plan_id: 'p1', action_id: `a${k}`, at });
const start: JournalRecord = { t: 'operation_start', plan_id: 'p1', operation: 'apply', at };

/** A store with a written state (serial 1) and an operation under way in the journal. */
async function started(path: string): Promise<StateStore> {
  const store = StateStore.open(path);
  await store.load();
  await store.compact();
  await store.record(start);
  return store;
}

const lines = (path: string): string[] => readFileSync(`${path}.journal.ndjson`, 'utf8').split('\n').filter(Boolean);

describe('journal', () => {
  test('records are on disk before record() resolves and another process folds them the same way', async () => {
    const path = fresh();
    const store = await started(path);
    await store.record({ t: 'pending', ...ref(1), step: 'create' });
    await store.record({ t: 'done', ...ref(1), step: 'create', destination_id: 'dv1' });
    await store.record({ t: 'pending', ...ref(1), step: 'copy_data' });
    assert.equal(lines(path).length, 4);
    const { state, report } = await StateStore.open(path).load();
    assert.deepEqual(state, store.current);
    assert.equal(report.applied, 4);
    assert.deepEqual(report.pending, ['tenant[a].volume[v1]']);
    const o = findObject(state, 'tenant[a].volume[v1]');
    assert.equal(o?.status, 'pending');
    assert.equal(o?.pending?.step, 'copy_data');
    assert.equal(o?.destination_id, 'dv1');
    await store.close();
  });

  test('a torn last line is ignored and reported, and cut before the next append', async () => {
    const path = fresh();
    const store = await started(path);
    await store.record({ t: 'pending', ...ref(1), step: 'create' });
    await store.close();
    const torn = JSON.stringify({ base_serial: 1, t: 'done', ...ref(1), step: 'create' }).slice(0, 40);
    appendFileSync(`${path}.journal.ndjson`, torn);

    const reporter = new MemoryReporter();
    const reader = StateStore.open(path, { reporter });
    const { state, report } = await reader.load();
    assert.deepEqual(report.torn, { bytes: 40, line: 3 });
    assert.equal(findObject(state, 'tenant[a].volume[v1]')?.pending?.step, 'create', 'the torn done does not count');
    const events = reporter.ofType('journal_replayed');
    assert.equal(events[0]?.['@level'], 'warn');
    assert.equal(events[0]?.torn_bytes, 40);

    // The next writer appends after cutting the partial line, so every line parses again.
    await reader.record({ t: 'done', ...ref(1), step: 'create', destination_id: 'dv1' });
    await reader.close();
    const again = await StateStore.open(path).load();
    assert.equal(again.report.torn, null);
    assert.equal(lines(path).length, 3);
    assert.equal(findObject(again.state, 'tenant[a].volume[v1]')?.destination_id, 'dv1');
  });

  test('a journal of several MiB is read in chunks: lines across chunk edges, multi-byte text, a torn tail counted in bytes', async () => {
    const path = fresh();
    const store = await started(path);
    await store.close();
    const note = 'ünïcödé ✓ '.repeat(40);
    const body: string[] = [];
    for (let k = 0; k < 12_000; k++) body.push(JSON.stringify({ base_serial: 1, t: 'pending', ...ref(k), step: 'create', data: { note, k } }));
    appendFileSync(`${path}.journal.ndjson`, `${body.join('\n')}\n`);
    const tail = '{"base_serial":1,"t":"pend ✓';
    appendFileSync(`${path}.journal.ndjson`, tail);
    assert.ok(statSync(`${path}.journal.ndjson`).size > 5 * 1024 * 1024);
    const { state, report } = await StateStore.open(path).load();
    assert.equal(report.applied, 12_001);
    assert.deepEqual(report.torn, { bytes: Buffer.byteLength(tail), line: 12_002 });
    for (const k of [0, 4_321, 11_999]) assert.deepEqual(findObject(state, `tenant[a].volume[v${k}]`)?.pending?.data, { note, k });
  });

  test('a broken line in the middle is refused, naming the journal and the line', async () => {
    const path = fresh();
    const store = await started(path);
    await store.close();
    appendFileSync(`${path}.journal.ndjson`, '{"base_serial":1,"t":"pend\n');
    appendFileSync(`${path}.journal.ndjson`, `${JSON.stringify({ base_serial: 1, ...start })}\n`);
    await assert.rejects(StateStore.open(path).load(), isCode('PH_STATE_INVALID', (e) => {
      assert.equal(e.location?.file, `${path}.journal.ndjson`);
      assert.equal(e.location?.line, 2);
    }));
  });

  test('a malformed record names its field', async () => {
    const path = fresh();
    writeFileSync(`${path}.journal.ndjson`, `${JSON.stringify({ base_serial: 0, t: 'pending', ...ref(1), step: 7 })}\n`);
    await assert.rejects(StateStore.open(path).load(), isCode('PH_STATE_INVALID', (e) => {
      assert.equal(e.location?.line, 1);
      assert.equal(e.location?.field, 'step');
    }));
  });

  test('a journal without a state file (first run died before compacting) still loads', async () => {
    const path = fresh();
    const store = StateStore.open(path);
    await store.load();
    await store.record(start);
    await store.record({ t: 'pending', ...ref(2), step: 'create' });
    await store.close();
    const { state } = await StateStore.open(path).load();
    assert.equal(state.serial, 0);
    assert.equal(state.objects.length, 1);
  });

  test('compaction writes serial + 1, empties the journal and closes the history entry', async () => {
    const path = fresh();
    const store = await started(path);
    await store.record({ t: 'action_done', ...ref(1), destination_id: 'dv1' });
    await store.record({ t: 'operation_end', plan_id: 'p1', result: 'ok', at });
    const written = await store.compact();
    assert.equal(written.serial, 2);
    assert.equal(statSync(`${path}.journal.ndjson`).size, 0);
    const { state, report } = await StateStore.open(path).load();
    assert.equal(report.applied, 0);
    assert.equal(state.serial, 2);
    assert.deepEqual(state.history.map((h) => [h.result, h.done, h.serial_before, h.serial_after]), [['ok', 1, 1, 2]]);
    await store.close();
  });

  test('a crash between the compacted write and the truncation never applies records twice', async () => {
    const path = fresh();
    const store = await started(path);
    await store.record({ t: 'action_done', ...ref(1), destination_id: 'dv1' });
    await store.close();
    copyFileSync(`${path}.journal.ndjson`, join(dir, 'saved-journal'));
    await store.compact();
    // Put the journal back as if the process died right after renaming the state file.
    copyFileSync(join(dir, 'saved-journal'), `${path}.journal.ndjson`);
    const { state, report } = await StateStore.open(path).load();
    assert.equal(report.skipped, 2);
    assert.equal(report.applied, 0);
    assert.equal(state.history.length, 1, 'operation_start was not applied twice');
    assert.equal(state.history[0]?.done, 1);
  });

  test('journal records newer than the state file (an old copy put back) are refused', async () => {
    const path = fresh();
    const store = await started(path);
    await store.compact(); // serial 2, the previous version (serial 1) is the backup
    await store.record(start);
    await store.close();
    copyFileSync(`${path}.backup`, path);
    await assert.rejects(StateStore.open(path).load(), isCode('PH_STATE_INVALID', (e) => assert.match(e.message, /serial 2.*serial 1/)));
  });

  test('secret-looking values never reach the journal or the state', async () => {
    const path = fresh();
    const store = await started(path);
    await store.record({ t: 'done', ...ref(1), step: 'create', attributes: { name: 'v1', admin_password: 'hunter2' } });
    await store.record({ t: 'action_failed', ...ref(1), error: { code: 'PH_IDENTITY_DB', message: 'mysql://keystone:s3cret@db/keystone refused' } });
    const journal = readFileSync(`${path}.journal.ndjson`, 'utf8');
    assert.ok(!journal.includes('hunter2') && !journal.includes('s3cret'), journal);
    await store.compact();
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes('hunter2') && !text.includes('s3cret'), text);
    assert.equal(findObject(store.current, 'tenant[a].volume[v1]')?.attributes.name, 'v1');
    await store.close();
  });

  test('concurrent records are all kept, in order (group commit)', async () => {
    const path = fresh();
    const store = await started(path);
    await Promise.all(Array.from({ length: 200 }, (_, k) => store.record({ t: 'pending', ...ref(k), step: 'create' })));
    const { state } = await StateStore.open(path).load();
    assert.equal(state.objects.length, 200);
    assert.deepEqual(state, store.current);
    assert.deepEqual(state.objects.map((o) => o.source_id), Array.from({ length: 200 }, (_, k) => `src-${k}`));
    await store.close();
  });

  test('compact() waits for records still being appended', async () => {
    const path = fresh();
    const store = await started(path);
    const pending = Array.from({ length: 50 }, (_, k) => store.record({ t: 'pending', ...ref(k), step: 'create' }));
    const written = await store.compact();
    await Promise.all(pending);
    assert.equal(written.objects.length, 50);
    const { state } = await StateStore.open(path).load();
    assert.equal(state.objects.length, 50);
    await store.close();
  });

  test('recover() marks the dead run interrupted and compacts', async () => {
    const path = fresh();
    const dead = await started(path);
    await dead.record({ t: 'pending', ...ref(1), step: 'create' });
    await dead.close();
    const store = StateStore.open(path);
    const { state, report } = await store.recover();
    assert.equal(report.applied, 2);
    assert.equal(state.serial, 2);
    assert.equal(state.history[0]?.result, 'interrupted');
    assert.equal(findObject(state, 'tenant[a].volume[v1]')?.pending?.step, 'create');
    assert.equal(statSync(`${path}.journal.ndjson`).size, 0);
    await store.close();
  });
});
