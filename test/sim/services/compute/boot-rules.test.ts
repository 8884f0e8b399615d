import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { newSshPublicKey } from '../../../contract/suite/ssh-key.js';
import { NovaNetworkClient } from '../../../../src/openstack/index.js';
import { tenantNetwork } from '../../../../src/sim/generator/network.js';
import { call } from '../../helpers.js';
import { bootActive, novaCloud, tenant } from './helpers.js';

for (const label of ['juno:nova-network:flatdhcp', 'icehouse:neutron', 'modern:neutron']) {
  describe(`compute boot rules: ${label}`, () => {
    it("looks security groups up in the TOKEN's project: the tenant's group is 'not found' with an admin-project token, found with a scoped one", async () => {
      const t = await novaCloud(label);
      try {
        const acme = await tenant(t, 'acme');
        // The tenant's own group, made inside the tenant.
        const nnAcme = new NovaNetworkClient(acme.asAdmin.api);
        await nnAcme.securityGroups.create('web', 'web servers');
        const net = t.cloud.profile.neutron ? tenantNetwork(t.cloud.store, acme.projectId, 'acme', 300) : undefined;
        const networks = net?.kind === 'neutron' ? [{ uuid: net.network.id }] : undefined;
        const input = { name: 'vm', flavorId: '1', imageId: t.image.id, securityGroups: ['web'], ...(networks ? { networks } : {}) };
        const e = await expectHttpError(t.nova.servers.create(input), { status: 400, service: 'compute', cloud: label, method: 'POST', faultType: 'badRequest' });
        assert.match(e.cloudMessage, /^Security group web not found/);
        const { id } = await acme.asAdmin.servers.create(input);
        t.cloud.flush();
        const s = await t.nova.servers.get(id);
        assert.equal(s.status, 'ACTIVE');
        assert.equal(s.tenantId, acme.projectId);
        assert.deepEqual(s.securityGroups, ['web']);
        const member = await acme.nova.servers.get(id);
        assert.equal(member.host, null, 'a member does not see the host');
      } finally {
        await t.close();
      }
    });

    it("finds key_name among the TOKEN user's keypairs only", async () => {
      const t = await novaCloud(label);
      try {
        const acme = await tenant(t, 'acme');
        await acme.nova.keypairs.create({ name: 'k', publicKey: newSshPublicKey('acme').line });
        const e = await expectHttpError(t.nova.servers.create({ name: 'vm', flavorId: '1', imageId: t.image.id, keyName: 'k', ...(t.networks ? { networks: t.networks } : {}) }), {
          status: 400, service: 'compute', cloud: label, faultType: 'badRequest',
        });
        assert.equal(e.cloudMessage, 'Invalid key_name provided.');
        await t.nova.keypairs.create({ name: 'k', publicKey: newSshPublicKey('admin').line });
        const id = await bootActive(t, t.nova, 'vm', { keyName: 'k' });
        assert.equal((await t.nova.servers.get(id)).keyName, 'k');
      } finally {
        await t.close();
      }
    });

    it('refuses unknown flavors and images (400), enforces instance quotas (403), and builds to ERROR with Nova\'s fault when no host is valid', async () => {
      const t = await novaCloud(label);
      try {
        const net = t.networks ? { networks: t.networks } : {};
        await expectHttpError(t.nova.servers.create({ name: 'x', flavorId: '999', imageId: t.image.id, ...net }), { status: 400, service: 'compute', cloud: label, faultType: 'badRequest' });
        const noImage = await expectHttpError(t.nova.servers.create({ name: 'x', flavorId: '1', imageId: '00000000-0000-0000-0000-000000000000', ...net }), { status: 400, service: 'compute', cloud: label });
        assert.equal(noImage.cloudMessage, 'Can not find requested image');
        await t.nova.quotas.update(t.cloud.admin.projectId, { instances: 1 });
        await bootActive(t, t.nova, 'one');
        const q = await expectHttpError(t.nova.servers.create({ name: 'two', flavorId: '1', imageId: t.image.id, ...net }), { status: 403, service: 'compute', cloud: label, faultType: 'forbidden' });
        assert.match(q.cloudMessage, /^Quota exceeded for instances: Requested 1, but already used 1 of 1 instances/);
        await t.nova.quotas.reset(t.cloud.admin.projectId);
        for (const s of await t.nova.services.list({ binary: 'nova-compute' })) await t.nova.services.disable({ host: s.host, binary: s.binary }, 'maintenance');
        const { id } = await t.nova.servers.create({ name: 'nowhere', flavorId: '1', imageId: t.image.id, ...net });
        t.cloud.flush();
        const failed = await t.nova.servers.get(id);
        assert.equal(failed.status, 'ERROR');
        assert.equal(failed.host, null);
        assert.equal(failed.fault?.code, 500);
        assert.match(failed.fault?.message ?? '', /^No valid host was found/);
        await t.nova.servers.delete(id);
        t.cloud.flush();
      } finally {
        await t.close();
      }
    });
  });
}

