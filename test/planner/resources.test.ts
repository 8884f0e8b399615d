import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, changes, run } from './fixtures/helpers.js';
import { fakeApply } from './fixtures/fake-apply.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { flavor, group, neutronDefaultRules, port, project, subnet, tcp } from './fixtures/records.js';

describe('plan: default security group', () => {
  test('the source default maps onto the destination default of a new project; its standard rules are not made again', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const def = at(p, 'tenant[acme].security_group[default]');
    assert.equal(def.action, 'adopt');
    assert.equal(def.reason.code, 'exists_in_destination');
    assert.ok(!p.actions.some((a) => a.kind === 'security_group' && a.action === 'create' && a.after?.['name'] === 'default'));
    const std = p.actions.filter((a) => a.address.startsWith('tenant[acme].security_group[default].rule') && a.action === 'adopt');
    assert.equal(std.length, 4, 'egress v4/v6 and ingress-from-default v4/v6 come with the group');
    assert.equal(at(p, 'tenant[acme].security_group[default].rule[ingress-ipv4-tcp-22-22-0.0.0.0/0]').action, 'create');
    assert.equal(at(p, 'tenant[acme].security_group[web].rule[egress-ipv4-any-any-any]').action, 'adopt', 'Neutron adds egress rules to new groups');
  });

  test('automatic rules the source group lacks are listed for removal: a copy admits no more than its source', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    // web and db allow IPv4 egress only: Neutron's IPv6 egress rule goes; default has all four.
    assert.deepEqual(at(p, 'tenant[acme].security_group[web]').after?.['remove_automatic_rules'], [{ direction: 'egress', ethertype: 'IPv6', from_itself: false }]);
    assert.equal('remove_automatic_rules' in at(p, 'tenant[acme].security_group[default]').after!, false);
    const locked = neutronClouds();
    const i = locked.source.securityGroups.findIndex((g) => g.id === 's-sg-def');
    locked.source.securityGroups[i] = { ...locked.source.securityGroups[i]!, rules: [tcp('s-rd-ssh', 22, { cidr: '0.0.0.0/0' })] };
    const q = run({ desired: desired(), source: locked.source, destination: locked.destination });
    assert.deepEqual(at(q, 'tenant[acme].security_group[default]').after?.['remove_automatic_rules'], [
      { direction: 'egress', ethertype: 'IPv4', from_itself: false },
      { direction: 'egress', ethertype: 'IPv6', from_itself: false },
      { direction: 'ingress', ethertype: 'IPv4', from_itself: true },
      { direction: 'ingress', ethertype: 'IPv6', from_itself: true },
    ]);
  });

  test('in an existing destination project, the default group is adopted by id and matching rules are recognised', () => {
    const c = neutronClouds();
    c.destination.projects.push(project('d-p-acme', 'acme'));
    c.destination.securityGroups.push(group('d-sg-acme', 'default', 'd-p-acme', [...neutronDefaultRules('d-rx', 'd-sg-acme'), tcp('d-rx-ssh', 22, { cidr: '0.0.0.0/0' })]));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(at(p, 'tenant[acme]').action, 'adopt');
    const def = at(p, 'tenant[acme].security_group[default]');
    assert.equal(def.destination?.id, 'd-sg-acme');
    const ssh = at(p, 'tenant[acme].security_group[default].rule[ingress-ipv4-tcp-22-22-0.0.0.0/0]');
    assert.equal(ssh.action, 'adopt');
    assert.equal(at(p, 'tenant[acme]').warnings, undefined);
    assert.equal('remove_automatic_rules' in def.after!, false, 'a group that exists is not trimmed');
  });
});

