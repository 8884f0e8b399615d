/**
 * Allowed address pairs, extra DHCP options and port security, planned `after` to destination and back through
 * discovery's records, on the simulator's modern Neutron: a keepalived port keeps its pairs
 * (a pair without a MAC follows the copy's MAC), an appliance's port keeps port security off
 * with no groups, and a network keeps its default for new ports.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PORT_FIELDS, toNetwork, toPort } from '../../../src/discovery/records/network.js';
import { networkKind, portKind } from '../../../src/kinds/network/index.js';
import type { Cloud } from '../../../src/openstack/index.js';
import { simDestination, type SimDestination } from '../support/sim-destination.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../support/step-harness.js';

describe('port attributes on a modern simulated destination', { concurrency: false }, () => {
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
    const [v] = await h.run(portKind, vip);
    const [f] = await h.run(portKind, appliance);
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
    assert.equal(toNetwork(await net.networks.get(n!.destinationId!)).portSecurityEnabled, false);
    // The wire: the pair without a MAC shows the port's own, as Neutron fills it in.
    const raw = await net.ports.get(v!.destinationId!);
    assert.deepEqual(raw.allowedAddressPairs.map((x) => x.macAddress), ['fa:16:3e:12:34:56', 'fa:16:3e:aa:bb:cc']);
  });
});
