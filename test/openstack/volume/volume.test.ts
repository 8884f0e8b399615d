import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Session, VolumeClient, pickVolumeEndpoint } from '../../../src/openstack/index.js';
import { FakeCloud, creds, fastRetry, pagedList, send } from '../fake-cloud.js';

async function login(services: Record<string, string>) {
  const cloud = await FakeCloud.start({ services: { identity: '/identity/v3', ...services } });
  const fr = fastRetry();
  const session = await Session.login(creds(cloud), { retry: fr.retry, sleep: fr.sleep });
  return { cloud, session, done: async () => (await session.close(), await cloud.close()) };
}

describe('choosing the Cinder API', () => {
  test('volumev3 beats volumev2 and volume', async () => {
    const t = await login({ volume: '/volume/v1/{pid}', volumev2: '/volume/v2/{pid}', volumev3: '/volume/v3/{pid}' });
    const ep = pickVolumeEndpoint(t.session)!;
    assert.deepEqual([ep.type, ep.version, ep.url(t.session)], ['volumev3', '3', `${t.cloud.url}/volume/v3/p-admin`]);
    await t.done();
  });

  test('an unversioned block-storage endpoint gets /v3/<project>', async () => {
    const t = await login({ 'block-storage': '/volume' });
    const ep = pickVolumeEndpoint(t.session)!;
    assert.deepEqual([ep.type, ep.version, ep.url(t.session)], ['block-storage', '3', `${t.cloud.url}/volume/v3/p-admin`]);
    await t.done();
  });

  test('the URL version wins over the type; no Cinder gives undefined', async () => {
    const t = await login({ volume: '/volume/v2/{pid}' });
    assert.equal(pickVolumeEndpoint(t.session)!.version, '2');
    await t.done();
    const u = await login({ compute: '/compute/v2.1' });
    assert.equal(pickVolumeEndpoint(u.session), undefined);
    await u.done();
  });
});

describe('Cinder v1', () => {
  let t: Awaited<ReturnType<typeof login>>;
  let volume: VolumeClient;
  const V1 = '/volume/v1/p-admin';
  before(async () => {
    t = await login({ volume: '/volume/v1/{pid}' });
    volume = new VolumeClient(t.session, pickVolumeEndpoint(t.session)!);
  });
  after(() => t.done());

  test('display_name, string bootable and attachments are normalized; pages go by offset', async () => {
    const vols = Array.from({ length: 1200 }, (_, i) => ({
      id: `v${i}`,
      display_name: `vol-${i}`,
      display_description: 'data',
      size: 10,
      status: 'in-use',
      volume_type: 'lvm',
      bootable: i === 0 ? 'true' : 'false',
      attachments: [{ id: `v${i}`, volume_id: `v${i}`, server_id: 's1', host_name: null, device: '/dev/vdb' }],
      metadata: { k: 'v' },
      'os-vol-tenant-attr:tenant_id': 't1',
      volume_image_metadata: i === 0 ? { image_id: 'img-1', image_name: 'cirros' } : undefined,
      availability_zone: 'nova',
    }));
    t.cloud.on('GET', `${V1}/volumes/detail`, (req, res) => {
      const limit = Number(req.url.searchParams.get('limit'));
      const offset = Number(req.url.searchParams.get('offset') ?? 0);
      send(res, 200, { volumes: vols.slice(offset, offset + limit) });
    });
    const list = await volume.volumes.list({ allTenants: true });
    assert.equal(list.length, 1200);
    const hits = t.cloud.hits('GET', `${V1}/volumes/detail`);
    assert.deepEqual(hits.map((h) => h.url.searchParams.get('offset')), [null, '1000']);
    const v = list[0]!;
    assert.equal(v.name, 'vol-0');
    assert.equal(v.description, 'data');
    assert.equal(v.bootable, true);
    assert.equal(list[1]!.bootable, false);
    assert.equal(v.sourceImageId, 'img-1');
    assert.equal(v.tenantId, 't1');
    assert.deepEqual(v.attachments, [{ serverId: 's1', attachmentId: 'v0', device: '/dev/vdb', hostName: null }]);
  });

  test('create sends display_name (v1 answers 200)', async () => {
    t.cloud.on('POST', `${V1}/volumes`, (req, res) => send(res, 200, { volume: { id: 'v9', ...req.json().volume, status: 'creating' } }));
    const v = await volume.volumes.create({ size: 1, name: 'data', description: 'd', imageId: 'img-1' });
    assert.deepEqual(t.cloud.hits('POST', `${V1}/volumes`)[0]!.json(), { volume: { size: 1, display_name: 'data', display_description: 'd', imageRef: 'img-1' } });
    assert.equal(v.name, 'data');
  });
});

describe('Cinder v3', () => {
  let t: Awaited<ReturnType<typeof login>>;
  let volume: VolumeClient;
  const V3 = '/volume/v3/p-admin';
  before(async () => {
    t = await login({ volumev3: '/volume/v3/{pid}' });
    volume = new VolumeClient(t.session, pickVolumeEndpoint(t.session)!);
  });
  after(() => t.done());

  test('lists follow volumes_links', async () => {
    const vols = Array.from({ length: 1001 }, (_, i) => ({ id: `v${i}`, name: `n${i}`, size: 1, status: 'available', bootable: 'false' }));
    t.cloud.on('GET', `${V3}/volumes/detail`, pagedList('volumes', vols));
    assert.equal((await volume.volumes.list()).length, 1001);
  });

  test('os-volume_upload_image answers the new image id', async () => {
    t.cloud.on('POST', `${V3}/volumes/v1/action`, (req, res) =>
      send(res, 202, { 'os-volume_upload_image': { id: 'v1', status: 'uploading', image_id: 'img-5', image_name: req.json()['os-volume_upload_image'].image_name } }),
    );
    assert.equal(await volume.volumes.uploadToImage('v1', { imageName: 'copy-of-v1', force: true }), 'img-5');
    assert.deepEqual(t.cloud.hits('POST', `${V3}/volumes/v1/action`)[0]!.json(), {
      'os-volume_upload_image': { image_name: 'copy-of-v1', force: true, disk_format: 'raw', container_format: 'bare' },
    });
  });

  test('types include private ones; quotas drop the id', async () => {
    t.cloud.on('GET', `${V3}/types`, (_req, res) => send(res, 200, { volume_types: [{ id: 't1', name: 'ssd', extra_specs: { volume_backend_name: 'fast' }, 'os-volume-type-access:is_public': false }] }));
    assert.deepEqual(await volume.types.list(), [{ id: 't1', name: 'ssd', description: null, isPublic: false, extraSpecs: { volume_backend_name: 'fast' } }]);
    assert.equal(t.cloud.hits('GET', `${V3}/types`)[0]!.url.searchParams.get('is_public'), 'None');
    t.cloud.on('GET', `${V3}/os-quota-sets/p1`, (_req, res) => send(res, 200, { quota_set: { id: 'p1', volumes: 10, gigabytes: 1000, volumes_ssd: -1 } }));
    assert.deepEqual(await volume.quotas.get('p1'), { volumes: 10, gigabytes: 1000, volumes_ssd: -1 });
  });
});
