import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PumphouseError } from '../../../../src/errors/index.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { newSshPublicKey } from '../../../contract/suite/ssh-key.js';
import { call, loginV3 } from '../../helpers.js';
import { sshFingerprint } from '../../../../src/sim/services/compute/keypairs.js';
import { novaCloud, tenant } from './helpers.js';

describe('compute keypairs', () => {
  it("legacy: imports with Nova's MD5 fingerprint, 200/202, 409 on a duplicate; acts only on the token's own user (user_id is ignored)", async () => {
    const label = 'havana:nova-network:flatdhcp';
    const t = await novaCloud(label);
    try {
      const key = newSshPublicKey('phc');
      const k = await t.nova.keypairs.create({ name: 'mine', publicKey: key.line });
      assert.equal(k.fingerprint, key.md5Fingerprint);
      assert.equal(k.userId, t.cloud.admin.userId);
      assert.deepEqual((await t.nova.keypairs.list()).map((x) => [x.name, x.fingerprint]), [['mine', key.md5Fingerprint]]);
      const dup = await expectHttpError(t.nova.keypairs.create({ name: 'mine', publicKey: key.line }), { status: 409, service: 'compute', cloud: label, faultType: 'conflictingRequest' });
      assert.equal(dup.cloudMessage, "Key pair 'mine' already exists.");
      const acme = await tenant(t, 'acme');
      await acme.nova.keypairs.create({ name: 'theirs', publicKey: newSshPublicKey('acme').line });
      const raw = await call('GET', `${t.computeUrl}/os-keypairs?user_id=${acme.userId}`, { token: t.token });
      assert.deepEqual(raw.body.keypairs.map((x: any) => x.keypair.name), ['mine'], 'legacy ignores user_id');
      assert.equal(raw.body.keypairs[0].keypair.type, undefined);
      await assert.rejects(t.nova.keypairs.list({ userId: acme.userId }), (e: unknown) => e instanceof PumphouseError && e.code === 'PH_CLOUD_UNSUPPORTED');
      await expectHttpError(t.nova.keypairs.get('theirs'), { status: 404, service: 'compute', cloud: label, faultType: 'itemNotFound' });
      assert.equal((await acme.nova.keypairs.get('theirs')).userId, acme.userId);
      const created = await call('POST', `${t.computeUrl}/os-keypairs`, { token: t.token, body: { keypair: { name: 'gen' } } });
      assert.equal(created.status, 200);
      assert.match(created.body.keypair.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
      assert.equal(created.body.keypair.fingerprint, sshFingerprint(created.body.keypair.public_key));
      const bad = await call('POST', `${t.computeUrl}/os-keypairs`, { token: t.token, body: { keypair: { name: 'bad/name', public_key: key.line } } });
      assert.equal(bad.status, 400);
      const deleted = await call('DELETE', `${t.computeUrl}/os-keypairs/gen`, { token: t.token });
      assert.equal(deleted.status, 202);
    } finally {
      await t.close();
    }
  });

  it("modern: 2.10 lets an admin list, create, read and delete another user's keypairs; 2.2 answers 201/204 with type; members get 403 for others", async () => {
    const label = 'modern:neutron';
    const t = await novaCloud(label);
    try {
      const acme = await tenant(t, 'acme');
      const key = newSshPublicKey('other');
      const k = await t.nova.keypairs.create({ name: 'for-acme', publicKey: key.line, userId: acme.userId });
      assert.equal(k.userId, acme.userId);
      assert.equal(k.type, 'ssh');
      assert.deepEqual((await t.nova.keypairs.list({ userId: acme.userId })).map((x) => x.name), ['for-acme']);
      assert.deepEqual(await t.nova.keypairs.list(), []);
      assert.equal((await acme.nova.keypairs.get('for-acme')).fingerprint, key.md5Fingerprint);
      const memberToken = (await loginV3(t.cloud, 'acme-user', 'secret', 'acme')).id;
      const forbidden = await call('GET', `${t.computeUrl}/os-keypairs?user_id=${t.cloud.admin.userId}`, { token: memberToken, headers: { 'OpenStack-API-Version': 'compute 2.10' } });
      assert.equal(forbidden.status, 403);
      const v21 = await call('POST', `${t.computeUrl}/os-keypairs`, { token: t.token, body: { keypair: { name: 'v21', public_key: key.line } } });
      assert.equal(v21.status, 200);
      assert.equal(v21.body.keypair.type, undefined);
      const v21user = await call('POST', `${t.computeUrl}/os-keypairs`, { token: t.token, body: { keypair: { name: 'v21b', public_key: key.line, user_id: acme.userId } } });
      assert.equal(v21user.status, 400, 'user_id does not exist below 2.10');
      const v22 = await call('POST', `${t.computeUrl}/os-keypairs`, { token: t.token, headers: { 'OpenStack-API-Version': 'compute 2.2' }, body: { keypair: { name: 'v22', public_key: key.line } } });
      assert.equal(v22.status, 201);
      assert.equal(v22.body.keypair.type, 'ssh');
      assert.equal((await call('DELETE', `${t.computeUrl}/os-keypairs/v22`, { token: t.token, headers: { 'OpenStack-API-Version': 'compute 2.2' } })).status, 204);
      assert.equal((await call('DELETE', `${t.computeUrl}/os-keypairs/v21`, { token: t.token })).status, 202);
      const noKey = await call('POST', `${t.computeUrl}/os-keypairs`, { token: t.token, headers: { 'OpenStack-API-Version': 'compute 2.92' }, body: { keypair: { name: 'gen' } } });
      assert.equal(noKey.status, 400, '2.92 no longer generates keys');
      await t.nova.keypairs.delete('for-acme', { userId: acme.userId });
      assert.deepEqual(await acme.nova.keypairs.list(), []);
    } finally {
      await t.close();
    }
  });
});
