import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bcryptHash, verifyBcrypt } from '../../src/sim/auth/bcrypt.js';
import { sha512Crypt, verifySha512Crypt } from '../../src/identity-db/sha512-crypt.js';
import { hashPassword, SimRandom, verifyPasswordHash } from '../../src/sim/index.js';
import { cloudOf } from './helpers.js';

describe('password hashes', () => {
  test('sha512_crypt matches the specification\'s test vectors', () => {
    assert.equal(sha512Crypt('Hello world!', 'saltstring'), '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1');
    assert.equal(
      sha512Crypt('Hello world!', 'saltstringsaltstring', 10000),
      '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
    );
    const h = sha512Crypt('secret', 'abcdefgh', 1000);
    assert.equal(verifySha512Crypt('secret', h), true);
    assert.equal(verifySha512Crypt('Secret', h), false);
  });

  test('bcrypt verifies a published $2a$ vector and its own $2b$ hashes', () => {
    assert.equal(verifyBcrypt('U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'), true);
    assert.equal(verifyBcrypt('U*V', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'), false);
    const h = bcryptHash('admin', Buffer.alloc(16, 9), 4);
    assert.match(h, /^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    assert.equal(verifyBcrypt('admin', h), true);
    assert.equal(verifyBcrypt('admin ', h), false);
  });

  test('hashPassword uses the release scheme and cost; salts repeat with the seed', () => {
    const a = hashPassword('sha512_crypt', 'pw', new SimRandom(1), 'keystone');
    assert.match(a, /^\$6\$rounds=40000\$[./0-9A-Za-z]{16}\$/);
    assert.equal(hashPassword('sha512_crypt', 'pw', new SimRandom(1), 'keystone'), a);
    const b = hashPassword('bcrypt', 'pw', new SimRandom(1), 'fast');
    assert.match(b, /^\$2b\$04\$/);
    assert.equal(verifyPasswordHash('pw', a), true);
    assert.equal(verifyPasswordHash('pw', b), true);
    assert.equal(verifyPasswordHash('pw', '$pbkdf2-sha512$x'), false);
  });

  test('clouds store hashes as their Keystone did: $6$ legacy, $2b$ modern; a copied $6$ hash verifies on modern', async () => {
    const legacy = await cloudOf('juno:neutron');
    const modern = await cloudOf('modern:neutron');
    try {
      const lh = (await legacy.store.identity.passwords.hashOf(legacy.admin.userId))!;
      const mh = (await modern.store.identity.passwords.hashOf(modern.admin.userId))!;
      assert.match(lh, /^\$6\$/);
      assert.match(mh, /^\$2b\$/);
      // What the identity-db copy does: the modern (Zed) Keystone still accepts sha512_crypt.
      modern.store.identity.passwords.setHash(modern.store.identity.users.get(modern.admin.userId)!, lh);
      assert.equal(await modern.store.identity.verifyPassword(modern.admin.userId, 'admin'), true);
    } finally {
      await Promise.all([legacy.close(), modern.close()]);
    }
  });
});

describe('the in-memory password vault', () => {
  test('a first login (hash still pending) accepts only the password set, and the hash it leaves verifies it', async () => {
    const { MemoryPasswordVault } = await import('../../src/sim/store/identity-store.js');
    for (const scheme of ['bcrypt', 'sha512_crypt'] as const) {
      const vault = new MemoryPasswordVault(scheme, SimRandom.derive(1, 'vault'), 'fast');
      const user = { id: 'u1' } as Parameters<typeof vault.setPassword>[0];
      vault.setPassword(user, 'right');
      assert.equal(await vault.verify('u1', 'wrong'), false, `${scheme}: wrong password on first login`);
      vault.setPassword(user, 'right');
      assert.equal(await vault.verify('u1', 'right'), true, `${scheme}: first login`);
      const hash = vault.hashNow('u1')!;
      assert.equal(verifyPasswordHash('right', hash), true);
      assert.equal(await vault.verify('u1', 'right'), true, `${scheme}: second login`);
      assert.equal(await vault.verify('u1', 'wrong'), false);
    }
  });
});