describe('plan: flavors', () => {
  test('an identical destination flavor is used, not duplicated; a private flavor gets its access', () => {
    const c = neutronClouds();
    c.destination.flavors.push(flavor('d-f-same', 'tiny-renamed', { ramMb: 512, diskGb: 1 }));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(at(p, 'flavor[m1.small]').destination?.id, 'd-f-small');
    const tiny = at(p, 'flavor[m1.tiny]');
    assert.equal(tiny.action, 'adopt');
    assert.equal(tiny.destination?.id, 'd-f-same');
    assert.equal(at(p, 'flavor[gold]').action, 'create');
    assert.deepEqual(at(p, 'flavor[gold]').after?.['extra_specs'], { 'hw:cpu_policy': 'dedicated' });
    assert.equal(at(p, 'flavor[gold].access[acme]').action, 'create');
  });

  test('extra specs count: same sizes but other specs is not identical', () => {
    const c = neutronClouds();
    c.destination.flavors.push(flavor('d-f-gold', 'gold2', { vcpus: 4, ramMb: 8192, diskGb: 40 }));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(at(p, 'flavor[gold]').action, 'create');
  });

  test('a name taken by a different flavor is an error until options.flavor_map maps it', () => {
    const c = neutronClouds();
    c.destination.flavors.push(flavor('d-f-tiny', 'm1.tiny', { ramMb: 1024 }));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.applyable, false);
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.address === 'flavor[m1.tiny]'));
    const mapped = run({ desired: desired({ options: { flavorMap: { 'm1.tiny': 'm1.tiny' } } }), source: c.source, destination: c.destination });
    assert.equal(at(mapped, 'flavor[m1.tiny]').destination?.id, 'd-f-tiny');
    assert.match(at(mapped, 'flavor[m1.tiny]').reason.text, /flavor_map/);
    assert.equal(mapped.applyable, true);
  });

  test('a public flavor prefers a public twin; matched to a private one, each migrated tenant gets access and the plan says so', () => {
    const c = neutronClouds();
    const i = c.destination.flavors.findIndex((x) => x.id === 'd-f-small');
    c.destination.flavors[i] = { ...c.destination.flavors[i]!, isPublic: false };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const small = at(p, 'flavor[m1.small]');
    assert.equal(small.destination?.id, 'd-f-small');
    assert.match(small.warnings?.[0] ?? '', /is private: each migrated tenant is granted access/);
    const access = at(p, 'flavor[m1.small].access[acme]');
    assert.equal(access.action, 'create');
    assert.deepEqual((access.preconditions[0] as { fields?: unknown } | undefined)?.fields, { isPublic: true });
    const done = fakeApply(p, c.source, c.destination);
    assert.deepEqual(changes(run({ desired: desired(), source: done.source, destination: done.destination, prior: done.state })), [], 'no changes after apply');
    // A public twin, even of another name, is preferred: nobody needs access then.
    c.destination.flavors.push(flavor('d-f-small-pub', 'small-public'));
    const q = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(at(q, 'flavor[m1.small]').destination?.id, 'd-f-small-pub');
    assert.equal(at(q, 'flavor[m1.small]').warnings, undefined);
    assert.ok(!q.actions.some((a) => a.address.startsWith('flavor[m1.small].access')));
  });

  test('flavors: all takes unused flavors too', () => {
    const c = neutronClouds();
    c.source.flavors.push(flavor('s-f-unused', 'm1.xlarge', { vcpus: 8 }));
    const used = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.ok(!used.actions.some((a) => a.address === 'flavor[m1.xlarge]'));
    const every = run({ desired: desired({ flavors: 'all' }), source: c.source, destination: c.destination });
    assert.equal(at(every, 'flavor[m1.xlarge]').action, 'create');
  });
});

describe('plan: floating IPs on a Neutron source', () => {
  test('kept when the destination external subnet holds the address', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const fip = at(p, 'tenant[acme].floating_ip[172.24.4.10]');
    assert.equal(fip.after?.['floating_ip_address'], '172.24.4.10');
    assert.equal(fip.after?.['floating_network_id'], 'd-n-public');
    assert.deepEqual(fip.preconditions[1], { cloud: 'destination', ref: 'neutron/floatingips?floating_ip_address=172.24.4.10', must: 'absent' });
    assert.ok(!p.diagnostics.some((d) => d.summary.includes('new address')));
  });

  test('changed when it does not, or when the address is taken there, or when keeping is off', () => {
    const other = neutronClouds({ publicCidr: '203.0.113.0/24' });
    const p = run({ desired: desired(), source: other.source, destination: other.destination });
    assert.equal(at(p, 'tenant[acme].floating_ip[172.24.4.10]').after?.['floating_ip_address'], null);
    assert.equal(p.diagnostics.filter((d) => d.summary.includes('will get a new address')).length, 2);

    const taken = neutronClouds();
    taken.destination.floatingIps.push({ ...taken.source.floatingIps[0]!, id: 'd-fip-x', projectId: 'd-p-admin', portId: null, routerId: null, serverId: null });
    const q = run({ desired: desired(), source: taken.source, destination: taken.destination });
    assert.match(at(q, 'tenant[acme].floating_ip[172.24.4.10]').warnings?.[0] ?? '', /already allocated/);

    const off = neutronClouds();
    const r = run({ desired: desired({ options: { keepFloatingIps: false } }), source: off.source, destination: off.destination });
    assert.equal(at(r, 'tenant[acme].floating_ip[172.24.4.10]').after?.['floating_ip_address'], null);
    assert.ok(!r.diagnostics.some((d) => d.summary.includes('new address')), 'no diagnostic when the manifest asked for new addresses');
  });

  test('no external network in the destination is an error', () => {
    const c = neutronClouds();
    c.destination.networks = [];
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.applyable, false);
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.summary.includes('no external network')));
  });

  test('keep_fixed_ips: off leaves addresses and MACs to Neutron', () => {
    const c = neutronClouds();
    const p = run({ desired: desired({ options: { keepFixedIps: false } }), source: c.source, destination: c.destination });
    const port = at(p, 'tenant[acme].port[web-1/10.0.0.5]');
    assert.equal(port.after?.['mac_address'], null);
    assert.deepEqual((port.after?.['fixed_ips'] as { ip_address: unknown }[])[0]?.ip_address, null);
  });
});

