/**
 * identity-db against the real testbed (two Keystone Zed clouds, /work/shared/testbed): runs
 * under `npm run test:real` (PUMPHOUSE_REAL_CLOUDS set), which starts the testbed first, so an
 * unreachable MariaDB there fails instead of skipping. Read-only on existing
 * users; the write test creates its own user with SQL, copies hashes onto it, logs in through
 * the destination Keystone when it is up, and deletes the user afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createConnection, type Connection } from 'mysql2/promise';
import { hashVerifiable, openIdentityDb, type IdentityDb } from '../../src/identity-db/index.js';
import { sha512Crypt } from '../identity-db/sha512-crypt.js';
import { testbedSkipReason } from './kinds-support.js';

const DB_PORT = Number(process.env['PUMPHOUSE_TESTBED_DB_PORT'] ?? 3306);
const SOURCE_URL = `mysql+pymysql://source:testbed@127.0.0.1:${DB_PORT}/keystone_source`;
const DESTINATION_URL = `mysql+pymysql://destination:testbed@127.0.0.1:${DB_PORT}/keystone_destination`;
const DESTINATION_KEYSTONE = 'http://127.0.0.1:15000/v3';

async function keystoneUp(): Promise<boolean> {
  try {
    return (await fetch(DESTINATION_KEYSTONE, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/** POST /v3/auth/tokens (unscoped) with a user id and password; returns the HTTP status. */
async function login(userId: string, password: string): Promise<number> {
  const res = await fetch(`${DESTINATION_KEYSTONE}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { id: userId, password } } } } }),
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return res.status;
}

const skip = (await testbedSkipReason()) ?? false;

describe('real testbed identity databases (Zed)', { skip }, () => {
  let source: IdentityDb;
  let destination: IdentityDb;
  let admin: Connection;
  const userId = randomBytes(16).toString('hex');
  const userName = `ph-idb-test-${userId.slice(0, 8)}`;

  before(async () => {
    source = await openIdentityDb(SOURCE_URL, { label: 'source' });
    destination = await openIdentityDb(DESTINATION_URL, { label: 'destination' });
    admin = await createConnection({ host: '127.0.0.1', port: DB_PORT, user: 'destination', password: 'testbed', database: 'keystone_destination' });
  });

  after(async () => {
    // ON DELETE CASCADE removes local_user and password rows.
    await admin?.query('DELETE FROM `user` WHERE id = ?', [userId]);
    await admin?.end();
    await source?.close();
    await destination?.close();
  });

  test('both databases have the Stein+ schema', async () => {
    assert.equal(await source.detectSchema(), 'local-user-password-hash');
    assert.equal(await destination.detectSchema(), 'local-user-password-hash');
  });

  test("the admin user's hash is a bcrypt hash on both clouds, verifiable on Zed", async () => {
    for (const db of [source, destination]) {
      const id = await db.lookupUserIdByName('admin', 'default');
      assert.ok(id, 'admin exists');
      const hash = await db.readPasswordHash(id);
      assert.equal(hash?.algorithm, 'bcrypt');
      assert.ok(hash && hashVerifiable(hash, 'zed'));
    }
  });

  test('copying the source admin hash, then a Havana sha512_crypt hash, onto a test user', async (t) => {
    const now = Date.now();
    await admin.query("INSERT INTO `user` (id, domain_id, enabled, extra, created_at) VALUES (?, 'default', 1, '{}', UTC_TIMESTAMP())", [userId]);
    await admin.query("INSERT INTO local_user (user_id, domain_id, name) VALUES (?, 'default', ?)", [userId, userName]);
    await admin.query(
      'INSERT INTO password (local_user_id, password_hash, created_at, created_at_int, self_service) SELECT id, ?, UTC_TIMESTAMP(), ?, 0 FROM local_user WHERE user_id = ?',
      [sha512Crypt('before-copy', 'Before00', 40000), now * 1000, userId],
    );
    assert.equal(await destination.lookupUserIdByName(userName, 'default'), userId);

    const sourceAdmin = await source.lookupUserIdByName('admin', 'default');
    const adminHash = await source.readPasswordHash(sourceAdmin!);
    assert.ok(adminHash);
    assert.equal(await destination.writePasswordHash(userId, adminHash), 'updated');
    assert.equal(await destination.writePasswordHash(userId, adminHash), 'unchanged');
    assert.ok((await destination.readPasswordHash(userId))?.equals(adminHash));

    const havanaHash = sha512Crypt('havana-password', 'HvN4kq8s', 40000);
    const up = await keystoneUp();
    if (up) {
      // The testbed's admin password is `admin` (testbed/README.md).
      assert.equal(await login(userId, 'admin'), 201, 'logs in with the source password');
      assert.equal(await login(userId, 'before-copy'), 401);
    }
    assert.equal(await destination.writePasswordHash(userId, havanaHash), 'updated');
    if (up) {
      assert.equal(await login(userId, 'havana-password'), 201, 'a $6$ hash verifies on Zed');
      assert.equal(await login(userId, 'admin'), 401);
    } else {
      t.diagnostic(`destination Keystone (${DESTINATION_KEYSTONE}) is down: logins not checked`);
    }
  });
});
