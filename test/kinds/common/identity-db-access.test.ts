import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../../src/errors/index.js';
import { IdentityDbAccess } from '../../../src/kinds/common/identity-db-access.js';
import { FakeIdentityDb } from '../support/fake-identity-db.js';

describe('IdentityDbAccess', () => {
  it('opens once, shares the database between uses, and closes on demand', async () => {
    const fake = new FakeIdentityDb();
    const access = new IdentityDbAccess('mysql://u:p@h/keystone', 'source', fake.open);
    const [a, b] = await Promise.all([access.use('x', async (db) => db), access.use('y', async (db) => db)]);
    assert.equal(a, b);
    assert.equal(fake.opened, 1);
    await access.close();
    await access.close();
    assert.equal(fake.closed, 1);
    await access.use('again', async () => undefined);
    assert.equal(fake.opened, 2, 'a use after close opens again');
    await access.close();
  });

  it('says which config key is missing, before opening anything', async () => {
    const access = new IdentityDbAccess(undefined, 'destination');
    assert.equal(access.configured, false);
    await assert.rejects(
      access.use('tenant[acme].user[alice].password_hash', async () => 1),
      (err: unknown) =>
        PumphouseError.is(err) && err.code === 'PH_CONFIG_INVALID' && err.message.includes('CLOUDS.destination.identity.connection') && err.message.startsWith('tenant[acme]'),
    );
  });

  it('does not keep a failed open: the next use tries again', async () => {
    let attempts = 0;
    const fake = new FakeIdentityDb();
    const access = new IdentityDbAccess('mysql://h/k', 'source', async () => {
      if (++attempts === 1) throw new Error('refused');
      return fake.open();
    });
    await assert.rejects(access.use('x', async () => 1), /refused/);
    assert.equal(await access.use('x', async () => 2), 2);
    await access.close();
  });
});