describe('plan: free-form maps', () => {
  test('secret-looking metadata and properties become references; the plan stays writable', () => {
    const c = neutronClouds();
    c.source.servers[0] = { ...c.source.servers[0]!, metadata: { role: 'web', admin_pass: 'hunter2', note: '$6$rounds=5000$salt$hash' } };
    c.source.images[0] = { ...c.source.images[0]!, properties: { img_signature_hash_method: 'SHA-256', os_distro: 'cirros' } };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.deepEqual(at(p, 'tenant[acme].server[web-1]').after?.['metadata'], {
      role: 'web',
      admin_pass: { $secret: 'nova/server_metadata/s-sv-web1:admin_pass/value' },
      note: { $secret: 'nova/server_metadata/s-sv-web1:note/value' },
    });
    assert.deepEqual(at(p, 'image[cirros]').after?.['properties'], {
      img_signature_hash_method: { $secret: 'glance/image_properties/s-img-cirros:img_signature_hash_method/value' },
      os_distro: 'cirros',
    });
    assert.ok(!JSON.stringify(p).includes('hunter2'));
  });
});

describe('plan: image tags', () => {
  test('are carried where the source has some (other images say nothing); a Glance v1 destination is warned about', () => {
    const c = neutronClouds();
    c.source.images[0] = { ...c.source.images[0]!, tags: ['backup=daily', 'os:linux'] };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const cirros = at(p, 'image[cirros]');
    assert.equal(cirros.action, 'migrate');
    assert.deepEqual(cirros.after?.['tags'], ['backup=daily', 'os:linux']);
    assert.equal(cirros.warnings, undefined);
    assert.equal(p.actions.filter((a) => a.kind === 'image' && a.after && 'tags' in a.after).length, 1);
    c.destination.capabilities = { ...c.destination.capabilities, imageApi: 'v1' };
    const v1 = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.match(at(v1, 'image[cirros]').warnings?.[0] ?? '', /tags \(backup=daily, os:linux\) are not copied/);
  });
});

describe('plan: volume types', () => {
  test('a source type the destination has is kept; one it lacks becomes the destination default, with a warning', () => {
    const c = neutronClouds();
    const free = c.source.volumes.find((v) => v.name === 'scratch')!;
    const data = c.source.volumes.find((v) => v.name === 'data')!;
    c.source.volumes = c.source.volumes.map((v) => (v === free ? { ...v, volumeType: 'ssd' } : v === data ? { ...v, volumeType: 'default' } : v));
    const p = run({ desired: desired(), source: c.source, destination: { ...c.destination, volumeTypes: ['__DEFAULT__', 'ssd'] } });
    assert.equal(at(p, 'tenant[acme].volume[scratch]').after?.['volume_type'], 'ssd');
    assert.equal(at(p, 'tenant[acme].volume[data]').after?.['volume_type'], null);
    const warned = p.diagnostics.filter((d) => /volume type 'default' does not exist in the destination/.test(d.summary));
    assert.deepEqual(warned.map((d) => d.address), ['tenant[acme].volume[data]']);
  });
});

describe('plan: a running server whose volumes are copied first', () => {
  test('its precondition does not pin the status the volumes quiesce away; the status to restore on failure is in after', () => {
    const c = neutronClouds();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const vol = at(p, 'tenant[acme].volume[data]');
    assert.equal(vol.steps[0], 'quiesce_server');
    const sv = p.actions.find((a) => a.kind === 'server' && a.source?.id === 's-sv-db1')!;
    const pre = sv.preconditions.find((x) => x.ref === 'nova/servers/s-sv-db1');
    assert.ok(pre && pre.must === 'match');
    assert.equal(pre.fields['status'], undefined);
    assert.equal(pre.fields['host'] !== undefined, true);
    assert.equal(sv.after?.['source_status'], 'ACTIVE');
  });
});

