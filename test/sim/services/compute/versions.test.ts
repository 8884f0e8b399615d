import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../../helpers.js';
import { novaCloud } from './helpers.js';

describe('compute versions and microversions', () => {
  it('legacy (Havana): the root lists v2.0 CURRENT without a microversion range; no version headers; the client sees no microversions', async () => {
    const t = await novaCloud('havana:nova-network:flatdhcp');
    try {
      const root = await call('GET', `${t.cloud.url}/compute/`);
      assert.equal(root.status, 200);
      assert.deepEqual(root.body.versions.map((v: any) => [v.id, v.status, 'version' in v]), [['v2.0', 'CURRENT', false]]);
      const v2 = await call('GET', `${t.cloud.url}/compute/v2/`);
      assert.equal(v2.body.version.id, 'v2.0');
      const list = await call('GET', `${t.cloud.url}/compute/v2/${t.cloud.admin.projectId}/servers`, { token: t.token, headers: { 'X-OpenStack-Nova-API-Version': '2.53' } });
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('x-openstack-nova-api-version'), null);
      assert.equal(list.headers.get('vary'), null);
      assert.match(list.headers.get('x-compute-request-id') ?? '', /^req-/);
      assert.equal(t.nova.maxMicroversion, undefined);
    } finally {
      await t.close();
    }
  });

  it("Juno: v2.0 CURRENT and an experimental v2.1 (with the tenant in the URL) that has no microversions", async () => {
    const t = await novaCloud('juno:nova-network:flatdhcp');
    try {
      const root = await call('GET', `${t.cloud.url}/compute/`);
      assert.deepEqual(root.body.versions.map((v: any) => [v.id, v.status]), [['v2.0', 'CURRENT'], ['v2.1', 'EXPERIMENTAL']]);
      const v21 = await call('GET', `${t.cloud.url}/compute/v2.1/`);
      assert.equal(v21.body.version.version, undefined);
      const list = await call('GET', `${t.cloud.url}/compute/v2.1/${t.cloud.admin.projectId}/flavors`, { token: t.token });
      assert.equal(list.status, 200);
      assert.equal(list.body.flavors.length, 5);
      assert.equal(t.nova.maxMicroversion, undefined);
    } finally {
      await t.close();
    }
  });

  it('modern: 2.1 to 2.93, both request headers, echoed with Vary; latest; 406 out of range; 400 malformed', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      assert.equal(t.nova.maxMicroversion, '2.93');
      const doc = await call('GET', `${t.cloud.url}/compute/v2.1`);
      assert.deepEqual([doc.body.version.version, doc.body.version.min_version, doc.body.version.status], ['2.93', '2.1', 'CURRENT']);
      assert.equal(doc.headers.get('openstack-api-version'), 'compute 2.1');
      const base = `${t.cloud.url}/compute/v2.1/servers`;
      const token = t.token;
      const none = await call('GET', base, { token });
      assert.equal(none.headers.get('x-openstack-nova-api-version'), '2.1');
      assert.equal(none.headers.get('vary'), 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
      const std = await call('GET', base, { token, headers: { 'OpenStack-API-Version': 'volume 3.5, compute 2.53' } });
      assert.equal(std.headers.get('openstack-api-version'), 'compute 2.53');
      const old = await call('GET', base, { token, headers: { 'X-OpenStack-Nova-API-Version': '2.10' } });
      assert.equal(old.headers.get('x-openstack-nova-api-version'), '2.10');
      const latest = await call('GET', base, { token, headers: { 'OpenStack-API-Version': 'compute latest' } });
      assert.equal(latest.headers.get('openstack-api-version'), 'compute 2.93');
      const tooNew = await call('GET', base, { token, headers: { 'OpenStack-API-Version': 'compute 2.100' } });
      assert.equal(tooNew.status, 406);
      assert.deepEqual(tooNew.body, { computeFault: { code: 406, message: 'Version 2.100 is not supported by the API. Minimum is 2.1 and maximum is 2.93.' } });
      assert.equal(tooNew.headers.get('openstack-api-version'), 'compute 2.100');
      const bad = await call('GET', base, { token, headers: { 'OpenStack-API-Version': 'compute abc' } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.badRequest.message, 'API Version String abc is of invalid format. Must be of format MajorNum.MinorNum.');
      const missing = await call('GET', `${base}/${'0'.repeat(8)}-0000-0000-0000-000000000000`, { token, headers: { 'X-OpenStack-Nova-API-Version': '2.60' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('x-openstack-nova-api-version'), '2.60', 'errors carry the version headers too');
    } finally {
      await t.close();
    }
  });
});
