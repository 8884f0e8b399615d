import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { call, loginV3 } from '../../helpers.js';
import { bootActive, novaCloud, tenant, type NovaTest } from './helpers.js';

for (const label of ['icehouse:nova-network:flatdhcp', 'modern:neutron']) {
  describe(`compute server lists: ${label}`, () => {
    let t: NovaTest;
    const mine: string[] = [];
    const theirs: string[] = [];
    let projectId = '';
    before(async () => {
      t = await novaCloud(label);
      for (let i = 0; i < 5; i++) mine.push(await bootActive(t, t.nova, `admin-vm-${i}`));
      const other = await tenant(t, 'acme');
      projectId = other.projectId;
      for (let i = 0; i < 2; i++) {
        // The tenant has no Neutron network: its servers boot without a NIC.
        const { id } = await other.nova.servers.create({ name: `acme-vm-${i}`, flavorId: '1', imageId: t.image.id });
        theirs.push(id);
      }
      t.cloud.flush();
    });
    after(() => t.close());

    it('pages newest first with limit/marker and a next link while pages are full; the client walks them all', async () => {
      const seen: string[] = [];
      let url: string | undefined = `${t.computeUrl}/servers/detail?all_tenants=1&limit=3`;
      let pages = 0;
      while (url) {
        const r = await call('GET', url, { token: t.token });
        assert.equal(r.status, 200);
        pages++;
        seen.push(...r.body.servers.map((s: any) => s.id));
        const next = r.body.servers_links?.find((l: any) => l.rel === 'next')?.href;
        if (r.body.servers.length === 3) assert.ok(next, 'a full page has a next link');
        else assert.equal(next, undefined);
        url = next;
      }
      assert.equal(pages, 3);
      assert.deepEqual(new Set(seen), new Set([...mine, ...theirs]));
      assert.equal(seen.length, 7, 'no server twice');
      const all = await t.nova.servers.list({ allTenants: true });
      assert.deepEqual(all.map((s) => s.id), seen, 'the client sees the same order');
    });

    it('an unknown marker is a 400 in Nova fault style', async () => {
      const r = await call('GET', `${t.computeUrl}/servers/detail?marker=nope`, { token: t.token });
      assert.deepEqual(r.body, { badRequest: { code: 400, message: 'marker [nope] not found' } });
    });

    it('lists the token project only unless all_tenants; tenant_id, host, name and status filters', async () => {
      assert.deepEqual(new Set((await t.nova.servers.list()).map((s) => s.id)), new Set(mine));
      assert.deepEqual(new Set((await t.nova.servers.list({ allTenants: true, projectId })).map((s) => s.id)), new Set(theirs));
      const one = await t.nova.servers.get(mine[0]!);
      const onHost = await t.nova.servers.list({ allTenants: true, host: one.host! });
      assert.ok(onHost.length > 0 && onHost.every((s) => s.host === one.host));
      assert.deepEqual((await t.nova.servers.list({ name: '^admin-vm-3$' })).map((s) => s.id), [mine[3]]);
      await t.nova.servers.stop(mine[1]!);
      t.cloud.flush();
      assert.deepEqual((await t.nova.servers.list({ status: 'SHUTOFF' })).map((s) => s.id), [mine[1]]);
      assert.equal((await t.nova.servers.list({ status: 'ACTIVE' })).length, 4);
    });

    it("a member sees only its project's servers, all_tenants or not; admin-only fields stay hidden", async () => {
      const other = await tenant(t, 'other');
      assert.deepEqual(await other.nova.servers.list(), []);
      const token = (await loginV3(t.cloud, 'other-user', 'secret', 'other')).id;
      const r = await call('GET', `${t.computeUrl.replace(t.cloud.admin.projectId, other.projectId)}/servers/detail?all_tenants=1`, { token });
      if (t.cloud.profile.novaMaxMicroversion) assert.equal(r.status, 403);
      else assert.deepEqual(r.body.servers, []);
      await expectHttpError(other.nova.servers.get(mine[0]!), { status: 404, service: 'compute', cloud: 'other', faultType: 'itemNotFound' });
    });

    it('changes-since also lists deleted servers (status DELETED)', async () => {
      const since = new Date(Date.now() - 60_000).toISOString();
      await t.nova.servers.delete(mine[4]!);
      t.cloud.flush();
      const r = await call('GET', `${t.computeUrl}/servers/detail?changes-since=${encodeURIComponent(since)}`, { token: t.token });
      const gone = r.body.servers.find((s: any) => s.id === mine[4]);
      assert.equal(gone?.status, 'DELETED');
      const plain = await t.nova.servers.list();
      assert.ok(!plain.some((s) => s.id === mine[4]));
      const r2 = await call('GET', `${t.computeUrl}/servers?marker=${mine[4]}`, { token: t.token });
      assert.equal(r2.status, 200, 'a deleted server still works as a marker');
    });
  });
}
