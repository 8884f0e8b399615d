import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAfter, at, changes, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { novaNetworkClouds } from './fixtures/nova-network-clouds.js';
import { fakeApply } from './fixtures/fake-apply.js';

const BOTH = desired({ tenants: [tenant('acme'), tenant('beta')] });

describe('plan: nova-network FlatDHCP source to Neutron', () => {
  const c = novaNetworkClouds('FlatDHCP');
  const p = run({ desired: BOTH, source: c.source, destination: c.destination });

  test('the flat network becomes one shared network and subnet with the same CIDR and gateway', () => {
    const net = at(p, 'network[novanetwork]');
    assert.equal(net.action, 'create');
    assert.equal(net.reason.code, 'translated_from_nova_network');
    assert.equal(net.after?.['shared'], true);
    assert.equal(net.after?.['project_id'], null);
    const sub = at(p, 'subnet[novanetwork]');
    assert.equal(sub.after?.['cidr'], '10.0.0.0/24');
    assert.equal(sub.after?.['gateway_ip'], '10.0.0.1');
    assert.deepEqual(sub.after?.['allocation_pools'], [{ start: '10.0.0.10', end: '10.0.0.254' }]);
    assert.deepEqual(sub.after?.['dns_nameservers'], ['8.8.8.8']);
  });

  test('a router to the external network because floating IPs are used', () => {
    const r = at(p, 'router[novanetwork]');
    // The external range holds the source floating IPs: the gateway is pinned to a free
    // address none of them uses, so Neutron cannot hand it one they must keep.
    assert.deepEqual(r.after?.['external_gateway'], { network_id: 'd-n-public', network_name: 'public', enable_snat: null, ip_address: '172.24.4.2', subnet_id: 'd-s-public' });
    const floating = new Set(p.actions.filter((a) => a.kind === 'floating_ip').map((a) => a.after?.['source_address']));
    assert.ok(floating.size > 0 && !floating.has('172.24.4.2'));
    assertAfter(p, at(p, 'router[novanetwork].interface[novanetwork]'), at(p, 'subnet[novanetwork]'));
  });

  test('each server NIC becomes a port with the same fixed IP and MAC, and the server groups', () => {
    const pa = at(p, 'tenant[acme].port[app/10.0.0.11]');
    assert.equal(pa.after?.['mac_address'], 'fa:16:3e:0a:00:01');
    assert.deepEqual(pa.after?.['fixed_ips'], [{ subnet_id: { $ref: at(p, 'subnet[novanetwork]').id }, ip_address: '10.0.0.11' }]);
    assert.equal((pa.after?.['security_groups'] as unknown[]).length, 2);
    assert.ok(at(p, 'tenant[beta].port[app/10.0.0.12]'));
  });

  test('nova-network security groups become Neutron groups; default maps onto the new project default', () => {
    assert.equal(at(p, 'tenant[acme].security_group[default]').action, 'adopt');
    assert.equal(at(p, 'tenant[acme].security_group[web]').action, 'create');
    assert.equal(at(p, 'tenant[acme].security_group[default].rule[ingress-ipv4-tcp-22-22-0.0.0.0/0]').action, 'create');
    assert.equal(at(p, 'tenant[acme].security_group[default].rule[ingress-ipv4-icmp-any-group:default]').action, 'create');
    // Neutron's default lets all its members in; nova-network's only lets ICMP in (rule 101):
    // the automatic ingress goes. Egress stays (nova-network filters none).
    assert.deepEqual(at(p, 'tenant[acme].security_group[default]').after?.['remove_automatic_rules'], [
      { direction: 'ingress', ethertype: 'IPv4', from_itself: true },
      { direction: 'ingress', ethertype: 'IPv6', from_itself: true },
    ]);
    assert.equal('remove_automatic_rules' in at(p, 'tenant[acme].security_group[web]').after!, false);
  });

  test('floating IPs keep their address when the destination external range holds it', () => {
    const fip = at(p, 'tenant[acme].floating_ip[172.24.4.20]');
    assert.equal(fip.after?.['floating_ip_address'], '172.24.4.20');
    assert.equal(fip.after?.['keeps_address'], true);
    assertAfter(p, fip, at(p, 'router[novanetwork].interface[novanetwork]'));
    assertAfter(p, fip, at(p, 'tenant[acme].port[app/10.0.0.11]'));
    const spare = at(p, 'tenant[acme].floating_ip[172.24.4.21]');
    assert.equal(spare.after?.['port_id'], null);
    assert.deepEqual(spare.steps, ['allocate']);
    assert.ok(!p.actions.some((a) => a.address.includes('172.24.4.22')), 'a pool address nobody holds is not migrated');
    assert.ok(!p.diagnostics.some((d) => d.summary.includes('new address')));
  });

  test('planning after apply shows no changes', () => {
    const r = fakeApply(p, c.source, c.destination);
    const again = run({ desired: BOTH, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(changes(again).map((a) => `${a.action} ${a.address}`), []);
    assert.deepEqual(again.drift, []);
  });
});

describe('plan: nova-network VLAN source to Neutron', () => {
  const c = novaNetworkClouds('VLAN');
  const p = run({ desired: BOTH, source: c.source, destination: c.destination });

  test('each tenant VLAN network becomes that tenant network and subnet, CIDR and gateway kept', () => {
    const a = at(p, 'tenant[acme].network[private]');
    assert.equal(a.after?.['shared'], false);
    assert.deepEqual(a.after?.['translated_from'], { manager: 'VLAN', vlan: 101, bridge: 'br101', cidr: '10.1.0.0/24' });
    assert.equal(at(p, 'tenant[acme].subnet[private]').after?.['cidr'], '10.1.0.0/24');
    assert.equal(at(p, 'tenant[beta].subnet[private]').after?.['cidr'], '10.2.0.0/24');
    assert.equal(at(p, 'tenant[beta].subnet[private]').after?.['gateway_ip'], '10.2.0.1');
  });

  test('servers land on their own tenant network even though the labels are the same', () => {
    const pb = at(p, 'tenant[beta].port[app/10.2.0.3]');
    assert.deepEqual(pb.after?.['network_id'], { $ref: at(p, 'tenant[beta].network[private]').id });
  });

  test('only the tenant using floating IPs gets a router', () => {
    assert.ok(at(p, 'tenant[acme].router[private]'));
    assert.ok(!p.actions.some((a) => a.address.startsWith('tenant[beta].router')));
  });

  test('planning after apply shows no changes', () => {
    const r = fakeApply(p, c.source, c.destination);
    const again = run({ desired: BOTH, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(changes(again).map((a) => `${a.action} ${a.address}`), []);
  });
});

describe('plan: nova-network floating range not held by the destination', () => {
  test('the address changes, with a warning diagnostic per address', () => {
    const c = novaNetworkClouds('FlatDHCP', { publicCidr: '203.0.113.0/24' });
    const p = run({ desired: BOTH, source: c.source, destination: c.destination });
    const fip = at(p, 'tenant[acme].floating_ip[172.24.4.20]');
    assert.equal(fip.after?.['floating_ip_address'], null);
    assert.equal(fip.after?.['keeps_address'], false);
    assert.match(fip.warnings?.[0] ?? '', /outside the destination external network 'public' \(203\.0\.113\.0\/24\)/);
    const warned = p.diagnostics.filter((d) => d.summary.includes('will get a new address')).map((d) => d.address);
    assert.deepEqual(warned, ['tenant[acme].floating_ip[172.24.4.20]', 'tenant[acme].floating_ip[172.24.4.21]']);
    assert.equal(p.applyable, true, 'a changing address is a warning, not an error');
    // No source floating address can collide with the gateway there: Neutron chooses it.
    assert.deepEqual(at(p, 'router[novanetwork]').after?.['external_gateway'], { network_id: 'd-n-public', network_name: 'public', enable_snat: null });
  });
});
