import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksums, generatedStream } from '../../../../src/sim/store/data.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { call } from '../../helpers.js';
import { bootActive, novaCloud } from './helpers.js';

describe('compute createImage', () => {
  for (const label of ['icehouse:nova-network:flatdhcp', 'modern:neutron']) {
    it(`${label}: an image-backed server snapshots to a Glance image queued -> saving -> active with the disk's bytes`, async () => {
      const t = await novaCloud(label);
      try {
        const id = await bootActive(t, t.nova, 'vm');
        const imageId = await t.nova.servers.createImage(id, 'snap', { why: 'test' });
        const img = t.cloud.store.images.get(imageId)!;
        assert.equal(img.status, 'queued');
        assert.equal((await t.nova.servers.get(id)).taskState, 'image_snapshot');
        assert.equal((await t.nova.servers.get(id)).status, 'ACTIVE', 'a snapshot keeps ACTIVE');
        await expectHttpError(t.nova.servers.stop(id), { status: 409, service: 'compute', cloud: label });
        t.cloud.flush();
        assert.equal(img.status, 'active');
        assert.equal(img.projectId, t.cloud.admin.projectId);
        assert.deepEqual([img.properties['instance_uuid'], img.properties['image_type'], img.properties['why'], img.properties['base_image_ref']], [id, 'snapshot', 'test', t.image.id]);
        const sums = await checksums(generatedStream(t.cloud.store.seed, `${id}/disk`, t.image.size!));
        assert.deepEqual([img.size, img.checksum], [t.image.size, sums.md5]);
        assert.equal((await t.nova.servers.get(id)).taskState, null);
        const raw = await call('POST', `${t.computeUrl}/servers/${id}/action`, { token: t.token, body: { createImage: { name: 'again' } } });
        assert.equal(raw.status, 202);
        assert.match(raw.headers.get('location') ?? '', /\/images\/[0-9a-f-]{36}$/);
        assert.equal(raw.headers.get('content-type'), 'text/html; charset=UTF-8', "Nova's bare webob 202 (as on Zed)");
        assert.equal(raw.text, '');
        t.cloud.flush();
        if (t.nova.supports('2.45')) {
          const v245 = await call('POST', `${t.computeUrl}/servers/${id}/action`, { token: t.token, headers: { 'OpenStack-API-Version': 'compute 2.45' }, body: { createImage: { name: 'body' } } });
          assert.match(v245.body.image_id, /^[0-9a-f-]{36}$/);
          assert.equal(v245.headers.get('location'), null);
        }
      } finally {
        await t.close();
      }
    });
  }

  it('a volume-backed server snapshots its volumes; the image only maps the Cinder snapshots', async () => {
    const t = await novaCloud('juno:nova-network:vlan');
    try {
      const id = await bootActive(t, t.nova, 'bfv', { imageId: undefined, blockDevices: [{ bootIndex: 0, sourceType: 'image', destinationType: 'volume', uuid: t.image.id, volumeSizeGb: 2, deleteOnTermination: true }] });
      const s = await t.nova.servers.get(id);
      assert.equal(s.status, 'ACTIVE');
      assert.equal(s.imageId, null, 'image "" for a volume-booted server');
      const [volumeId] = s.volumesAttached;
      const vol = t.cloud.store.volumes.get(volumeId!)!;
      assert.deepEqual([vol.status, vol.size, vol.bootable, vol.attachments[0]?.device], ['in-use', 2, true, '/dev/vda']);
      const imageId = await t.nova.servers.createImage(id, 'bfv-snap');
      t.cloud.flush();
      const img = t.cloud.store.images.get(imageId)!;
      assert.deepEqual([img.status, img.size], ['active', 0]);
      const bdm = JSON.parse(img.properties['block_device_mapping']!);
      assert.equal(bdm.length, 1);
      assert.equal(bdm[0].boot_index, 0);
      const snap = t.cloud.store.snapshots.get(bdm[0].snapshot_id)!;
      assert.deepEqual([snap.volumeId, snap.status], [volumeId, 'available']);
      await expectHttpError(t.nova.servers.detachVolume(id, volumeId!), { status: 400, service: 'compute', cloud: 'juno:nova-network:vlan' });
      await t.nova.servers.delete(id);
      t.cloud.flush();
      assert.equal(t.cloud.store.volumes.get(volumeId!), undefined, 'delete_on_termination');
    } finally {
      await t.close();
    }
  });
});

describe('compute volume attachments and metadata', () => {
  it('attaches (attaching -> in-use, shared with Cinder) and detaches (detaching -> available)', async () => {
    const t = await novaCloud('havana:neutron');
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const store = t.cloud.store;
      const now = store.now();
      const vol = store.volumes.insert({
        id: store.ids.uuid(), name: 'data', description: null, projectId: t.cloud.admin.projectId, userId: t.cloud.admin.userId, size: 1, status: 'available', attachStatus: 'detached',
        attachments: [], volumeTypeId: null, availabilityZone: 'nova', bootable: false, snapshotId: null, sourceVolId: null, imageMetadata: null, metadata: {}, host: 'h', migrationStatus: null,
        encrypted: false, multiattach: false, createdAt: now, updatedAt: now, data: { kind: 'none' },
      });
      const att = await t.nova.servers.attachVolume(id, vol.id);
      assert.deepEqual([att.id, att.serverId, att.volumeId, att.device], [vol.id, id, vol.id, '/dev/vdb']);
      assert.equal(vol.status, 'attaching');
      t.cloud.flush();
      assert.equal(vol.status, 'in-use');
      assert.deepEqual((await t.nova.servers.get(id)).volumesAttached, [vol.id]);
      const again = await expectHttpError(t.nova.servers.attachVolume(id, vol.id), { status: 400, service: 'compute', cloud: 'havana:neutron' });
      assert.match(again.cloudMessage, /status must be 'available'/);
      await t.nova.servers.detachVolume(id, vol.id);
      assert.equal(vol.status, 'detaching');
      t.cloud.flush();
      assert.equal(vol.status, 'available');
      assert.deepEqual(await t.nova.servers.listVolumeAttachments(id), []);
      await expectHttpError(t.nova.servers.detachVolume(id, vol.id), { status: 404, service: 'compute', cloud: 'havana:neutron', faultType: 'itemNotFound' });
    } finally {
      await t.close();
    }
  });

  it('merges, replaces and deletes server metadata', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      const id = await bootActive(t, t.nova, 'vm', { metadata: { a: '1' } });
      assert.deepEqual(await t.nova.servers.mergeMetadata(id, { b: '2' }), { a: '1', b: '2' });
      assert.deepEqual(await t.nova.servers.replaceMetadata(id, { c: '3' }), { c: '3' });
      await t.nova.servers.deleteMetadataItem(id, 'c');
      assert.deepEqual(await t.nova.servers.getMetadata(id), {});
      await expectHttpError(t.nova.servers.deleteMetadataItem(id, 'c'), { status: 404, service: 'compute', cloud: 'modern:neutron' });
      const put = await call('PUT', `${t.computeUrl}/servers/${id}/metadata/k`, { token: t.token, body: { meta: { k: 'v' } } });
      assert.deepEqual(put.body, { meta: { k: 'v' } });
    } finally {
      await t.close();
    }
  });
});
