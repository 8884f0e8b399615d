// The owner_keypairs kind against two in-process simulators: a Juno source (Nova below 2.10:
// only the owner sees its keypairs, Keystone v2.0) and a modern destination. The source
// "Keystone database" is the simulator's own password vault behind an IdentityDb, so the
// temporary password apply writes is the one the simulated Keystone checks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PumphouseError } from '../../../src/errors/index.js';
import { PasswordHash, type IdentityDb, type KeystoneDbUrl } from '../../../src/identity-db/index.js';
import { IdentityDbAccess } from '../../../src/kinds/common/identity-db-access.js';
import { ownerKeypairsKind, ownerKeypairsKindWith, OwnerTokens, ownerPasswordRecoveryFile } from '../../../src/kinds/settings/index.js';
import { openCloud, Session, type Cloud } from '../../../src/openstack/index.js';
import { publicKeyFor, startSimCloud, type SimCloud, type SimLoggedRequest } from '../../../src/sim/index.js';
import { cloudAccess, makeAction, StepHarness } from '../support/step-harness.js';

/** The source simulator's password vault as a Keystone database (read and write a user's hash). */
function vaultDb(sim: SimCloud): () => Promise<IdentityDb> {
  const vault = sim.store.identity.passwords;
  return async () => ({
    url: {} as KeystoneDbUrl,
    detectSchema: async () => 'local-user-password-hash',
    readPasswordHash: async (id) => {
      const h = await vault.hashOf(id);
      return h === undefined ? null : new PasswordHash(h);
    },
    writePasswordHash: async (id, hash) => {
      const v = typeof hash === 'string' ? hash : hash.value;
      if ((await vault.hashOf(id)) === v) return 'unchanged';
      vault.setHash(sim.store.identity.users.get(id)!, v);
      return 'updated';
    },
    lookupUserIdByName: async () => null,
    close: async () => undefined,
  });
}

const key = (label: string) => publicKeyFor(7, label);

