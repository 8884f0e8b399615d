import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { member, neutronCloud, NEUTRON_PROFILES } from './helpers.js';

describe('simulated Neutron: routers', () => {
  for (const label of NEUTRON_PROFILES) {
    it(`${label}: gateway (SNAT, external fixed IPs Juno+), interfaces by subnet and by port, duplicates, RouterInUse, gateway cleared`, async () => {
      const t = await neutronCloud(label);
      const juno = label !== 'havana:neutron' && label !== 'icehouse:neutron';
      try {
        const ext = await t.external();
        const n = await t.neutron.networks.create({ name: 'n' });
        const s = await t.neutron.subnets.create({ networkId: n.id, cidr: '10.7.0.0/24' });
        const r = await t.neutron.routers.create({ name: 'r' });
        assert.equal(r.externalGateway, null);
        assert.deepEqual([r.status, r.routes], ['ACTIVE', []]);
        const gw = await t.neutron.routers.setGateway(r.id, { networkId: ext.id });
        assert.equal(gw.externalGateway?.networkId, ext.id);
        assert.equal(gw.externalGateway?.enableSnat, true);
        assert.equal(gw.externalGateway?.externalFixedIps.length, juno ? 1 : 0, 'external_fixed_ips is Juno+');
        const gwPort = (await t.neutron.ports.list({ device_id: r.id, device_owner: 'network:router_gateway' }))[0];
        assert.ok(gwPort, 'a gateway port');
        assert.equal(gwPort.tenantId, '', 'gateway ports belong to no project');
        assert.equal(gwPort.fixedIps[0]?.subnetId, ext.subnetId);
        if (juno) assert.equal(gw.externalGateway?.externalFixedIps[0]?.ipAddress, gwPort.fixedIps[0]?.ipAddress);
        const chosen = t.neutron.routers.setGateway(r.id, { networkId: ext.id, enableSnat: false, externalFixedIps: [{ ipAddress: '203.0.113.77' }] });
        if (juno) {
          const g2 = await chosen;
          assert.deepEqual([g2.externalGateway?.enableSnat, g2.externalGateway?.externalFixedIps[0]?.ipAddress], [false, '203.0.113.77']);
          assert.deepEqual((await t.neutron.ports.get(gwPort.id)).fixedIps.map((f) => f.ipAddress), ['203.0.113.77'], 'the same port, a new address');
        } else {
          const e = await expectHttpError(chosen, { status: 400, service: 'network', cloud: label });
          assert.match(e.cloudMessage, /Unexpected keys supplied: external_fixed_ips/);
        }
        await expectHttpError(t.neutron.routers.setGateway(r.id, { networkId: n.id }), { status: 400, service: 'network', cloud: label, faultType: 'BadRequest' });

        const itf = await t.neutron.routers.addInterface(r.id, { subnetId: s.id });
        assert.deepEqual([itf.routerId, itf.subnetId], [r.id, s.id]);
        const itfPort = await t.neutron.ports.get(itf.portId);
        assert.deepEqual([itfPort.deviceOwner, itfPort.deviceId, itfPort.fixedIps[0]?.ipAddress, itfPort.tenantId], ['network:router_interface', r.id, '10.7.0.1', t.cloud.admin.projectId]);
        const twice = await expectHttpError(t.neutron.routers.addInterface(r.id, { subnetId: s.id }), { status: 400, service: 'network', cloud: label, faultType: 'BadRequest' });
        assert.match(twice.cloudMessage, new RegExp(`Router already has a port on subnet ${s.id}`));
        await expectHttpError(t.neutron.ports.delete(itf.portId), { status: 409, service: 'network', cloud: label, faultType: 'L3PortInUse' });
        const inUse = await expectHttpError(t.neutron.routers.delete(r.id), { status: 409, service: 'network', cloud: label, faultType: 'RouterInUse' });
        assert.match(inUse.cloudMessage, new RegExp(r.id));
        await expectHttpError(t.neutron.networks.delete(n.id), { status: 409, service: 'network', cloud: label, faultType: 'NetworkInUse' });

        // by port: a port made beforehand joins, and leaves (deleted) by port id
        const n2 = await t.neutron.networks.create({ name: 'n2' });
        const s2 = await t.neutron.subnets.create({ networkId: n2.id, cidr: '10.8.0.0/24' });
        const own = await t.neutron.ports.create({ networkId: n2.id, fixedIps: [{ subnetId: s2.id, ipAddress: '10.8.0.254' }] });
        const byPort = await t.neutron.routers.addInterface(r.id, { portId: own.id });
        assert.deepEqual([byPort.portId, byPort.subnetId], [own.id, s2.id]);
        assert.equal((await t.neutron.ports.get(own.id)).deviceOwner, 'network:router_interface');
        await t.neutron.routers.removeInterface(r.id, { portId: own.id });
        await expectHttpError(t.neutron.ports.get(own.id), { status: 404, service: 'network', cloud: label, faultType: 'PortNotFound' });
        await expectHttpError(t.neutron.routers.removeInterface(r.id, { portId: own.id }), { status: 404, service: 'network', cloud: label, faultType: 'RouterInterfaceNotFound' });

        // routes need a connected next hop, and keep its interface; remove by subnet; clear the gateway; delete
        const routed = await t.neutron.routers.update(r.id, { routes: [{ destination: '192.0.2.0/24', nexthop: '10.7.0.5' }] });
        assert.deepEqual(routed.routes, [{ destination: '192.0.2.0/24', nexthop: '10.7.0.5' }]);
        await expectHttpError(t.neutron.routers.update(r.id, { routes: [{ destination: '192.0.2.0/24', nexthop: '10.99.0.5' }] }), { status: 400, service: 'network', cloud: label, faultType: 'InvalidRoutes' });
        await expectHttpError(t.neutron.routers.removeInterface(r.id, { subnetId: s.id }), { status: 409, service: 'network', cloud: label, faultType: 'RouterInterfaceInUseByRoute' });
        await t.neutron.routers.update(r.id, { routes: [] });
        await t.neutron.routers.removeInterface(r.id, { subnetId: s.id });
        await expectHttpError(t.neutron.routers.removeInterface(r.id, { subnetId: s.id }), { status: 404, service: 'network', cloud: label, faultType: 'RouterInterfaceNotFoundForSubnet' });
        await expectHttpError(t.neutron.ports.get(itf.portId), { status: 404, service: 'network', cloud: label });
        assert.equal((await t.neutron.routers.setGateway(r.id, null)).externalGateway, null);
        assert.deepEqual(await t.neutron.ports.list({ device_id: r.id }), [], 'the gateway port is gone');
        await t.neutron.routers.delete(r.id);
        await expectHttpError(t.neutron.routers.get(r.id), { status: 404, service: 'network', cloud: label, faultType: 'RouterNotFound' });
        const raw = (await t.raw('POST', '/routers', { router: { name: 'x' } })).body.router;
        assert.equal('distributed' in raw, juno, 'distributed/ha (admin) are Juno+');
        if (label === 'modern:neutron') assert.equal(raw.flavor_id, null);
      } finally {
        await t.close();
      }
    });
  }
});

