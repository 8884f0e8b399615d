import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openCloud } from '../../src/openstack/index.js';
import { FakeCloud, addDiscovery, creds, fastRetry, send } from './fake-cloud.js';

const clouds: FakeCloud[] = [];
after(async () => {
  for (const c of clouds) await c.close();
});

test('scopedTo gives every client over a tenant-scoped token, without rediscovery', async () => {
  const cloud = await FakeCloud.start();
  clouds.push(cloud);
  addDiscovery(cloud);
  const fr = fastRetry();
  const admin = await openCloud(creds(cloud), { retry: fr.retry, sleep: fr.sleep });
  const tenant = await admin.scopedTo('p-acme');
  assert.equal(tenant.session.projectId, 'p-acme');
  assert.equal(tenant.capabilities, admin.capabilities);
  assert.equal(tenant.session.callCount, 1, 'only the scoped login');
  cloud.on('POST', '/compute/v2.1/servers', (req, res) => send(res, 202, { server: { id: 'srv-1', adminPass: 'x' } }));
  const created = await tenant.compute.servers.create({ name: 'web', flavorId: '1', imageId: 'img', securityGroups: ['web'], networks: [{ uuid: 'n1', fixedIp: '10.0.0.5' }] });
  assert.equal(created.id, 'srv-1');
  const hit = cloud.hits('POST', '/compute/v2.1/servers')[0]!;
  assert.ok(cloud.validTokens.has(String(hit.headers['x-auth-token'])));
  assert.notEqual(hit.headers['x-auth-token'], cloud.hits('GET', '/compute/v2.1/')[0]!.headers['x-auth-token'], 'the tenant token, not the admin one');
  assert.deepEqual(hit.json(), { server: { name: 'web', flavorRef: '1', imageRef: 'img', security_groups: [{ name: 'web' }], networks: [{ uuid: 'n1', fixed_ip: '10.0.0.5' }] } });
  cloud.on('GET', '/volume/v3/p-acme/volumes/detail', (_req, res) => send(res, 200, { volumes: [] }));
  assert.deepEqual(await tenant.volume!.volumes.list(), [], 'Cinder URL carries the tenant id');
  await admin.close();
});

test('openCloud closes the pool when discovery fails', async () => {
  const cloud = await FakeCloud.start();
  clouds.push(cloud);
  // Every service's probe fails for good (a 500 would be retried, and the first probe to fail
  // after its retries is whichever: each answers 500 here).
  for (const path of ['/compute/v2.1/', '/network/v2.0/extensions', '/image/', '/volume/']) {
    cloud.on('GET', path, (_req, res) => send(res, 500, { computeFault: { code: 500, message: 'boom' } }));
  }
  const fr = fastRetry();
  await assert.rejects(openCloud(creds(cloud), { retry: fr.retry, sleep: fr.sleep }), (err: unknown) => (err as { status?: number }).status === 500);
  assert.ok(fr.sleeps.length > 0, 'a 500 on a GET is retried before it surfaces');
});
