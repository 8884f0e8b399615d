import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openIdentityDb } from '../../src/identity-db/index.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { startMariaDb, type ThrowawayMariaDb } from '../support/mariadb.js';
import { call, loginV2, loginV3 } from './helpers.js';

describe('simulated clouds backed by Keystone databases', () => {
  let db: ThrowawayMariaDb;
  let sim: Simulator;
  before(async () => {
    db = await startMariaDb();
    await db.sql('CREATE DATABASE ks_source; CREATE DATABASE ks_destination');
    sim = await startSimulator({
      seed: 3,
      source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast', identityDbUrl: db.url('ks_source') },
      destination: { release: 'modern', network: 'neutron', hashCost: 'fast', identityDbUrl: `mysql+pymysql://root@127.0.0.1:${db.port}/ks_destination` },
      generate: { tenants: 1, usersPerTenant: 1, serversPerTenant: 0, volumesPerTenant: 0, imagesPerTenant: 0, publicImages: 0 },
    });
  });
  after(async () => {
    await sim?.close();
    await db?.stop();
  });

  test('each cloud writes its release\'s schema, which identity-db recognises', async () => {
    const src = await openIdentityDb(db.url('ks_source'));
    const dst = await openIdentityDb(db.url('ks_destination'));
    try {
      assert.equal(await src.detectSchema(), 'legacy-user-password');
      assert.equal(await dst.detectSchema(), 'local-user-password-hash');
      const user = sim.generated.tenants[0]!.users[0]!;
      assert.equal(await src.lookupUserIdByName(user.name, 'default'), user.id);
      assert.equal(await dst.lookupUserIdByName('admin', 'default'), sim.destination.admin.userId);
      assert.equal((await src.readPasswordHash(user.id))?.algorithm, 'sha512_crypt');
      assert.equal((await dst.readPasswordHash(sim.destination.admin.userId))?.algorithm, 'bcrypt');
    } finally {
      await Promise.all([src.close(), dst.close()]);
    }
  });

  test('a hash copied with SQL lets the user log in to the destination with the source password', async () => {
    const user = sim.generated.tenants[0]!.users[0]!;
    const admin = (await loginV3(sim.destination)).id;
    const project = (await call('POST', `${sim.destination.authUrlV3}/projects`, { token: admin, body: { project: { name: 'copied' } } })).body.project;
    const created = await call('POST', `${sim.destination.authUrlV3}/users`, { token: admin, body: { user: { name: user.name, password: 'temporary', default_project_id: project.id } } });
    const dstId = created.body.user.id as string;
    const member = sim.destination.store.identity.roleByName('member')!;
    await call('PUT', `${sim.destination.authUrlV3}/projects/${project.id}/users/${dstId}/roles/${member.id}`, { token: admin });
    const src = await openIdentityDb(db.url('ks_source'));
    const dst = await openIdentityDb(db.url('ks_destination'));
    try {
      const hash = (await src.readPasswordHash(user.id))!;
      assert.notEqual(await dst.writePasswordHash(dstId, hash), 'unchanged');
    } finally {
      await Promise.all([src.close(), dst.close()]);
    }
    assert.equal((await loginV3(sim.destination, user.name, user.password, 'copied')).token.user.id, dstId);
    await assert.rejects(loginV3(sim.destination, user.name, 'temporary', 'copied'), /401/);
  });

  test('API password changes land in the database', async () => {
    const user = sim.generated.tenants[0]!.users[0]!;
    const src = await openIdentityDb(db.url('ks_source'));
    try {
      const before = (await src.readPasswordHash(user.id))!.value;
      const token = (await loginV2(sim.source)).token.id;
      assert.equal((await call('PUT', `${sim.source.adminUrlV2}/users/${user.id}/OS-KSADM/password`, { token, body: { user: { password: 'changed' } } })).status, 200);
      const after = (await src.readPasswordHash(user.id))!.value;
      assert.notEqual(after, before);
      assert.match(after, /^\$6\$rounds=1000\$/);
      assert.equal((await loginV2(sim.source, user.name, 'changed', sim.generated.tenants[0]!.name)).user.id, user.id);
    } finally {
      await src.close();
    }
  });

  test('a database that already holds Keystone tables is refused', async () => {
    await assert.rejects(
      startSimulator({ source: { release: 'juno', network: 'neutron', hashCost: 'fast', identityDbUrl: db.url('ks_source') } }),
      (err: Error & { code?: string }) => err.code === 'PH_IDENTITY_DB' && /empty database/.test(err.message),
    );
  });
});
