/**
 * identity-db against a real (throwaway) MariaDB holding one database per Keystone release.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server } from 'node:net';
import { inspect } from 'node:util';
import { PumphouseError } from '../../src/errors/index.js';
import { openIdentityDb, PasswordHash, type IdentityDb, type SchemaKind } from '../../src/identity-db/index.js';
import { startMariaDb, type ThrowawayMariaDb } from '../support/mariadb.js';
import { identityTables, seedUser, type Release } from './keystone-schemas.js';
import { sha512Crypt } from './sha512-crypt.js';

// Real hashes. sha512_crypt as Havana's keystone wrote them (passlib, crypt_strength 40000).
const ALICE_PW = 'alice-original-password';
const ALICE_HASH = sha512Crypt(ALICE_PW, 'Zx9fQ2LmPq7R', 40000);
const OTHER_HASH = sha512Crypt('some-other-password', 'Ab3dE5gH', 40000);
// bcrypt of "pumphouse-bcrypt", made with libxcrypt (python3 crypt, salt abcdefghijklmnopqrstuu).
const BCRYPT_HASH = '$2b$12$abcdefghijklmnopqrstuucrMDtdOHxXcNgBo7l5JHxJLJRZEUyP6';
const DB_PASSWORD = 'p@ss:w/rd%S3cret';

let server: ThrowawayMariaDb;
const open: IdentityDb[] = [];
const dbFor = async (release: Release | string): Promise<IdentityDb> => {
  const db = await openIdentityDb(server.url(`ks_${release}`), { label: release });
  open.push(db);
  return db;
};
const rows = async (sql: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> =>
  (await server.sql(sql, values)) as Array<Record<string, unknown>>;

/** Every secret a test knows: none may appear in any error, however it is printed. */
const SECRETS = [ALICE_HASH, OTHER_HASH, BCRYPT_HASH, DB_PASSWORD, ALICE_PW, encodeURIComponent(DB_PASSWORD)];
function assertNoSecrets(err: unknown): void {
  const shown = [
    String(err),
    inspect(err, { depth: Infinity, showHidden: true }),
    JSON.stringify(PumphouseError.is(err) ? { m: err.message, d: err.details, c: String(err.cause) } : err),
  ].join('\n');
  for (const s of SECRETS) assert.ok(!shown.includes(s), `error output contains a secret: ${shown.slice(0, 300)}`);
}
async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<PumphouseError> {
  try {
    await p;
  } catch (err) {
    assert.ok(PumphouseError.is(err), `not a PumphouseError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, pattern);
    assertNoSecrets(err);
    return err;
  }
  assert.fail(`expected ${code}`);
}

before(async () => {
  server = await startMariaDb();
  const t0 = Date.now() / 1000 - 86_400;
  for (const release of ['havana', 'mitaka', 'newton', 'rocky', 'zed'] as const) {
    await server.sql(`CREATE DATABASE ks_${release}; USE ks_${release}; ${identityTables(release).join(';\n')}`);
    const seeds: Array<readonly [string, unknown[]]> = [];
    if (release === 'havana') {
      seeds.push(...seedUser(release, { id: 'h-alice', name: 'alice' }, [{ hash: ALICE_HASH, at: t0 }]));
      seeds.push(...seedUser(release, { id: 'h-bob', name: 'bob' }, [{ hash: OTHER_HASH, at: t0 }]));
    } else {
      // alice: two rows of history, the newer one active; erin: no password row at all.
      seeds.push(...seedUser(release, { id: `${release}-alice`, name: 'alice' }, [
        { hash: OTHER_HASH, at: t0 },
        { hash: release === 'mitaka' || release === 'newton' ? OTHER_HASH : BCRYPT_HASH, at: t0 + 60 },
      ]));
      seeds.push(...seedUser(release, { id: `${release}-erin`, name: 'erin' }, []));
    }
    // server.sql shares one connection, so USE holds for the inserts that follow.
    await server.sql(`USE ks_${release}`);
    for (const [sql, values] of seeds) await server.sql(sql, values);
  }
  await server.sql('CREATE DATABASE ks_empty; CREATE TABLE ks_empty.other (id INT)');
  await server.sql(`CREATE DATABASE ks_half; USE ks_half; ${identityTables('havana')[0]};
    CREATE TABLE local_user (id INT PRIMARY KEY, user_id VARCHAR(64), domain_id VARCHAR(64), name VARCHAR(255))`);
  await server.sql(`CREATE USER 'ks'@'127.0.0.1' IDENTIFIED BY ?; GRANT ALL ON ks_zed.* TO 'ks'@'127.0.0.1'`, [DB_PASSWORD]);
});

after(async () => {
  for (const db of open) await db.close();
  await server?.stop();
});

describe('detectSchema', () => {
  const expected: Record<Release, SchemaKind> = {
    havana: 'legacy-user-password',
    mitaka: 'local-user-password',
    newton: 'local-user-password',
    rocky: 'local-user-both',
    zed: 'local-user-password-hash',
  };
  for (const [release, kind] of Object.entries(expected)) {
    test(`${release} -> ${kind}`, async () => {
      assert.equal(await (await dbFor(release)).detectSchema(), kind);
    });
  }
  test('a database without Keystone tables is PH_IDENTITY_DB_SCHEMA', async () => {
    await rejectsWith((await dbFor('empty')).detectSchema(), 'PH_IDENTITY_DB_SCHEMA', /no `user` table/);
  });
  test('user.password next to local_user (half-done Mitaka upgrade) is refused', async () => {
    await rejectsWith((await dbFor('half')).detectSchema(), 'PH_IDENTITY_DB_SCHEMA', /half-finished Mitaka upgrade/);
  });
});

describe('copying hashes', () => {
  test('legacy (Havana) -> Zed -> legacy keeps the exact sha512_crypt hash', async () => {
    const havana = await dbFor('havana');
    const zed = await dbFor('zed');
    const hash = await havana.readPasswordHash('h-alice');
    assert.ok(hash);
    assert.equal(hash.algorithm, 'sha512_crypt');
    assert.ok(hash.equals(ALICE_HASH));
    assert.match(hash.value, /^\$6\$rounds=40000\$Zx9fQ2LmPq7R\$[./0-9A-Za-z]{86}$/);

    const zedId = await zed.lookupUserIdByName('alice', 'default');
    assert.equal(zedId, 'zed-alice');
    assert.equal(await zed.writePasswordHash(zedId, hash), 'updated');
    const copied = await zed.readPasswordHash(zedId);
    assert.ok(copied);
    assert.ok(copied.equals(ALICE_HASH));
    // The active (newest) row got the hash; the older history row is untouched.
    const stored = await rows(
      'SELECT p.password_hash AS h FROM ks_zed.password p JOIN ks_zed.local_user lu ON lu.id = p.local_user_id WHERE lu.user_id = ? ORDER BY p.created_at_int',
      [zedId],
    );
    assert.deepEqual(stored.map((r) => r['h']), [OTHER_HASH, ALICE_HASH]);

    // And back: bob's legacy row receives the hash now held by Zed.
    assert.equal(await havana.lookupUserIdByName('bob', 'default'), 'h-bob');
    assert.equal(await havana.writePasswordHash('h-bob', copied), 'updated');
    assert.ok((await havana.readPasswordHash('h-bob'))?.equals(ALICE_HASH));
    assert.deepEqual(await rows('SELECT password AS h FROM ks_havana.`user` WHERE id = ?', ['h-bob']), [{ h: ALICE_HASH }]);
  });

  test('writing the same hash twice leaves one active, equal hash and no new row', async () => {
    const zed = await dbFor('zed');
    const before = await rows('SELECT COUNT(*) AS n FROM ks_zed.password');
    assert.notEqual(await zed.writePasswordHash('zed-alice', ALICE_HASH), 'inserted');
    assert.equal(await zed.writePasswordHash('zed-alice', ALICE_HASH), 'unchanged');
    assert.deepEqual(await rows('SELECT COUNT(*) AS n FROM ks_zed.password'), before);
    const active = await rows(
      `SELECT p.password_hash AS h FROM ks_zed.password p JOIN ks_zed.local_user lu ON lu.id = p.local_user_id
       WHERE lu.user_id = 'zed-alice' AND p.created_at_int = (SELECT MAX(created_at_int) FROM ks_zed.password q WHERE q.local_user_id = lu.id)`,
    );
    assert.deepEqual(active, [{ h: ALICE_HASH }]);
  });

  test('a user without any password row gets a first row (created_at, created_at_int, no expiry)', async () => {
    const zed = await dbFor('zed');
    assert.equal(await zed.readPasswordHash('zed-erin'), null);
    const startedUs = Date.now() * 1000;
    assert.equal(await zed.writePasswordHash('zed-erin', BCRYPT_HASH), 'inserted');
    const [row] = await rows(
      `SELECT p.password_hash AS h, p.created_at_int AS ci, p.created_at AS c, p.expires_at AS e, p.expires_at_int AS ei, p.self_service AS s
       FROM ks_zed.password p JOIN ks_zed.local_user lu ON lu.id = p.local_user_id WHERE lu.user_id = 'zed-erin'`,
    );
    assert.ok(row);
    assert.equal(row['h'], BCRYPT_HASH);
    assert.ok(Number(row['ci']) >= startedUs - 1_000_000, 'created_at_int is now, in microseconds');
    assert.ok(row['c'] instanceof Date || typeof row['c'] === 'string');
    assert.equal(row['e'], null);
    assert.equal(row['ei'], null);
    assert.equal(row['s'], 0);
    assert.equal(await zed.writePasswordHash('zed-erin', BCRYPT_HASH), 'unchanged');
    assert.equal((await zed.readPasswordHash('zed-erin'))?.algorithm, 'bcrypt');
  });

  test('rows tied on created_at_int are all current for Keystone, so all get the hash', async () => {
    const zed = await dbFor('zed');
    const at = Math.floor(Date.now() / 1000) - 100;
    for (const [sql, values] of seedUser('zed', { id: 'zed-tied', name: 'tied' }, [{ hash: OTHER_HASH, at }, { hash: BCRYPT_HASH, at }])) {
      await server.sql('USE ks_zed');
      await server.sql(sql, values);
    }
    assert.equal(await zed.writePasswordHash('zed-tied', ALICE_HASH), 'updated');
    const hashes = await rows(
      "SELECT p.password_hash AS h FROM ks_zed.password p JOIN ks_zed.local_user lu ON lu.id = p.local_user_id WHERE lu.user_id = 'zed-tied'",
    );
    assert.deepEqual(hashes, [{ h: ALICE_HASH }, { h: ALICE_HASH }]);
  });

  test('Mitaka: the single password row is overwritten in place', async () => {
    const mitaka = await dbFor('mitaka');
    assert.equal(await mitaka.writePasswordHash('mitaka-alice', ALICE_HASH), 'updated');
    // Mitaka reads passwords[0], the lowest id.
    assert.ok((await mitaka.readPasswordHash('mitaka-alice'))?.equals(ALICE_HASH));
    const stored = await rows(
      "SELECT p.password AS h FROM ks_mitaka.password p JOIN ks_mitaka.local_user lu ON lu.id = p.local_user_id WHERE lu.user_id = 'mitaka-alice' ORDER BY p.id",
    );
    assert.deepEqual(stored.map((r) => r['h']), [ALICE_HASH, OTHER_HASH]);
  });

  test('Newton: the newest row by created_at is the active one', async () => {
    const newton = await dbFor('newton');
    assert.equal(await newton.writePasswordHash('newton-alice', ALICE_HASH), 'updated');
    const stored = await rows(
      "SELECT p.password AS h FROM ks_newton.password p JOIN ks_newton.local_user lu ON lu.id = p.local_user_id WHERE lu.user_id = 'newton-alice' ORDER BY p.created_at",
    );
    assert.deepEqual(stored.map((r) => r['h']), [OTHER_HASH, ALICE_HASH]);
  });

  test('Pike..Rocky: password_hash always, the old password column only for sha512_crypt', async () => {
    const rocky = await dbFor('rocky');
    const stored = async (): Promise<unknown> =>
      (await rows(
        `SELECT p.password_hash AS h, p.password AS legacy FROM ks_rocky.password p JOIN ks_rocky.local_user lu ON lu.id = p.local_user_id
         WHERE lu.user_id = 'rocky-alice' ORDER BY p.created_at_int DESC LIMIT 1`,
      ))[0];
    assert.equal((await rocky.readPasswordHash('rocky-alice'))?.algorithm, 'bcrypt');
    assert.equal(await rocky.writePasswordHash('rocky-alice', ALICE_HASH), 'updated');
    assert.deepEqual(await stored(), { h: ALICE_HASH, legacy: ALICE_HASH });
    assert.equal(await rocky.writePasswordHash('rocky-alice', BCRYPT_HASH), 'updated');
    assert.deepEqual(await stored(), { h: BCRYPT_HASH, legacy: null });
  });

  test('Pike..Rocky: a row not yet migrated (password_hash NULL) is read from the old column', async () => {
    const rocky = await dbFor('rocky');
    for (const [sql, values] of seedUser('rocky', { id: 'rocky-old', name: 'old' }, [{ hash: null, legacyColumn: OTHER_HASH, at: 1_500_000_000 }])) {
      await server.sql('USE ks_rocky');
      await server.sql(sql, values);
    }
    assert.ok((await rocky.readPasswordHash('rocky-old'))?.equals(OTHER_HASH));
  });
});

describe('errors', () => {
  test('unknown user id: read and write name the id and the database', async () => {
    for (const release of ['havana', 'zed'] as const) {
      const db = await dbFor(release);
      const err = await rejectsWith(db.readPasswordHash('no-such-user'), 'PH_IDENTITY_DB', new RegExp(`ks_${release}: user no-such-user does not exist`));
      assert.equal(err.details?.['reason'], 'user_not_found');
      await rejectsWith(db.writePasswordHash('no-such-user', ALICE_HASH), 'PH_IDENTITY_DB', /user no-such-user does not exist/);
    }
  });

  test('a user with no local_user row (federated/LDAP) reads as null and cannot be written', async () => {
    await server.sql("INSERT INTO ks_zed.`user` (id, domain_id, enabled, extra) VALUES ('zed-fed', 'default', 1, '{}')");
    await server.sql("INSERT INTO ks_zed.nonlocal_user (domain_id, name, user_id) VALUES ('default', 'fed', 'zed-fed')");
    const zed = await dbFor('zed');
    assert.equal(await zed.readPasswordHash('zed-fed'), null);
    assert.equal(await zed.lookupUserIdByName('fed', 'default'), null);
    const err = await rejectsWith(zed.writePasswordHash('zed-fed', ALICE_HASH), 'PH_IDENTITY_DB', /user zed-fed has no local_user row/);
    assert.equal(err.details?.['reason'], 'no_local_user');
  });

  test('a hash longer than the column is refused before writing, by length not value', async () => {
    const mitaka = await dbFor('mitaka');
    const long = `$pbkdf2-sha512$25000$${'a'.repeat(22)}$${'b'.repeat(110)}`;
    SECRETS.push(long);
    await rejectsWith(mitaka.writePasswordHash('mitaka-alice', long), 'PH_IDENTITY_DB', /pbkdf2_sha512 hash of 154 characters does not fit column password\.password \(128/);
    assert.ok((await mitaka.readPasswordHash('mitaka-alice'))?.equals(ALICE_HASH));
  });

  test('a server error quoting the hash is scrubbed', async () => {
    await server.sql(`CREATE TRIGGER ks_newton.refuse BEFORE UPDATE ON ks_newton.password FOR EACH ROW
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = NEW.password`);
    try {
      const newton = await dbFor('newton');
      const err = await rejectsWith(newton.writePasswordHash('newton-alice', OTHER_HASH), 'PH_IDENTITY_DB', /failed while writing the password hash of user newton-alice/);
      assert.match(err.message, /\*\*\*/);
      assert.ok((await newton.readPasswordHash('newton-alice'))?.equals(ALICE_HASH), 'rolled back');
    } finally {
      await server.sql('DROP TRIGGER ks_newton.refuse');
    }
  });

  test('unreachable port: PH_IDENTITY_DB naming host:port/database, not the password', async () => {
    const port = await closedPort();
    await rejectsWith(
      openIdentityDb(`mysql+pymysql://ks:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:${port}/keystone`, { label: 'source' }),
      'PH_IDENTITY_DB',
      new RegExp(`cannot reach the source identity database 127\\.0\\.0\\.1:${port}/keystone .*ECONNREFUSED`),
    );
  });

  test('a server that never answers the handshake times out', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await rejectsWith(openIdentityDb(`mysql://ks@127.0.0.1:${port}/keystone`, { connectTimeoutMs: 300 }), 'PH_IDENTITY_DB', /ETIMEDOUT/);
    } finally {
      silent.close();
    }
  });

  test('wrong password: access denied, naming the DB user and never the password', async () => {
    const url = `mysql://ks:${encodeURIComponent(`${DB_PASSWORD}-wrong`)}@127.0.0.1:${server.port}/ks_zed`;
    SECRETS.push(`${DB_PASSWORD}-wrong`);
    const err = await rejectsWith(openIdentityDb(url), 'PH_IDENTITY_DB', /refused user 'ks' \(access denied\)/);
    assert.equal(err.details?.['driver_code'], 'ER_ACCESS_DENIED_ERROR');
  });

  test('an unknown database is named', async () => {
    await rejectsWith(openIdentityDb(server.url('ks_nope')), 'PH_IDENTITY_DB', /ks_nope does not exist/);
  });

  test('the right URL-encoded password works end to end', async () => {
    const db = await openIdentityDb(`mysql+pymysql://ks:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:${server.port}/ks_zed?charset=utf8`);
    open.push(db);
    assert.equal(await db.detectSchema(), 'local-user-password-hash');
    assert.ok(!JSON.stringify(db).includes(DB_PASSWORD));
    assert.ok(!inspect(db, { depth: Infinity }).includes(DB_PASSWORD));
  });

  test('a closed IdentityDb refuses work', async () => {
    const db = await dbFor('zed');
    await db.close();
    await db.close();
    await rejectsWith(db.readPasswordHash('zed-alice'), 'PH_INTERNAL', /is closed/);
  });
});

test('hashes read from the database never print their value', async () => {
  const hash = await (await dbFor('havana')).readPasswordHash('h-alice');
  assert.ok(hash instanceof PasswordHash);
  for (const shown of [JSON.stringify({ hash }), inspect({ hash }, { depth: Infinity }), `${hash}`, JSON.stringify({ ...hash })]) {
    assert.ok(!shown.includes(ALICE_HASH), shown);
  }
  assert.match(JSON.stringify(hash), /"algorithm":"sha512_crypt"/);
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}