describe('plan: router gateway addresses on a shared floating range', () => {
  test("the source router's own gateway address is kept when free; another router takes a free address no source floating IP uses", () => {
    const c = neutronClouds();
    // A second router in acme, and a source floating IP sitting at the first pool address.
    c.source.routers.push({ ...c.source.routers.find((r) => r.id === 's-r1')!, id: 's-r2', name: 'r2', gateway: { networkId: 's-n-public', enableSnat: true, externalFixedIps: [] }, interfaces: [] });
    c.source.floatingIps.push({ ...c.source.floatingIps.find((f) => f.id === 's-fip-1')!, id: 's-fip-x', address: '172.24.4.3', portId: null, fixedIpAddress: null, serverId: null });
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const gw = (name: string) => at(p, `tenant[acme].router[${name}]`).after?.['external_gateway'] as Record<string, unknown>;
    assert.equal(gw('r1')['ip_address'], '172.24.4.2', 'the source gateway address');
    const other = gw('r2')['ip_address'] as string;
    const floating = new Set(c.source.floatingIps.map((f) => f.address));
    assert.ok(other && other !== '172.24.4.2' && !floating.has(other), `r2 got ${other}`);
    assert.equal(gw('r2')['subnet_id'], 'd-s-public');
  });
});

describe('plan: port attributes a keepalived pair or an appliance relies on', () => {
  const withFeatures = (c: ReturnType<typeof neutronClouds>, has: { allowedAddressPairs: boolean; portSecurity: boolean; extraDhcpOpts?: boolean }) => {
    c.destination.capabilities = { ...c.destination.capabilities, neutron: { extraDhcpOpts: true, l3Ha: true, dvr: true, rbac: true, ...has } };
    return c;
  };
  const edit = (c: ReturnType<typeof neutronClouds>, id: string, extra: Record<string, unknown>) => {
    const i = c.source.ports.findIndex((p) => p.id === id);
    c.source.ports[i] = { ...c.source.ports[i]!, ...extra };
  };

  test('address pairs and port security are carried as the source tells them; ports it says nothing of say nothing', () => {
    const c = withFeatures(neutronClouds(), { allowedAddressPairs: true, portSecurity: true });
    edit(c, 's-port-web1', {
      allowedAddressPairs: [{ ipAddress: '10.0.0.100' }, { ipAddress: '10.0.1.0/28', macAddress: 'fa:16:3e:aa:bb:cc' }],
      portSecurityEnabled: true,
      extraDhcpOpts: [{ name: 'bootfile-name', value: 'pxelinux.0' }, { name: 'dns-server', value: '2001:db8::53', ipVersion: 6 }],
    });
    edit(c, 's-port-db1', { portSecurityEnabled: false, securityGroupIds: [] });
    const privIndex = c.source.networks.findIndex((n) => n.id === 's-n-priv');
    c.source.networks[privIndex] = { ...c.source.networks[privIndex]!, portSecurityEnabled: false };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.applyable, true, JSON.stringify(p.diagnostics));
    const web = at(p, 'tenant[acme].port[web-1/10.0.0.5]').after!;
    assert.deepEqual(web['allowed_address_pairs'], [{ ip_address: '10.0.0.100' }, { ip_address: '10.0.1.0/28', mac_address: 'fa:16:3e:aa:bb:cc' }]);
    // On, on a network whose default is off: said, or the copy would inherit off.
    assert.equal(web['port_security_enabled'], true);
    assert.deepEqual(web['extra_dhcp_opts'], [{ opt_name: 'bootfile-name', opt_value: 'pxelinux.0' }, { opt_name: 'dns-server', opt_value: '2001:db8::53', ip_version: 6 }]);
    const db = at(p, 'tenant[acme].port[db-1/10.0.0.6]').after!;
    assert.equal(db['port_security_enabled'], false);
    assert.deepEqual(db['security_groups'], []);
    assert.equal('allowed_address_pairs' in db || 'extra_dhcp_opts' in db, false);
    assert.equal(at(p, 'tenant[acme].network[private]').after?.['port_security_enabled'], false);
    const bfv = at(p, 'tenant[acme].port[bfv-1/10.0.0.7]').after!;
    assert.equal('allowed_address_pairs' in bfv || 'port_security_enabled' in bfv, false);
  });

  test('a destination Neutron without the extensions: each such port and network is a plan error naming it', () => {
    const c = withFeatures(neutronClouds(), { allowedAddressPairs: false, portSecurity: false, extraDhcpOpts: false });
    edit(c, 's-port-web1', { allowedAddressPairs: [{ ipAddress: '10.0.0.100' }] });
    edit(c, 's-port-bfv1', { extraDhcpOpts: [{ name: 'bootfile-name', value: 'pxelinux.0' }] });
    edit(c, 's-port-db1', { portSecurityEnabled: false, securityGroupIds: [] });
    const privIndex = c.source.networks.findIndex((n) => n.id === 's-n-priv');
    c.source.networks[privIndex] = { ...c.source.networks[privIndex]!, portSecurityEnabled: false };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.applyable, false);
    const errors = p.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.address, d.summary.replace(/ and the destination.*/, '')]);
    assert.deepEqual(errors.sort(), [
      ['tenant[acme].network[private]', 'the network has port security off'],
      ['tenant[acme].port[bfv-1/10.0.0.7]', 'the port has extra DHCP options'],
      ['tenant[acme].port[db-1/10.0.0.6]', 'the port has port security off'],
      ['tenant[acme].port[web-1/10.0.0.5]', 'the port has allowed address pairs'],
    ]);
    assert.match(p.diagnostics.find((d) => d.address === 'tenant[acme].port[web-1/10.0.0.5]')?.detail ?? '', /10\.0\.0\.100/);
  });

  test('keep_fixed_ips off: a pair naming a MAC is warned about (the ports get new MACs); one without stays silent', () => {
    const c = withFeatures(neutronClouds(), { allowedAddressPairs: true, portSecurity: true });
    edit(c, 's-port-web1', { allowedAddressPairs: [{ ipAddress: '10.0.0.100' }, { ipAddress: '10.0.0.101', macAddress: 'fa:16:3e:00:00:02' }] });
    edit(c, 's-port-db1', { allowedAddressPairs: [{ ipAddress: '10.0.0.100' }] });
    const p = run({ desired: desired({ options: { keepFixedIps: false } }), source: c.source, destination: c.destination });
    const warned = p.diagnostics.filter((d) => /names a MAC/.test(d.summary));
    assert.deepEqual(warned.map((d) => [d.severity, d.address, d.detail]), [['warning', 'tenant[acme].port[web-1/10.0.0.5]', 'allowed address pairs: 10.0.0.100, 10.0.0.101 (fa:16:3e:00:00:02)']]);
    const kept = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(kept.diagnostics.some((d) => /names a MAC/.test(d.summary)), false);
  });

  test('without them in the source, the destination\'s extensions do not matter', () => {
    const c = withFeatures(neutronClouds(), { allowedAddressPairs: false, portSecurity: false, extraDhcpOpts: false });
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.applyable, true, JSON.stringify(p.diagnostics));
  });
});

