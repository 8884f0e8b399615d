import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { NovaNetworkClient } from '../../../../src/openstack/index.js';
import { call, loginV3 } from '../../helpers.js';
import { bootActive, novaCloud, tenant } from './helpers.js';

describe('nova-network networks', () => {
  it('FlatDHCP: the shared network; create with cidr/gateway/dns (admin fields), CIDR conflicts 409, delete 202; Havana answers 422 without a label', async () => {
    const label = 'havana:nova-network:flatdhcp';
    const t = await novaCloud(label);
    try {
      const [flat] = await t.nn.networks.list();
      assert.deepEqual([flat?.label, flat?.cidr, flat?.vlan, flat?.projectId, flat?.bridge], ['novanetwork', '10.0.0.0/16', null, null, 'br100']);
      const n = await t.nn.networks.create({ label: 'extra', cidr: '10.99.0.0/24', gateway: '10.99.0.254', dns1: '1.1.1.1' });
      assert.deepEqual([n.cidr, n.gateway, n.dns1, n.vlan, n.multiHost], ['10.99.0.0/24', '10.99.0.254', '1.1.1.1', null, true]);
      await expectHttpError(t.nn.networks.create({ label: 'overlap', cidr: '10.99.0.128/25' }), { status: 409, service: 'compute', cloud: label, faultType: 'conflictingRequest' });
      const noLabel = await call('POST', `${t.computeUrl}/os-networks`, { token: t.token, body: { network: { cidr: '10.98.0.0/24' } } });
      assert.equal(noLabel.status, 422);
      const acme = await tenant(t, 'acme');
      const memberToken = (await loginV3(t.cloud, 'acme-user', 'secret', 'acme')).id;
      const seen = await call('GET', `${t.computeUrl.replace(t.cloud.admin.projectId, acme.projectId)}/os-networks`, { token: memberToken });
      assert.deepEqual(Object.keys(seen.body.networks[0]).sort(), ['broadcast', 'cidr', 'cidr_v6', 'dns1', 'dns2', 'gateway', 'gateway_v6', 'id', 'label', 'netmask', 'netmask_v6']);
      await t.nn.networks.delete(n.id);
      await expectHttpError(t.nn.networks.get(n.id), { status: 404, service: 'compute', cloud: label, pathIncludes: n.id, faultType: 'itemNotFound' });
      const disassociate = await call('POST', `${t.computeUrl}/os-networks/${flat!.id}/action`, { token: t.token, body: { disassociate: null } });
      assert.equal(disassociate.status, 501, 'FlatManager cannot disassociate');
    } finally {
      await t.close();
    }
  });

  it('VLAN: spare networks; a project gets one on first boot; create with vlan + project, 409 until disassociated; Juno answers 400 without a label', async () => {
    const label = 'juno:nova-network:vlan';
    const t = await novaCloud(label);
    try {
      const spares = await t.nn.networks.list();
      assert.ok(spares.length > 0 && spares.every((n) => n.vlan !== null && n.projectId === null));
      const id = await bootActive(t, t.nova, 'vm');
      const s = await t.nova.servers.get(id);
      const [netLabel] = Object.keys(s.addresses);
      const mine = (await t.nn.networks.list()).find((n) => n.label === netLabel)!;
      assert.equal(mine.projectId, t.cloud.admin.projectId, 'the first boot associated a spare network with the project');
      const n = await t.nn.networks.create({ label: 'acme-net', cidr: '10.50.1.0/24', vlanStart: 3333, projectId: t.cloud.admin.projectId });
      assert.deepEqual([n.vlan, n.bridge, n.projectId, n.mtu], [3333, 'br3333', t.cloud.admin.projectId, null]);
      await expectHttpError(t.nn.networks.create({ label: 'same-vlan', cidr: '10.50.2.0/24', vlan: 3333 }), { status: 409, service: 'compute', cloud: label });
      await expectHttpError(t.nn.networks.delete(n.id), { status: 409, service: 'compute', cloud: label, faultType: 'conflictingRequest' });
      await t.nn.networks.disassociate(n.id, 'all');
      await t.nn.networks.delete(n.id);
      await t.nn.networks.associateWithProject(null);
      assert.equal((await t.nn.networks.list()).filter((x) => x.projectId === t.cloud.admin.projectId).length, 2);
      const noLabel = await call('POST', `${t.computeUrl}/os-networks`, { token: t.token, body: { network: { cidr: '10.98.0.0/24' } } });
      assert.equal(noLabel.status, 400);
    } finally {
      await t.close();
    }
  });
});

