import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StateStore, type StateFile } from '../../src/state/index.js';
import { child, exited, firstLine, tempDir } from '../state/helpers.js';
import { runCli } from './run-cli.js';

const { dir, cleanup } = tempDir();
after(cleanup);
const statePath = join(dir, 'state.json');

const cli = (...args: string[]) => runCli(args);

const at = '2026-11-26T10:00:00.000Z';
const ref = (address: string, kind: string) => ({ address, kind, source_id: `src-${address}`, plan_id: 'p1', action_id: `act-${address}`, at });
const web = 'tenant[acme].server[web-1]';
const net = 'tenant[acme].network[private]';
const vol = 'tenant[acme].volume[data]';

before(async () => {
  // A run that finished two objects and died in the middle of a third: its journal remains.
  const store = StateStore.open(statePath);
  await store.load();
  await store.record({ t: 'operation_start', plan_id: 'p1', operation: 'apply', at });
  await store.record({ t: 'action_done', ...ref(net, 'network'), destination_id: 'dst-net' });
  await store.record({ t: 'action_done', ...ref(vol, 'volume'), destination_id: 'dst-vol', attributes: { name: 'data' } });
  await store.compact();
  await store.record({ t: 'pending', ...ref(web, 'server'), step: 'snapshot' });
  await store.record({
    t: 'temp',
    at,
    temp: {
      id: 'act-web/snapshot',
      kind: 'image',
      cloud: 'source',
      resource_id: 'img-77',
      project_id: 'proj-acme',
      details: {},
      address: web,
      plan_id: 'p1',
      action_id: `act-${web}`,
      created_at: at,
    },
  });
  await store.close();
});

const readState = (): StateFile => JSON.parse(readFileSync(statePath, 'utf8')) as StateFile;

describe('pumphouse state', () => {
  test('state list shows every object with kind, status and destination id, journal included', async () => {
    const r = await cli('state', 'list', '--state', statePath);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('tenant['));
    assert.deepEqual(rows.map((l) => l.split(/\s{2,}/)), [
      [net, 'network', 'ready', 'dst-net'],
      [vol, 'volume', 'ready', 'dst-vol'],
      [web, 'server', 'pending (snapshot)', '-'],
    ]);
    assert.match(r.stdout, /1 temporary object/);
  });

  test('--json state list is one JSON document', async () => {
    const r = await cli('--json', 'state', 'list', '--state', statePath);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.includes('"objects"')) ?? '';
    const doc = JSON.parse(line) as { serial: number; objects: { address: string; status: string }[] };
    assert.equal(doc.serial, 1);
    assert.deepEqual(doc.objects.map((o) => o.status), ['ready', 'ready', 'pending']);
  });

  test('state show prints all fields and the temporaries of the object', async () => {
    const r = await cli('state', 'show', web, '--state', statePath);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# tenant\[acme\]\.server\[web-1\]/);
    assert.match(r.stdout, /status\s+= pending/);
    assert.match(r.stdout, /source_id\s+= src-tenant\[acme\]\.server\[web-1\]/);
    assert.match(r.stdout, /"step": "snapshot"/);
    assert.match(r.stdout, /temporary image img-77 \(source, project proj-acme\)/);
    const v = await cli('state', 'show', vol, '--state', statePath);
    assert.match(v.stdout, /attributes\s+= \{\n\s+"name": "data"/);
  });

  test('state show of an unknown address fails with PH_NOT_FOUND', async () => {
    const r = await cli('state', 'show', 'tenant[acme].server[nope]', '--state', statePath);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PH_NOT_FOUND.*no object at tenant\[acme\]\.server\[nope\]/);
  });

  test('state rm with an unknown address writes nothing', async () => {
    const before = readFileSync(statePath, 'utf8');
    const r = await cli('state', 'rm', net, 'tenant[acme].router[r]', '--state', statePath);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PH_NOT_FOUND.*tenant\[acme\]\.router\[r\]/);
    assert.equal(readFileSync(statePath, 'utf8'), before);
    assert.equal(existsSync(`${statePath}.lock`), false, 'the lock is released after a failure');
  });

  test('state rm refuses while another process holds the lock; force-unlock needs the exact ID', async () => {
    const holder = child('lock-holder', [statePath]);
    const { locked } = JSON.parse(await firstLine(holder)) as { locked: string };
    try {
      const refused = await cli('state', 'rm', net, '--state', statePath);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /PH_STATE_LOCKED/);
      assert.ok(refused.stderr.includes(`pumphouse force-unlock ${locked}`), refused.stderr);

      const wrong = await cli('force-unlock', 'deadbeef', '--state', statePath);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /PH_STATE_LOCKED.*does not match/);
      assert.ok(existsSync(`${statePath}.lock`));

      const right = await cli('force-unlock', locked, '--state', statePath);
      assert.equal(right.code, 0, right.stderr);
      assert.match(right.stdout, new RegExp(`Released lock ${locked}`));
      assert.equal(existsSync(`${statePath}.lock`), false);
    } finally {
      holder.kill('SIGKILL');
      await exited(holder);
    }
  });

  test('state rm removes the objects, folds the journal, bumps the serial and keeps a backup', async () => {
    const r = await cli('state', 'rm', net, web, '--state', statePath);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Removed tenant\[acme\]\.network\[private\] \(network, destination id dst-net\)/);
    assert.match(r.stdout, /Removed tenant\[acme\]\.server\[web-1\] \(server, destination id -\)/);
    assert.match(r.stdout, /Removed 2 object\(s\).*serial 2/);
    const state = readState();
    assert.equal(state.serial, 2);
    assert.deepEqual(state.objects.map((o) => o.address), [vol]);
    assert.deepEqual(state.temporaries.map((t) => t.id), ['act-web/snapshot'], 'temporaries still exist in the cloud: kept');
    assert.deepEqual(state.history.map((h) => [h.operation, h.result, h.serial_after]), [
      ['apply', 'interrupted', 2],
      ['state rm', 'ok', 2],
    ]);
    assert.equal(readFileSync(`${statePath}.journal.ndjson`, 'utf8'), '');
    assert.equal((JSON.parse(readFileSync(`${statePath}.backup`, 'utf8')) as StateFile).serial, 1);
  });

  test('force-unlock without a lock is a usage error', async () => {
    const r = await cli('force-unlock', 'deadbeef', '--state', statePath);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PH_USAGE.*not locked/);
  });
});
