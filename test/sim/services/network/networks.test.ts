import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openCloud } from '../../../../src/openstack/index.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { call } from '../../helpers.js';
import { cloudOf } from '../../helpers.js';
import { member, neutronCloud, NEUTRON_PROFILES } from './helpers.js';

describe('simulated Neutron: presence and extensions', () => {
  it('nova-network profiles have no Neutron: no catalog entry, /network answers a plain 404, openCloud picks nova-network', async () => {
    const cloud = await cloudOf('juno:nova-network:vlan');
    try {
      assert.ok(!cloud.services().includes('network'));
      const oc = await openCloud({ authUrl: cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' }, { name: 'nn' });
      assert.equal(oc.capabilities.network, 'nova-network');
      assert.equal(oc.network, undefined);
      await oc.close();
      assert.equal((await call('GET', `${cloud.url}/network/`)).status, 404);
    } finally {
      await cloud.close();
    }
  });

  const expected = {
    'havana:neutron': { count: 14, dvr: false, tags: false, fipAddress: false },
    'icehouse:neutron': { count: 14, dvr: false, tags: false, fipAddress: false },
    'juno:neutron': { count: 16, dvr: true, tags: false, fipAddress: false },
    'modern:neutron': { count: 70, dvr: true, tags: true, fipAddress: true },
  } as const;
  for (const label of NEUTRON_PROFILES) {
    it(`${label}: version document, release-appropriate extensions (router, external-net, security-group, quotas, binding; dvr/l3-ha Juno+, standard-attr-tag modern)`, async () => {
      const t = await neutronCloud(label);
      try {
        const e = expected[label];
        const root = await call('GET', `${t.cloud.url}/network/`);
        assert.equal(root.status, 200);
        assert.deepEqual(root.body.versions.map((v: { id: string; status: string }) => [v.id, v.status]), [['v2.0', 'CURRENT']]);
        const ext = t.neutron.extensions;
        assert.equal(ext.size, e.count);
        for (const a of ['router', 'external-net', 'security-group', 'quotas', 'binding', 'ext-gw-mode', 'provider', 'extraroute', 'allowed-address-pairs']) assert.ok(ext.has(a), a);
        assert.equal(ext.has('dvr') && ext.has('l3-ha'), e.dvr);
        assert.equal(ext.has('standard-attr-tag'), e.tags);
        assert.equal(t.admin.capabilities.networkTags, e.tags);
        assert.equal(ext.has('pagination'), e.tags, 'pagination is announced where it is on');
        const one = await t.raw('GET', '/extensions/router');
        assert.equal(one.body.extension.alias, 'router');
        const raw = await t.raw('GET', '/extensions');
        assert.deepEqual(Object.keys(raw.body.extensions[0]).sort(), e.tags ? ['alias', 'description', 'links', 'name', 'updated'] : ['alias', 'description', 'links', 'name', 'namespace', 'updated']);
        void e.fipAddress;
      } finally {
        await t.close();
      }
    });
  }
});

describe('simulated Neutron: networks', () => {
  for (const label of NEUTRON_PROFILES) {
    it(`${label}: create (provider attributes for the admin only), filters, update, NetworkInUse, delete takes subnets and DHCP port along`, async () => {
      const t = await neutronCloud(label);
      const modern = label.startsWith('modern');
      try {
        const n = await t.neutron.networks.create({ name: 'blue' });
        assert.equal(n.tenantId, t.cloud.admin.projectId);
        assert.equal(n.status, 'ACTIVE');
        assert.equal(n.networkType, modern ? 'vxlan' : 'gre');
        assert.equal(typeof n.segmentationId, 'number');
        assert.equal(n.mtu, modern ? 1450 : null, 'mtu (net-mtu) is Kilo+');
        const raw = (await t.raw('GET', `/networks/${n.id}`)).body.network;
        assert.equal('project_id' in raw, modern);
        assert.equal('description' in raw, modern);
        assert.equal('revision_number' in raw, modern);
        const shared = await t.neutron.networks.create({ name: 'shared', shared: true, networkType: 'vlan', physicalNetwork: 'physnet2', segmentationId: 101 });
        assert.deepEqual([shared.shared, shared.networkType, shared.physicalNetwork, shared.segmentationId], [true, 'vlan', 'physnet2', 101]);
        await expectHttpError(t.neutron.networks.create({ name: 'dup', networkType: 'vlan', physicalNetwork: 'physnet2', segmentationId: 101 }), { status: 409, service: 'network', cloud: label, faultType: 'VlanIdInUse' });

        // filters: name, shared, router:external, tenant_id (repeat = OR)
        assert.deepEqual((await t.neutron.networks.list({ name: 'blue' })).map((x) => x.id), [n.id]);
        assert.deepEqual((await t.neutron.networks.list({ shared: true })).map((x) => x.id), [shared.id]);
        assert.deepEqual((await t.neutron.networks.list({ 'router:external': true })).map((x) => x.name), ['public']);
        assert.equal((await t.neutron.networks.list({ tenant_id: t.cloud.admin.projectId })).length, 3);
        assert.equal((await t.raw('GET', '/networks?name=blue&name=shared')).body.networks.length, 2);
        assert.deepEqual((await t.raw('GET', '/networks?name=blue&fields=id&fields=name')).body.networks, [{ id: n.id, name: 'blue' }]);
        // As Neutron: an unknown name is ignored, a comma is part of a name (no attribute is named `id,name`).
        assert.deepEqual((await t.raw('GET', '/networks?name=blue&fields=id&fields=no_such_attribute&fields=')).body.networks, [{ id: n.id }]);
        assert.deepEqual((await t.raw('GET', '/networks?name=blue&fields=id,name')).body.networks, [{}]);
        if (modern) assert.equal((await t.neutron.networks.list({ project_id: t.cloud.admin.projectId })).length, 3);

        // a member: sees its own, shared and external networks; no provider attributes; may not set them
        const m = await member(t, 'acme');
        const mine = await m.neutron.networks.create({ name: 'acme-net' });
        assert.equal(mine.tenantId, m.projectId);
        assert.equal(mine.networkType, null, 'provider:* is admin-only');
        assert.deepEqual((await m.neutron.networks.list()).map((x) => x.name).sort(), ['acme-net', 'public', 'shared']);
        await expectHttpError(m.neutron.networks.create({ name: 'x', networkType: 'flat', physicalNetwork: 'p' }), { status: 403, service: 'network', cloud: 'acme', faultType: 'PolicyNotAuthorized' });
        await expectHttpError(m.neutron.networks.create({ name: 'x', tenantId: t.cloud.admin.projectId }), { status: 400, service: 'network', cloud: 'acme' });
        await expectHttpError(m.neutron.networks.get(n.id), { status: 404, service: 'network', cloud: 'acme', pathIncludes: n.id, faultType: 'NetworkNotFound' });
        await expectHttpError(m.neutron.networks.update(shared.id, { name: 'mine' }), { status: 403, service: 'network', cloud: 'acme' });
        await m.cloud.close();

        // update; provider attributes cannot change; description only exists on modern
        assert.equal((await t.neutron.networks.update(n.id, { name: 'blue-2', adminStateUp: false })).adminStateUp, false);
        await expectHttpError(t.neutron.networks.update(n.id, { segmentationId: 7 }), { status: 400, service: 'network', cloud: label, faultType: 'InvalidInput' });
        const described = t.raw('POST', '/networks', { network: { name: 'd', description: 'x' } });
        if (modern) assert.equal((await described).status, 201);
        else assert.deepEqual((await described).body, { NeutronError: { type: 'HTTPBadRequest', message: "Unrecognized attribute(s) 'description'", detail: '' } });
        const ro = await t.raw('PUT', `/networks/${n.id}`, { network: { id: 'x' } });
        assert.equal(ro.body.NeutronError.message, 'Cannot update read-only attribute id');
        assert.equal((await t.raw('POST', '/networks', {})).body.NeutronError.message, "Unable to find 'network' in request body");

        // in use by a port: 409 NetworkInUse; the DHCP port does not count and goes with the network
        const s = await t.neutron.subnets.create({ networkId: n.id, cidr: '10.20.0.0/24' });
        const p = await t.neutron.ports.create({ networkId: n.id });
        const inUse = await expectHttpError(t.neutron.networks.delete(n.id), { status: 409, service: 'network', cloud: label, method: 'DELETE', faultType: 'NetworkInUse' });
        assert.match(inUse.cloudMessage, new RegExp(`Unable to complete operation on network ${n.id}`));
        assert.equal(inUse.cloudMessage.includes(p.id), modern, 'Zed names the ports');
        await t.neutron.ports.delete(p.id);
        assert.equal((await t.neutron.ports.list({ network_id: n.id })).map((x) => x.deviceOwner).join(), 'network:dhcp');
        await t.neutron.networks.delete(n.id);
        await expectHttpError(t.neutron.subnets.get(s.id), { status: 404, service: 'network', cloud: label, faultType: 'SubnetNotFound' });
        assert.deepEqual(await t.neutron.ports.list({ network_id: n.id }), []);
        await expectHttpError(t.neutron.networks.delete(n.id), { status: 404, service: 'network', cloud: label, faultType: 'NetworkNotFound' });
      } finally {
        await t.close();
      }
    });
  }

  it('error bodies are NeutronError {type, message, detail}; unknown paths and methods in the same shape; 401 per release', async () => {
    for (const label of ['icehouse:neutron', 'modern:neutron'] as const) {
      const t = await neutronCloud(label);
      try {
        const nf = await t.raw('GET', '/networks/nope');
        assert.deepEqual(nf.body, { NeutronError: { type: 'NetworkNotFound', message: 'Network nope could not be found.', detail: '' } });
        assert.match(nf.headers.get('x-openstack-request-id') ?? '', /^req-/);
        assert.equal((await t.raw('GET', '/nothing')).body.NeutronError.type, 'HTTPNotFound');
        assert.equal((await t.raw('PATCH', '/networks')).status, 405);
        const unauth = await call('GET', `${t.api}/networks`, { token: 'bogus' });
        assert.equal(unauth.status, 401);
        assert.match(unauth.headers.get('www-authenticate') ?? '', /^Keystone uri=/);
        if (label === 'modern:neutron') assert.equal(unauth.body.error.code, 401);
        else assert.equal(unauth.text, 'Authentication required');
      } finally {
        await t.close();
      }
    }
  });
});
