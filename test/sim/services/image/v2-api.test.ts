import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isCloudHttpError } from '../../../../src/openstack/index.js';
import { glanceCloud, tenant, type GlanceTest } from './helpers.js';

const PATCH = { 'Content-Type': 'application/openstack-images-v2.1-json-patch' };

for (const label of ['icehouse:neutron', 'modern:neutron']) {
  const modern = label.startsWith('modern');
  describe(`Glance v2 API (${label})`, () => {
    let t: GlanceTest;
    before(async () => {
      t = await glanceCloud(label);
    });
    after(() => t.close());

    it(`creates with a chosen id, custom properties at the top level and the release's default visibility (${modern ? 'shared' : 'private'})`, async () => {
      const id = '0c6a7b1e-5d1f-4a55-9f3e-1d2c3b4a5e6f';
      const r = await t.raw('POST', '/v2/images', { body: { id, name: 'chosen', disk_format: 'qcow2', container_format: 'bare', min_disk: 2, os_distro: 'cirros' } });
      assert.equal(r.status, 201);
      assert.equal(r.headers.get('location'), `${t.base}/v2/images/${id}`);
      assert.equal(r.body.id, id);
      assert.equal(r.body.os_distro, 'cirros');
      assert.equal(r.body.visibility, modern ? 'shared' : 'private');
      assert.equal(r.body.owner, t.cloud.admin.projectId);
      assert.equal(r.body.self, `/v2/images/${id}`);
      // Zed shows nulls; Havana-Juno's schema filter leaves them out.
      assert.equal('checksum' in r.body, modern);
      assert.equal((await t.raw('POST', '/v2/images', { body: { id, name: 'again' } })).status, 409);
      assert.equal((await t.raw('POST', '/v2/images', { body: { name: 'x', size: 3 } })).status, 403);
      assert.equal((await t.raw('POST', '/v2/images', { body: { name: 'x', disk_format: 'floppy' } })).status, 400);
      assert.equal((await t.raw('POST', '/v2/images', { body: { name: 'x', custom: 5 } })).status, 400);
      const vis = await t.raw('POST', '/v2/images', { body: { name: 'x', visibility: 'community' } });
      assert.equal(vis.status, modern ? 201 : 400);
    });

    it(modern ? 'lets an admin set owner on create; a member naming another owner gets 403' : 'refuses owner on create and update with 403 (a reserved attribute before Kilo)', async () => {
      const other = await tenant(t, `owner-${label.split(':')[0]}`);
      const r = await t.raw('POST', '/v2/images', { body: { name: 'owned', owner: other.projectId } });
      if (!modern) {
        assert.equal(r.status, 403);
        assert.match(r.text, /Attribute 'owner' is reserved/);
        const mine = await t.v2.create({ name: 'mine', diskFormat: 'raw', containerFormat: 'bare' });
        const p = await t.raw('PATCH', `/v2/images/${mine.id}`, { headers: PATCH, body: [{ op: 'replace', path: '/owner', value: other.projectId }] });
        assert.equal(p.status, 403);
        return;
      }
      assert.equal(r.status, 201);
      assert.equal(r.body.owner, other.projectId);
      const refused = await t.raw('POST', '/v2/images', { token: other.token, body: { name: 'theirs', owner: t.cloud.admin.projectId } });
      assert.equal(refused.status, 403);
      await other.cloud.close();
    });

    it('applies JSON-patch add/replace/remove; read-only 403, missing property 409, wrong type 400, wrong media type 415', async () => {
      const img = await t.v2.create({ name: 'patchy', diskFormat: 'raw', containerFormat: 'bare', properties: { keep: 'k', drop: 'd' } });
      const ok = await t.raw('PATCH', `/v2/images/${img.id}`, {
        headers: PATCH,
        body: [
          { op: 'replace', path: '/name', value: 'patched' },
          { op: 'add', path: '/min_ram', value: 128 },
          { op: 'add', path: '/new', value: 'n' },
          { op: 'replace', path: '/keep', value: 'K' },
          { op: 'remove', path: '/drop' },
          { op: 'add', path: '/a~1b', value: 'slash' },
        ],
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.name, 'patched');
      assert.equal(ok.body.min_ram, 128);
      assert.equal(ok.body.new, 'n');
      assert.equal(ok.body.keep, 'K');
      assert.equal(ok.body.drop, undefined);
      assert.equal(ok.body['a/b'], 'slash');
      const v20 = await t.raw('PATCH', `/v2/images/${img.id}`, { headers: { 'Content-Type': 'application/openstack-images-v2.0-json-patch' }, body: [{ replace: '/name', value: 'old-style' }] });
      assert.equal(v20.body.name, 'old-style');
      const cases: Array<[unknown, number]> = [
        [[{ op: 'replace', path: '/status', value: 'active' }], 403],
        [[{ op: 'replace', path: '/checksum', value: 'x' }], 403],
        [[{ op: 'replace', path: '/absent', value: 'x' }], 409],
        [[{ op: 'remove', path: '/absent' }], 409],
        [[{ op: 'add', path: '/min_ram', value: 'lots' }], 400],
        [[{ op: 'add', path: '/num', value: 5 }], 400],
        [[{ op: 'move', path: '/name' }], 400],
      ];
      for (const [body, status] of cases) assert.equal((await t.raw('PATCH', `/v2/images/${img.id}`, { headers: PATCH, body })).status, status, JSON.stringify(body));
      const wrong = await t.raw('PATCH', `/v2/images/${img.id}`, { body: [{ op: 'replace', path: '/name', value: 'x' }] });
      assert.equal(wrong.status, 415);
      assert.match(wrong.headers.get('accept-patch') ?? '', /openstack-images-v2\.1-json-patch/);
      // All or nothing: the failed patches changed nothing.
      assert.equal((await t.v2.get(img.id)).name, 'old-style');
    });

    it('pages with limit/marker: `first`, `schema`, and `next` while pages are full; an unknown marker is a 400', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await t.v2.create({ name: `page-${i}`, diskFormat: 'raw', containerFormat: 'bare', properties: { paged: 'yes' } })).id);
      const seen: string[] = [];
      let query = '?limit=2&paged=yes';
      let pages = 0;
      for (;;) {
        const r = await t.raw('GET', `/v2/images${query}`);
        assert.equal(r.status, 200);
        assert.equal(r.body.schema, '/v2/schemas/images');
        assert.equal(r.body.first, '/v2/images?limit=2&paged=yes');
        seen.push(...r.body.images.map((i: { id: string }) => i.id));
        pages++;
        if (!r.body.next) break;
        assert.match(r.body.next, /^\/v2\/images\?limit=2&paged=yes&marker=/);
        query = r.body.next.slice('/v2/images'.length);
      }
      assert.equal(pages, 3);
      // Newest first; images of the same second (Glance keeps whole seconds) by id, descending.
      const recs = ids.map((id) => t.cloud.store.images.get(id)!);
      recs.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
      assert.deepEqual(seen, recs.map((r) => r.id), 'sorted, each once');
      const client = await t.v2.list({ name: 'page-3' });
      assert.deepEqual(client.map((i) => i.id), [ids[3]]);
      const bad = await t.raw('GET', '/v2/images?marker=6b1f3c1e-0000-4000-8000-000000000000');
      assert.equal(bad.status, 400);
      const asc = await t.raw('GET', '/v2/images?paged=yes&sort_key=name&sort_dir=asc');
      assert.deepEqual(asc.body.images.map((i: { name: string }) => i.name), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    });

    it('lists by owner, status, tag; a member sees a shared image only once it accepted', async () => {
      const other = await tenant(t, `share-${label.split(':')[0]}`);
      const img = await t.v2.create({ name: 'to-share', diskFormat: 'raw', containerFormat: 'bare', visibility: 'private' });
      assert.equal((await t.raw('PUT', `/v2/images/${img.id}/tags/blue`)).status, 204);
      assert.deepEqual((await t.raw('GET', '/v2/images?tag=blue')).body.images.map((i: { id: string }) => i.id), [img.id]);
      assert.deepEqual((await t.v2.list({ owner: t.cloud.admin.projectId, status: 'queued', name: 'to-share' })).map((i) => i.id), [img.id]);
      const privateAdd = await t.raw('POST', `/v2/images/${img.id}/members`, { body: { member: other.projectId } });
      // Zed: only `shared` images have members; Havana-Juno share private ones.
      assert.equal(privateAdd.status, modern ? 403 : 200);
      if (modern) await t.v2.update(img.id, { visibility: 'shared' });
      await other.cloud.image.get(img.id).catch(() => undefined);
      if (modern) await t.v2.addMember(img.id, other.projectId);
      assert.equal((await t.raw('POST', `/v2/images/${img.id}/members`, { body: { member: other.projectId } })).status, 409);
      assert.ok(!(await other.cloud.image.list()).some((i) => i.id === img.id), 'pending: not listed');
      assert.equal((await other.cloud.image.get(img.id)).id, img.id, 'but readable by id');
      assert.ok((await t.raw('GET', '/v2/images?member_status=pending', { token: other.token })).body.images.some((i: { id: string }) => i.id === img.id));
      const accepted = await t.raw('PUT', `/v2/images/${img.id}/members/${other.projectId}`, { token: other.token, body: { status: 'accepted' } });
      assert.equal(accepted.status, 200, 'the member sets its status');
      assert.ok((await other.cloud.image.list()).some((i) => i.id === img.id), 'accepted: listed');
      const members = await t.v2.listMembers(img.id);
      assert.deepEqual(members.map((m) => [m.memberId, m.status]), [[other.projectId, 'accepted']]);
      await t.v2.removeMember(img.id, other.projectId);
      await assert.rejects(other.cloud.image.get(img.id), (e) => isCloudHttpError(e, 404));
      await other.cloud.close();
    });

    it(modern ? 'errors are webob JSON for JSON clients, HTML otherwise; the 401 carries no fault name' : 'errors are webob plain text for JSON clients (legacy webob has no JSON pages)', async () => {
      const id = '6b1f3c1e-0000-4000-8000-00000000dead';
      const r = await t.raw('GET', `/v2/images/${id}`);
      assert.equal(r.status, 404);
      if (modern) {
        assert.match(r.headers.get('content-type') ?? '', /application\/json/);
        assert.deepEqual(Object.keys(r.body).sort(), ['code', 'message', 'title']);
        assert.equal(r.body.code, '404 Not Found');
        assert.match(r.body.message, new RegExp(`No image found with ID ${id}`));
        const html = await t.raw('GET', `/v2/images/${id}`, { headers: { Accept: '*/*' } });
        assert.match(html.headers.get('content-type') ?? '', /text\/html/);
        assert.match(html.text, /<h1>404 Not Found<\/h1>/);
      } else {
        assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
        assert.equal(r.body, undefined);
        assert.match(r.text, new RegExp(`^404 Not Found\\n\\nNo image found with ID ${id}`));
      }
      const unauth = await t.raw('GET', '/v2/images', { token: 'not-a-token' });
      assert.equal(unauth.status, 401);
      assert.match(unauth.headers.get('www-authenticate') ?? '', /^Keystone uri=/);
      if (modern) assert.equal(unauth.body.code, '401 Unauthorized');
      else assert.equal(unauth.text, 'Authentication required');
      await assert.rejects(t.v2.get(id), (e) => isCloudHttpError(e, 404) && e.service === 'image' && e.path.includes(id));
    });
  });
}

