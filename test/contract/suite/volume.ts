import assert from 'node:assert/strict';
import type { Volume, VolumeClient, VolumeSnapshot } from '../../../src/openstack/index.js';
import { isNotFound } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { digestOf, testBytes, uploadedImage } from './image-data.js';
import { waitFor, waitGone } from './wait.js';

/** Cinder: types, volume create/read/metadata, snapshot, upload to image, quotas, delete. */
export function volumeArea(run: ContractRun): void {
  const skip = run.target.capabilities.volume === null ? `${run.target.name} has no Cinder` : false;
  const skipIf = async () => (run.cloud.volume ? false : `${run.target.name}: the catalog has no Cinder`);
  area(run, 'volume', { skip, skipIf }, (a) => {
    const cinder = (): VolumeClient => need(run.cloud.volume, 'Cinder in the catalog');
    let volume: Volume | undefined;
    let snapshot: VolumeSnapshot | undefined;

    const untilVolume = (id: string, status: string) =>
      waitFor(() => cinder().volumes.get(id), (v) => v.status === status, {
        timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs,
        what: `volume ${id} to ${status}`,
        fail: (v) => v.status === 'error' || v.status.startsWith('error_'),
        describe: (v) => v.status,
      });
    const removeVolume = async (id: string) => {
      await cinder().volumes.delete(id);
      await waitGone(() => cinder().volumes.get(id), isNotFound, { timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs, what: `volume ${id} deletion` });
    };

    a.step('lists volume types', async () => {
      const types = await cinder().types.list();
      assert.ok(types.length > 0, 'at least one volume type');
      assert.ok(types.every((t) => t.id && t.name), 'types have ids and names');
    });

    a.step('a duplicate volume type name is a 409 CloudHttpError', async (t) => {
      if (cinder().version === '1') return t.skip('Cinder v1 creates types only through the admin extension of older releases');
      const name = run.name('type');
      const created = await cinder().types.create({ name, description: 'pumphouse contract suite', isPublic: true });
      a.ledger.add(created.id, { label: `volume type ${name} (${created.id})`, remove: () => cinder().types.delete(created.id) });
      assert.equal(created.name, name);
      await expectHttpError(cinder().types.create({ name }), { status: 409, service: 'volume', cloud: run.target.name, method: 'POST', faultType: 'conflictingRequest' });
      await cinder().types.delete(created.id);
      a.ledger.forget(created.id);
      await expectHttpError(cinder().types.get(created.id), { status: 404, service: 'volume', cloud: run.target.name, faultType: 'itemNotFound' });
    });

    a.step('creates a 1 GiB volume with metadata; it turns available', async () => {
      const name = run.name('volume');
      const created = await cinder().volumes.create({ size: 1, name, description: 'pumphouse contract suite', metadata: { phc: 'contract' } });
      a.ledger.add(created.id, { label: `volume ${name} (${created.id})`, remove: () => removeVolume(created.id) });
      assert.match(created.id, /^[0-9a-f-]{36}$/);
      assert.equal(created.name, name);
      assert.equal(created.size, 1);
      assert.ok(['creating', 'available'].includes(created.status), `status ${created.status}`);
      volume = await untilVolume(created.id, 'available');
      assert.equal(volume.description, 'pumphouse contract suite');
      assert.deepEqual(volume.metadata, { phc: 'contract' });
      assert.equal(volume.tenantId, run.cloud.session.projectId);
      assert.equal(volume.bootable, false);
      assert.deepEqual(volume.attachments, []);
    });

    a.step('lists the volume (own project, by name, all projects)', async () => {
      const v = need(volume, 'the volume');
      assert.ok((await cinder().volumes.list()).some((x) => x.id === v.id));
      assert.deepEqual((await cinder().volumes.list({ name: v.name })).map((x) => x.id), [v.id]);
      assert.ok((await cinder().volumes.list({ allTenants: true })).some((x) => x.id === v.id && x.tenantId === v.tenantId));
    });

    a.step("creates a volume inside another project (scoped session); an admin lists it across projects", async () => {
      const project = run.tenant.project.id;
      const there = need((await run.cloud.scopedTo(project)).volume, 'Cinder in the scoped catalog');
      const name = run.name('tenant-volume');
      const created = await there.volumes.create({ size: 1, name });
      a.ledger.add(created.id, { label: `volume ${name} (${created.id})`, remove: () => removeVolume(created.id) });
      const v = await untilVolume(created.id, 'available');
      assert.equal(v.tenantId, project);
      assert.deepEqual((await there.volumes.list()).map((x) => x.id), [created.id], 'the project sees its own volume only');
      assert.ok(!(await cinder().volumes.list()).some((x) => x.id === created.id), "not in the admin project's own list");
      assert.deepEqual((await cinder().volumes.list({ allTenants: true, projectId: project })).map((x) => x.id), [created.id]);
      await removeVolume(created.id);
      a.ledger.forget(created.id);
    });

    a.step('merges and deletes volume metadata', async () => {
      const v = need(volume, 'the volume');
      assert.deepEqual(await cinder().volumes.mergeMetadata(v.id, { extra: '1' }), { phc: 'contract', extra: '1' });
      await cinder().volumes.deleteMetadataItem(v.id, 'extra');
      assert.deepEqual(await cinder().volumes.getMetadata(v.id), { phc: 'contract' });
    });

    a.step('snapshots the volume; the snapshot turns available and is listed', async () => {
      const v = need(volume, 'the volume');
      const name = run.name('snapshot');
      const created = await cinder().snapshots.create({ volumeId: v.id, name, description: 'pumphouse contract suite' });
      a.ledger.add(created.id, {
        label: `snapshot ${name} (${created.id})`,
        remove: async () => {
          await cinder().snapshots.delete(created.id);
          await waitGone(() => cinder().snapshots.get(created.id), isNotFound, { timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs, what: `snapshot ${created.id} deletion` });
        },
      });
      assert.equal(created.volumeId, v.id);
      assert.equal(created.name, name);
      snapshot = await waitFor(() => cinder().snapshots.get(created.id), (s) => s.status === 'available', {
        timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs,
        what: `snapshot ${created.id} to available`,
        fail: (s) => s.status === 'error',
        describe: (s) => s.status,
      });
      assert.equal(snapshot.size, 1);
      assert.deepEqual((await cinder().snapshots.list({ volumeId: v.id })).map((s) => s.id), [created.id]);
    });

    a.step('creates a volume from the snapshot', async () => {
      const s = need(snapshot, 'the snapshot');
      const name = run.name('from-snapshot');
      const created = await cinder().volumes.create({ size: 1, name, snapshotId: s.id });
      a.ledger.add(created.id, { label: `volume ${name} (${created.id})`, remove: () => removeVolume(created.id) });
      const v = await untilVolume(created.id, 'available');
      assert.equal(v.snapshotId, s.id);
      await removeVolume(created.id);
      a.ledger.forget(created.id);
    });

    a.step('deletes the snapshot; it is then a 404', async () => {
      const s = need(snapshot, 'the snapshot');
      await cinder().snapshots.delete(s.id);
      await waitGone(() => cinder().snapshots.get(s.id), isNotFound, { timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs, what: `snapshot ${s.id} deletion` });
      a.ledger.forget(s.id);
      await expectHttpError(cinder().snapshots.get(s.id), { status: 404, service: 'volume', cloud: run.target.name, pathIncludes: s.id, faultType: 'itemNotFound' });
    });

    a.step('uploads the volume to an image that turns active and downloads', async () => {
      const v = need(volume, 'the volume');
      const imageName = run.name('volume-image');
      const imageId = await cinder().volumes.uploadToImage(v.id, { imageName, diskFormat: 'qcow2', containerFormat: 'bare' });
      a.ledger.add(imageId, { label: `image ${imageName} (${imageId})`, remove: () => run.cloud.image.delete(imageId) });
      const image = await waitFor(() => run.cloud.image.get(imageId), (i) => i.status === 'active', {
        timeoutMs: run.timeouts.imageMs, intervalMs: run.timeouts.pollMs,
        what: `image ${imageId} (upload of volume ${v.id}) to active`,
        fail: (i) => i.status === 'killed' || i.status === 'deleted',
        describe: (i) => i.status,
      });
      assert.equal(image.name, imageName);
      assert.equal(image.diskFormat, 'qcow2');
      assert.ok(image.size !== null && image.size > 0, 'the image has data');
      await untilVolume(v.id, 'available');
      const dl = await run.cloud.image.download(imageId);
      const seen = await digestOf(dl.body);
      assert.equal(seen.size, image.size);
      assert.equal(seen.md5, image.checksum);
    });

    a.step('creates a bootable volume from an image', async () => {
      const image = await uploadedImage(run, a.ledger, 'volume-source-image', testBytes(1024 * 1024));
      const name = run.name('from-image');
      const created = await cinder().volumes.create({ size: 1, name, imageId: image.id });
      a.ledger.add(created.id, { label: `volume ${name} (${created.id})`, remove: () => removeVolume(created.id) });
      const v = await untilVolume(created.id, 'available');
      assert.equal(v.bootable, true);
      assert.equal(v.sourceImageId, image.id);
      assert.equal(v.imageMetadata['checksum'], image.checksum);
      await removeVolume(created.id);
      a.ledger.forget(created.id);
    });

    a.step('reads, sets and resets volume quotas of a project', async () => {
      const project = run.tenant.project.id;
      const defaults = await cinder().quotas.defaults(project);
      for (const k of ['volumes', 'snapshots', 'gigabytes']) assert.equal(typeof defaults[k], 'number', `default quota ${k}`);
      a.ledger.add(`quota:${project}`, { label: `volume quotas of ${project}`, remove: () => cinder().quotas.reset(project) });
      const set = await cinder().quotas.update(project, { volumes: 3, gigabytes: 30 });
      assert.equal(set['volumes'], 3);
      assert.equal(set['gigabytes'], 30);
      const got = await cinder().quotas.get(project);
      assert.deepEqual([got['volumes'], got['gigabytes'], got['snapshots']], [3, 30, defaults['snapshots']]);
      await cinder().quotas.reset(project);
      a.ledger.forget(`quota:${project}`);
      assert.deepEqual(await cinder().quotas.get(project), defaults);
    });

    a.step('deletes the volume; it is then a 404', async () => {
      const v = need(volume, 'the volume');
      await removeVolume(v.id);
      a.ledger.forget(v.id);
      await expectHttpError(cinder().volumes.get(v.id), { status: 404, service: 'volume', cloud: run.target.name, pathIncludes: v.id, faultType: 'itemNotFound' });
    });
  });
}