describe('owner_keypairs on a Juno source', { concurrency: false }, () => {
  let srcSim: SimCloud;
  let dstSim: SimCloud;
  let src: Cloud;
  let dst: Cloud;
  let dir: string;
  let alice: { id: string; tenantId: string; password: string };
  let dstAlice: string;

  before(async () => {
    srcSim = await startSimCloud({ release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' }, { name: 'source' });
    dstSim = await startSimCloud({ release: 'modern', network: 'neutron', hashCost: 'fast' }, { name: 'destination' });
    src = await openCloud({ authUrl: srcSim.authUrlV2!, username: srcSim.admin.username, password: srcSim.admin.password, projectName: srcSim.admin.projectName }, { name: 'source' });
    dst = await openCloud({ authUrl: dstSim.authUrlV3!, username: dstSim.admin.username, password: dstSim.admin.password, projectName: dstSim.admin.projectName, userDomainName: 'Default', projectDomainName: 'Default' }, { name: 'destination' });
    dir = await mkdtemp(join(tmpdir(), 'ph-owner-keys-'));
    // alice owns four keypairs in the source, made as herself (the admin cannot, below 2.10).
    const tenant = await src.identity.projects.create({ name: 'acme' });
    const password = 'alice-source-password';
    const u = await src.identity.users.create({ name: 'alice', password, defaultProjectId: tenant.id });
    const member = (await src.identity.roles.list()).find((r) => r.name === '_member_') ?? (await src.identity.roles.create('_member_'));
    await src.identity.roleAssignments.grant({ userId: u.id, roleId: member.id, projectId: tenant.id });
    alice = { id: u.id, tenantId: tenant.id, password };
    const own = await openCloud({ authUrl: srcSim.authUrlV2!, username: 'alice', password, projectId: tenant.id }, { name: 'source' });
    for (const name of ['k-used', 'k-free', 'k-same', 'k-clash']) await own.compute.keypairs.create({ name, publicKey: key(name).publicKey });
    await own.close();
    // Her destination copy already has k-same (the same key) and k-clash (another key).
    const dp = await dst.identity.projects.create({ name: 'acme' });
    dstAlice = (await dst.identity.users.create({ name: 'alice', password: 'x-dest', defaultProjectId: dp.id })).id;
    await dst.compute.keypairs.create({ name: 'k-same', publicKey: key('k-same').publicKey, userId: dstAlice });
    await dst.compute.keypairs.create({ name: 'k-clash', publicKey: key('another').publicKey, userId: dstAlice });
  });

  after(async () => {
    await src?.close();
    await dst?.close();
    await srcSim?.close();
    await dstSim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function action(used: readonly string[]) {
    return makeAction({
      kind: 'owner_keypairs',
      action: 'create',
      address: 'user[alice].owner_keypairs',
      sourceId: alice.id,
      steps: ['read_as_owner', 'import'],
      after: { user_id: dstAlice, source_user_id: alice.id, source_user_name: 'alice', source_user_domain_id: null, source_project_id: alice.tenantId, used_key_names: [...used] },
    });
  }

  function owners(recovery: string): OwnerTokens {
    return new OwnerTokens({ sourceDb: new IdentityDbAccess('mysql://k:x@db/keystone', 'source', vaultDb(srcSim)), recovery: ownerPasswordRecoveryFile(recovery) });
  }

  test('one temporary-password window lists every keypair; the missing ones are imported, the same key adopted, another key warned about; the hash restored, the token revoked', async () => {
    const before = await srcSim.store.identity.passwords.hashOf(alice.id);
    const issued: string[] = [];
    const issue = srcSim.tokens.issue.bind(srcSim.tokens);
    srcSim.tokens.issue = (input) => {
      const t = issue(input);
      if (input.userId === alice.id) issued.push(t.id);
      return t;
    };
    const recovery = join(dir, 'rec-1');
    const h = new StepHarness(cloudAccess(src, dst));
    try {
      const kind = ownerKeypairsKindWith(owners(recovery));
      const a = action(['k-used']);
      const [read, imported] = await h.run(kind, a);
      assert.equal(read!.outputs?.['count'], 4);
      const listed = JSON.parse(String(read!.outputs?.['keypairs'])) as { name: string; public_key: string; fingerprint: string }[];
      assert.deepEqual(listed.map((k) => k.name), ['k-clash', 'k-free', 'k-same', 'k-used']);
      assert.equal(listed.find((k) => k.name === 'k-free')!.fingerprint, key('k-free').fingerprint);
      assert.deepEqual(imported, { destinationId: dstAlice, outputs: { imported: 'k-free,k-used', adopted: 'k-same', conflicts: 'k-clash', count: 4 } });
      for (const name of ['k-used', 'k-free', 'k-same']) {
        assert.equal((await dst.compute.keypairs.get(name, { userId: dstAlice })).publicKey, key(name).publicKey, name);
      }
      assert.equal((await dst.compute.keypairs.get('k-clash', { userId: dstAlice })).publicKey, key('another').publicKey, 'another key is left alone');
      assert.ok(h.reporter.events.some((e) => e.type === 'diagnostic' && /keypair 'k-clash' not copied/.test(e['@message'])));

      assert.equal(issued.length, 1, 'one login as the owner');
      assert.equal(srcSim.tokens.validate(issued[0]), undefined, 'the owner token is revoked');
      assert.ok(!h.reporter.events.some((e) => /could not be revoked/.test(e['@message'])));
      assert.equal(await srcSim.store.identity.passwords.hashOf(alice.id), before, 'the original hash is back');
      assert.equal(existsSync(recovery), false);
      const login = await Session.login({ authUrl: srcSim.authUrlV2!, username: 'alice', password: alice.password, projectId: alice.tenantId });
      assert.equal(login.userId, alice.id);
      await login.close();
      assert.ok(!JSON.stringify(h.reporter.events).includes(issued[0]!), 'the token appears in no event');

      // A crash while importing: the step runs again from the recorded list and adopts what is there.
      const [again] = await h.run(kind, a, ['import']);
      assert.deepEqual(again!.outputs, { imported: '', adopted: 'k-free,k-same,k-used', conflicts: 'k-clash', count: 4 });
      assert.equal(dstSim.store.keypairs.filter((k) => k.userId === dstAlice).length, 4, 'nothing made twice');
    } finally {
      srcSim.tokens.issue = issue;
    }
  });

  test('a used name holding another key in the destination fails the action after the other keys are imported', async () => {
    await dst.compute.keypairs.delete('k-free', { userId: dstAlice });
    const h = new StepHarness(cloudAccess(src, dst));
    const kind = ownerKeypairsKindWith(owners(join(dir, 'rec-2')));
    await assert.rejects(h.run(kind, action(['k-clash', 'k-gone'])), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PRECONDITION_FAILED' && /'k-clash'/.test(e.message));
    assert.equal((await dst.compute.keypairs.get('k-free', { userId: dstAlice })).publicKey, key('k-free').publicKey, 'imported before failing');
    assert.ok(h.reporter.events.some((e) => e.type === 'diagnostic' && /'k-gone', which a migrated server names, is no longer among the owner's source keypairs/.test(e['@message'])));
  });

  test('a source that throttles the owner long: the step gives up at once instead of waiting with the temporary password, and the hash is back', async () => {
    const before = await srcSim.store.identity.passwords.hashOf(alice.id);
    const recovery = join(dir, 'rec-3');
    srcSim.setFaults({ compute: { GET: { pathContains: '/os-keypairs', burst429: { every: 1, count: 1000, retryAfterS: 100 } } } });
    const log: SimLoggedRequest[] = [];
    srcSim.requestLog = log;
    try {
      const h = new StepHarness(cloudAccess(src, dst));
      await assert.rejects(h.run(ownerKeypairsKindWith(owners(recovery)), action([])), (e: unknown) => PumphouseError.is(e) && /429/.test(e.message));
      // The client's defaults would wait out the 100 s Retry-After and ask again; the owner's
      // session asks once.
      assert.deepEqual(log.filter((r) => r.path.includes('/os-keypairs')).map((r) => r.fault), ['throttle']);
    } finally {
      srcSim.setFaults({});
      srcSim.requestLog = undefined;
    }
    assert.equal(await srcSim.store.identity.passwords.hashOf(alice.id), before, 'the original hash is back');
    assert.equal(existsSync(recovery), false);
  });

  test('without the source Keystone database: refused before anything changes', async () => {
    const h = new StepHarness(cloudAccess(src, dst));
    await assert.rejects(h.run(ownerKeypairsKind, action([])), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_CONFIG_INVALID' && /identity\.connection/.test(e.message));
    const unconfigured = ownerKeypairsKindWith(new OwnerTokens({ sourceDb: new IdentityDbAccess(undefined, 'source', vaultDb(srcSim)) }));
    await assert.rejects(new StepHarness(cloudAccess(src, dst)).run(unconfigured, action([])), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_CONFIG_INVALID');
  });
});
