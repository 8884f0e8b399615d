import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { FloatingIp, Network, NetworkClient, Port, Router, SecurityGroup, Subnet } from '../../../src/openstack/index.js';
import { PORT_FIELDS, toPort as toPortRecord } from '../../../src/discovery/records/network.js';
import { ensureVersionSuffix } from '../../../src/openstack/http/url.js';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { neutronChoosesFloatingAddress, neutronHasDescriptions, neutronShowsGatewayAddresses } from './release-facts.js';

/** The external network routers and floating IPs use: the named one, else the first `router:external` one. */
export async function externalNetwork(run: ContractRun, neutron: NetworkClient): Promise<Network> {
  const wanted = run.target.fixtures?.externalNetworkName;
  const external = await neutron.networks.list({ 'router:external': true });
  const net = wanted ? external.find((n) => n.name === wanted) : external[0];
  if (!net) throw new Error(`${run.target.name}: no external network${wanted ? ` named ${wanted}` : ''} (found: ${external.map((n) => n.name).join(', ') || 'none'})`);
  return net;
}

/** Neutron: networks, subnets, ports, security groups and rules, routers, gateways, interfaces, floating IPs, quotas. */
export function neutronArea(run: ContractRun): void {
  const skip = run.target.capabilities.network === 'nova-network' ? `${run.target.name} uses nova-network` : false;
  const skipIf = async () => (run.cloud.network ? false : `${run.target.name}: the catalog has no Neutron`);
  area(run, 'network (Neutron)', { skip, skipIf }, (a) => {
    const neutron = (): NetworkClient => need(run.cloud.network, 'Neutron in the catalog');
    const nf = (id: string, faultType: string) => ({ status: 404, service: 'network', cloud: run.target.name, pathIncludes: id, faultType });
    const net24 = `10.${randomInt(64, 250)}.${randomInt(0, 250)}`;
    let external: Network | undefined;
    let network: Network | undefined;
    let subnet: Subnet | undefined;
    let port: Port | undefined;
    let group: SecurityGroup | undefined;
    let router: Router | undefined;
    let fip: FloatingIp | undefined;

    a.step('finds the external network with a subnet', async () => {
      external = await externalNetwork(run, neutron());
      assert.equal(external.external, true);
      assert.ok(external.subnetIds.length > 0, 'the external network has a subnet');
    });

    a.step('creates a network in the admin project', async () => {
      const name = run.name('net');
      // `description` on networks and floating IPs: Mitaka+; Havana-Juno answer 400 "Unrecognized attribute(s)".
      const described = neutronHasDescriptions(run.cloud);
      const n = await neutron().networks.create({ name, ...(described ? { description: 'pumphouse contract suite' } : {}) });
      a.ledger.add(n.id, { label: `network ${name} (${n.id})`, remove: () => neutron().networks.delete(n.id) });
      network = n;
      assert.equal(n.name, name);
      if (described) assert.equal(n.description, 'pumphouse contract suite');
      assert.equal(n.tenantId, run.cloud.session.projectId);
      assert.equal(n.adminStateUp, true);
      assert.equal(n.external, false);
      assert.equal(n.shared, false);
      assert.deepEqual(n.subnetIds, []);
      assert.ok(n.networkType, 'an admin sees the provider network type');
    });

    a.step('reads, lists and updates the network', async () => {
      const n = need(network, 'the network');
      assert.deepEqual(await neutron().networks.get(n.id), n);
      assert.deepEqual((await neutron().networks.list({ name: n.name })).map((x) => x.id), [n.id]);
      const renamed = `${n.name}-2`;
      const updated = await neutron().networks.update(n.id, { name: renamed, ...(neutronHasDescriptions(run.cloud) ? { description: 'updated' } : {}) });
      assert.equal(updated.name, renamed);
      if (neutronHasDescriptions(run.cloud)) assert.equal(updated.description, 'updated');
      network = updated;
    });

    a.step('tags the network (tag extensions, Mitaka+)', async (t) => {
      const n = need(network, 'the network');
      if (!neutron().supportsTags('networks')) return t.skip('the cloud has no tag extension (Mitaka+): no tags API in this release');
      await neutron().setTags('networks', n.id, ['phc-b', 'phc-a']);
      assert.deepEqual([...(await neutron().networks.get(n.id)).tags].sort(), ['phc-a', 'phc-b']);
      await neutron().removeTag('networks', n.id, 'phc-b');
      assert.deepEqual((await neutron().networks.get(n.id)).tags, ['phc-a']);
    });

    a.step('creates a subnet with pools, DNS and host routes', async () => {
      const n = need(network, 'the network');
      const name = run.name('subnet');
      const s = await neutron().subnets.create({
        networkId: n.id,
        name,
        cidr: `${net24}.0/24`,
        gatewayIp: `${net24}.1`,
        allocationPools: [{ start: `${net24}.20`, end: `${net24}.200` }],
        dnsNameservers: ['192.0.2.53'],
        hostRoutes: [{ destination: '192.0.2.0/24', nexthop: `${net24}.254` }],
        enableDhcp: true,
      });
      a.ledger.add(s.id, { label: `subnet ${name} (${s.id})`, remove: () => neutron().subnets.delete(s.id) });
      subnet = s;
      assert.equal(s.networkId, n.id);
      assert.equal(s.ipVersion, 4);
      assert.equal(s.cidr, `${net24}.0/24`);
      assert.equal(s.gatewayIp, `${net24}.1`);
      assert.deepEqual(s.allocationPools, [{ start: `${net24}.20`, end: `${net24}.200` }]);
      assert.deepEqual(s.dnsNameservers, ['192.0.2.53']);
      assert.deepEqual(s.hostRoutes, [{ destination: '192.0.2.0/24', nexthop: `${net24}.254` }]);
      assert.equal(s.enableDhcp, true);
      assert.deepEqual((await neutron().networks.get(n.id)).subnetIds, [s.id]);
      assert.deepEqual((await neutron().subnets.list({ network_id: n.id })).map((x) => x.id), [s.id]);
    });

    a.step('creates a port with a fixed IP and renames it', async () => {
      const n = need(network, 'the network');
      const s = need(subnet, 'the subnet');
      const name = run.name('port');
      const p = await neutron().ports.create({ networkId: n.id, name, fixedIps: [{ subnetId: s.id, ipAddress: `${net24}.10` }] });
      a.ledger.add(p.id, { label: `port ${name} (${p.id})`, remove: () => neutron().ports.delete(p.id) });
      port = p;
      assert.equal(p.networkId, n.id);
      assert.deepEqual(p.fixedIps, [{ subnetId: s.id, ipAddress: `${net24}.10` }]);
      assert.match(p.macAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      assert.equal(p.deviceOwner, '');
      assert.equal(p.tenantId, run.cloud.session.projectId);
      const renamed = await neutron().ports.update(p.id, { name: `${name}-2` });
      assert.equal(renamed.name, `${name}-2`);
      assert.ok((await neutron().ports.list({ network_id: n.id })).some((x) => x.id === p.id));
    });

    a.step('lists ports with fields= as discovery asks: only the named attributes; unknown names ignored; a comma is part of a name', async () => {
      // Discovery's port list asks for PORT_FIELDS alone (src/discovery/records/network.ts); the
      // simulator implements fields= after Neutron's api_common.list_args / pecan _set_fields.
      const p = need(port, 'the port');
      const url = `${ensureVersionSuffix(run.cloud.session.endpoint('network'), 'v2.0')}/ports`;
      const ask = async (fields: readonly string[]): Promise<Record<string, unknown>[]> => {
        const res = await run.cloud.session.request<{ ports?: Record<string, unknown>[] }>({ service: 'network', method: 'GET', url, query: { id: p.id, fields } });
        return res.data?.ports ?? [];
      };
      const named = await ask(['id', 'mac_address', 'fixed_ips', 'no_such_attribute']);
      assert.deepEqual(named, [{ id: p.id, mac_address: p.macAddress, fixed_ips: p.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })) }]);
      assert.deepEqual(await ask(['id,name']), [{}], 'no attribute is named "id,name"');
      const [listed] = await neutron().ports.list({ id: p.id, fields: PORT_FIELDS });
      const [whole] = await neutron().ports.list({ id: p.id });
      assert.deepEqual(listed && toPortRecord(listed), whole && toPortRecord(whole), 'the records discovery maps are the same');
    });

    a.step('creates a port keeping a given MAC address', async () => {
      const n = need(network, 'the network');
      const mac = `fa:16:3e:${[0, 0, 0].map(() => randomInt(0, 256).toString(16).padStart(2, '0')).join(':')}`;
      const p = await neutron().ports.create({ networkId: n.id, name: run.name('mac-port'), macAddress: mac });
      a.ledger.add(p.id, { label: `port ${p.name} (${p.id})`, remove: () => neutron().ports.delete(p.id) });
      assert.equal(p.macAddress, mac);
      assert.equal(p.fixedIps.length, 1, 'an address from the subnet');
      await neutron().ports.delete(p.id);
      a.ledger.forget(p.id);
    });

    a.step('keeps allowed address pairs on a port: a pair made without a MAC shows the port\'s own', async () => {
      const n = need(network, 'the network');
      const p = await neutron().ports.create({ networkId: n.id, name: run.name('vrrp-port'), allowedAddressPairs: [{ ipAddress: `${net24}.100` }, { ipAddress: `${net24}.112/28`, macAddress: 'fa:16:3e:aa:bb:cc' }] });
      a.ledger.add(p.id, { label: `port ${p.name} (${p.id})`, remove: () => neutron().ports.delete(p.id) });
      // A set: a real Zed listed these two in the reverse order.
      const byIp = <T extends { ipAddress: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.ipAddress < b.ipAddress ? -1 : 1));
      assert.deepEqual(byIp(p.allowedAddressPairs), [{ ipAddress: `${net24}.100`, macAddress: p.macAddress }, { ipAddress: `${net24}.112/28`, macAddress: 'fa:16:3e:aa:bb:cc' }]);
      const [listed] = await neutron().ports.list({ id: p.id, fields: PORT_FIELDS });
      const record = listed && toPortRecord(listed);
      assert.deepEqual(record?.allowedAddressPairs, [{ ipAddress: `${net24}.100` }, { ipAddress: `${net24}.112/28`, macAddress: 'fa:16:3e:aa:bb:cc' }], 'discovery sorts them, and keeps a MAC only where it is not the port\'s');
      await neutron().ports.delete(p.id);
      a.ledger.forget(p.id);
    });

    a.step('keeps extra DHCP options on a port (extra_dhcp_opt); an update replaces one by name and a null value removes it', async (t) => {
      const n = need(network, 'the network');
      if (!neutron().extensions.has('extra_dhcp_opt')) return t.skip('the cloud has no extra_dhcp_opt extension');
      const p = await neutron().ports.create({ networkId: n.id, name: run.name('pxe-port'), extraDhcpOpts: [{ optName: 'bootfile-name', optValue: 'pxelinux.0' }, { optName: 'domain-search', optValue: 'example.org' }] });
      a.ledger.add(p.id, { label: `port ${p.name} (${p.id})`, remove: () => neutron().ports.delete(p.id) });
      const [listed] = await neutron().ports.list({ id: p.id, fields: PORT_FIELDS });
      // ip_version (Kilo+) is 4 unless asked; Havana-Juno do not show it.
      const v4 = p.extraDhcpOpts[0]?.ipVersion === null ? {} : { ipVersion: 4 };
      assert.deepEqual(listed && toPortRecord(listed).extraDhcpOpts, [{ name: 'bootfile-name', value: 'pxelinux.0', ...v4 }, { name: 'domain-search', value: 'example.org', ...v4 }]);
      const url = `${ensureVersionSuffix(run.cloud.session.endpoint('network'), 'v2.0')}/ports/${p.id}`;
      await run.cloud.session.request({ service: 'network', method: 'PUT', url, json: { port: { extra_dhcp_opts: [{ opt_name: 'bootfile-name', opt_value: null }, { opt_name: 'domain-search', opt_value: 'example.net' }] } } });
      assert.deepEqual(toPortRecord(await neutron().ports.get(p.id)).extraDhcpOpts, [{ name: 'domain-search', value: 'example.net', ...v4 }]);
      await neutron().ports.delete(p.id);
      a.ledger.forget(p.id);
    });

    a.step('keeps binding:vnic_type (Juno+): an SR-IOV `direct` port is made unbound and listed as discovery asks; an unknown type is a 400', async (t) => {
      const n = need(network, 'the network');
      const plain = await neutron().ports.create({ networkId: n.id, name: run.name('plain-port') });
      a.ledger.add(plain.id, { label: `port ${plain.name} (${plain.id})`, remove: () => neutron().ports.delete(plain.id) });
      await neutron().ports.delete(plain.id);
      a.ledger.forget(plain.id);
      if (plain.vnicType === null) return t.skip('the cloud shows no binding:vnic_type (before Juno)');
      assert.equal(plain.vnicType, 'normal');
      const p = await neutron().ports.create({ networkId: n.id, name: run.name('sriov-port'), vnicType: 'direct' });
      a.ledger.add(p.id, { label: `port ${p.name} (${p.id})`, remove: () => neutron().ports.delete(p.id) });
      assert.equal(p.vnicType, 'direct');
      const [listed] = await neutron().ports.list({ id: p.id, fields: PORT_FIELDS });
      assert.equal(listed && toPortRecord(listed).vnicType, 'direct', 'discovery reads it');
      assert.equal('vnicType' in toPortRecord(plain), false, 'a normal port says nothing of it');
      const e = await expectHttpError(neutron().ports.create({ networkId: n.id, name: run.name('bogus-port'), vnicType: 'bogus' }), { status: 400, service: 'network', cloud: run.target.name, method: 'POST' });
      assert.match(e.cloudMessage, /Invalid input for binding:vnic_type/);
      await neutron().ports.delete(p.id);
      a.ledger.forget(p.id);
    });

    a.step('port security off (port-security extension, Kilo+): no groups, no default group; groups are a 400 and address pairs a 409', async (t) => {
      const n = need(network, 'the network');
      if (!neutron().extensions.has('port-security')) return t.skip('the cloud has no port-security extension (Kilo+, ML2 extension driver)');
      const p = await neutron().ports.create({ networkId: n.id, name: run.name('open-port'), portSecurityEnabled: false });
      a.ledger.add(p.id, { label: `port ${p.name} (${p.id})`, remove: () => neutron().ports.delete(p.id) });
      assert.equal(p.portSecurityEnabled, false);
      assert.deepEqual(p.securityGroupIds, [], 'no default group on a port without port security');
      const [listed] = await neutron().ports.list({ id: p.id, fields: PORT_FIELDS });
      assert.equal(listed && toPortRecord(listed).portSecurityEnabled, false);
      const g = (await neutron().securityGroups.list({ tenant_id: run.cloud.session.projectId })).find((x) => x.name === 'default');
      assert.ok(g, 'the project has a default group');
      await expectHttpError(neutron().ports.create({ networkId: n.id, portSecurityEnabled: false, securityGroupIds: [g.id] }), { status: 400, service: 'network', cloud: run.target.name, method: 'POST', faultType: 'PortSecurityAndIPRequiredForSecurityGroups' });
      await expectHttpError(neutron().ports.create({ networkId: n.id, portSecurityEnabled: false, allowedAddressPairs: [{ ipAddress: `${net24}.101` }] }), { status: 409, service: 'network', cloud: run.target.name, method: 'POST', faultType: 'AddressPairAndPortSecurityRequired' });
      await expectHttpError(neutron().ports.update(p.id, { securityGroupIds: [g.id] }), { status: 400, service: 'network', cloud: run.target.name, method: 'PUT', faultType: 'PortSecurityAndIPRequiredForSecurityGroups' });
      await neutron().ports.delete(p.id);
      a.ledger.forget(p.id);
    });

    a.step('a network with port security off: its new ports inherit it, and one asked on keeps the default group', async (t) => {
      if (!neutron().extensions.has('port-security')) return t.skip('the cloud has no port-security extension (Kilo+, ML2 extension driver)');
      const open = await neutron().networks.create({ name: run.name('open-net'), portSecurityEnabled: false });
      a.ledger.add(open.id, { label: `network ${open.name} (${open.id})`, remove: () => neutron().networks.delete(open.id) });
      assert.equal(open.portSecurityEnabled, false);
      // A subnet: without an address a port gets no group even with port security on.
      const [x, y, z] = net24.split('.') as [string, string, string];
      await neutron().subnets.create({ networkId: open.id, cidr: `${x}.${y}.${(Number(z) + 1) % 256}.0/24`, name: run.name('open-subnet') });
      const inherited = await neutron().ports.create({ networkId: open.id });
      const asked = await neutron().ports.create({ networkId: open.id, portSecurityEnabled: true });
      for (const p of [inherited, asked]) a.ledger.add(p.id, { label: `port ${p.id}`, remove: () => neutron().ports.delete(p.id) });
      assert.equal(inherited.portSecurityEnabled, false);
      assert.deepEqual(inherited.securityGroupIds, []);
      assert.equal(asked.portSecurityEnabled, true);
      assert.equal(asked.securityGroupIds.length, 1, 'the project\'s default group');
      for (const p of [inherited, asked]) {
        await neutron().ports.delete(p.id);
        a.ledger.forget(p.id);
      }
      await neutron().networks.delete(open.id);
      a.ledger.forget(open.id);
    });

    a.step('deleting a network that has a port is a 409 CloudHttpError', async () => {
      const n = need(network, 'the network');
      need(port, 'the port');
      await expectHttpError(neutron().networks.delete(n.id), { status: 409, service: 'network', cloud: run.target.name, method: 'DELETE', faultType: 'NetworkInUse' });
    });

    a.step('creates a security group (with its default egress rules) and an ingress rule', async () => {
      const name = run.name('sg');
      const g = await neutron().securityGroups.create({ name, description: 'pumphouse contract suite' });
      a.ledger.add(g.id, { label: `security group ${name} (${g.id})`, remove: () => neutron().securityGroups.delete(g.id) });
      group = g;
      assert.equal(g.name, name);
      assert.equal(g.tenantId, run.cloud.session.projectId);
      assert.deepEqual(g.rules.map((r) => `${r.direction}/${r.ethertype}`).sort(), ['egress/IPv4', 'egress/IPv6']);
      const rule = await neutron().securityGroupRules.create({ securityGroupId: g.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0' });
      assert.deepEqual(
        [rule.securityGroupId, rule.direction, rule.ethertype, rule.protocol, rule.portRangeMin, rule.portRangeMax, rule.remoteIpPrefix, rule.remoteGroupId],
        [g.id, 'ingress', 'IPv4', 'tcp', 22, 22, '0.0.0.0/0', null],
      );
      const rules = await neutron().securityGroupRules.list({ security_group_id: g.id });
      assert.equal(rules.length, 3);
      assert.equal((await neutron().securityGroups.get(g.id)).rules.length, 3);
      assert.ok((await neutron().securityGroups.list({ name })).some((x) => x.id === g.id));
      await neutron().securityGroupRules.delete(rule.id);
      await expectHttpError(neutron().securityGroupRules.get(rule.id), nf(rule.id, 'SecurityGroupRuleNotFound'));
    });

    a.step('creates a router, sets its external gateway and plugs the subnet in', async () => {
      const ext = need(external, 'the external network');
      const s = need(subnet, 'the subnet');
      const name = run.name('router');
      const r = await neutron().routers.create({ name });
      a.ledger.add(r.id, { label: `router ${name} (${r.id})`, remove: () => neutron().routers.delete(r.id) });
      assert.equal(r.externalGateway, null);
      const gw = await neutron().routers.setGateway(r.id, { networkId: ext.id });
      a.ledger.add(`${r.id}:gw`, { label: `gateway of router ${name}`, remove: async () => void (await neutron().routers.setGateway(r.id, null)) });
      assert.equal(gw.externalGateway?.networkId, ext.id);
      assert.equal(gw.externalGateway?.enableSnat, true);
      if (neutronShowsGatewayAddresses(run.cloud)) {
        assert.equal(gw.externalGateway?.externalFixedIps.length, 1);
        assert.ok(ext.subnetIds.includes(gw.externalGateway?.externalFixedIps[0]?.subnetId ?? ''), 'the gateway address is on the external subnet');
      } else {
        // Havana and Icehouse: the gateway is {network_id, enable_snat}, its address only on its port.
        assert.deepEqual(gw.externalGateway?.externalFixedIps, []);
        const gwPorts = await neutron().ports.list({ device_id: r.id, device_owner: 'network:router_gateway' });
        assert.equal(gwPorts.length, 1, 'the gateway port');
        assert.ok(ext.subnetIds.includes(gwPorts[0]?.fixedIps[0]?.subnetId ?? ''), 'the gateway address is on the external subnet');
      }
      const itf = await neutron().routers.addInterface(r.id, { subnetId: s.id });
      a.ledger.add(`${r.id}:if`, { label: `interface of router ${name} on ${s.id}`, remove: () => neutron().routers.removeInterface(r.id, { subnetId: s.id }) });
      assert.equal(itf.routerId, r.id);
      assert.equal(itf.subnetId, s.id);
      const itfPort = await neutron().ports.get(itf.portId);
      assert.equal(itfPort.deviceOwner, 'network:router_interface');
      assert.equal(itfPort.deviceId, r.id);
      assert.deepEqual(itfPort.fixedIps, [{ subnetId: s.id, ipAddress: `${net24}.1` }]);
      router = await neutron().routers.get(r.id);
      assert.equal(router.externalGateway?.networkId, ext.id);
    });

    a.step('allocates a floating IP, associates it with the port and detaches it', async () => {
      const ext = need(external, 'the external network');
      const p = need(port, 'the port');
      const r = need(router, 'the router');
      const described = neutronHasDescriptions(run.cloud);
      const f = await neutron().floatingIps.create({ floatingNetworkId: ext.id, ...(described ? { description: run.name('fip') } : {}) });
      a.ledger.add(f.id, { label: `floating IP ${f.floatingIpAddress} (${f.id})`, remove: () => neutron().floatingIps.delete(f.id) });
      fip = f;
      assert.match(f.floatingIpAddress, /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(f.floatingNetworkId, ext.id);
      assert.equal(f.portId, null);
      if (described) assert.equal(f.description, run.name('fip'));
      const on = await neutron().floatingIps.associate(f.id, p.id);
      assert.equal(on.portId, p.id);
      assert.equal(on.fixedIpAddress, `${net24}.10`);
      assert.equal(on.routerId, r.id);
      assert.deepEqual((await neutron().floatingIps.list({ floating_ip_address: f.floatingIpAddress })).map((x) => x.id), [f.id]);
      const off = await neutron().floatingIps.associate(f.id, null);
      assert.equal(off.portId, null);
      assert.equal(off.fixedIpAddress, null);
      await neutron().floatingIps.delete(f.id);
      a.ledger.forget(f.id);
      await expectHttpError(neutron().floatingIps.get(f.id), nf(f.id, 'FloatingIPNotFound'));
    });

    a.step('allocates a floating IP with a chosen address (admin; refused before Kilo)', async () => {
      const ext = need(external, 'the external network');
      const pools = (await neutron().subnets.list({ network_id: ext.id })).filter((x) => x.ipVersion === 4).flatMap((x) => x.allocationPools);
      const pool = pools[0];
      assert.ok(pool, 'the external subnet has an allocation pool');
      const [a0, a1, a2, first] = pool.start.split('.').map(Number) as [number, number, number, number];
      const last = Number(pool.end.split('.')[3]);
      const taken = new Set((await neutron().floatingIps.list({ floating_network_id: ext.id })).map((x) => x.floatingIpAddress));
      // Router gateways hold addresses of the external network too (lowest-first allocators hit them).
      for (const port of await neutron().ports.list({ network_id: ext.id })) for (const ip of port.fixedIps) taken.add(ip.ipAddress);
      const candidates = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => `${a0}.${a1}.${a2}.${first + i}`).filter((x) => !taken.has(x));
      const wanted = candidates[randomInt(0, Math.max(1, candidates.length))];
      assert.ok(wanted, 'a free address in the pool');
      if (!neutronChoosesFloatingAddress(run.cloud)) {
        // Before Kilo `floating_ip_address` is allow_post False (legacy-apis.md §5): the tool must know it is refused.
        await expectHttpError(neutron().floatingIps.create({ floatingNetworkId: ext.id, floatingIpAddress: wanted }), { status: 400, service: 'network', cloud: run.target.name, method: 'POST' });
        assert.ok(!(await neutron().floatingIps.list({ floating_network_id: ext.id })).some((x) => x.floatingIpAddress === wanted), 'nothing was allocated');
        return;
      }
      const f = await neutron().floatingIps.create({ floatingNetworkId: ext.id, floatingIpAddress: wanted, description: run.name('fixed-fip') });
      a.ledger.add(f.id, { label: `floating IP ${f.floatingIpAddress} (${f.id})`, remove: () => neutron().floatingIps.delete(f.id) });
      assert.equal(f.floatingIpAddress, wanted);
      await neutron().floatingIps.delete(f.id);
      a.ledger.forget(f.id);
    });

    a.step('reads, sets and resets network quotas of a project', async () => {
      const project = run.tenant.project.id;
      const before = await neutron().quotas.get(project);
      for (const k of ['network', 'subnet', 'port', 'router', 'floatingip', 'security_group']) assert.equal(typeof before[k], 'number', `quota ${k}`);
      a.ledger.add(`quota:${project}`, { label: `network quotas of ${project}`, remove: () => neutron().quotas.reset(project) });
      const set = await neutron().quotas.update(project, { network: 4, floatingip: 2 });
      assert.deepEqual([set['network'], set['floatingip'], set['port']], [4, 2, before['port']]);
      await neutron().quotas.reset(project);
      a.ledger.forget(`quota:${project}`);
      assert.deepEqual(await neutron().quotas.get(project), before);
    });

    a.step('creates a network inside another project through a scoped session', async () => {
      const project = run.tenant.project.id;
      const scoped = await run.cloud.scopedTo(project);
      const neutronThere = need(scoped.network, 'Neutron in the scoped catalog');
      assert.equal(scoped.session.projectId, project);
      const name = run.name('tenant-net');
      const n = await neutronThere.networks.create({ name });
      a.ledger.add(n.id, { label: `network ${name} (${n.id})`, remove: () => neutron().networks.delete(n.id) });
      assert.equal(n.tenantId, project);
      await neutronThere.networks.delete(n.id);
      a.ledger.forget(n.id);
    });

    a.step('keeps static routes (extraroute) whose next hop is on a plugged subnet; another next hop is a 400, and removing the interface a route needs a 409', async (t) => {
      const r = need(router, 'the router');
      const s = need(subnet, 'the subnet');
      if (!neutron().extensions.has('extraroute')) return t.skip('the cloud has no extraroute extension');
      const routes = [{ destination: '10.250.0.0/24', nexthop: `${net24}.254` }];
      const set = await neutron().routers.update(r.id, { routes });
      a.ledger.add(`${r.id}:routes`, { label: `routes of router ${r.name}`, remove: async () => void (await neutron().routers.update(r.id, { routes: [] })) });
      assert.deepEqual(set.routes.map((x) => [x.destination, x.nexthop]), [['10.250.0.0/24', `${net24}.254`]]);
      await expectHttpError(neutron().routers.update(r.id, { routes: [...routes, { destination: '10.251.0.0/24', nexthop: '192.0.2.77' }] }), { status: 400, service: 'network', cloud: run.target.name, method: 'PUT', faultType: 'InvalidRoutes' });
      await expectHttpError(neutron().routers.removeInterface(r.id, { subnetId: s.id }), { status: 409, service: 'network', cloud: run.target.name, method: 'PUT', faultType: 'RouterInterfaceInUseByRoute' });
      const cleared = await neutron().routers.update(r.id, { routes: [] });
      a.ledger.forget(`${r.id}:routes`);
      assert.deepEqual(cleared.routes, []);
    });

    a.step('takes it all apart: interface, gateway, router, port, security group, subnet, network', async () => {
      const r = need(router, 'the router');
      const s = need(subnet, 'the subnet');
      const p = need(port, 'the port');
      const g = need(group, 'the security group');
      const n = need(network, 'the network');
      await neutron().routers.removeInterface(r.id, { subnetId: s.id });
      a.ledger.forget(`${r.id}:if`);
      const cleared = await neutron().routers.setGateway(r.id, null);
      a.ledger.forget(`${r.id}:gw`);
      assert.equal(cleared.externalGateway, null);
      for (const [id, del] of [
        [r.id, () => neutron().routers.delete(r.id)],
        [p.id, () => neutron().ports.delete(p.id)],
        [g.id, () => neutron().securityGroups.delete(g.id)],
        [s.id, () => neutron().subnets.delete(s.id)],
        [n.id, () => neutron().networks.delete(n.id)],
      ] as const) {
        await del();
        a.ledger.forget(id);
      }
      await expectHttpError(neutron().routers.get(r.id), nf(r.id, 'RouterNotFound'));
      await expectHttpError(neutron().ports.get(p.id), nf(p.id, 'PortNotFound'));
      await expectHttpError(neutron().securityGroups.get(g.id), nf(g.id, 'SecurityGroupNotFound'));
      await expectHttpError(neutron().subnets.get(s.id), nf(s.id, 'SubnetNotFound'));
      await expectHttpError(neutron().networks.get(n.id), nf(n.id, 'NetworkNotFound'));
    });
  });
}
