/**
 * Networking kinds against the real Zed testbed, in plan order inside one destination project:
 * the Neutron `default` security group adopted, a group with rules (one referencing the
 * default group), a network with a subnet, a router with its gateway on `public` and an
 * interface, a port keeping a MAC and a fixed IP, and floating IPs (one keeping its address and
 * associated, one new), and a network opened to another project by RBAC. Every create is run
 * a second time to prove it adopts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toNetwork, toPort } from '../../src/discovery/records/network.js';
import { markerFromDescription, markerFromTags } from '../../src/inventory/marker.js';
import { markedDescription } from '../../src/kinds/network/neutron-marked.js';
import {
  floatingIpKind,
  networkKind,
  portKind,
  routerInterfaceKind,
  routerKind,
  securityGroupKind,
  securityGroupRuleKind,
  subnetKind,
} from '../../src/kinds/network/index.js';
import type { KindHandler } from '../../src/kinds/contract.js';
import type { Action } from '../../src/plan/index.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../kinds/support/step-harness.js';
import { openNetworkScenario } from '../kinds/network/rbac-policy-scenario.js';
import { Cleanup, openTestbed, testbedSkipReason, testPrefix, type Testbed } from './kinds-support.js';

const skip = await testbedSkipReason();

describe('networking kinds on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let h: StepHarness;
  const cleanup = new Cleanup();
  const prefix = testPrefix();
  const tenant = `tenant[${prefix}-acme]`;
  let projectId = '';

  before(async () => {
    tb = await openTestbed();
    h = new StepHarness(cloudAccess(tb.source, tb.destination));
    const p = await tb.destination.identity.projects.create({ name: `${prefix}-acme` });
    projectId = p.id;
    cleanup.add('destination project', () => tb.destination.identity.projects.delete(p.id));
  });

  after(async () => {
    try {
      await cleanup.run();
    } finally {
      await tb?.close();
    }
  });

  /** Runs `action`, then runs it again as a fresh apply would (state lost): same object. */
  async function twice(handler: KindHandler, action: Action): Promise<string> {
    const first = (await h.run(handler, action)).at(-1)!.destinationId!;
    h.forget(action);
    const second = (await h.run(handler, action)).at(-1)!.destinationId!;
    assert.equal(second, first, `${action.address}: the second run adopts the first copy`);
    return first;
  }

  it('builds a tenant network in plan order, each object made once', async () => {
    const net = tb.destination.network!;
    const at = (kind: string, name: string) => `${tenant}.${kind}[${name}]`;

    // Security groups: Neutron's default is adopted, never duplicated.
    const dflt = makeAction({ kind: 'security_group', action: 'adopt', address: at('security_group', 'default'), sourceId: 'src-sg-default', after: { name: 'default', description: 'Default security group', project_id: projectId } });
    const defaultId = (await h.run(securityGroupKind, dflt))[0]!.destinationId!;
    cleanup.add('default group', () => net.securityGroups.delete(defaultId));
    const createDefault = makeAction({ kind: 'security_group', action: 'create', address: at('security_group', 'default'), sourceId: 'src-sg-default', after: { name: 'default', description: 'x', project_id: projectId } });
    assert.equal((await h.run(securityGroupKind, createDefault))[0]!.destinationId, defaultId);
    assert.equal((await net.securityGroups.list({ tenant_id: projectId, name: 'default' })).length, 1);

    const web = makeAction({ kind: 'security_group', action: 'create', address: at('security_group', 'web'), sourceId: 'src-sg-web', after: { name: `${prefix}-web`, description: 'web servers', project_id: projectId, remove_automatic_rules: [{ direction: 'egress', ethertype: 'IPv6', from_itself: false }] } });
    const webId = await twice(securityGroupKind, web);
    cleanup.add('web group', () => net.securityGroups.delete(webId));
    const g = await net.securityGroups.get(webId);
    assert.equal(g.tenantId, projectId);
    assert.deepEqual(markerFromTags(g.tags), { sourceId: 'src-sg-web', kind: 'security_group' });
    assert.deepEqual(markerFromDescription(g.description), { sourceId: 'src-sg-web', kind: 'security_group' });

    const rule = (sourceId: string, after: Record<string, unknown>, action: 'create' | 'adopt' = 'create') =>
      makeAction({ kind: 'security_group_rule', action, address: at('security_group', 'web') + `.rule[${sourceId}]`, sourceId, after: { security_group_id: ref(web), ethertype: 'IPv4', protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null, remote_group_id: null, ...after } as never });
    const ssh = await twice(securityGroupRuleKind, rule('r-ssh', { direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }));
    const fromDefault = await twice(securityGroupRuleKind, rule('r-grp', { direction: 'ingress', remote_group_id: ref(dflt) }));
    const egress = (await h.run(securityGroupRuleKind, rule('r-egress', { direction: 'egress' }, 'adopt')))[0]!.destinationId!;
    const rules = (await net.securityGroups.get(webId)).rules;
    assert.deepEqual(new Set([ssh, fromDefault, egress].map((id) => rules.some((r) => r.id === id))), new Set([true]));
    assert.equal(rules.find((r) => r.id === fromDefault)?.remoteGroupId, defaultId);
    assert.equal(rules.find((r) => r.id === ssh)?.tenantId, projectId);
    assert.equal(rules.length, 3, 'the IPv4 egress rule Neutron made (its IPv6 one removed as planned), plus ssh and group');
    assert.equal(rules.some((r) => r.direction === 'egress' && r.ethertype === 'IPv6'), false);

    // Network and subnet.
    const network = makeAction({ kind: 'network', action: 'create', address: at('network', 'private'), sourceId: 'src-net', after: { name: `${prefix}-private`, project_id: projectId, shared: false, admin_state_up: true, mtu: 9000, tags: ['k8s', 'tier=web'] } });
    const networkId = await twice(networkKind, network);
    cleanup.add('network', () => net.networks.delete(networkId));
    const n = await net.networks.get(networkId);
    assert.equal(n.tenantId, projectId);
    assert.deepEqual(markerFromTags(n.tags), { sourceId: 'src-net', kind: 'network' });
    assert.deepEqual(toNetwork(n).tags, ['k8s', 'tier=web'], "the source's own tags, beside the marker's");
    assert.ok(h.reporter.ofType('diagnostic').some((e) => e.summary.includes('MTU 9000')), 'a refused MTU is reported');

    const subnet = makeAction({
      kind: 'subnet',
      action: 'create',
      address: at('subnet', 'private'),
      sourceId: 'src-subnet',
      after: {
        name: `${prefix}-private`,
        network_id: ref(network),
        project_id: projectId,
        cidr: '10.77.0.0/24',
        ip_version: 4,
        gateway_ip: '10.77.0.1',
        enable_dhcp: true,
        dns_nameservers: ['192.0.2.53'],
        allocation_pools: [{ start: '10.77.0.10', end: '10.77.0.200' }],
        host_routes: [{ destination: '10.88.0.0/24', nexthop: '10.77.0.254' }],
      },
    });
    const subnetId = await twice(subnetKind, subnet);
    const s = await net.subnets.get(subnetId);
    assert.deepEqual([s.cidr, s.gatewayIp, s.dnsNameservers, s.allocationPools, s.hostRoutes], [
      '10.77.0.0/24',
      '10.77.0.1',
      ['192.0.2.53'],
      [{ start: '10.77.0.10', end: '10.77.0.200' }],
      [{ destination: '10.88.0.0/24', nexthop: '10.77.0.254' }],
    ]);

    // An HA router with its gateway on the destination's external network, and its interface.
    const publicNet = (await net.networks.list({ name: 'public' }))[0]!;
    const router = makeAction({ kind: 'router', action: 'create', address: at('router', 'r1'), sourceId: 'src-router', after: { name: `${prefix}-r1`, project_id: projectId, admin_state_up: true, ha: true, external_gateway: { network_id: publicNet.id, network_name: 'public', enable_snat: true } } });
    const routerId = await twice(routerKind, router);
    cleanup.add('router', () => net.routers.delete(routerId));
    const made = await net.routers.get(routerId);
    assert.deepEqual([made.externalGateway?.networkId, made.ha], [publicNet.id, true]);
    // The router's last interface carries its static routes (a next hop on the subnet).
    const iface = makeAction({
      kind: 'router_interface', action: 'create', address: at('router', 'r1') + '.interface[private]', sourceId: 'src-router/src-subnet',
      after: { router_id: ref(router), subnet_id: ref(subnet), routes: [{ destination: '10.99.0.0/24', nexthop: '10.77.0.254' }] },
    });
    assert.equal(await twice(routerInterfaceKind, iface), `${routerId}/${subnetId}`);
    cleanup.add('router interface', () => net.routers.removeInterface(routerId, { subnetId }));
    // Neutron keeps an interface a route's next hop needs: the routes go first.
    cleanup.add('router routes', () => net.routers.update(routerId, { routes: [] }));
    assert.deepEqual((await net.routers.get(routerId)).routes.map((x) => [x.destination, x.nexthop]), [['10.99.0.0/24', '10.77.0.254']], 'the route, once');
    const routerPorts = (await net.ports.list({ device_id: routerId })).filter((p) => p.fixedIps.some((f) => f.subnetId === subnetId));
    assert.equal(routerPorts.length, 1);
    assert.equal(routerPorts[0]!.fixedIps[0]!.ipAddress, '10.77.0.1');

    // A server NIC keeping its MAC and fixed IP, with the server's groups.
    const port = makeAction({
      kind: 'port',
      action: 'create',
      address: at('port', 'web-1/10.77.0.50'),
      sourceId: 'src-port',
      after: {
        name: '', network_id: ref(network), project_id: projectId, mac_address: 'fa:16:3e:7a:00:50', fixed_ips: [{ subnet_id: ref(subnet), ip_address: '10.77.0.50' }], security_groups: [ref(web), ref(dflt)], admin_state_up: true, server: 'src-server',
        allowed_address_pairs: [{ ip_address: '10.77.0.100' }, { ip_address: '10.77.0.112/28', mac_address: 'fa:16:3e:7a:00:99' }], port_security_enabled: true,
      },
    });
    const portId = await twice(portKind, port);
    cleanup.add('port', () => net.ports.delete(portId));
    const p = await net.ports.get(portId);
    assert.deepEqual([p.macAddress, p.fixedIps, [...p.securityGroupIds].sort(), p.tenantId], ['fa:16:3e:7a:00:50', [{ subnetId, ipAddress: '10.77.0.50' }], [webId, defaultId].sort(), projectId]);
    assert.deepEqual(toPort(p).allowedAddressPairs, [{ ipAddress: '10.77.0.100' }, { ipAddress: '10.77.0.112/28', macAddress: 'fa:16:3e:7a:00:99' }]);
    assert.equal(p.portSecurityEnabled, true);

    // An appliance's NIC: port security off, no groups (Neutron adds no default group then).
    const appliance = makeAction({
      kind: 'port',
      action: 'create',
      address: at('port', 'fw-1/10.77.0.51'),
      sourceId: 'src-port-fw',
      after: { name: 'fw', network_id: ref(network), project_id: projectId, mac_address: null, fixed_ips: [{ subnet_id: ref(subnet), ip_address: '10.77.0.51' }], security_groups: [], admin_state_up: true, server: 'src-server-fw', port_security_enabled: false },
    });
    const applianceId = await twice(portKind, appliance);
    cleanup.add('appliance port', () => net.ports.delete(applianceId));
    const ap = await net.ports.get(applianceId);
    assert.deepEqual([ap.portSecurityEnabled, ap.securityGroupIds, ap.allowedAddressPairs], [false, [], []]);

    // Floating IPs: one keeps a planned address and is associated, one takes any address.
    const kept = makeAction({
      kind: 'floating_ip',
      action: 'create',
      address: at('floating_ip', '203.0.113.77'),
      sourceId: 'src-fip-1',
      after: { floating_network_id: publicNet.id, floating_network_name: 'public', floating_ip_address: '198.51.100.77', source_address: '203.0.113.77', keeps_address: true, port_id: ref(port), fixed_ip_address: '10.77.0.50', project_id: projectId },
    });
    const keptId = await twice(floatingIpKind, kept);
    cleanup.add('kept floating IP', () => net.floatingIps.delete(keptId));
    const f = await net.floatingIps.get(keptId);
    assert.deepEqual([f.floatingIpAddress, f.portId, f.fixedIpAddress, f.tenantId], ['198.51.100.77', portId, '10.77.0.50', projectId]);
    const fresh = makeAction({
      kind: 'floating_ip',
      action: 'create',
      address: at('floating_ip', '203.0.113.78'),
      sourceId: 'src-fip-2',
      steps: ['allocate'],
      after: { floating_network_id: publicNet.id, floating_network_name: 'public', floating_ip_address: null, source_address: '203.0.113.78', keeps_address: false, port_id: null, fixed_ip_address: null, project_id: projectId },
    });
    const freshId = await twice(floatingIpKind, fresh);
    cleanup.add('new floating IP', () => net.floatingIps.delete(freshId));
    const f2 = await net.floatingIps.get(freshId);
    assert.equal(f2.portId, null);
    assert.match(f2.floatingIpAddress, /^198\.51\.100\./);
    assert.equal((await net.floatingIps.list({ tenant_id: projectId })).length, 2);
  });

  it('adopts a network a crashed run made but did not tag yet (marker in the description only)', async () => {
    const net = tb.destination.network!;
    const marker = { sourceId: 'src-net-crash', kind: 'network' };
    const half = await net.networks.create({ name: `${prefix}-half`, tenantId: projectId, description: markedDescription(null, marker) });
    cleanup.add('half-made network', () => net.networks.delete(half.id));
    const action = makeAction({ kind: 'network', action: 'create', address: `${tenant}.network[half]`, sourceId: 'src-net-crash', after: { name: `${prefix}-half`, project_id: projectId, shared: false, admin_state_up: true, mtu: null } });
    assert.equal((await h.run(networkKind, action))[0]!.destinationId, half.id);
    assert.deepEqual(markerFromTags((await net.networks.get(half.id)).tags), marker);
    assert.equal((await net.networks.list({ tenant_id: projectId, name: `${prefix}-half` })).length, 1);
  });

  it('opens a network to another project by RBAC once, adopts it, and asks to plan again when it is gone', async () => {
    const other = await tb.destination.identity.projects.create({ name: `${prefix}-other` });
    cleanup.add('other destination project', () => tb.destination.identity.projects.delete(other.id));
    const n = await tb.destination.network!.networks.create({ name: `${prefix}-rbac`, tenantId: projectId });
    // Neutron deletes a network's policies with it.
    cleanup.add('RBAC network', () => tb.destination.network!.networks.delete(n.id));
    await openNetworkScenario(tb.destination, h, { networkId: n.id, owner: projectId, other: other.id });
  });
});
