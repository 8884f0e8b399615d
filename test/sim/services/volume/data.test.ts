import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { isCloudHttpError } from '../../../../src/openstack/index.js';
import { bytesOf } from '../image/helpers.js';
import { cinderCloud, digest, type CinderTest } from './helpers.js';

for (const [label, version] of [['juno:nova-network:flatdhcp', '2'], ['havana:neutron', '1'], ['modern:neutron', '3']] as const) {
  describe(`Cinder data round trips (${label}, v${version})`, () => {
    let t: CinderTest;
    before(async () => {
      t = await cinderCloud(label, version);
    });
    after(() => t.close());

    /** Uploads a volume to Glance and answers the image once active, with what a download gives. */
    async function upload(volumeId: string, name: string, force = false) {
      const imageId = await t.cinder.volumes.uploadToImage(volumeId, { imageName: name, diskFormat: 'qcow2', containerFormat: 'bare', force });
      await t.cloud.settle();
      const image = await t.glance.get(imageId);
      const seen = await digest((await t.glance.download(imageId)).body);
      return { image, seen };
    }

    it('image -> volume -> image keeps the bytes: the second image has the first one\'s checksum', async () => {
      const bytes = bytesOf(2 * 1024 * 1024, 11);
      const src = await t.glance.create({ name: 'source', diskFormat: 'raw', containerFormat: 'bare', properties: { os_distro: 'cirros' } });
      await t.glance.upload(src.id, Readable.from([bytes.data]), bytes.data.length);
      const vol = await t.cinder.volumes.create({ size: 1, name: 'from-image', imageId: src.id });
      await t.cloud.settle();
      const v = await t.cinder.volumes.get(vol.id);
      assert.equal(v.status, 'available');
      assert.equal(v.bootable, true);
      assert.equal(v.sourceImageId, src.id);
      assert.equal(v.imageMetadata['checksum'], bytes.md5);
      assert.equal(v.imageMetadata['os_distro'], 'cirros');
      const { image, seen } = await upload(vol.id, 'round-trip');
      assert.equal(image.status, 'active');
      assert.equal(image.checksum, bytes.md5);
      assert.equal(image.size, bytes.data.length);
      assert.equal(image.owner, t.cloud.admin.projectId);
      assert.equal(image.properties['os_distro'], 'cirros', "the volume's Glance metadata goes along");
      assert.deepEqual(seen, { size: bytes.data.length, md5: bytes.md5, sha512: bytes.sha512 });
      assert.equal((await t.cinder.volumes.get(vol.id)).status, 'available', 'back from uploading');
      // The source image may go: the volume keeps the bytes (a shared blob is released only when unused).
      await t.glance.delete(src.id);
      const again = await upload(vol.id, 'after-delete');
      assert.equal(again.seen.md5, bytes.md5);
    });

    it('a blank volume uploads its own bytes; its upload makes a volume with the same bytes; clones and snapshots keep them too', async () => {
      const vol = await t.cinder.volumes.create({ size: 1, name: 'blank' });
      await t.cloud.settle();
      const first = await upload(vol.id, 'blank-image');
      assert.ok((first.image.size ?? 0) > 0);
      assert.equal(first.seen.md5, first.image.checksum);
      const fromImage = await t.cinder.volumes.create({ size: 1, name: 'restored', imageId: first.image.id });
      const clone = await t.cinder.volumes.create({ size: 2, name: 'clone', sourceVolumeId: vol.id });
      const snap = await t.cinder.snapshots.create({ volumeId: vol.id, name: 'snap' });
      await t.cloud.settle();
      const fromSnap = await t.cinder.volumes.create({ size: 1, name: 'from-snap', snapshotId: snap.id });
      await t.cloud.settle();
      assert.equal((await t.cinder.volumes.get(fromSnap.id)).snapshotId, snap.id);
      assert.equal((await t.cinder.volumes.get(clone.id)).sourceVolumeId, vol.id);
      for (const id of [fromImage.id, clone.id, fromSnap.id]) assert.equal((await upload(id, `of-${id}`)).image.checksum, first.image.checksum, id);
    });

    it('an in-use volume uploads only with force; a snapshot of it only with force', async () => {
      const vol = await t.cinder.volumes.create({ size: 1, name: 'busy' });
      await t.cloud.settle();
      await t.raw('POST', `/volumes/${vol.id}/action`, { body: { 'os-reserve': {} } });
      await t.raw('POST', `/volumes/${vol.id}/action`, { body: { 'os-attach': { instance_uuid: '0c6a7b1e-5d1f-4a55-9f3e-1d2c3b4a5e6f', mountpoint: '/dev/vdb' } } });
      await assert.rejects(t.cinder.volumes.uploadToImage(vol.id, { imageName: 'no' }), (e) => isCloudHttpError(e, 400));
      await assert.rejects(t.cinder.snapshots.create({ volumeId: vol.id, name: 'no' }), (e) => isCloudHttpError(e, 400));
      const forced = await upload(vol.id, 'forced', true);
      assert.equal(forced.image.status, 'active');
      assert.equal((await t.cinder.volumes.get(vol.id)).status, 'in-use', 'back to in-use');
      const snap = await t.cinder.snapshots.create({ volumeId: vol.id, name: 'forced', force: true });
      await t.cloud.settle();
      assert.equal((await t.cinder.snapshots.get(snap.id)).status, 'available');
    });

    it('shows the copies in progress: volume uploading / image saving, volume downloading from an image', async () => {
      const vol = await t.cinder.volumes.create({ size: 1, name: 'slow' });
      await t.cloud.settle();
      t.cloud.setKnobs({ timeScale: 1, imageSaveMs: 3_600_000, volumeCreateMs: 3_600_000 });
      try {
        const r = await t.raw('POST', `/volumes/${vol.id}/action`, { body: { 'os-volume_upload_image': { image_name: 'slow-image', disk_format: 'raw' } } });
        assert.equal(r.status, 202);
        const answer = r.body['os-volume_upload_image'];
        assert.equal(answer.status, 'uploading');
        assert.equal(answer.disk_format, 'raw');
        assert.equal(answer.container_format, 'bare');
        assert.equal((await t.cinder.volumes.get(vol.id)).status, 'uploading');
        assert.equal((await t.glance.get(answer.image_id)).status, 'saving');
        t.cloud.flush();
        assert.equal((await t.glance.get(answer.image_id)).status, 'active');
        const copy = await t.cinder.volumes.create({ size: 1, name: 'copying', imageId: answer.image_id });
        assert.equal(copy.status, 'creating');
        t.cloud.clock.flush(1);
        assert.equal((await t.cinder.volumes.get(copy.id)).status, 'downloading');
        t.cloud.flush();
        assert.equal((await t.cinder.volumes.get(copy.id)).status, 'available');
      } finally {
        t.cloud.setKnobs({ timeScale: 0 });
      }
    });

    it('refuses an image it cannot see or a volume smaller than the image (400)', async () => {
      const hidden = await t.raw('POST', '/volumes', { body: { volume: { size: 1, imageRef: '0c6a7b1e-5d1f-4a55-9f3e-1d2c3b4a5e6f' } } });
      assert.equal(hidden.status, 400);
      assert.match(hidden.body.badRequest.message, /Invalid image identifier or unable to access requested image/);
      const img = await t.glance.create({ name: 'big-min', diskFormat: 'raw', containerFormat: 'bare', minDisk: 5 });
      await t.glance.upload(img.id, Readable.from([Buffer.alloc(10)]), 10);
      const small = await t.raw('POST', '/volumes', { body: { volume: { size: 1, imageRef: img.id } } });
      assert.equal(small.status, 400);
    });
  });
}
