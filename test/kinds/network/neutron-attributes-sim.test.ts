/**
 * Attributes planned in `after`, made on the simulator's modern Neutron through the real
 * clients and read back through discovery's records: a port's allowed address pairs (a pair
 * without a MAC follows the copy's MAC), extra DHCP options, port security and vnic_type, a network's
 * default for new ports; an IPv6 subnet's modes; an HA, distributed router; a router's static routes; the automatic group rules a source group
 * lacked, removed (and a rerun of the step harmless).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PORT_FIELDS, toNetwork, toPort, toRouter, toSubnet } from '../../../src/discovery/records/network.js';
import { projectKind } from '../../../src/kinds/identity/index.js';
import { networkKind, portKind, routerInterfaceKind, routerKind, securityGroupKind, subnetKind } from '../../../src/kinds/network/index.js';
import type { Cloud, SecurityGroupRule } from '../../../src/openstack/index.js';
import { simDestination, type SimDestination } from '../support/sim-destination.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../support/step-harness.js';

const key = (r: SecurityGroupRule, self: string): string => `${r.direction} ${r.ethertype} ${r.remoteGroupId === self ? 'self' : (r.remoteGroupId ?? 'any')}`;

describe('Neutron attributes on a modern simulated destination', { concurrency: false }, () => {
  let d: SimDestination;
  let dst: Cloud;
  before(async () => {
    d = await simDestination();
    dst = d.cloud;
  });
  after(() => d?.close());

  it('creates what the plan says and discovery reads the same back, asked with fields= as it asks', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const net = dst.network!;
    const network = makeAction({ kind: 'network', action: 'create', address: 'tenant[a].network[n]', sourceId: 'src-net', after: { name: 'n', shared: false, admin_state_up: true, port_security_enabled: false } });
    const [n] = await h.run(networkKind, network);
    const subnet = await net.subnets.create({ networkId: n!.destinationId!, cidr: '10.7.0.0/24', name: 's' });
    const vip = makeAction({
      kind: 'port', action: 'create', address: 'tenant[a].port[vrrp-1/10.7.0.5]', sourceId: 'src-vip',
      after: {
        name: 'vrrp', network_id: ref(network), fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.7.0.5' }], security_groups: [], admin_state_up: true, mac_address: 'fa:16:3e:12:34:56',
        allowed_address_pairs: [{ ip_address: '10.7.0.100' }, { ip_address: '10.7.1.0/28', mac_address: 'fa:16:3e:aa:bb:cc' }],
        port_security_enabled: true,
        extra_dhcp_opts: [{ opt_name: 'domain-search', opt_value: 'example.org' }, { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 }],
      },
    });
    const appliance = makeAction({
      kind: 'port', action: 'create', address: 'tenant[a].port[fw-1/10.7.0.6]', sourceId: 'src-fw',
      after: { name: 'fw', network_id: ref(network), fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.7.0.6' }], security_groups: [], admin_state_up: true, mac_address: null, port_security_enabled: false },
    });
    const sriov = makeAction({
      kind: 'port', action: 'create', address: 'tenant[a].port[nfv-1/10.7.0.7]', sourceId: 'src-vf',
      after: { name: 'vf', network_id: ref(network), fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.7.0.7' }], security_groups: [], admin_state_up: true, mac_address: null, vnic_type: 'direct' },
    });
    const [v] = await h.run(portKind, vip);
    const [f] = await h.run(portKind, appliance);
    const [vf] = await h.run(portKind, sriov);
    const listed = new Map((await net.ports.list({ network_id: n!.destinationId!, fields: PORT_FIELDS })).map((p) => [p.id, toPort(p)]));
    const vipRecord = listed.get(v!.destinationId!)!;
    assert.deepEqual(vipRecord.allowedAddressPairs, [{ ipAddress: '10.7.0.100' }, { ipAddress: '10.7.1.0/28', macAddress: 'fa:16:3e:aa:bb:cc' }]);
    assert.deepEqual(vipRecord.extraDhcpOpts, [{ name: 'dns-server', value: '2001:db8::53', ipVersion: 6 }, { name: 'domain-search', value: 'example.org', ipVersion: 4 }]);
    // Asked for on, on a network whose default is off (pairs need it on).
    assert.equal(vipRecord.portSecurityEnabled, true);
    const fwRecord = listed.get(f!.destinationId!)!;
    assert.equal(fwRecord.portSecurityEnabled, false);
    assert.deepEqual(fwRecord.securityGroupIds, []);
    assert.equal(fwRecord.allowedAddressPairs, undefined);
    assert.equal(fwRecord.extraDhcpOpts, undefined);
    // An SR-IOV port's copy binds the same way; ordinary ports say nothing of it.
    assert.equal(listed.get(vf!.destinationId!)!.vnicType, 'direct');
    assert.equal('vnicType' in fwRecord, false);
    assert.equal(toNetwork(await net.networks.get(n!.destinationId!)).portSecurityEnabled, false);
    // The wire: the pair without a MAC shows the port's own, as Neutron fills it in.
    const raw = await net.ports.get(v!.destinationId!);
    assert.deepEqual(raw.allowedAddressPairs.map((x) => x.macAddress), ['fa:16:3e:12:34:56', 'fa:16:3e:aa:bb:cc']);
  });

  it('makes the subnet with the planned modes, and discovery reads them back', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const network = makeAction({ kind: 'network', action: 'create', address: 'tenant[a].network[v6]', sourceId: 'src-net-v6', after: { name: 'v6', shared: false, admin_state_up: true } });
    await h.run(networkKind, network);
    const subnet = makeAction({
      kind: 'subnet', action: 'create', address: 'tenant[a].subnet[v6]', sourceId: 'src-sub-v6',
      after: {
        name: 'v6', network_id: ref(network), cidr: 'fd00:7::/64', ip_version: 6, gateway_ip: 'fd00:7::1', enable_dhcp: true, dns_nameservers: [], allocation_pools: [], host_routes: [],
        ipv6_ra_mode: 'dhcpv6-stateful', ipv6_address_mode: 'dhcpv6-stateful',
      },
    });
    const [r] = await h.run(subnetKind, subnet);
    const record = toSubnet(await dst.network!.subnets.get(r!.destinationId!));
    assert.deepEqual([record.ipVersion, record.ipv6RaMode, record.ipv6AddressMode], [6, 'dhcpv6-stateful', 'dhcpv6-stateful']);
  });

  it('adds the static routes the router\'s last interface carries, once plugged; a rerun puts back the missing ones and keeps routes made by hand', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const net = dst.network!;
    const network = makeAction({ kind: 'network', action: 'create', address: 'tenant[a].network[routed]', sourceId: 'src-net-routed', after: { name: 'routed', shared: false, admin_state_up: true } });
    const [n] = await h.run(networkKind, network);
    const subnet = await net.subnets.create({ networkId: n!.destinationId!, cidr: '10.8.0.0/24', name: 'routed' });
    const router = makeAction({ kind: 'router', action: 'create', address: 'tenant[a].router[routed]', sourceId: 'src-r-routed', after: { name: 'routed', project_id: null, admin_state_up: true, external_gateway: null } });
    const [r] = await h.run(routerKind, router);
    const routerId = r!.destinationId!;
    const iface = makeAction({
      kind: 'router_interface', action: 'create', address: 'tenant[a].router[routed].interface[routed]', sourceId: 'src-r-routed/src-s-routed',
      after: { router_id: ref(router), subnet_id: subnet.id, routes: [{ destination: '10.99.0.0/24', nexthop: '10.8.0.254' }, { destination: '10.98.0.0/24', nexthop: '10.8.0.253' }] },
    });
    await h.run(routerInterfaceKind, iface);
    const routes = async () => (await net.routers.get(routerId)).routes.map((x) => `${x.destination} via ${x.nexthop}`).sort();
    assert.deepEqual(await routes(), ['10.98.0.0/24 via 10.8.0.253', '10.99.0.0/24 via 10.8.0.254']);
    await net.routers.update(routerId, { routes: [{ destination: '10.97.0.0/24', nexthop: '10.8.0.252' }] });
    const [again] = await h.run(routerInterfaceKind, iface);
    assert.equal(again!.destinationId, `${routerId}/${subnet.id}`);
    assert.deepEqual(await routes(), ['10.97.0.0/24 via 10.8.0.252', '10.98.0.0/24 via 10.8.0.253', '10.99.0.0/24 via 10.8.0.254']);
  });

  it('makes an HA, distributed router where the plan says so, and discovery reads both back; a legacy one neither', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const ha = makeAction({ kind: 'router', action: 'create', address: 'tenant[a].router[ha]', sourceId: 'src-r-ha', after: { name: 'ha', project_id: null, admin_state_up: true, external_gateway: null, ha: true, distributed: true } });
    const legacy = makeAction({ kind: 'router', action: 'create', address: 'tenant[a].router[legacy]', sourceId: 'src-r-legacy', after: { name: 'legacy', project_id: null, admin_state_up: true, external_gateway: null } });
    const [r] = await h.run(routerKind, ha);
    const [l] = await h.run(routerKind, legacy);
    const record = toRouter(await dst.network!.routers.get(r!.destinationId!), []);
    assert.deepEqual([record.ha, record.distributed], [true, true]);
    const plain = toRouter(await dst.network!.routers.get(l!.destinationId!), []);
    assert.deepEqual([plain.ha, plain.distributed], [undefined, undefined]);
  });

  it('a new group loses its IPv6 egress, a new project\'s default its ingress from itself; the rest stays', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const project = makeAction({ kind: 'project', action: 'create', address: 'tenant[trim]', sourceId: 'src-p-trim', after: { name: 'trim', description: '', enabled: true } });
    await h.run(projectKind, project);
    const web = makeAction({
      kind: 'security_group', action: 'create', address: 'tenant[trim].security_group[web]', sourceId: 'src-sg-web',
      after: { name: 'web', description: '', project_id: ref(project), remove_automatic_rules: [{ direction: 'egress', ethertype: 'IPv6', from_itself: false }] },
    });
    const def = makeAction({
      kind: 'security_group', action: 'adopt', address: 'tenant[trim].security_group[default]', sourceId: 'src-sg-def',
      after: {
        name: 'default', description: '', project_id: ref(project),
        remove_automatic_rules: [{ direction: 'ingress', ethertype: 'IPv4', from_itself: true }, { direction: 'ingress', ethertype: 'IPv6', from_itself: true }],
      },
    });
    const [w] = await h.run(securityGroupKind, web);
    const [dg] = await h.run(securityGroupKind, def);
    const rules = async (id: string) => (await dst.network!.securityGroups.get(id)).rules.map((r) => key(r, id)).sort();
    assert.deepEqual(await rules(w!.destinationId!), ['egress IPv4 any']);
    assert.deepEqual(await rules(dg!.destinationId!), ['egress IPv4 any', 'egress IPv6 any']);
    // Run again (a resumed apply): found by its marker, nothing more to remove, no error.
    const [again] = await h.run(securityGroupKind, web);
    assert.equal(again!.destinationId, w!.destinationId);
    assert.deepEqual(await rules(w!.destinationId!), ['egress IPv4 any']);
  });
});
