import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CINDER_APIS, cinderCloud, tenant, type CinderTest } from './helpers.js';

const SERVER = '0c6a7b1e-5d1f-4a55-9f3e-1d2c3b4a5e6f';

for (const [label, version] of CINDER_APIS) {
  const v3 = version === '3';
  describe(`Cinder v${version} actions (${label})`, () => {
    let t: CinderTest;
    let volumeId = '';
    const act = (body: unknown, token?: string) => t.raw('POST', `/volumes/${volumeId}/action`, { body, ...(token ? { token } : {}) });
    const status = async () => (await t.cinder.volumes.get(volumeId)).status;
    before(async () => {
      t = await cinderCloud(label, version);
      volumeId = (await t.cinder.volumes.create({ size: 1, name: 'acted' })).id;
      await t.cloud.settle();
    });
    after(() => t.close());

    it("walks Nova's attach sequence: reserve, attach, begin_detaching, roll back, detach", async () => {
      assert.equal((await act({ 'os-reserve': {} })).status, 202);
      assert.equal(await status(), 'attaching');
      assert.equal((await act({ 'os-reserve': {} })).status, 400, 'only an available volume is reserved');
      assert.equal((await act({ 'os-attach': { instance_uuid: SERVER, mountpoint: '/dev/vdc', host_name: 'h1' } })).status, 202);
      const v = await t.cinder.volumes.get(volumeId);
      assert.equal(v.status, 'in-use');
      assert.equal(v.attachments[0]?.serverId, SERVER);
      assert.equal(v.attachments[0]?.device, '/dev/vdc');
      const raw = (await t.raw('GET', `/volumes/${volumeId}`)).body.volume.attachments[0];
      assert.equal(raw.id, volumeId);
      assert.equal('attachment_id' in raw, v3);
      assert.equal((await act({ 'os-begin_detaching': {} })).status, 202);
      assert.equal(await status(), 'detaching');
      await act({ 'os-roll_detaching': {} });
      assert.equal(await status(), 'in-use');
      await act({ 'os-detach': {} });
      const after = await t.cinder.volumes.get(volumeId);
      assert.deepEqual([after.status, after.attachments], ['available', []]);
      const conn = await act({ 'os-initialize_connection': { connector: { host: 'h1' } } });
      assert.equal(conn.body.connection_info.driver_volume_type, 'iscsi');
    });

    it('extends (bigger only), resets status as admin only, sets bootable (Juno+), refuses unknown actions', async () => {
      assert.equal((await act({ 'os-extend': { new_size: 1 } })).status, 400);
      await t.cinder.volumes.extend(volumeId, 3);
      await t.cloud.settle();
      assert.equal((await t.cinder.volumes.get(volumeId)).size, 3);
      const member = await tenant(t, `act-${label.split(':')[0]}`);
      assert.equal((await act({ 'os-reset_status': { status: 'error' } }, member.token)).status, 404, "another project's volume is not found");
      await t.cinder.volumes.resetStatus(volumeId, 'error');
      assert.equal(await status(), 'error');
      assert.equal((await act({ 'os-reset_status': { status: 'bogus' } })).status, 400);
      await t.cinder.volumes.resetStatus(volumeId, 'available', 'detached');
      const boot = await act({ 'os-set_bootable': { bootable: true } });
      if (label.startsWith('juno') || v3) {
        assert.equal(boot.status, 200);
        assert.equal((await t.cinder.volumes.get(volumeId)).bootable, true);
      } else {
        assert.equal(boot.status, 400, 'os-set_bootable is Juno+');
        assert.match(boot.body.badRequest.message, /There is no such action: os-set_bootable/);
      }
      const unknown = await act({ 'os-bogus': {} });
      assert.equal(unknown.status, 400);
      await member.cloud.close();
    });

    it('snapshots: lifecycle, names per version, extended attributes, filters, metadata, delete -> 404', async () => {
      const v1 = version === '1';
      const r = await t.raw('POST', '/snapshots', { body: { snapshot: { volume_id: volumeId, [v1 ? 'display_name' : 'name']: 'snap', force: 'false', metadata: { s: '1' } } } });
      assert.equal(r.status, v1 ? 200 : 202);
      assert.equal(r.body.snapshot.status, 'creating');
      assert.equal(r.body.snapshot[v1 ? 'display_name' : 'name'], 'snap');
      await t.cloud.settle();
      const id = r.body.snapshot.id as string;
      const show = (await t.raw('GET', `/snapshots/${id}`)).body.snapshot;
      assert.equal(show['os-extended-snapshot-attributes:project_id'], t.cloud.admin.projectId);
      assert.equal(show['os-extended-snapshot-attributes:progress'], '100%');
      assert.deepEqual((await t.cinder.snapshots.list({ volumeId })).map((s) => s.id), [id]);
      const meta = await t.raw('POST', `/snapshots/${id}/metadata`, { body: { metadata: { t: '2' } } });
      assert.deepEqual(meta.body.metadata, { s: '1', t: '2' });
      assert.equal((await t.raw('POST', '/snapshots', { body: { snapshot: { volume_id: SERVER } } })).status, 404);
      await t.cinder.snapshots.delete(id);
      await t.cloud.settle();
      const gone = await t.raw('GET', `/snapshots/${id}`);
      assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: `Snapshot ${id} could not be found.` } });
    });

    it('types: create (200), duplicate (409 conflictingRequest), extra specs, access for private ones (Kilo+), delete (202) unless in use', async () => {
      const created = await t.raw('POST', '/types', { body: { volume_type: { name: 'gold', description: 'fast', 'os-volume-type-access:is_public': false, extra_specs: { tier: '1' } } } });
      assert.equal(created.status, 200);
      const type = created.body.volume_type;
      assert.deepEqual(type.extra_specs, { tier: '1' });
      assert.equal('is_public' in type, v3, 'is_public and description are Kilo+');
      const dup = await t.raw('POST', '/types', { body: { volume_type: { name: 'gold' } } });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.conflictingRequest.code, 409);
      await t.cinder.types.setExtraSpecs(type.id, { speed: 'high' });
      assert.deepEqual((await t.raw('GET', `/types/${type.id}/extra_specs`)).body.extra_specs, { tier: '1', speed: 'high' });
      assert.equal((await t.raw('DELETE', `/types/${type.id}/extra_specs/speed`)).status, 202);
      const listed = (await t.raw('GET', '/types')).body.volume_types.map((x: { name: string }) => x.name);
      assert.equal(listed.includes('gold'), !v3, 'Kilo+ lists public types unless is_public=None');
      assert.ok((await t.cinder.types.list()).some((x) => x.name === 'gold'));
      if (v3) {
        const member = await tenant(t, 'typed');
        assert.equal((await t.raw('POST', `/types/${type.id}/action`, { body: { addProjectAccess: { project: member.projectId } } })).status, 202);
        assert.deepEqual((await t.raw('GET', `/types/${type.id}/os-volume-type-access`)).body.volume_type_access, [{ volume_type_id: type.id, project_id: member.projectId }]);
        assert.ok((await t.raw('GET', '/types', { token: member.token })).body.volume_types.some((x: { id: string }) => x.id === type.id));
        await member.cloud.close();
      }
      const used = await t.cinder.volumes.create({ size: 1, name: 'typed', volumeType: 'gold' });
      await t.cloud.settle();
      assert.equal((await t.cinder.volumes.get(used.id)).volumeType, 'gold');
      assert.equal((await t.raw('DELETE', `/types/${type.id}`)).status, 400, 'in use');
      await t.cinder.volumes.delete(used.id);
      await t.cloud.settle();
      assert.equal((await t.raw('DELETE', `/types/${type.id}`)).status, 202);
      assert.equal((await t.raw('GET', `/types/${type.id}`)).status, 404);
      assert.equal((await t.raw('POST', '/volumes', { body: { volume: { size: 1, volume_type: 'gold' } } })).status, 404);
    });

    it('quota keys per release, defaults, bad keys (400); limits; zones; services; the version document', async () => {
      const project = t.cloud.admin.projectId;
      const defaults = (await t.raw('GET', `/os-quota-sets/${project}/defaults`)).body.quota_set;
      const keys = Object.keys(defaults).filter((k) => !k.includes('_') || k === 'backup_gigabytes' || k === 'per_volume_gigabytes').sort();
      const want = label.startsWith('havana') || label.startsWith('icehouse')
        ? ['gigabytes', 'id', 'snapshots', 'volumes']
        : label.startsWith('juno')
          ? ['backup_gigabytes', 'backups', 'consistencygroups', 'gigabytes', 'id', 'snapshots', 'volumes']
          : ['backup_gigabytes', 'backups', 'gigabytes', 'groups', 'id', 'per_volume_gigabytes', 'snapshots', 'volumes'];
      assert.deepEqual(keys, want);
      assert.equal(defaults[`volumes_${v3 ? '__DEFAULT__' : 'default'}`], -1);
      assert.equal((await t.raw('PUT', `/os-quota-sets/${project}`, { body: { quota_set: { bogus: 1 } } })).status, 400);
      const limits = (await t.raw('GET', '/limits')).body.limits;
      assert.deepEqual(limits.rate, []);
      assert.equal(limits.absolute.maxTotalVolumes, 10);
      assert.deepEqual((await t.raw('GET', '/os-availability-zone')).body.availabilityZoneInfo, [{ zoneName: 'nova', zoneState: { available: true } }]);
      const services = (await t.raw('GET', '/os-services?binary=cinder-volume')).body.services;
      assert.deepEqual(services.map((s: { binary: string; state: string }) => [s.binary, s.state]), [['cinder-volume', 'up']]);
      const doc = await fetch(`${t.cloud.url}/volume/`);
      assert.equal(doc.status, 300);
      const ids = ((await doc.json()) as { versions: Array<{ id: string }> }).versions.map((v) => v.id);
      assert.deepEqual(ids, v3 ? ['v3.0'] : ['v1.0', 'v2.0']);
    });
  });
}