describe('plan: a server whose flavor has an ephemeral disk', () => {
  test('its migrate action warns that the ephemeral disk is not copied; servers without one do not', () => {
    const c = neutronClouds();
    const i = c.source.flavors.findIndex((f) => f.id === 's-f-small');
    c.source.flavors[i] = { ...c.source.flavors[i]!, ephemeralGb: 20 };
    c.destination.flavors[0] = { ...c.destination.flavors[0]!, ephemeralGb: 20 };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const warned = p.actions.filter((a) => a.kind === 'server' && a.warnings?.some((w) => /ephemeral disk/.test(w))).map((a) => a.address);
    assert.deepEqual(warned, ['tenant[acme].server[web-1]']);
    assert.match(at(p, 'tenant[acme].server[web-1]').warnings!.find((w) => /ephemeral/.test(w))!, /20 GB ephemeral disk, which is not copied/);
  });
});

describe('plan: a rule admitting a Neutron address group (Wallaby+ sources)', () => {
  test('is skipped with a warning (made without its address group it would admit any address); the group\'s other rules are planned', () => {
    const c = neutronClouds();
    const gi = c.source.securityGroups.findIndex((g) => g.id === 's-sg-web');
    const g = c.source.securityGroups[gi]!;
    const ssh = { ...tcp('s-rw-ag', 22, {}), remoteAddressGroupId: 'ag-office' };
    c.source.securityGroups[gi] = { ...g, rules: [...g.rules, ssh] };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const address = 'tenant[acme].security_group[web].rule[ingress-ipv4-tcp-22-22-address-group:ag-office]';
    assert.equal(p.actions.some((a) => a.address === address), false);
    assert.deepEqual(p.diagnostics.filter((d) => /address group/.test(d.summary)).map((d) => [d.severity, d.address]), [['warning', address]]);
    assert.ok(p.actions.some((a) => a.kind === 'security_group_rule' && a.address.startsWith('tenant[acme].security_group[web].rule[ingress-ipv4-tcp-80')));
  });
});

