import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeypairLocks, withOwnersKeypair } from '../../src/kinds/server/index.js';
import { FakeNova, fakeStep } from './server-fakes.js';

const OWNER = 'alice-id';

function world() {
  const nova = new FakeNova('admin-id');
  nova.keypairs.set(`${OWNER}/k1`, { name: 'k1', publicKey: 'ssh-rsa AAAA alice', userId: OWNER });
  return { nova, cloud: nova.cloud() };
}

describe('withOwnersKeypair', () => {
  it("lends the owner's public key to the admin for the boot only, as a recorded temporary", async () => {
    const { nova, cloud } = world();
    const s = fakeStep({ id: 'srv' }, cloud);
    let seenDuringBoot: string | undefined;
    let recordedDuringBoot = 0;
    const result = await withOwnersKeypair(s, new KeypairLocks(), cloud, cloud, { name: 'k1', ownerId: OWNER }, async () => {
      seenDuringBoot = nova.keypairs.get('admin-id/k1')?.publicKey;
      recordedDuringBoot = s.temporaries.length;
      return 'server-id';
    });
    assert.equal(result, 'server-id');
    assert.equal(seenDuringBoot, 'ssh-rsa AAAA alice');
    assert.equal(recordedDuringBoot, 1, 'recorded before it exists');
    assert.equal(nova.keypairs.has('admin-id/k1'), false, 'deleted right after');
    assert.deepEqual(s.temporaries, [], 'and recorded as cleaned');
  });

  it('deletes the lent key when the boot fails too', async () => {
    const { nova, cloud } = world();
    const s = fakeStep({ id: 'srv' }, cloud);
    await assert.rejects(withOwnersKeypair(s, new KeypairLocks(), cloud, cloud, { name: 'k1', ownerId: OWNER }, async () => Promise.reject(new Error('boot refused'))), /boot refused/);
    assert.equal(nova.keypairs.has('admin-id/k1'), false);
  });

  it('uses an admin keypair holding the same key as it is, and refuses one holding another', async () => {
    const { nova, cloud } = world();
    nova.keypairs.set('admin-id/k1', { name: 'k1', publicKey: 'ssh-rsa AAAA alice', userId: 'admin-id' });
    await withOwnersKeypair(fakeStep({ id: 'a' }, cloud), new KeypairLocks(), cloud, cloud, { name: 'k1', ownerId: OWNER }, async () => 'ok');
    assert.equal(nova.keypairs.has('admin-id/k1'), true, "the admin's own keypair is never touched");
    nova.keypairs.set('admin-id/k1', { name: 'k1', publicKey: 'ssh-rsa BBBB admin', userId: 'admin-id' });
    let booted = false;
    await assert.rejects(
      withOwnersKeypair(fakeStep({ id: 'b' }, cloud), new KeypairLocks(), cloud, cloud, { name: 'k1', ownerId: OWNER }, async () => (booted = true)),
      (err: unknown) => (err as { code?: string }).code === 'PH_PRECONDITION_FAILED' && /another key/.test((err as Error).message),
    );
    assert.equal(booted, false);
    assert.equal(nova.keypairs.get('admin-id/k1')?.publicKey, 'ssh-rsa BBBB admin');
  });

  it('boots without lending when there is no key or the admin owns it', async () => {
    const { nova, cloud } = world();
    await withOwnersKeypair(fakeStep({ id: 'a' }, cloud), new KeypairLocks(), cloud, cloud, { name: null, ownerId: null }, async () => 'ok');
    await withOwnersKeypair(fakeStep({ id: 'b' }, cloud), new KeypairLocks(), cloud, cloud, { name: 'mine', ownerId: 'admin-id' }, async () => 'ok');
    assert.deepEqual(nova.calls, []);
  });

  it('serializes two boots lending the same key name (one admin, keypair names per user)', async () => {
    const { nova, cloud } = world();
    nova.keypairs.set('bob-id/k1', { name: 'k1', publicKey: 'ssh-rsa CCCC bob', userId: 'bob-id' });
    const locks = new KeypairLocks();
    const seen: string[] = [];
    const boot = (who: string) => async () => {
      seen.push(`${who} sees ${nova.keypairs.get('admin-id/k1')?.publicKey}`);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`${who} done`);
    };
    await Promise.all([
      withOwnersKeypair(fakeStep({ id: 'a' }, cloud), locks, cloud, cloud, { name: 'k1', ownerId: OWNER }, boot('alice')),
      withOwnersKeypair(fakeStep({ id: 'b' }, cloud), locks, cloud, cloud, { name: 'k1', ownerId: 'bob-id' }, boot('bob')),
    ]);
    assert.deepEqual(seen, ['alice sees ssh-rsa AAAA alice', 'alice done', 'bob sees ssh-rsa CCCC bob', 'bob done']);
    assert.equal(nova.keypairs.has('admin-id/k1'), false);
  });
});