describe('compute boot on Neutron: ports', () => {
  it('makes a port (compute:<az>, bound to the host, fixed IP as asked), binds a given port, deletes only the port it made', async () => {
    const t = await novaCloud('juno:neutron');
    try {
      const store = t.cloud.store;
      const netId = t.networks![0]!.uuid;
      const subnetId = store.networks.get(netId)!.subnets[0]!;
      const pre = store.ports.insert({
        id: store.ids.uuid(), name: 'kept', networkId: netId, projectId: t.cloud.admin.projectId, macAddress: 'fa:16:3e:00:00:01', fixedIps: [{ subnetId, ipAddress: '10.0.200.77' }],
        deviceId: '', deviceOwner: '', status: 'DOWN', adminStateUp: true, securityGroups: [], bindingHostId: '', allowedAddressPairs: [], description: '', createdAt: store.now(),
      });
      store.pools.get(subnetId)!.take('10.0.200.77');
      const id = await bootActive(t, t.nova, 'two-nics', { networks: [{ uuid: netId, fixedIp: '10.0.200.50' }, { port: pre.id }] });
      const s = await t.nova.servers.get(id);
      const mine = store.ports.filter((p) => p.deviceId === id);
      assert.equal(mine.length, 2);
      for (const p of mine) {
        assert.equal(p.deviceOwner, 'compute:nova');
        assert.equal(p.bindingHostId, s.host);
      }
      assert.deepEqual(Object.values(s.addresses).flat().map((a) => a.addr).sort(), ['10.0.200.50', '10.0.200.77']);
      const inUse = await expectHttpError(t.nova.servers.create({ name: 'steal', flavorId: '1', imageId: t.image.id, networks: [{ port: pre.id }] }), { status: 409, service: 'compute', cloud: 'juno:neutron', faultType: 'conflictingRequest' });
      assert.match(inUse.cloudMessage, /still in use/);
      const ipTaken = await expectHttpError(t.nova.servers.create({ name: 'dup', flavorId: '1', imageId: t.image.id, networks: [{ uuid: netId, fixedIp: '10.0.200.50' }] }), { status: 400, service: 'compute', cloud: 'juno:neutron' });
      assert.match(ipTaken.cloudMessage, /already in use/);
      const ifaces = await t.nova.api.get(`/servers/${id}/os-interface`);
      assert.equal((ifaces.data as any).interfaceAttachments.length, 2);
      await t.nova.servers.delete(id);
      t.cloud.flush();
      assert.deepEqual(store.ports.filter((p) => p.deviceId === id), []);
      const kept = store.ports.get(pre.id);
      assert.ok(kept, 'the port made beforehand survives');
      assert.deepEqual([kept.deviceId, kept.deviceOwner, kept.bindingHostId], ['', '', '']);
      assert.equal(store.pools.get(subnetId)!.has('10.0.200.50'), false, "the made port's address is free again");
    } finally {
      await t.close();
    }
  });

  it('refuses an ambiguous network choice (409) when the project has several networks and none is named', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      tenantNetwork(t.cloud.store, t.cloud.admin.projectId, 'second', 201);
      const e = await expectHttpError(t.nova.servers.create({ name: 'x', flavorId: '1', imageId: t.image.id }), { status: 409, service: 'compute', cloud: 'modern:neutron' });
      assert.match(e.cloudMessage, /Multiple possible networks found/);
    } finally {
      await t.close();
    }
  });
});

describe('compute boot at microversion 2.37+', () => {
  it("needs networks: 'none' boots without a NIC, 'auto' takes the project's network, absent is a 400", async () => {
    const t = await novaCloud('modern:neutron');
    try {
      const h = { 'OpenStack-API-Version': 'compute 2.37' };
      const server = (networks?: unknown) => ({ server: { name: 'x', flavorRef: '1', imageRef: t.image.id, ...(networks !== undefined ? { networks } : {}) } });
      assert.equal((await call('POST', `${t.computeUrl}/servers`, { token: t.token, headers: h, body: server() })).status, 400);
      const none = await call('POST', `${t.computeUrl}/servers`, { token: t.token, headers: h, body: server('none') });
      const auto = await call('POST', `${t.computeUrl}/servers`, { token: t.token, headers: h, body: server('auto') });
      t.cloud.flush();
      assert.deepEqual((await t.nova.servers.get(none.body.server.id)).addresses, {});
      assert.equal(Object.values((await t.nova.servers.get(auto.body.server.id)).addresses).flat().length, 1);
    } finally {
      await t.close();
    }
  });
});
