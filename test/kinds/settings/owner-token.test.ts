// The recovery file and OwnerTokens without a cloud: what is written where and in which order
// around the temporary password, restoration on failure and at apply start.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../../src/errors/index.js';
import { MemoryReporter } from '../../../src/events/index.js';
import { IdentityDbAccess } from '../../../src/kinds/common/identity-db-access.js';
import { keypairKindWith, OwnerTokens, ownerPasswordRecoveryFile } from '../../../src/kinds/settings/index.js';
import type { CloudAccess } from '../../../src/kinds/contract.js';
import { FakeIdentityDb } from '../support/fake-identity-db.js';
import { makeAction, StepHarness, cloudAccess } from '../support/step-harness.js';

const ORIGINAL = '$6$rounds=40000$saltsaltsaltsalt$' + 'x'.repeat(86);

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'ph-owner-'));
}

const noClouds = {} as CloudAccess;

describe('owner password recovery file', () => {
  test('appends 0600 lines, keeps the first hash of a user, rewrites on forget, vanishes when empty, ignores a torn last line', async () => {
    const dir = await folder();
    try {
      const path = join(dir, 'pumphouse.owner-passwords');
      const f = ownerPasswordRecoveryFile(path);
      assert.deepEqual([...(await f.entries())], []);
      await f.record('u1', 'h1');
      await f.record('u2', 'h2');
      await f.record('u1', 'later');
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.deepEqual([...(await f.entries())], [['u1', 'h1'], ['u2', 'h2']]);
      await f.forget('u1');
      assert.equal(await readFile(path, 'utf8'), 'u2\th2\n');
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      await writeFile(path, 'u2\th2\nu3\tto', { mode: 0o600 });
      assert.deepEqual([...(await f.entries())], [['u2', 'h2']]);
      await f.forget('u2');
      assert.equal(existsSync(path), false);
      await assert.rejects(f.record('u\t1', 'h'), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('OwnerTokens', () => {
  test('the original hash is on disk before the temporary one is written, and restored when the login fails', async () => {
    const dir = await folder();
    try {
      const path = join(dir, 'rec');
      const db = new FakeIdentityDb();
      db.hashes.set('u1', ORIGINAL);
      const seen: string[] = [];
      const open = db.open;
      let owners: OwnerTokens | undefined;
      const watched = async () => {
        const d = await open();
        return {
          ...d,
          writePasswordHash: async (id: string, hash: Parameters<typeof d.writePasswordHash>[1]) => {
            const v = typeof hash === 'string' ? hash : hash.value;
            seen.push(`${v === ORIGINAL ? 'original' : 'temporary'} file=${existsSync(path) ? (await readFile(path, 'utf8')) === `u1\t${ORIGINAL}\n` : false} held=${owners!.originalHash('u1') === ORIGINAL}`);
            return d.writePasswordHash(id, hash);
          },
        };
      };
      owners = new OwnerTokens({
        sourceDb: new IdentityDbAccess('mysql://s/k', 'source', watched),
        recovery: ownerPasswordRecoveryFile(path),
        sourceCredentials: { authUrl: 'http://127.0.0.1:9/v2.0', username: 'admin', password: 'x' },
      });
      assert.equal(owners.available, true);
      const reporter = new MemoryReporter();
      await assert.rejects(
        owners.asOwner('user[a].keypair[k]', { userId: 'u1', userName: 'alice', projectId: 'p1' }, { clouds: noClouds, reporter, signal: new AbortController().signal }, async () => 'never'),
      );
      assert.deepEqual(seen, ['temporary file=true held=true', 'original file=true held=true']);
      assert.equal(db.hashes.get('u1'), ORIGINAL);
      assert.equal(existsSync(path), false);
      assert.equal(owners.originalHash('u1'), undefined);
      assert.ok(!JSON.stringify(reporter.events).includes('saltsalt'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('restoreAll puts back every hash the file holds and says so without the hash', async () => {
    const dir = await folder();
    try {
      const path = join(dir, 'rec');
      await writeFile(path, `u1\t${ORIGINAL}\nu2\t$6$b$${'y'.repeat(86)}\n`, { mode: 0o600 });
      const db = new FakeIdentityDb();
      db.hashes.set('u1', '$6$temporary$' + 'z'.repeat(86));
      db.hashes.set('u2', '$6$b$' + 'y'.repeat(86));
      const owners = new OwnerTokens({ sourceDb: new IdentityDbAccess('mysql://s/k', 'source', db.open), recovery: ownerPasswordRecoveryFile(path) });
      const reporter = new MemoryReporter();
      assert.equal(await owners.restoreAll(reporter), 2);
      assert.equal(db.hashes.get('u1'), ORIGINAL);
      assert.equal(existsSync(path), false);
      const text = JSON.stringify(reporter.events);
      assert.match(text, /restored the source password of user u1/);
      assert.doesNotMatch(text, /u2/, 'an unchanged hash is not reported');
      assert.ok(!text.includes('saltsalt'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a keypair to read as its owner is refused before anything changes when the source database is not configured', async () => {
    const db = new FakeIdentityDb();
    db.hashes.set('u1', ORIGINAL);
    const kind = keypairKindWith(new OwnerTokens({ sourceDb: new IdentityDbAccess(undefined, 'source', db.open) }));
    const action = makeAction({
      kind: 'keypair',
      action: 'create',
      address: 'user[alice].keypair[k]',
      sourceId: 'u1/k',
      steps: ['read_as_owner', 'create'],
      after: { name: 'k', user_id: 'd1', public_key: null, read_as_owner: true, source_user_id: 'u1', source_user_name: 'alice', source_user_domain_id: null, source_project_id: 'p1' },
    });
    const h = new StepHarness(cloudAccess(undefined, undefined));
    await assert.rejects(h.run(kind, action), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_CONFIG_INVALID' && /identity\.connection/.test(e.message));
    assert.equal(db.writes, 0);
    assert.equal(db.opened, 0);
  });
});