describe('plan: an IPv6 subnet', () => {
  test('keeps its router advertisement and address modes; an IPv4 subnet says nothing of them', () => {
    const c = neutronClouds();
    c.source.subnets.push(subnet('s-s-v6', 'private-v6', 's-n-priv', 's-p-acme', 'fd00:1::/64', { ipVersion: 6, gatewayIp: 'fd00:1::1', ipv6RaMode: 'slaac', ipv6AddressMode: 'slaac' }));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const v6 = at(p, 'tenant[acme].subnet[private-v6]').after!;
    assert.deepEqual([v6['ip_version'], v6['ipv6_ra_mode'], v6['ipv6_address_mode']], [6, 'slaac', 'slaac']);
    const v4 = at(p, 'tenant[acme].subnet[private-subnet]').after!;
    assert.equal('ipv6_ra_mode' in v4 || 'ipv6_address_mode' in v4, false);
  });
});

describe('plan: an encrypted volume', () => {
  test('is a plan error naming it (its key stays in the source key manager); unencrypted volumes are not', () => {
    const c = neutronClouds();
    const i = c.source.volumes.findIndex((v) => v.id === 's-vol-free');
    c.source.volumes[i] = { ...c.source.volumes[i]!, encrypted: true };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(p.applyable, false);
    assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.address), ['tenant[acme].volume[scratch]']);
    assert.match(p.diagnostics.find((d) => d.severity === 'error')!.summary, /volume 'scratch' is encrypted/);
    const clear = run({ desired: desired(), source: neutronClouds().source, destination: neutronClouds().destination });
    assert.equal(clear.diagnostics.some((d) => /encrypted/.test(d.summary)), false);
  });
});

describe('plan: a port no device holds (a keepalived VIP reservation)', () => {
  const withVip = () => {
    const c = neutronClouds();
    c.source.ports.push(port('s-port-vip', 's-n-priv', 's-p-acme', { name: 'vip', macAddress: 'fa:16:3e:00:00:20', fixedIps: [{ subnetId: 's-s-priv', ipAddress: '10.0.0.200' }], deviceOwner: '', deviceId: '', securityGroupIds: ['s-sg-web'] }));
    const f = c.source.floatingIps.findIndex((x) => x.id === 's-fip-2');
    c.source.floatingIps[f] = { ...c.source.floatingIps[f]!, portId: 's-port-vip', fixedIpAddress: '10.0.0.200', routerId: 's-r1' };
    return c;
  };

  test('is copied with its address, MAC and groups, on no server; its floating IP follows it', () => {
    const c = withVip();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const vip = at(p, 'tenant[acme].port[vip]');
    assert.equal(vip.action, 'create');
    assert.equal(vip.after?.['server'], null);
    assert.equal(vip.after?.['mac_address'], 'fa:16:3e:00:00:20');
    assert.deepEqual((vip.after?.['fixed_ips'] as { ip_address: unknown }[]).map((x) => x.ip_address), ['10.0.0.200']);
    assert.deepEqual(at(p, 'tenant[acme].floating_ip[172.24.4.11]').after?.['port_id'], { $ref: vip.id });
    assert.equal(p.diagnostics.some((d) => /not a migrated server NIC/.test(d.summary)), false);
  });

  test('keep_fixed_ips off: its copy gets a new address, which is warned about (the VIP it reserved is free in the destination)', () => {
    const c = withVip();
    const p = run({ desired: desired({ options: { keepFixedIps: false } }), source: c.source, destination: c.destination });
    const warned = p.diagnostics.filter((d) => /reserves its address/.test(d.summary)).map((d) => [d.severity, d.address, d.detail]);
    assert.deepEqual(warned, [['warning', 'tenant[acme].port[vip]', 'source addresses: 10.0.0.200']]);
    const kept = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal(kept.diagnostics.some((d) => /reserves its address/.test(d.summary)), false);
  });

  test('of a tenant left out, or a DHCP or router port, nothing is planned', () => {
    const c = withVip();
    c.source.ports.push(port('s-port-oth-vip', 's-n-other', 's-p-other', { name: 'other-vip', fixedIps: [{ subnetId: 's-s-other', ipAddress: '10.9.0.200' }], deviceOwner: '', deviceId: '' }));
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const ports = p.actions.filter((a) => a.kind === 'port').map((a) => a.address).sort();
    assert.deepEqual(ports, ['tenant[acme].port[bfv-1/10.0.0.7]', 'tenant[acme].port[db-1/10.0.0.6]', 'tenant[acme].port[vip]', 'tenant[acme].port[web-1/10.0.0.5]']);
  });
});

