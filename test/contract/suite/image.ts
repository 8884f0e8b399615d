import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Image } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { digestOf, testBytes } from './image-data.js';
import { glanceHasSharedVisibility } from './release-facts.js';

const MIB = 1024 * 1024;

/** Glance (v1 or v2 behind one client): register, upload, download byte-identical, update, share, delete. */
export function imageArea(run: ContractRun): void {
  area(run, 'image', {}, (a) => {
    const glance = () => run.cloud.image;
    const bytes = testBytes(MIB);
    let image: Image | undefined;

    a.step('registers an image (queued, private, with a property)', async () => {
      const name = run.name('image');
      image = await glance().create({ name, diskFormat: 'raw', containerFormat: 'bare', properties: { phc_contract: 'yes' } });
      const id = image.id;
      a.ledger.add(id, { label: `image ${name} (${id})`, remove: () => glance().delete(id) });
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.equal(image.name, name);
      assert.equal(image.status, 'queued');
      assert.equal(image.visibility, 'private');
      assert.equal(image.owner, run.cloud.session.projectId);
      assert.equal(image.diskFormat, 'raw');
      assert.equal(image.containerFormat, 'bare');
      assert.equal(image.properties['phc_contract'], 'yes');
      assert.equal(image.checksum, null);
    });

    a.step('uploads 1 MiB; the image turns active with its size and MD5 checksum', async () => {
      const i = need(image, 'the image');
      await glance().upload(i.id, Readable.from([bytes.data]), bytes.data.length);
      const got = await glance().get(i.id);
      assert.equal(got.status, 'active');
      assert.equal(got.size, MIB);
      assert.equal(got.checksum, bytes.md5);
    });

    a.step('downloads the same bytes (size, Content-MD5 and SHA-256 match)', async () => {
      const i = need(image, 'the image');
      const dl = await glance().download(i.id);
      assert.equal(dl.size, MIB);
      assert.equal(dl.checksum, bytes.md5);
      const seen = await digestOf(dl.body);
      assert.equal(seen.size, MIB);
      assert.equal(seen.sha256, bytes.sha256);
    });

    a.step('uploading again to an active image is a 409 CloudHttpError', async () => {
      const i = need(image, 'the image');
      await expectHttpError(glance().upload(i.id, Readable.from([Buffer.from('again')]), 5), { status: 409, service: 'image', cloud: run.target.name, method: 'PUT', pathIncludes: i.id });
    });

    a.step('lists the image, by name too', async () => {
      const i = need(image, 'the image');
      assert.ok((await glance().list()).some((x) => x.id === i.id));
      assert.deepEqual((await glance().list({ name: i.name })).map((x) => x.id), [i.id]);
    });

    a.step('updates name, min RAM and properties; removes a property', async () => {
      const i = need(image, 'the image');
      const name = run.name('image-renamed');
      const got = await glance().update(i.id, { name, minRam: 64, properties: { phc_extra: 'x', phc_contract: 'again' } });
      assert.equal(got.name, name);
      assert.equal(got.minRam, 64);
      assert.equal(got.properties['phc_contract'], 'again');
      assert.equal(got.properties['phc_extra'], 'x');
      const after = await glance().update(i.id, { removeProperties: ['phc_extra'] });
      assert.equal(after.properties['phc_extra'], undefined);
      assert.equal((await glance().get(i.id)).properties['phc_extra'], undefined);
      image = after;
    });

    a.step('shares the image with a project and accepts the membership', async () => {
      const i = need(image, 'the image');
      const project = run.tenant.project.id;
      // Ocata+ (Glance v2.5) shares `shared` images only; Havana-Juno add members to private ones.
      if (await glanceHasSharedVisibility(run.cloud)) {
        assert.equal((await glance().update(i.id, { visibility: 'shared' })).visibility, 'shared');
      } else {
        assert.equal((await glance().get(i.id)).visibility, 'private');
      }
      await glance().addMember(i.id, project);
      await glance().addMember(i.id, project);
      const members = await glance().listMembers(i.id);
      assert.deepEqual(members.map((m) => m.memberId), [project]);
      if (glance().version === '2') {
        assert.equal(members[0]?.status, 'pending');
        await glance().setMemberStatus(i.id, project, 'accepted');
        assert.equal((await glance().listMembers(i.id))[0]?.status, 'accepted');
      }
      await glance().removeMember(i.id, project);
      assert.deepEqual(await glance().listMembers(i.id), []);
      if (await glanceHasSharedVisibility(run.cloud)) image = await glance().update(i.id, { visibility: 'private' });
    });

    a.step('registers an image keeping a given id', async () => {
      const id = randomUUID();
      const name = run.name('image-with-id');
      const kept = await glance().create({ id, name, diskFormat: 'qcow2', containerFormat: 'bare', minDisk: 1 });
      a.ledger.add(id, { label: `image ${name} (${id})`, remove: () => glance().delete(id) });
      assert.equal(kept.id, id);
      assert.equal(kept.minDisk, 1);
      await glance().delete(id);
      a.ledger.forget(id);
    });

    a.step("an admin lists another project's private image (all, and by owner)", async () => {
      const project = run.tenant.project.id;
      const there = await run.cloud.scopedTo(project);
      const name = run.name('tenant-image');
      const own = await there.image.create({ name, diskFormat: 'raw', containerFormat: 'bare' });
      a.ledger.add(own.id, { label: `image ${name} (${own.id})`, remove: () => glance().delete(own.id) });
      assert.equal(own.owner, project);
      assert.equal(own.visibility, 'private');
      assert.ok((await glance().list({ allTenants: true })).some((x) => x.id === own.id), 'in the admin list');
      assert.deepEqual((await glance().list({ owner: project })).map((x) => x.id), [own.id]);
      await glance().delete(own.id);
      a.ledger.forget(own.id);
    });

    a.step('deletes the image; it is then a 404', async () => {
      const i = need(image, 'the image');
      await glance().delete(i.id);
      a.ledger.forget(i.id);
      await expectHttpError(glance().get(i.id), { status: 404, service: 'image', cloud: run.target.name, pathIncludes: i.id });
    });
  });
}
