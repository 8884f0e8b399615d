import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { isCloudHttpError, type ImageClient } from '../../../../src/openstack/index.js';
import { bytesOf, digest, glanceCloud, tenant, type GlanceTest } from './helpers.js';

for (const label of ['havana:nova-network:flatdhcp', 'juno:neutron']) {
  describe(`Glance v1 (${label})`, () => {
    let t: GlanceTest;
    let v1: ImageClient;
    before(async () => {
      t = await glanceCloud(label);
      v1 = t.v1!;
    });
    after(() => t.close());

    it('registers through x-image-meta-* headers and answers HEAD with them (underscores kept, True/False, properties)', async () => {
      const img = await v1.create({ name: 'hdr', diskFormat: 'qcow2', containerFormat: 'bare', minRam: 64, properties: { os_distro: 'cirros' } });
      assert.equal(img.status, 'queued');
      assert.equal(img.visibility, 'private');
      const head = await t.raw('HEAD', `/v1/images/${img.id}`);
      assert.equal(head.status, 200);
      assert.equal(head.text, '');
      assert.equal(head.headers.get('x-image-meta-disk_format'), 'qcow2');
      assert.equal(head.headers.get('x-image-meta-is_public'), 'False');
      assert.equal(head.headers.get('x-image-meta-min_ram'), '64');
      assert.equal(head.headers.get('x-image-meta-owner'), t.cloud.admin.projectId);
      assert.equal(head.headers.get('x-image-meta-property-os_distro'), 'cirros');
      assert.equal(head.headers.get('x-image-meta-checksum'), null, 'null values are left out');
      const got = await v1.get(img.id);
      assert.deepEqual([got.name, got.minRam, got.properties], ['hdr', 64, { os_distro: 'cirros' }]);
      const bad = await t.raw('POST', '/v1/images', { headers: { 'x-image-meta-colour': 'red' } });
      assert.equal(bad.status, 400);
      assert.match(bad.text, /Bad header: x-image-meta-colour/);
    });

    it('takes the data in the POST body (saving -> active), or later in a PUT of a queued image; a second upload is a 409', async () => {
      const bytes = bytesOf(300_000);
      const res = await fetch(`${t.base}/v1/images`, {
        method: 'POST',
        headers: { 'X-Auth-Token': t.token, 'Content-Type': 'application/octet-stream', 'x-image-meta-name': 'posted', 'x-image-meta-disk_format': 'raw', 'x-image-meta-container_format': 'bare', 'x-image-meta-size': String(bytes.data.length) },
        body: bytes.data,
      });
      assert.equal(res.status, 201);
      const posted = ((await res.json()) as { image: { id: string; status: string; checksum: string; size: number } }).image;
      assert.deepEqual([posted.status, posted.checksum, posted.size], ['active', bytes.md5, bytes.data.length]);
      const dl = await v1.download(posted.id);
      assert.equal(dl.checksum, bytes.md5);
      assert.deepEqual(await digest(dl.body), { size: bytes.data.length, md5: bytes.md5, sha512: bytes.sha512 });
      const later = await v1.create({ name: 'later', diskFormat: 'raw', containerFormat: 'bare' });
      await v1.upload(later.id, Readable.from([bytes.data]), bytes.data.length);
      assert.equal((await v1.get(later.id)).checksum, bytes.md5);
      await assert.rejects(v1.upload(later.id, Readable.from([Buffer.from('x')]), 1), (e) => isCloudHttpError(e, 409));
      const queued = await v1.create({ name: 'no-data', diskFormat: 'raw', containerFormat: 'bare' });
      assert.equal((await t.raw('GET', `/v1/images/${queued.id}`)).status, 404, 'only active images have data');
    });

    it('updates headers (properties merged, or replaced with purge-props), deletes with 200', async () => {
      const img = await v1.create({ name: 'upd', diskFormat: 'raw', containerFormat: 'bare', properties: { a: '1', b: '2' } });
      const merged = await v1.update(img.id, { name: 'upd2', properties: { c: '3' } });
      assert.deepEqual(merged.properties, { a: '1', b: '2', c: '3' });
      const purged = await v1.update(img.id, { removeProperties: ['a'] });
      assert.deepEqual(purged.properties, { b: '2', c: '3' });
      const r = await t.raw('DELETE', `/v1/images/${img.id}`);
      assert.equal(r.status, 200);
      await assert.rejects(v1.get(img.id), (e) => isCloudHttpError(e, 404));
    });

    it('pages by limit (default 25) and marker until a short page, without links; sort_key/sort_dir; bad marker 400', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 30; i++) ids.add((await v1.create({ name: `p-${String(i).padStart(2, '0')}`, diskFormat: 'raw', containerFormat: 'bare', properties: { batch: 'paging' } })).id);
      const first = await t.raw('GET', '/v1/images/detail?property-batch=paging');
      assert.equal(first.body.images.length, 25, 'default limit');
      assert.equal(first.body.images_links, undefined);
      const seen: string[] = [];
      let marker = '';
      for (let round = 0; round < 10; round++) {
        const r = await t.raw('GET', `/v1/images?property-batch=paging&limit=7&sort_key=name&sort_dir=asc${marker ? `&marker=${marker}` : ''}`);
        const page = r.body.images as Array<{ id: string; name: string }>;
        assert.deepEqual(Object.keys(page[0] ?? { id: 1, name: 1, disk_format: 1, container_format: 1, size: 1, checksum: 1 }).sort(), ['checksum', 'container_format', 'disk_format', 'id', 'name', 'size']);
        seen.push(...page.map((i) => i.id));
        if (page.length < 7) break;
        marker = page.at(-1)!.id;
      }
      assert.equal(seen.length, 30);
      assert.deepEqual(new Set(seen), ids);
      const names = (await t.raw('GET', '/v1/images?property-batch=paging&limit=3&sort_key=name&sort_dir=asc')).body.images.map((i: { name: string }) => i.name);
      assert.deepEqual(names, ['p-00', 'p-01', 'p-02']);
      assert.equal((await t.raw('GET', '/v1/images?marker=00000000-0000-4000-8000-000000000000')).status, 400);
      assert.equal((await t.raw('GET', '/v1/images?sort_key=colour')).status, 400);
      assert.equal((await v1.list({ name: 'p-05' })).length, 1, 'the client pages with its own limit');
    });

    it("shows an admin other tenants' private images only with is_public=None; members; shared-images", async () => {
      const other = await tenant(t, `v1-${label.split(':')[0]}`);
      const theirs = await imageOf(other, 'theirs-private');
      const plain = (await t.raw('GET', '/v1/images/detail?limit=1000')).body.images.map((i: { id: string }) => i.id);
      assert.ok(!plain.includes(theirs), 'not without is_public=None');
      const all = (await t.raw('GET', '/v1/images/detail?is_public=None&limit=1000')).body.images.map((i: { id: string }) => i.id);
      assert.ok(all.includes(theirs));
      assert.ok((await v1.list({ allTenants: true })).some((i) => i.id === theirs), 'the client asks is_public=None');
      const mine = await v1.create({ name: 'to-share', diskFormat: 'raw', containerFormat: 'bare' });
      await v1.addMember(mine.id, other.projectId);
      assert.deepEqual((await v1.listMembers(mine.id)).map((m) => [m.memberId, m.canShare]), [[other.projectId, false]]);
      const shared = await t.raw('GET', `/v1/shared-images/${other.projectId}`);
      assert.deepEqual(shared.body.shared_images, [{ image_id: mine.id, can_share: false }]);
      const theirList = (await t.raw('GET', '/v1/images/detail?limit=1000', { token: other.token })).body.images.map((i: { id: string }) => i.id);
      assert.ok(theirList.includes(mine.id), 'v1 lists shared images whatever the member status');
      await v1.removeMember(mine.id, other.projectId);
      assert.deepEqual(await v1.listMembers(mine.id), []);
      await assert.rejects(v1.setMemberStatus(mine.id, other.projectId, 'accepted'), (e) => (e as { code?: string }).code === 'PH_CLOUD_UNSUPPORTED');
      await other.cloud.close();

      async function imageOf(x: typeof other, name: string): Promise<string> {
        const res = await fetch(`${t.base}/v1/images`, { method: 'POST', headers: { 'X-Auth-Token': x.token, 'x-image-meta-name': name } });
        return ((await res.json()) as { image: { id: string } }).image.id;
      }
    });

    it('answers errors as webob plain text (JSON clients included)', async () => {
      const r = await t.raw('HEAD', '/v1/images/6b1f3c1e-0000-4000-8000-00000000dead');
      assert.equal(r.status, 404);
      const g = await t.raw('DELETE', '/v1/images/6b1f3c1e-0000-4000-8000-00000000dead');
      assert.match(g.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(g.text, /^404 Not Found\n\nImage with identifier 6b1f3c1e-0000-4000-8000-00000000dead not found/);
    });
  });
}
