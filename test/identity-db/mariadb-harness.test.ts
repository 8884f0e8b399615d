/**
 * test/support/mariadb.ts itself: the real mariadb-install-db path (the other test files use
 * the faster bootstrap path), root without a password, and a stop() that leaves nothing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createConnection } from 'mysql2/promise';
import { findMariaDb, startMariaDb, type ThrowawayMariaDb } from '../support/mariadb.js';

let db: ThrowawayMariaDb;

before(async () => {
  db = await startMariaDb({ install: 'install-db' });
});
after(async () => {
  await db?.stop();
});

test('finds the server binary and the install tooling', () => {
  const bins = findMariaDb();
  assert.ok(bins, 'mariadbd found');
  assert.match(bins.server, /(mariadbd|mysqld)$/);
  assert.ok(bins.installDb);
});

test('mariadb-install-db made a server where root logs in on 127.0.0.1 without a password', async () => {
  assert.equal(db.install, 'install-db');
  assert.match(db.version, /MariaDB/);
  const conn = await createConnection({ host: '127.0.0.1', port: db.port, user: 'root' });
  try {
    const [rows] = await conn.query('SELECT CURRENT_USER() AS u, @@bind_address AS b, @@log_bin AS lb');
    assert.deepEqual(rows, [{ u: 'root@127.0.0.1', b: '127.0.0.1', lb: 0 }]);
  } finally {
    await conn.end();
  }
  assert.equal(db.url('k'), `mysql://root@127.0.0.1:${db.port}/k`);
});

test('stop() kills the server and removes its folder; a second stop() is harmless', async () => {
  const extra = await startMariaDb();
  assert.equal(extra.install, 'bootstrap');
  assert.ok(existsSync(extra.baseDir));
  await extra.sql('CREATE DATABASE t; CREATE TABLE t.x (id INT); INSERT INTO t.x VALUES (1)');
  assert.deepEqual(await extra.sql('SELECT id FROM t.x'), [{ id: 1 }]);
  await extra.stop();
  await extra.stop();
  assert.ok(!existsSync(extra.baseDir));
  await assert.rejects(createConnection({ host: '127.0.0.1', port: extra.port, user: 'root', connectTimeout: 2000 }), /ECONNREFUSED/);
});
