import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PumphouseError } from '../../src/errors/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { forceUnlock, readLock, StateLock, type LockInfo } from '../../src/state/index.js';
import { child, exited, firstLine, sleep, tempDir } from './helpers.js';
import { isCode } from '../support/rejection.js';

const { dir, cleanup } = tempDir();
after(cleanup);
let n = 0;
const fresh = (): string => {
  const d = join(dir, `case-${n++}`);
  mkdirSync(d);
  return join(d, 'state.json');
};
const fast = { initialMs: 20, maxMs: 100 };

describe('state lock', () => {
  test('the lock file carries LockInfo and the lease, and release removes it', async () => {
    const path = fresh();
    const reporter = new MemoryReporter();
    const lock = await StateLock.acquire(path, { operation: 'apply', info: 'plan p1', reporter, leaseMs: 30_000 });
    const info = JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as LockInfo;
    assert.equal(info.ID, lock.info.ID);
    assert.equal(info.Operation, 'apply');
    assert.equal(info.Info, 'plan p1');
    assert.match(info.Who, /.+@.+/);
    assert.equal(info.Path, path);
    assert.equal(info.pid, process.pid);
    assert.ok(Date.parse(info.expires_at) > Date.parse(info.Created));
    assert.equal(typeof info.Version, 'string');
    await lock.release();
    assert.equal(existsSync(`${path}.lock`), false);
    assert.deepEqual(reporter.events.map((e) => e.type), ['lock_acquired', 'lock_released']);
  });

  test('of two processes locking at once, exactly one wins; the other is told who holds it', async () => {
    const path = fresh();
    const a = child('lock-holder', [path]);
    const b = child('lock-holder', [path]);
    const results = (await Promise.all([firstLine(a), firstLine(b)])).map((l) => JSON.parse(l) as { locked?: string; error?: string; message?: string });
    const winners = results.filter((r) => r.locked);
    const losers = results.filter((r) => r.error);
    assert.equal(winners.length, 1, JSON.stringify(results));
    assert.equal(losers[0]?.error, 'PH_STATE_LOCKED');
    const id = winners[0]?.locked ?? '';
    assert.match(losers[0]?.message ?? '', /locked by .+@.+ \(pid \d+\) for 'apply' since \d{4}-/);
    assert.ok(losers[0]?.message?.includes(`pumphouse force-unlock ${id} --state ${path}`));
    a.stdin?.end();
    b.stdin?.end();
    await Promise.all([exited(a), exited(b)]);
    assert.equal(existsSync(`${path}.lock`), false);
  });

  test('a waiter retries with backoff and gets the lock once the holder releases it', async () => {
    const path = fresh();
    const holder = child('lock-holder', [path]);
    await firstLine(holder);
    const reporter = new MemoryReporter();
    setTimeout(() => holder.stdin?.end(), 300);
    const lock = await StateLock.acquire(path, { operation: 'apply', timeoutMs: 20_000, backoff: fast, reporter });
    assert.ok(reporter.ofType('lock_waiting').length >= 1);
    assert.equal((await readLock(path))?.ID, lock.info.ID);
    await lock.release();
    await exited(holder);
  });

  test('the wait ends at the timeout with PH_STATE_LOCKED', async () => {
    const path = fresh();
    const holder = await StateLock.acquire(path, { operation: 'apply' });
    await assert.rejects(
      StateLock.acquire(path, { operation: 'state rm', timeoutMs: 150, backoff: fast }),
      isCode('PH_STATE_LOCKED', (e) => assert.match(e.message, /after waiting/)),
    );
    await holder.release();
  });

  test('the heartbeat keeps a live lease; a killed holder loses it and is taken over', async () => {
    const path = fresh();
    const holder = child('lock-holder', [path, '300']);
    const { locked } = JSON.parse(await firstLine(holder)) as { locked: string };
    await sleep(700); // more than two leases: only renewals keep it valid
    await assert.rejects(StateLock.acquire(path, { operation: 'apply' }), isCode('PH_STATE_LOCKED'));
    assert.ok(Date.parse((await readLock(path))?.expires_at ?? '') > Date.now());

    holder.kill('SIGKILL');
    await exited(holder);
    const reporter = new MemoryReporter();
    const lock = await StateLock.acquire(path, { operation: 'apply', timeoutMs: 10_000, backoff: fast, reporter });
    const takeover = reporter.ofType('lock_taken_over');
    assert.equal(takeover.length, 1);
    assert.equal(takeover[0]?.previous_id, locked);
    assert.equal(takeover[0]?.['@level'], 'warn');
    await lock.release();
  });

  test('a lock whose lease ran out long ago is taken over at once', async () => {
    const path = fresh();
    const stale: LockInfo = {
      ID: '11111111-2222-3333-4444-555555555555',
      Operation: 'apply',
      Info: '',
      Who: 'ci@runner-7',
      Version: '0.1.0',
      Created: '2026-01-01T00:00:00.000Z',
      Path: path,
      expires_at: '2026-01-01T00:01:00.000Z',
      lease_ms: 60_000,
      pid: 999999,
    };
    writeFileSync(`${path}.lock`, JSON.stringify(stale));
    const reporter = new MemoryReporter();
    const lock = await StateLock.acquire(path, { operation: 'apply', reporter });
    assert.equal(reporter.ofType('lock_taken_over')[0]?.previous_who, 'ci@runner-7');
    await lock.release();
  });

  test('force-unlock removes only the lock with that exact ID; the holder learns it lost it', async () => {
    const path = fresh();
    await assert.rejects(forceUnlock(path, 'whatever'), isCode('PH_USAGE'));
    const reporter = new MemoryReporter();
    const lock = await StateLock.acquire(path, { operation: 'apply', leaseMs: 150, reporter });
    await assert.rejects(forceUnlock(path, 'not-the-id'), isCode('PH_STATE_LOCKED', (e) => assert.ok(e.message.includes(lock.info.ID))));
    assert.equal((await readLock(path))?.ID, lock.info.ID, 'a wrong ID removes nothing');

    const lost = new Promise<unknown>((resolve) => lock.signal.addEventListener('abort', () => resolve(lock.signal.reason)));
    const removed = await forceUnlock(path, lock.info.ID);
    assert.equal(removed.ID, lock.info.ID);
    assert.equal(await readLock(path), null);
    // The heartbeat timer is unref'd (it must not keep a finished program alive); hold the
    // test's event loop open until it fires.
    const keepAlive = setInterval(() => undefined, 1000);
    const reason = await lost;
    clearInterval(keepAlive);
    assert.ok(PumphouseError.is(reason) && reason.code === 'PH_STATE_LOCKED');
    assert.equal(reporter.ofType('lock_lost').length, 1);
    // The former holder neither renews nor deletes someone else's lock afterwards.
    const next = await StateLock.acquire(path, { operation: 'apply' });
    await lock.release();
    assert.equal((await readLock(path))?.ID, next.info.ID);
    await next.release();
  });

  test('an abort signal stops the wait with PH_ABORTED', async () => {
    const path = fresh();
    const holder = await StateLock.acquire(path, { operation: 'apply' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(StateLock.acquire(path, { operation: 'apply', timeoutMs: 60_000, signal: controller.signal }), isCode('PH_ABORTED'));
    await holder.release();
  });
});