describe('nova-network addresses', () => {
  it('fixed IPs: boot on a chosen address, show its server, reserve/unreserve (a reserved address cannot be booted on)', async () => {
    const label = 'icehouse:nova-network:flatdhcp';
    const t = await novaCloud(label);
    try {
      const [flat] = await t.nn.networks.list();
      const id = await bootActive(t, t.nova, 'pinned', { networks: [{ uuid: flat!.id, fixedIp: '10.0.5.5' }] });
      const s = await t.nova.servers.get(id);
      assert.deepEqual(s.addresses['novanetwork']?.map((a) => [a.addr, a.type]), [['10.0.5.5', 'fixed']]);
      const f = await t.nn.fixedIps.get('10.0.5.5');
      assert.deepEqual([f.cidr, f.hostname, f.host], ['10.0.0.0/16', 'pinned', s.host]);
      await t.nn.fixedIps.reserve('10.0.5.6');
      await expectHttpError(t.nova.servers.create({ name: 'x', flavorId: '1', imageId: t.image.id, networks: [{ uuid: flat!.id, fixedIp: '10.0.5.6' }] }), { status: 400, service: 'compute', cloud: label });
      await t.nn.fixedIps.unreserve('10.0.5.6');
      await bootActive(t, t.nova, 'y', { networks: [{ uuid: flat!.id, fixedIp: '10.0.5.6' }] });
      await expectHttpError(t.nn.fixedIps.get('192.0.2.1'), { status: 404, service: 'compute', cloud: label });
    } finally {
      await t.close();
    }
  });

  it("floating IPs: pools, allocate/release per project, bulk ranges, admin attaches an unallocated bulk address, addresses show fixed + floating with the NIC's MAC", async () => {
    const label = 'juno:nova-network:flatdhcp';
    const t = await novaCloud(label);
    try {
      assert.deepEqual(await t.nn.floatingIpPools(), ['nova']);
      const f = await t.nn.floatingIps.allocate('nova');
      assert.deepEqual([f.ip, f.pool, f.instanceId], ['203.0.113.2', 'nova', null]);
      assert.equal((await t.nn.floatingIpsBulk.list()).find((b) => b.address === f.ip)?.projectId, t.cloud.admin.projectId);
      const id = await bootActive(t, t.nova, 'vm');
      await t.nova.servers.addFloatingIp(id, f.ip);
      const s = await t.nova.servers.get(id);
      const addrs = s.addresses['novanetwork']!;
      assert.deepEqual(addrs.map((a) => a.type), ['fixed', 'floating']);
      assert.equal(addrs[0]?.mac, addrs[1]?.mac);
      assert.equal((await t.nn.floatingIps.list())[0]?.instanceId, id);
      await t.nn.floatingIpsBulk.create({ ipRange: '192.0.2.0/30', pool: 'extra' });
      assert.deepEqual((await t.nn.floatingIpsBulk.list()).filter((b) => b.pool === 'extra').map((b) => b.address), ['192.0.2.1', '192.0.2.2']);
      assert.deepEqual(await t.nn.floatingIpPools(), ['extra', 'nova']);
      await t.nova.servers.addFloatingIp(id, '192.0.2.1');
      const bulk = (await t.nn.floatingIpsBulk.list()).find((b) => b.address === '192.0.2.1');
      assert.deepEqual([bulk?.projectId, bulk?.instanceUuid], [null, id], 'an admin attaches an address nobody allocated');
      await t.nova.servers.removeFloatingIp(id, f.ip);
      const notHere = await call('POST', `${t.computeUrl}/servers/${id}/action`, { token: t.token, body: { removeFloatingIp: { address: f.ip } } });
      assert.equal(notHere.status, 422);
      await t.nn.floatingIps.release(f.id);
      assert.deepEqual(await t.nn.floatingIps.list(), []);
      await t.nn.floatingIpsBulk.delete('192.0.2.0/30');
      assert.deepEqual(await t.nn.floatingIpPools(), ['nova']);
      const empty = await expectHttpError(t.nn.floatingIps.allocate('none'), { status: 404, service: 'compute', cloud: label, faultType: 'itemNotFound' });
      assert.equal(empty.cloudMessage, 'No more floating ips in pool none.');
    } finally {
      await t.close();
    }
  });
});

