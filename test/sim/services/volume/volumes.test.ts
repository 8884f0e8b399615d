import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCloudHttpError } from '../../../../src/openstack/index.js';
import { CINDER_APIS, cinderCloud, tenant, type CinderTest } from './helpers.js';

for (const [label, version] of CINDER_APIS) {
  describe(`Cinder v${version} volumes (${label})`, () => {
    let t: CinderTest;
    const v1 = version === '1';
    const v3 = version === '3';
    before(async () => {
      t = await cinderCloud(label, version);
    });
    after(() => t.close());

    it(`creates (${v1 ? '200 with display_name' : '202 with name'}) creating -> available; bootable is a string; the tenant attribute shows`, async () => {
      const r = await t.raw('POST', '/volumes', { body: { volume: { size: 2, [v1 ? 'display_name' : 'name']: 'first', [v1 ? 'display_description' : 'description']: 'd', metadata: { k: 'v' } } } });
      assert.equal(r.status, v1 ? 200 : 202);
      const v = r.body.volume;
      assert.equal(v.status, 'creating');
      assert.equal(v.bootable, 'false');
      assert.equal(v[v1 ? 'display_name' : 'name'], 'first');
      assert.equal(v[v1 ? 'name' : 'display_name'], undefined);
      assert.equal('links' in v, !v1);
      assert.equal(v['os-vol-tenant-attr:tenant_id'], undefined, 'extension attributes come with show and detail only');
      if (v3) {
        assert.equal(r.headers.get('openstack-api-version'), 'volume 3.0');
        assert.equal(v.updated_at, null, 'a fresh row has no updated_at');
      }
      assert.match(r.headers.get('x-compute-request-id') ?? '', /^req-/);
      await t.cloud.settle();
      const got = await t.cinder.volumes.get(v.id);
      assert.deepEqual([got.status, got.name, got.description, got.size, got.bootable, got.tenantId], ['available', 'first', 'd', 2, false, t.cloud.admin.projectId]);
      assert.deepEqual(got.metadata, { k: 'v' });
      assert.match(got.createdAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      const show = await t.raw('GET', `/volumes/${v.id}`);
      assert.equal(show.body.volume['os-vol-host-attr:host'], `${t.cloud.name}-controller@lvm#LVM`);
      assert.equal(show.body.volume.volume_type, v3 ? '__DEFAULT__' : 'default');
      assert.equal('encrypted' in show.body.volume, !label.startsWith('havana'));
      assert.equal('replication_status' in show.body.volume, label.startsWith('juno') || v3);
    });

    it('updates name and description, merges and deletes metadata items', async () => {
      const v = await t.cinder.volumes.create({ size: 1, name: 'meta', metadata: { a: '1' } });
      await t.cloud.settle();
      const put = await t.raw('PUT', `/volumes/${v.id}`, { body: { volume: { [v1 ? 'display_name' : 'name']: 'renamed' } } });
      assert.equal(put.status, 200);
      assert.equal((await t.cinder.volumes.get(v.id)).name, 'renamed');
      assert.deepEqual(await t.cinder.volumes.mergeMetadata(v.id, { b: '2' }), { a: '1', b: '2' });
      const item = await t.raw('GET', `/volumes/${v.id}/metadata/b`);
      assert.deepEqual(item.body, { meta: { b: '2' } });
      await t.cinder.volumes.deleteMetadataItem(v.id, 'a');
      assert.deepEqual(await t.cinder.volumes.getMetadata(v.id), { b: '2' });
      await assert.rejects(t.cinder.volumes.deleteMetadataItem(v.id, 'a'), (e) => isCloudHttpError(e, 404));
    });

    it('deletes: deleting, then gone (404 itemNotFound); refused while in-use or with snapshots', async () => {
      const v = await t.cinder.volumes.create({ size: 1, name: 'doomed' });
      await t.cloud.settle();
      const snap = await t.cinder.snapshots.create({ volumeId: v.id, name: 'hold' });
      await t.cloud.settle();
      const withSnap = await t.raw('DELETE', `/volumes/${v.id}`);
      assert.equal(withSnap.status, 400);
      assert.ok(withSnap.body.badRequest.message.length > 0);
      await t.cinder.snapshots.delete(snap.id);
      await t.cloud.settle();
      await t.raw('POST', `/volumes/${v.id}/action`, { body: { 'os-attach': { instance_uuid: '0c6a7b1e-5d1f-4a55-9f3e-1d2c3b4a5e6f', mountpoint: '/dev/vdb' } } });
      assert.equal((await t.cinder.volumes.get(v.id)).status, 'in-use');
      await assert.rejects(t.cinder.volumes.delete(v.id), (e) => isCloudHttpError(e, 400));
      await t.raw('POST', `/volumes/${v.id}/action`, { body: { 'os-detach': {} } });
      // Hold the deletion so that `deleting` is observable, then run it.
      t.cloud.setKnobs({ timeScale: 1, deleteMs: 3_600_000 });
      await t.cinder.volumes.delete(v.id);
      assert.equal((await t.cinder.volumes.get(v.id)).status, 'deleting');
      t.cloud.flush();
      t.cloud.setKnobs({ timeScale: 0 });
      const gone = await t.raw('GET', `/volumes/${v.id}`);
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: `Volume ${v.id} could not be found.` } });
    });

    it(v1 ? 'pages by limit/offset without links' : 'pages by limit/marker with volumes_links while pages are full; an unknown marker is a 404', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await t.cinder.volumes.create({ size: 1, name: `page-${i}`, metadata: { paged: 'yes' } })).id);
      await t.cloud.settle();
      const all = new Set((await t.cinder.volumes.list()).map((v) => v.id));
      for (const id of ids) assert.ok(all.has(id));
      const seen: string[] = [];
      if (v1) {
        for (let offset = 0; offset < 100; offset += 2) {
          const r = await t.raw('GET', `/volumes/detail?limit=2&offset=${offset}`);
          assert.equal(r.body.volumes_links, undefined);
          seen.push(...r.body.volumes.map((v: { id: string }) => v.id));
          if (r.body.volumes.length < 2) break;
        }
      } else {
        let next = `/volumes?limit=2&metadata=${encodeURIComponent(JSON.stringify({ paged: 'yes' }))}`;
        for (let round = 0; round < 10 && next; round++) {
          const r = await t.raw('GET', next);
          seen.push(...r.body.volumes.map((v: { id: string; name: string; links: unknown[] }) => v.id));
          assert.deepEqual(Object.keys(r.body.volumes[0] ?? { id: 1, links: 1, name: 1 }).sort(), ['id', 'links', 'name']);
          const href: string | undefined = r.body.volumes_links?.find((l: { rel: string }) => l.rel === 'next')?.href;
          next = href ? href.slice(t.api.length) : '';
        }
        assert.equal((await t.raw('GET', '/volumes?marker=0c6a7b1e-5d1f-4a55-9f3e-1d2c3b4a5e6f')).status, 404);
      }
      assert.deepEqual(new Set(seen.filter((id) => ids.includes(id))), new Set(ids));
      assert.equal(seen.length, new Set(seen).size, 'no volume twice');
    });

    it("keeps projects apart; an admin sees another project's volumes with all_tenants (and project_id)", async () => {
      const other = await tenant(t, `cinder-${label.split(':')[0]}`);
      const theirs = new (t.cinder.constructor as typeof import('../../../../src/openstack/index.js').VolumeClient)(other.cloud.session, { type: 'x', version, url: (s) => `${t.cloud.url}/volume/v${version}/${s.projectId ?? ''}` });
      const v = await theirs.volumes.create({ size: 1, name: 'theirs' });
      await t.cloud.settle();
      assert.deepEqual((await theirs.volumes.list()).map((x) => x.id), [v.id]);
      assert.ok(!(await t.cinder.volumes.list()).some((x) => x.id === v.id));
      assert.deepEqual((await t.cinder.volumes.list({ allTenants: true, projectId: other.projectId })).map((x) => x.id), [v.id]);
      await assert.rejects(theirs.volumes.get((await t.cinder.volumes.list())[0]!.id), (e) => isCloudHttpError(e, 404));
      const forbidden = await t.raw('POST', '/types', { token: other.token, body: { volume_type: { name: 'nope' } } });
      assert.equal(forbidden.status, 403);
      assert.ok(forbidden.body.forbidden);
      await other.cloud.close();
    });

    it('checks quotas (413 overLimit) and answers usage', async () => {
      const project = t.cloud.admin.projectId;
      await t.cinder.quotas.update(project, { volumes: 1 + (await t.cinder.volumes.list()).length, gigabytes: 1000 });
      await t.cinder.volumes.create({ size: 1, name: 'last-one' });
      const over = await t.raw('POST', '/volumes', { body: { volume: { size: 1 } } });
      assert.equal(over.status, 413);
      assert.match(over.body.overLimit.message, /VolumeLimitExceeded/);
      const usage = await t.raw('GET', `/os-quota-sets/${project}?usage=True`);
      assert.equal(usage.body.quota_set.volumes.in_use, (await t.cinder.volumes.list()).length);
      assert.equal(typeof usage.body.quota_set.gigabytes.limit, 'number');
      await t.cinder.quotas.reset(project);
      assert.equal((await t.cinder.quotas.get(project))['volumes'], 10);
      const big = await t.raw('POST', '/volumes', { body: { volume: { size: 5000 } } });
      assert.equal(big.status, 413);
      assert.match(big.body.overLimit.message, /gigabytes/);
    });
  });
}

