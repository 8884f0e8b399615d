import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import type { Cloud } from '../../src/openstack/index.js';
import { IdentityDbAccess } from '../../src/kinds/common/identity-db-access.js';
import { secretResolver } from '../../src/kinds/secrets.js';
import { cloudAccess, StepHarness } from './support/step-harness.js';
import { FakeIdentityDb } from './support/fake-identity-db.js';

// Only what the resolver calls.
const source = {
  compute: {
    flavors: { getExtraSpecs: async (id: string) => (id === 'f 1' ? { 'x:db_password': 'spec-secret' } : {}) },
    servers: { getMetadata: async () => ({ admin_pass: 'md-secret' }) },
  },
  volume: { volumes: { getMetadata: async () => ({ token: 'vol-secret' }) } },
  image: { get: async () => ({ properties: { 'os:password': 'img-secret' } }) },
} as unknown as Cloud;

function resolver(db = new FakeIdentityDb()) {
  const r = secretResolver({ sourceDb: new IdentityDbAccess('mysql://s/k', 'source', db.open) });
  const services = new StepHarness(cloudAccess(source, undefined)).services;
  return { resolve: (path: string) => r.resolve(path, services), db };
}

describe('secretResolver', () => {
  it('reads a password hash from the source Keystone database', async () => {
    const { resolve, db } = resolver();
    db.hashes.set('u1', '$2b$12$abc');
    assert.equal(await resolve('keystone/user/u1/password_hash'), '$2b$12$abc');
    await assert.rejects(resolve('keystone/user/u2/password_hash'), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_NOT_FOUND' && err.message.includes('keystone/user/u2/password_hash'));
  });

  it('makes one reset password per path and keeps it for the run', async () => {
    const { resolve } = resolver();
    const a = await resolve('pumphouse/user/u1/reset_password');
    assert.equal(await resolve('pumphouse/user/u1/reset_password'), a);
    assert.notEqual(await resolve('pumphouse/user/u2/reset_password'), a);
    assert.ok(a.length >= 24);
    assert.notEqual(await resolver().resolve('pumphouse/user/u1/reset_password'), a, 'another process makes another one');
  });

  it('reads secret-looking entries of free-form maps from the source object (percent-encoded id and key)', async () => {
    const { resolve } = resolver();
    assert.equal(await resolve(`nova/flavor_extra_specs/${encodeURIComponent('f 1')}:${encodeURIComponent('x:db_password')}/value`), 'spec-secret');
    assert.equal(await resolve('nova/server_metadata/s1:admin_pass/value'), 'md-secret');
    assert.equal(await resolve('cinder/volume_metadata/v1:token/value'), 'vol-secret');
    assert.equal(await resolve(`glance/image_properties/i1:${encodeURIComponent('os:password')}/value`), 'img-secret');
    await assert.rejects(resolve('nova/server_metadata/s1:gone/value'), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_NOT_FOUND');
  });

  it('refuses paths outside the grammar as a bug (PH_INTERNAL)', async () => {
    const { resolve } = resolver();
    for (const path of ['keystone/user/u1', 'keystone/user/u1/password', 'nova/flavors/f1:k/value', 'nova/server_metadata/nokey/value', 'x']) {
      await assert.rejects(resolve(path), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_INTERNAL', path);
    }
  });
});