describe('plan: a router\'s static routes', () => {
  const withRoutes = () => {
    const c = neutronClouds();
    c.source.subnets.push(subnet('s-s-priv2', 'private-subnet-2', 's-n-priv', 's-p-acme', '10.0.1.0/24'));
    const i = c.source.routers.findIndex((r) => r.id === 's-r1');
    const r = c.source.routers[i]!;
    c.source.routers[i] = {
      ...r,
      interfaces: [...r.interfaces, { subnetId: 's-s-priv2', portId: 's-port-ri2', ipAddress: '10.0.1.1' }],
      routes: [
        { destination: '10.99.0.0/24', nexthop: '10.0.0.254' },
        { destination: '10.98.0.0/24', nexthop: '10.0.1.254' },
        { destination: '192.168.5.0/24', nexthop: '172.16.0.1' },
      ],
    };
    return c;
  };

  test('go with the router\'s last interface, after the others; a next hop on no migrated subnet is warned about on the router', () => {
    const c = withRoutes();
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const first = at(p, 'tenant[acme].router[r1].interface[private-subnet]');
    const last = at(p, 'tenant[acme].router[r1].interface[private-subnet-2]');
    assert.equal('routes' in first.after!, false);
    assert.deepEqual(last.after?.['routes'], [{ destination: '10.99.0.0/24', nexthop: '10.0.0.254' }, { destination: '10.98.0.0/24', nexthop: '10.0.1.254' }]);
    assert.ok(last.depends_on.includes(first.id), 'after the other interface');
    assert.equal(last.warnings, undefined);
    assert.deepEqual(at(p, 'tenant[acme].router[r1]').warnings, ["1 static route(s) with a next hop on no migrated interface's subnet are not migrated: 192.168.5.0/24 via 172.16.0.1"]);
  });

  test('with keep_fixed_ips off, the interface carrying them warns that the next hops\' hosts get new addresses', () => {
    const c = withRoutes();
    const p = run({ desired: desired({ options: { keepFixedIps: false } }), source: c.source, destination: c.destination });
    assert.match(at(p, 'tenant[acme].router[r1].interface[private-subnet-2]').warnings?.[0] ?? '', /keep_fixed_ips off/);
  });
});

describe('plan: HA and distributed routers', () => {
  const haRouter = (l3Ha: boolean, dvr: boolean) => {
    const c = neutronClouds();
    const i = c.source.routers.findIndex((r) => r.id === 's-r1');
    c.source.routers[i] = { ...c.source.routers[i]!, ha: true, distributed: true };
    c.destination.capabilities = { ...c.destination.capabilities, neutron: { allowedAddressPairs: true, portSecurity: true, extraDhcpOpts: true, l3Ha, dvr, rbac: true } };
    return run({ desired: desired(), source: c.source, destination: c.destination });
  };

  test('are copied HA and distributed where the destination has l3-ha and dvr; legacy routers say nothing', () => {
    const r1 = at(haRouter(true, true), 'tenant[acme].router[r1]');
    assert.deepEqual([r1.after?.['ha'], r1.after?.['distributed']], [true, true]);
    assert.deepEqual(r1.warnings ?? [], []);
    const plain = at(run({ desired: desired(), source: neutronClouds().source, destination: neutronClouds().destination }), 'tenant[acme].router[r1]');
    assert.equal('ha' in plain.after! || 'distributed' in plain.after!, false);
  });

  test('without the extensions the copy is a legacy router, and its action warns of each', () => {
    const r1 = at(haRouter(false, false), 'tenant[acme].router[r1]');
    assert.equal('ha' in r1.after! || 'distributed' in r1.after!, false);
    assert.equal(r1.warnings?.length, 2);
    assert.match(r1.warnings![0]!, /no l3-ha extension/);
    assert.match(r1.warnings![1]!, /no dvr extension/);
  });
});

describe('plan: a server booted with a config drive', () => {
  test('its copy is booted with one (its guest may read network and keys only from there); other servers say nothing', () => {
    const c = neutronClouds();
    const i = c.source.servers.findIndex((x) => x.id === 's-sv-db1');
    c.source.servers[i] = { ...c.source.servers[i]!, configDrive: true };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const servers = p.actions.filter((a) => a.kind === 'server').map((a) => [a.address, a.after?.['config_drive']]);
    assert.deepEqual(servers.filter(([, v]) => v !== undefined), [['tenant[acme].server[db-1]', true]]);
    assert.ok(servers.length > 1);
  });
});

