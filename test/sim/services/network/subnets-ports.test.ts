import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { member, neutronCloud } from './helpers.js';

describe('simulated Neutron: subnets', () => {
  for (const label of ['icehouse:neutron', 'modern:neutron'] as const) {
    it(`${label}: defaults (gateway = first host, pool = the rest), no gateway, several pools, ip_version required, overlaps, pools vs gateway, a DHCP port`, async () => {
      const t = await neutronCloud(label);
      const modern = label.startsWith('modern');
      try {
        const n = await t.neutron.networks.create({ name: 'n' });
        const required = await t.raw('POST', '/subnets', { subnet: { network_id: n.id, cidr: '10.1.0.0/24' } });
        assert.deepEqual(required.body.NeutronError, { type: 'HTTPBadRequest', message: "Failed to parse request. Required attribute 'ip_version' not specified", detail: '' });
        const s = await t.neutron.subnets.create({ networkId: n.id, cidr: '10.1.0.7/24', dnsNameservers: ['192.0.2.53'], hostRoutes: [{ destination: '192.0.2.0/24', nexthop: '10.1.0.254' }] });
        assert.deepEqual([s.cidr, s.gatewayIp, s.ipVersion, s.enableDhcp], ['10.1.0.0/24', '10.1.0.1', 4, true]);
        assert.deepEqual(s.allocationPools, [{ start: '10.1.0.2', end: '10.1.0.254' }]);
        assert.deepEqual(s.dnsNameservers, ['192.0.2.53']);
        assert.deepEqual((await t.neutron.networks.get(n.id)).subnetIds, [s.id]);
        const dhcp = (await t.neutron.ports.list({ network_id: n.id, device_owner: 'network:dhcp' }))[0];
        assert.ok(dhcp, 'a DHCP port');
        assert.deepEqual(dhcp.fixedIps, [{ subnetId: s.id, ipAddress: '10.1.0.2' }]);
        assert.equal(dhcp.tenantId, t.cloud.admin.projectId);

        const overlap = await expectHttpError(t.neutron.subnets.create({ networkId: n.id, cidr: '10.1.0.128/25' }), { status: 400, service: 'network', cloud: label, faultType: 'InvalidInput' });
        assert.match(overlap.cloudMessage, /overlaps with another subnet/);
        const conflictPool = await t.raw('POST', '/subnets', { subnet: { network_id: n.id, ip_version: 4, cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.0.1', end: '10.2.0.10' }] } });
        assert.deepEqual([conflictPool.status, conflictPool.body.NeutronError.type], [409, 'GatewayConflictWithAllocationPools']);
        const outside = await t.raw('POST', '/subnets', { subnet: { network_id: n.id, ip_version: 4, cidr: '10.2.0.0/24', allocation_pools: [{ start: '10.2.1.10', end: '10.2.1.20' }] } });
        assert.deepEqual([outside.status, outside.body.NeutronError.type], [400, 'OutOfBoundsAllocationPool']);

        const n2 = await t.neutron.networks.create({ name: 'n2' });
        const bare = await t.neutron.subnets.create({ networkId: n2.id, cidr: '10.3.0.0/24', gatewayIp: null, enableDhcp: false });
        assert.equal(bare.gatewayIp, null);
        assert.deepEqual(bare.allocationPools, [{ start: '10.3.0.1', end: '10.3.0.254' }]);
        assert.deepEqual(await t.neutron.ports.list({ network_id: n2.id }), [], 'no DHCP port without DHCP');
        const two = await t.neutron.subnets.create({ networkId: n2.id, cidr: '10.4.0.0/24', gatewayIp: '10.4.0.254', allocationPools: [{ start: '10.4.0.50', end: '10.4.0.51' }, { start: '10.4.0.10', end: '10.4.0.11' }], enableDhcp: false });
        const got = [];
        for (let i = 0; i < 4; i++) got.push((await t.neutron.ports.create({ networkId: n2.id, fixedIps: [{ subnetId: two.id }] })).fixedIps[0]?.ipAddress);
        assert.deepEqual(got, ['10.4.0.10', '10.4.0.11', '10.4.0.50', '10.4.0.51'], 'lowest free first across pools');
        await expectHttpError(t.neutron.ports.create({ networkId: n2.id, fixedIps: [{ subnetId: two.id }] }), { status: 409, service: 'network', cloud: label, faultType: 'IpAddressGenerationFailure' });

        // update: name, DNS; allocation pools only on modern (legacy: read-only after create)
        assert.equal((await t.neutron.subnets.update(s.id, { name: 'renamed', dnsNameservers: [] })).name, 'renamed');
        const pools = await t.raw('PUT', `/subnets/${bare.id}`, { subnet: { allocation_pools: [{ start: '10.3.0.100', end: '10.3.0.110' }] } });
        if (modern) assert.deepEqual(pools.body.subnet.allocation_pools, [{ start: '10.3.0.100', end: '10.3.0.110' }]);
        else assert.equal(pools.body.NeutronError.message, 'Cannot update read-only attribute allocation_pools');
        assert.equal((await t.raw('PUT', `/subnets/${s.id}`, { subnet: { cidr: '10.1.0.0/25' } })).body.NeutronError.message, 'Cannot update read-only attribute cidr');

        // SubnetInUse while a port holds an address; the DHCP address does not count
        const p = await t.neutron.ports.create({ networkId: n.id });
        await expectHttpError(t.neutron.subnets.delete(s.id), { status: 409, service: 'network', cloud: label, faultType: 'SubnetInUse' });
        await t.neutron.ports.delete(p.id);
        await t.neutron.subnets.delete(s.id);
        assert.deepEqual(await t.neutron.ports.list({ network_id: n.id }), [], 'the DHCP port went with the last DHCP subnet');
        assert.deepEqual((await t.neutron.networks.get(n.id)).subnetIds, []);

        const v6 = await t.neutron.subnets.create({ networkId: n.id, cidr: 'fd00:1::/64', ipVersion: 6 });
        assert.equal(v6.gatewayIp, modern ? 'fd00:1::' : 'fd00:1::1');
        const v6port = await t.neutron.ports.create({ networkId: n.id });
        assert.equal(v6port.fixedIps[0]?.subnetId, v6.id, 'an IPv6-only network hands out IPv6 addresses');
      } finally {
        await t.close();
      }
    });
  }
});

describe('simulated Neutron: ports and IP allocation', () => {
  for (const label of ['havana:neutron', 'juno:neutron', 'modern:neutron'] as const) {
    it(`${label}: fixed IPs (taken -> 409 IpAddressAlreadyAllocated, outside -> 400), kept MACs (409 MacAddressInUse), default group, binding attributes, no duplicate addresses`, async () => {
      const t = await neutronCloud(label);
      const modern = label.startsWith('modern');
      try {
        const n = await t.neutron.networks.create({ name: 'n' });
        const s = await t.neutron.subnets.create({ networkId: n.id, cidr: '10.5.0.0/27', enableDhcp: false });
        const p = await t.neutron.ports.create({ networkId: n.id, name: 'p', fixedIps: [{ subnetId: s.id, ipAddress: '10.5.0.10' }] });
        assert.deepEqual(p.fixedIps, [{ subnetId: s.id, ipAddress: '10.5.0.10' }]);
        assert.match(p.macAddress, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
        assert.deepEqual([p.status, p.deviceOwner, p.deviceId], ['DOWN', '', '']);
        assert.equal((await t.raw('GET', `/ports/${p.id}`)).body.port['binding:host_id'], '', 'unbound');
        const def = (await t.neutron.securityGroups.list({ tenant_id: t.cloud.admin.projectId })).find((g) => g.name === 'default');
        assert.deepEqual(p.securityGroupIds, [def?.id], "the project's default group");
        const taken = await expectHttpError(t.neutron.ports.create({ networkId: n.id, fixedIps: [{ subnetId: s.id, ipAddress: '10.5.0.10' }] }), { status: 409, service: 'network', cloud: label, faultType: 'IpAddressAlreadyAllocated' });
        assert.equal(taken.cloudMessage, `IP address 10.5.0.10 already allocated in subnet ${s.id}`);
        await expectHttpError(t.neutron.ports.create({ networkId: n.id, fixedIps: [{ ipAddress: '10.9.9.9' }] }), { status: 400, service: 'network', cloud: label, faultType: 'InvalidIpForNetwork' });
        await expectHttpError(t.neutron.ports.create({ networkId: n.id, fixedIps: [{ subnetId: s.id, ipAddress: '10.5.0.31' }] }), { status: 400, service: 'network', cloud: label, faultType: 'InvalidIpForSubnet' });
        const mac = await expectHttpError(t.neutron.ports.create({ networkId: n.id, macAddress: p.macAddress }), { status: 409, service: 'network', cloud: label, faultType: 'MacAddressInUse' });
        assert.equal(mac.cloudMessage, `Unable to complete operation for network ${n.id}. The mac address ${p.macAddress} is in use.`);
        const kept = await t.neutron.ports.create({ networkId: n.id, macAddress: 'fa:16:3e:00:00:01', fixedIps: [{ ipAddress: '10.5.0.1' }] });
        assert.deepEqual([kept.macAddress, kept.fixedIps[0]?.ipAddress], ['fa:16:3e:00:00:01', '10.5.0.1'], 'the gateway address outside the pool can be taken');

        // allocation: every address of the /27 pool once, then 409; a freed address comes back
        const seen = new Set(['10.5.0.10', '10.5.0.1']);
        for (;;) {
          const r = await t.raw('POST', '/ports', { port: { network_id: n.id } });
          if (r.status === 409) {
            assert.equal(r.body.NeutronError.type, 'IpAddressGenerationFailure');
            break;
          }
          const ip = r.body.port.fixed_ips[0].ip_address as string;
          assert.ok(!seen.has(ip), `${ip} handed out twice`);
          seen.add(ip);
        }
        assert.equal(seen.size, 29 + 1, 'the 29 pool addresses (.2-.30) and the gateway, each once');
        const all = await t.neutron.ports.list({ network_id: n.id });
        await t.neutron.ports.delete(p.id);
        const again = await t.neutron.ports.create({ networkId: n.id });
        assert.equal(again.fixedIps[0]?.ipAddress, '10.5.0.10', 'released on delete');
        assert.ok(all.some((x) => x.id === p.id));
        const byIp = await t.raw('GET', `/ports?fixed_ips=ip_address%3D10.5.0.10`);
        assert.deepEqual(byIp.body.ports.map((x: { id: string }) => x.id), [again.id]);

        // update: name, fixed IPs (keep one, add none), binding (admin)
        const moved = await t.neutron.ports.update(kept.id, { name: 'renamed', fixedIps: [{ subnetId: s.id, ipAddress: '10.5.0.1' }], bindingHostId: 'node-9', deviceId: 'srv', deviceOwner: 'compute:nova' });
        assert.deepEqual([moved.name, moved.bindingHostId, moved.deviceOwner], ['renamed', 'node-9', 'compute:nova']);
        const raw = (await t.raw('GET', `/ports/${kept.id}`)).body.port;
        assert.equal(raw['binding:vif_type'], 'ovs');
        assert.equal('binding:vif_details' in raw, label !== 'havana:neutron');
        assert.equal('binding:capabilities' in raw, label === 'havana:neutron');
        assert.equal('port_security_enabled' in raw, modern);

        // a member: sees no binding attributes, may not keep a MAC on someone else's network
        const m = await member(t, 'acme');
        const shared = await t.neutron.networks.create({ name: 'shared', shared: true });
        await t.neutron.subnets.create({ networkId: shared.id, cidr: '10.6.0.0/24' });
        const mine = await m.neutron.ports.create({ networkId: shared.id });
        assert.equal(mine.tenantId, m.projectId);
        assert.equal(mine.bindingHostId, null, 'binding:host_id is admin-only');
        await expectHttpError(m.neutron.ports.create({ networkId: shared.id, macAddress: 'fa:16:3e:00:00:02' }), { status: 403, service: 'network', cloud: 'acme', faultType: 'PolicyNotAuthorized' });
        await expectHttpError(m.neutron.ports.create({ networkId: shared.id, bindingHostId: 'x' }), { status: 403, service: 'network', cloud: 'acme' });
        await m.cloud.close();
      } finally {
        await t.close();
      }
    });
  }
});
