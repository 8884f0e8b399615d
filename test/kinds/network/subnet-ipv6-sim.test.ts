/**
 * An IPv6 subnet planned with its router advertisement and address modes, made on the
 * simulator's modern Neutron and read back through discovery's record.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toSubnet } from '../../../src/discovery/records/network.js';
import { networkKind, subnetKind } from '../../../src/kinds/network/index.js';
import type { Cloud } from '../../../src/openstack/index.js';
import { simDestination, type SimDestination } from '../support/sim-destination.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../support/step-harness.js';

describe('IPv6 subnet modes on a modern simulated destination', { concurrency: false }, () => {
  let d: SimDestination;
  let dst: Cloud;
  before(async () => {
    d = await simDestination();
    dst = d.cloud;
  });
  after(() => d?.close());

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
});