describe('plan: Neutron tags (Mitaka+ sources)', () => {
  test("the source's own tags go in the after of networks, subnets, routers, ports, floating IPs and groups; objects without tags say nothing", () => {
    const c = neutronClouds();
    const tag = <T extends { readonly id: string }>(list: T[], id: string, tags: string[]) => {
      const i = list.findIndex((x) => x.id === id);
      list[i] = { ...list[i]!, tags };
    };
    tag(c.source.networks, 's-n-priv', ['k8s', 'tier=web']);
    tag(c.source.subnets, 's-s-priv', ['ipam']);
    tag(c.source.routers, 's-r1', ['edge']);
    tag(c.source.ports, 's-port-web1', ['kuryr']);
    tag(c.source.floatingIps, c.source.floatingIps[0]!.id, ['dns']);
    tag(c.source.securityGroups, 's-sg-web', ['managed-by=terraform']);
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const tagged = p.actions.filter((a) => a.after?.['tags'] !== undefined && a.kind !== 'image').map((a) => [a.kind, a.after?.['tags']]);
    assert.deepEqual(tagged.sort(), [
      ['floating_ip', ['dns']],
      ['network', ['k8s', 'tier=web']],
      ['port', ['kuryr']],
      ['router', ['edge']],
      ['security_group', ['managed-by=terraform']],
      ['subnet', ['ipam']],
    ]);
    assert.equal('tags' in at(p, 'tenant[acme].port[db-1/10.0.0.6]').after!, false);
    // Not on `default`: Neutron makes it, apply adopts it and sets nothing on it.
    tag(c.source.securityGroups, 's-sg-def', ['managed-by=terraform']);
    const q = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.equal('tags' in at(q, 'tenant[acme].security_group[default]').after!, false);
  });
});

describe('plan: a VLAN-aware server (its NIC is a trunk parent, Newton+)', () => {
  test('its migrate action warns that the trunk is not migrated; other servers say nothing', () => {
    const c = neutronClouds();
    const i = c.source.ports.findIndex((x) => x.id === 's-port-web1');
    c.source.ports[i] = { ...c.source.ports[i]!, trunk: { id: 'trunk-1', subports: 2 } };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const warned = p.actions.filter((a) => a.kind === 'server' && a.warnings?.some((w) => /trunk/.test(w))).map((a) => [a.address, a.warnings!.find((w) => /trunk/.test(w))]);
    assert.deepEqual(warned, [['tenant[acme].server[web-1]', "its NIC fa:16:3e:00:00:01 is the parent of trunk trunk-1 with 2 subport(s) (a VLAN-aware VM): trunks are not migrated, so the copy's tagged sub-interfaces get no network"]]);
  });
});

describe('plan: an SR-IOV port (binding:vnic_type, Juno+)', () => {
  test("its copy binds the same way, and its action warns that only a host providing it can boot the server; other ports say nothing", () => {
    const c = neutronClouds();
    const i = c.source.ports.findIndex((x) => x.id === 's-port-db1');
    c.source.ports[i] = { ...c.source.ports[i]!, vnicType: 'direct' };
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    const ports = p.actions.filter((a) => a.kind === 'port');
    assert.deepEqual(ports.filter((a) => a.after?.['vnic_type'] !== undefined).map((a) => [a.address, a.after?.['vnic_type']]), [['tenant[acme].port[db-1/10.0.0.6]', 'direct']]);
    assert.match(at(p, 'tenant[acme].port[db-1/10.0.0.6]').warnings?.join(' ') ?? '', /vnic_type is 'direct' .* its server's boot fails elsewhere/);
    assert.equal(at(p, 'tenant[acme].port[web-1/10.0.0.5]').warnings?.some((w) => /vnic_type/.test(w)) ?? false, false);
    assert.ok(ports.length > 1);
  });
});

describe('plan: a volume with snapshots', () => {
  test('its migrate action warns that the snapshots (restore points) stay in the source; a volume without any does not', () => {
    const c = neutronClouds();
    c.source.volumeSnapshots = [{ id: 's-snap-1', name: 'nightly', volumeId: 's-vol-data' }, { id: 's-snap-2', name: '', volumeId: 's-vol-data' }];
    const p = run({ desired: desired(), source: c.source, destination: c.destination });
    assert.deepEqual(at(p, 'tenant[acme].volume[data]').warnings, ['it has 2 snapshots (nightly, s-snap-2), which are not migrated: those restore points stay in the source']);
    assert.equal(at(p, 'tenant[acme].volume[scratch]').warnings, undefined);
  });
});
