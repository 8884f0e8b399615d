import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openCloud } from '../../../../src/openstack/index.js';
import { SERVICE_MODULES } from '../../../../src/sim/services/index.js';
import { HELD, novaCloud } from './helpers.js';

const neutron = SERVICE_MODULES.some((m) => m.name === 'network');

for (const label of ['icehouse:neutron', 'modern:neutron']) {
  describe(`Nova and the simulated Neutron share ports: ${label}`, { skip: neutron ? false : 'the simulated Neutron is not registered' }, () => {
    it("boots on a network made through Neutron; Neutron shows the bound port, a floating IP associated through Neutron shows in the server's addresses, the port goes with the server", async () => {
      const t = await novaCloud(label, { knobs: HELD });
      const cloud = await openCloud({ authUrl: t.cloud.authUrl, username: 'admin', password: 'admin', projectName: 'admin' }, { name: label, retry: { attempts: 1 } });
      try {
        const nw = cloud.network!;
        const net = await nw.networks.create({ name: 'app' });
        const sub = await nw.subnets.create({ networkId: net.id, name: 'app-sub', cidr: '10.77.0.0/24' });
        const sg = await nw.securityGroups.create({ name: 'web' });
        const { id } = await cloud.compute.servers.create({ name: 'vm', flavorId: '1', imageId: t.image.id, networks: [{ uuid: net.id }], securityGroups: ['web'] });
        t.cloud.flush();
        const s = await cloud.compute.servers.get(id);
        assert.equal(s.status, 'ACTIVE');
        assert.deepEqual(s.securityGroups, ['web']);
        const ports = await nw.ports.list({ device_id: id });
        assert.equal(ports.length, 1);
        assert.equal(ports[0]?.bindingHostId, s.host);
        assert.ok(ports[0]?.deviceOwner.startsWith('compute:'));
        assert.deepEqual(ports[0]?.securityGroupIds, [sg.id]);
        assert.equal(ports[0]?.fixedIps[0]?.ipAddress, s.addresses['app']?.[0]?.addr);
        assert.equal(ports[0]?.fixedIps[0]?.subnetId, sub.id);
        const ext = (await nw.networks.list()).find((n) => n.external)!;
        const router = await nw.routers.create({ name: 'r', externalGateway: { networkId: ext.id } });
        await nw.routers.addInterface(router.id, { subnetId: sub.id });
        const fip = await nw.floatingIps.create({ floatingNetworkId: ext.id, portId: ports[0]!.id });
        const withFip = await cloud.compute.servers.get(id);
        assert.deepEqual(withFip.addresses['app']?.map((a) => [a.addr, a.type]), [[ports[0]!.fixedIps[0]!.ipAddress, 'fixed'], [fip.floatingIpAddress, 'floating']]);
        await cloud.compute.servers.delete(id);
        t.cloud.flush();
        assert.deepEqual(await nw.ports.list({ device_id: id }), []);
      } finally {
        await cloud.close();
        await t.close();
      }
    });
  });
}
