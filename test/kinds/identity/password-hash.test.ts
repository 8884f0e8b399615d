import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../../src/errors/index.js';
import { SecretValue, type SecretResolver } from '../../../src/kinds/contract.js';
import { IdentityDbAccess } from '../../../src/kinds/common/identity-db-access.js';
import { passwordHashKind, resetPasswordFile } from '../../../src/kinds/identity/index.js';
import { cloudAccess, makeAction, StepHarness } from '../support/step-harness.js';
import { FakeIdentityDb } from '../support/fake-identity-db.js';

const SHA512 = '$6$rounds=40000$saltsalt$' + 'x'.repeat(86);
const BCRYPT = '$2b$12$' + 'y'.repeat(53);

function setup(sourceHash: string, release?: string) {
  const dst = new FakeIdentityDb();
  const secrets: SecretResolver = { resolve: async (path) => (path.endsWith('/password_hash') ? sourceHash : 'unused') };
  const kind = passwordHashKind({ destinationDb: new IdentityDbAccess('mysql://d/k', 'destination', dst.open), ...(release ? { destinationKeystoneRelease: release } : {}) });
  const h = new StepHarness(cloudAccess(undefined, undefined), secrets);
  const action = makeAction({
    kind: 'password_hash',
    action: 'update',
    address: 'user[alice].password_hash',
    sourceId: 's-u-alice',
    after: { user_id: 'd-u-alice', mode: 'copy-hash', password_hash: { $secret: 'keystone/user/s-u-alice/password_hash' } },
  });
  return { dst, kind, h, action };
}

describe('password_hash (copy-hash)', () => {
  it('copies the source hash onto the destination user and checks it back', async () => {
    const { dst, kind, h, action } = setup(BCRYPT, 'zed');
    dst.hashes.set('d-u-alice', '$2b$12$throwaway' + 'z'.repeat(44));
    const [read, write, verify] = await h.run(kind, action);
    assert.deepEqual(read, { destinationId: 'd-u-alice', outputs: { algorithm: 'bcrypt', verifiable: true } });
    assert.deepEqual(write, { destinationId: 'd-u-alice', outputs: { outcome: 'updated' } });
    assert.deepEqual(verify, { destinationId: 'd-u-alice', outputs: { verified: 'hash' } });
    assert.equal(dst.hashes.get('d-u-alice'), BCRYPT);
    assert.deepEqual(await h.run(kind, action, ['write_destination_hash']), [{ destinationId: 'd-u-alice', outputs: { outcome: 'unchanged' } }]);
    assert.equal(h.reporter.ofType('diagnostic').length, 0);
  });

  it('warns, and still copies, when the destination release cannot verify the hash', async () => {
    const { dst, kind, h, action } = setup(SHA512, '2025.1');
    const [read] = await h.run(kind, action);
    assert.equal(read!.outputs?.['verifiable'], false);
    assert.equal(dst.hashes.get('d-u-alice'), SHA512);
    const warnings = h.reporter.ofType('diagnostic');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.summary, /2025\.1.*sha512_crypt/);
    assert.equal(JSON.stringify(h.reporter.events).includes(SHA512), false, 'no event holds the hash');
  });

  it('fails verify when something else changed the destination hash meanwhile, without showing either hash', async () => {
    const { dst, kind, h, action } = setup(BCRYPT);
    await h.run(kind, action, ['read_source_hash', 'write_destination_hash']);
    dst.hashes.set('d-u-alice', SHA512);
    await assert.rejects(h.run(kind, action, ['verify']), (err: unknown) => {
      const text = `${String(err)} ${JSON.stringify(err)}`;
      return PumphouseError.is(err) && err.code === 'PH_IDENTITY_DB' && !text.includes(BCRYPT) && !text.includes(SHA512) && err.message.includes('sha512_crypt');
    });
  });
});

describe('password_hash (reset)', () => {
  const reset = makeAction({
    kind: 'password_hash',
    action: 'update',
    address: 'user[alice].password_hash',
    sourceId: 's-u-alice',
    name: 'alice',
    after: { user_id: 'd-u-alice', mode: 'reset', password: { $secret: 'pumphouse/user/s-u-alice/reset_password' } },
    steps: ['generate_password', 'write_destination_password', 'verify'],
  });

  it('refuses before changing anything when the apply has nowhere to deliver passwords', async () => {
    const kind = passwordHashKind({ destinationDb: new IdentityDbAccess(undefined, 'destination') });
    const h = new StepHarness(cloudAccess(undefined, undefined), { resolve: async () => 'new-password' });
    await assert.rejects(h.run(kind, reset, ['generate_password']), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_CONFIG_INVALID');
  });

  it('declares the reset steps the planner writes', () => {
    const kind = passwordHashKind({ destinationDb: new IdentityDbAccess(undefined, 'destination') });
    for (const step of reset.steps) assert.ok(kind.steps.update?.includes(step), step);
  });

  it('delivers to a 0600 file, the last line of a user being the valid password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'phk-reset-'));
    try {
      const sink = resetPasswordFile(join(dir, 'passwords.txt'));
      await sink.deliver({ address: 'user[alice].password_hash', userName: 'alice', userId: 'd1', password: new SecretValue('first') });
      await sink.deliver({ address: 'user[alice].password_hash', userName: 'alice', userId: 'd1', password: new SecretValue('second') });
      assert.equal((await stat(join(dir, 'passwords.txt'))).mode & 0o777, 0o600);
      assert.equal(await readFile(join(dir, 'passwords.txt'), 'utf8'), 'alice\td1\tfirst\nalice\td1\tsecond\n');
      const bad = resetPasswordFile(join(dir, 'missing-dir', 'p.txt'));
      await assert.rejects(bad.deliver({ address: 'a', userName: 'u', userId: 'i', password: new SecretValue('third') }), (err: unknown) => {
        return PumphouseError.is(err) && err.code === 'PH_STATE_IO' && !String(err).includes('third');
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