describe('nova-network security groups', () => {
  it('default per project, groups with cidr and group rules, duplicates 400, all_tenants for admins, add/remove on a server', async () => {
    const label = 'icehouse:nova-network:vlan';
    const t = await novaCloud(label);
    try {
      const web = await t.nn.securityGroups.create('web', 'web servers');
      const db = await t.nn.securityGroups.create('db', 'databases');
      await t.nn.securityGroups.createRule({ parentGroupId: web.id, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' });
      const ref = await t.nn.securityGroups.createRule({ parentGroupId: db.id, ipProtocol: 'tcp', fromPort: 3306, toPort: 3306, groupId: web.id });
      assert.deepEqual(ref.group, { name: 'web', tenantId: t.cloud.admin.projectId });
      assert.equal(ref.cidr, null);
      await expectHttpError(t.nn.securityGroups.createRule({ parentGroupId: web.id, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidr: '0.0.0.0/0' }), { status: 400, service: 'compute', cloud: label });
      await expectHttpError(t.nn.securityGroups.createRule({ parentGroupId: web.id, ipProtocol: 'tcp', fromPort: 90, toPort: 80 }), { status: 400, service: 'compute', cloud: label });
      await expectHttpError(t.nn.securityGroups.create('web', 'again'), { status: 400, service: 'compute', cloud: label });
      assert.deepEqual((await t.nn.securityGroups.list()).map((g) => g.name), ['db', 'default', 'web']);
      const acme = await tenant(t, 'acme');
      await new NovaNetworkClient(acme.asAdmin.api).securityGroups.list();
      const all = await t.nn.securityGroups.list({ allTenants: true });
      assert.ok(all.some((g) => g.tenantId === acme.projectId && g.name === 'default'));
      const id = await bootActive(t, t.nova, 'vm', { securityGroups: ['web'] });
      await t.nova.servers.addSecurityGroup(id, 'db');
      assert.deepEqual((await t.nova.servers.get(id)).securityGroups, ['web', 'db']);
      await expectHttpError(t.nn.securityGroups.delete(db.id), { status: 400, service: 'compute', cloud: label });
      await t.nova.servers.removeSecurityGroup(id, 'db');
      await t.nn.securityGroups.deleteRule(ref.id);
      await t.nn.securityGroups.delete(db.id);
      await expectHttpError(t.nn.securityGroups.get(db.id), { status: 404, service: 'compute', cloud: label, faultType: 'itemNotFound' });
    } finally {
      await t.close();
    }
  });
});

describe("Nova's network APIs on Neutron clouds", () => {
  it('legacy: security groups and floating IPs are proxied to Neutron records; nova-network-only APIs answer 501', async () => {
    const label = 'juno:neutron';
    const t = await novaCloud(label);
    try {
      const g = await t.nn.securityGroups.create('web', 'web');
      assert.match(g.id, /^[0-9a-f-]{36}$/);
      const r = await t.nn.securityGroups.createRule({ parentGroupId: g.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' });
      const neutronRule = t.cloud.store.securityGroupRules.get(r.id)!;
      assert.deepEqual([neutronRule.direction, neutronRule.protocol, neutronRule.portRangeMin, neutronRule.remoteIpPrefix], ['ingress', 'tcp', 22, '0.0.0.0/0']);
      assert.deepEqual((await t.nn.securityGroups.get(g.id)).rules.length, 1, 'egress rules are not shown');
      assert.deepEqual(await t.nn.floatingIpPools(), ['public']);
      const f = await t.nn.floatingIps.allocate('public');
      const id = await bootActive(t, t.nova, 'vm');
      await t.nova.servers.addFloatingIp(id, f.ip);
      const s = await t.nova.servers.get(id);
      assert.deepEqual(Object.values(s.addresses).flat().map((a) => a.type), ['fixed', 'floating']);
      assert.equal(t.cloud.store.floatingIps.get(f.id)?.portId, t.cloud.store.ports.find((p) => p.deviceId === id)?.id);
      for (const path of ['/os-fixed-ips/10.0.0.5', '/os-floating-ips-bulk']) {
        const res = await call('GET', `${t.computeUrl}${path}`, { token: t.token });
        assert.equal(res.status, 501, path);
      }
      const create = await call('POST', `${t.computeUrl}/os-networks`, { token: t.token, body: { network: { label: 'x', cidr: '10.1.0.0/24' } } });
      assert.equal(create.status, 501);
      const listed = await t.nn.networks.list();
      assert.ok(listed.some((n) => n.label === 'public'), 'os-networks lists Neutron networks by name');
    } finally {
      await t.close();
    }
  });

  it('modern: proxies work at 2.1, nova-network-only APIs are 410 Gone, everything is 404 from 2.36', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      assert.ok((await t.nn.securityGroups.list()).some((g) => g.name === 'default'));
      const gone = await call('GET', `${t.computeUrl}/os-floating-ips-bulk`, { token: t.token });
      assert.equal(gone.status, 410);
      for (const path of ['/os-security-groups', '/os-floating-ips', '/os-networks']) {
        const res = await call('GET', `${t.computeUrl}${path}`, { token: t.token, headers: { 'OpenStack-API-Version': 'compute 2.36' } });
        assert.equal(res.status, 404, path);
      }
    } finally {
      await t.close();
    }
  });
});