describe('Cinder v3 microversions and the error knob (modern:neutron)', () => {
  let t: CinderTest;
  before(async () => {
    t = await cinderCloud('modern:neutron', '3', { volumeErrorRate: 1 });
  });
  after(() => t.close());

  it('negotiates OpenStack-API-Version (latest, 406 out of range, 400 malformed) and renders the fields of the version', async () => {
    const created = await t.raw('POST', '/volumes', { body: { volume: { size: 1, name: 'mv' } } });
    const id = created.body.volume.id;
    const latest = await t.raw('GET', `/volumes/${id}`, { headers: { 'OpenStack-API-Version': 'volume latest' } });
    assert.equal(latest.headers.get('openstack-api-version'), 'volume 3.70');
    assert.equal(latest.headers.get('vary'), 'OpenStack-API-Version');
    for (const k of ['group_id', 'provider_id', 'shared_targets', 'service_uuid', 'cluster_name', 'volume_type_id', 'consumes_quota']) assert.ok(k in latest.body.volume, k);
    const base = await t.raw('GET', `/volumes/${id}`);
    assert.equal('volume_type_id' in base.body.volume, false);
    const far = await t.raw('GET', '/volumes', { headers: { 'OpenStack-API-Version': 'volume 3.99' } });
    assert.equal(far.status, 406);
    assert.equal(far.headers.get('openstack-api-version'), 'volume 3.99');
    assert.equal((await t.raw('GET', '/volumes', { headers: { 'OpenStack-API-Version': 'volume 3.x' } })).status, 400);
  });

  it('volumeErrorRate 1: every create ends in error', async () => {
    const v = await t.cinder.volumes.create({ size: 1, name: 'doomed' });
    await t.cloud.settle();
    assert.equal((await t.cinder.volumes.get(v.id)).status, 'error');
    await t.cinder.volumes.delete(v.id);
    await t.cloud.settle();
    await assert.rejects(t.cinder.volumes.get(v.id), (e) => isCloudHttpError(e, 404));
  });
});
