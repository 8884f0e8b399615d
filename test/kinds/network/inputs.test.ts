import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AfterValues } from '../../../src/kinds/common/after.js';
import { portInput, routerInput, ruleSpec, sameRule, subnetInput } from '../../../src/kinds/network/index.js';
import type { SecurityGroupRule } from '../../../src/openstack/index.js';

const at = (v: ConstructorParameters<typeof AfterValues>[0]) => new AfterValues(v, 'tenant[acme].x');

describe('Neutron create requests from plan attributes', () => {
  it('subnet: keeps gateway, DNS, pools and routes; sends no empty pool list; a null gateway means none', () => {
    const base = { name: 's', network_id: 'n1', project_id: 'p1', cidr: '10.0.0.0/24', ip_version: 4, enable_dhcp: false, dns_nameservers: ['8.8.8.8'], host_routes: [] };
    assert.deepEqual(subnetInput(at({ ...base, gateway_ip: '10.0.0.1', allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.20' }] })), {
      networkId: 'n1',
      cidr: '10.0.0.0/24',
      name: 's',
      gatewayIp: '10.0.0.1',
      enableDhcp: false,
      dnsNameservers: ['8.8.8.8'],
      hostRoutes: [],
      ipVersion: 4,
      allocationPools: [{ start: '10.0.0.10', end: '10.0.0.20' }],
      tenantId: 'p1',
    });
    const v6 = subnetInput(at({ ...base, cidr: 'fd00:1::/64', ip_version: 6, gateway_ip: 'fd00:1::1', ipv6_ra_mode: 'slaac', ipv6_address_mode: 'slaac' }));
    assert.deepEqual([v6.ipv6RaMode, v6.ipv6AddressMode], ['slaac', 'slaac']);
    const noGw = subnetInput(at({ ...base, gateway_ip: null, allocation_pools: [], project_id: null }));
    assert.equal('ipv6RaMode' in noGw || 'ipv6AddressMode' in noGw, false);
    assert.equal(noGw.gatewayIp, null);
    assert.equal('allocationPools' in noGw, false);
    assert.equal('tenantId' in noGw, false, 'a global subnet belongs to the admin project');
  });

  it('port: MAC and fixed IPs when kept, subnet-only entries when not, entries with neither dropped', () => {
    const kept = portInput(at({ name: '', network_id: 'n1', project_id: 'p1', mac_address: 'fa:16:3e:00:00:01', fixed_ips: [{ subnet_id: 's1', ip_address: '10.0.0.5' }], security_groups: ['g1', 'g2'], admin_state_up: true, server: 'sv1' }), new Set());
    assert.deepEqual(kept, { networkId: 'n1', name: '', adminStateUp: true, securityGroupIds: ['g1', 'g2'], fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.5' }], macAddress: 'fa:16:3e:00:00:01', tenantId: 'p1' });
    const fresh = portInput(at({ network_id: 'n1', project_id: 'p1', mac_address: null, fixed_ips: [{ subnet_id: 's1', ip_address: null }, { subnet_id: null, ip_address: null }], security_groups: [] }), new Set());
    assert.deepEqual(fresh.fixedIps, [{ subnetId: 's1' }]);
    assert.equal('macAddress' in fresh, false);
    assert.deepEqual(fresh.securityGroupIds, [], 'a port the source had without groups gets none');
  });

  it('port: address pairs as planned; port security off always, on only where the destination has the extension', () => {
    const base = { network_id: 'n1', project_id: 'p1', mac_address: null, fixed_ips: [], security_groups: [] };
    const pairs = portInput(at({ ...base, allowed_address_pairs: [{ ip_address: '10.0.0.100' }, { ip_address: '10.0.1.0/28', mac_address: 'fa:16:3e:aa:bb:cc' }] }), new Set());
    assert.deepEqual(pairs.allowedAddressPairs, [{ ipAddress: '10.0.0.100' }, { ipAddress: '10.0.1.0/28', macAddress: 'fa:16:3e:aa:bb:cc' }]);
    assert.equal('allowedAddressPairs' in portInput(at(base), new Set()), false);
    const ext = new Set(['port-security']);
    assert.equal(portInput(at({ ...base, port_security_enabled: false }), new Set()).portSecurityEnabled, false);
    assert.equal(portInput(at({ ...base, port_security_enabled: true }), ext).portSecurityEnabled, true);
    assert.equal('portSecurityEnabled' in portInput(at({ ...base, port_security_enabled: true }), new Set()), false);
    assert.equal('portSecurityEnabled' in portInput(at(base), ext), false);
  });

  it('port: extra DHCP options as planned, ip_version sent for 6 only (the default is 4, and Havana-Juno refuse the key)', () => {
    const base = { network_id: 'n1', project_id: 'p1', mac_address: null, fixed_ips: [], security_groups: [] };
    const opts = portInput(at({ ...base, extra_dhcp_opts: [{ opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 }, { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 }, { opt_name: 'domain-search', opt_value: 'example.org' }] }), new Set());
    assert.deepEqual(opts.extraDhcpOpts, [{ optName: 'bootfile-name', optValue: 'pxelinux.0' }, { optName: 'dns-server', optValue: '2001:db8::53', ipVersion: 6 }, { optName: 'domain-search', optValue: 'example.org' }]);
    assert.equal('extraDhcpOpts' in portInput(at(base), new Set()), false);
  });

  it('router: gateway with SNAT only when the source said', () => {
    assert.deepEqual(routerInput(at({ name: 'r1', project_id: 'p1', admin_state_up: true, external_gateway: { network_id: 'ext', network_name: 'public', enable_snat: false } })), {
      name: 'r1',
      adminStateUp: true,
      tenantId: 'p1',
      externalGateway: { networkId: 'ext', enableSnat: false },
    });
    assert.deepEqual(routerInput(at({ name: 'r1', project_id: 'p1', external_gateway: { network_id: 'ext', enable_snat: null } })).externalGateway, { networkId: 'ext' });
    assert.equal(routerInput(at({ name: 'r1', project_id: null, external_gateway: null })).externalGateway, undefined);
  });

  it('router: ha and distributed only when after says true (else the destination default)', () => {
    const input = routerInput(at({ name: 'r1', project_id: null, external_gateway: null, ha: true, distributed: true }));
    assert.deepEqual([input.ha, input.distributed], [true, true]);
    const legacy = routerInput(at({ name: 'r1', project_id: null, external_gateway: null }));
    assert.equal('ha' in legacy || 'distributed' in legacy, false);
  });

  it('security group rules match on every field, remote group included', () => {
    const spec = ruleSpec(at({ security_group_id: 'g1', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0', remote_group_id: null }));
    const r: SecurityGroupRule = { id: 'x', securityGroupId: 'g1', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0', remoteGroupId: null, remoteAddressGroupId: null, tenantId: 'p1', description: '' };
    assert.equal(sameRule(r, spec), true);
    assert.equal(sameRule({ ...r, portRangeMax: 23 }, spec), false);
    assert.equal(sameRule({ ...r, remoteGroupId: 'g2' }, spec), false);
    assert.equal(sameRule({ ...r, remoteIpPrefix: null, remoteAddressGroupId: 'ag1' }, { ...spec, remoteIpPrefix: null }), false, 'a rule admitting an address group is not the planned one');
    assert.equal(sameRule({ ...r, ethertype: 'IPv6' }, spec), false);
    const any = ruleSpec(at({ security_group_id: 'g1', direction: 'egress' }));
    assert.deepEqual([any.ethertype, any.protocol, any.portRangeMin, any.remoteGroupId], ['IPv4', null, null, null]);
  });
});