describe('simulated Neutron: floating IPs', () => {
  for (const label of NEUTRON_PROFILES) {
    it(`${label}: allocate, chosen address (admin, Kilo+), association needs a router gateway and interface (DESIGN §8), status, detach, delete`, async () => {
      const t = await neutronCloud(label);
      const choice = label === 'modern:neutron';
      try {
        const ext = await t.external();
        const n = await t.neutron.networks.create({ name: 'n' });
        const s = await t.neutron.subnets.create({ networkId: n.id, cidr: '10.9.0.0/24' });
        const p = await t.neutron.ports.create({ networkId: n.id, fixedIps: [{ ipAddress: '10.9.0.10' }] });
        const f = await t.neutron.floatingIps.create({ floatingNetworkId: ext.id });
        assert.match(f.floatingIpAddress, /^203\.0\.113\.\d+$/);
        assert.deepEqual([f.portId, f.routerId, f.fixedIpAddress], [null, null, null]);
        assert.equal(f.status, label === 'havana:neutron' ? null : 'DOWN', 'status is Icehouse+');
        await expectHttpError(t.neutron.floatingIps.create({ floatingNetworkId: n.id }), { status: 400, service: 'network', cloud: label, faultType: 'BadRequest' });

        // a chosen address: admin only, Kilo+ (legacy: not allowed in POST)
        const wanted = '203.0.113.200';
        const pick = t.neutron.floatingIps.create({ floatingNetworkId: ext.id, floatingIpAddress: wanted });
        if (choice) {
          const got = await pick;
          assert.equal(got.floatingIpAddress, wanted);
          const again = await expectHttpError(t.neutron.floatingIps.create({ floatingNetworkId: ext.id, floatingIpAddress: wanted }), { status: 409, service: 'network', cloud: label, faultType: 'IpAddressAlreadyAllocated' });
          assert.equal(again.cloudMessage, `IP address ${wanted} already allocated in subnet ${ext.subnetId}`);
          await expectHttpError(t.neutron.floatingIps.create({ floatingNetworkId: ext.id, floatingIpAddress: '10.0.0.1' }), { status: 400, service: 'network', cloud: label, faultType: 'InvalidIpForNetwork' });
          const m = await member(t, 'acme');
          await expectHttpError(m.neutron.floatingIps.create({ floatingNetworkId: ext.id, floatingIpAddress: '203.0.113.201' }), { status: 403, service: 'network', cloud: 'acme', faultType: 'PolicyNotAuthorized' });
          await m.cloud.close();
          await t.neutron.floatingIps.delete(got.id);
        } else {
          const e = await expectHttpError(pick, { status: 400, service: 'network', cloud: label, faultType: 'HTTPBadRequest' });
          assert.equal(e.cloudMessage, "Attribute 'floating_ip_address' not allowed in POST");
        }

        // association: no router -> 404; a router with only an interface -> 404; gateway + interface -> associated
        const unreachable = `External network ${ext.id} is not reachable from subnet ${s.id}.  Therefore, cannot associate Port ${p.id} with a Floating IP.`;
        await expectHttpError(t.neutron.floatingIps.associate(f.id, p.id), { status: 404, service: 'network', cloud: label, faultType: 'ExternalGatewayForFloatingIPNotFound' });
        const e1 = await t.raw('PUT', `/floatingips/${f.id}`, { floatingip: { port_id: p.id } });
        assert.equal(e1.body.NeutronError.message, unreachable, 'word for word, two spaces included');
        const r = await t.neutron.routers.create({ name: 'r' });
        await t.neutron.routers.addInterface(r.id, { subnetId: s.id });
        await expectHttpError(t.neutron.floatingIps.associate(f.id, p.id), { status: 404, service: 'network', cloud: label, faultType: 'ExternalGatewayForFloatingIPNotFound' });
        await t.neutron.routers.setGateway(r.id, { networkId: ext.id });
        await expectHttpError(t.neutron.floatingIps.associate(f.id, p.id, '10.9.0.99'), { status: 400, service: 'network', cloud: label, faultType: 'BadRequest' });
        const on = await t.neutron.floatingIps.associate(f.id, p.id);
        assert.deepEqual([on.portId, on.fixedIpAddress, on.routerId], [p.id, '10.9.0.10', r.id]);
        if (label !== 'havana:neutron') assert.equal(on.status, 'ACTIVE');
        if (label === 'modern:neutron') assert.equal((await t.raw('GET', `/floatingips/${f.id}`)).body.floatingip.port_details.device_owner, '');
        assert.deepEqual((await t.neutron.floatingIps.list({ floating_ip_address: f.floatingIpAddress })).map((x) => x.id), [f.id]);
        assert.deepEqual((await t.neutron.floatingIps.list({ port_id: p.id })).map((x) => x.id), [f.id]);
        const second = await t.neutron.floatingIps.create({ floatingNetworkId: ext.id });
        await expectHttpError(t.neutron.floatingIps.associate(second.id, p.id), { status: 409, service: 'network', cloud: label, faultType: 'FloatingIPPortAlreadyAssociated' });
        const both = await t.neutron.floatingIps.create({ floatingNetworkId: ext.id, portId: p.id }).catch((e: unknown) => e);
        assert.ok(both instanceof Error, 'a fixed IP takes one floating IP per external network');

        // the gateway and the interface are needed while it is associated
        await expectHttpError(t.neutron.routers.setGateway(r.id, null), { status: 409, service: 'network', cloud: label, faultType: 'RouterExternalGatewayInUseByFloatingIp' });
        await expectHttpError(t.neutron.routers.removeInterface(r.id, { subnetId: s.id }), { status: 409, service: 'network', cloud: label, faultType: 'RouterInterfaceInUseByFloatingIP' });

        const off = await t.neutron.floatingIps.associate(f.id, null);
        assert.deepEqual([off.portId, off.fixedIpAddress, off.routerId], [null, null, null]);
        await t.neutron.floatingIps.associate(f.id, p.id);
        await t.neutron.ports.delete(p.id);
        assert.equal((await t.neutron.floatingIps.get(f.id)).portId, null, 'deleting the port detaches it');
        await t.neutron.floatingIps.delete(f.id);
        await expectHttpError(t.neutron.floatingIps.get(f.id), { status: 404, service: 'network', cloud: label, pathIncludes: f.id, faultType: 'FloatingIPNotFound' });
        // its address is free again (lowest first)
        const reused = await t.neutron.floatingIps.create({ floatingNetworkId: ext.id });
        assert.equal(reused.floatingIpAddress, f.floatingIpAddress);
      } finally {
        await t.close();
      }
    });
  }
});
