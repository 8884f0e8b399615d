import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, changes, run } from './fixtures/helpers.js';
import { desired } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { fakeApply } from './fixtures/fake-apply.js';

function applied(edit?: (c: ReturnType<typeof neutronClouds>) => void) {
  const c = neutronClouds();
  edit?.(c);
  const want = desired();
  const first = run({ desired: want, source: c.source, destination: c.destination });
  return { want, r: fakeApply(first, c.source, c.destination) };
}

describe('plan: drift', () => {
  test('an object deleted in the destination is reported as drift and made again', () => {
    const { want, r } = applied();
    const vol = r.state.objects.find((o) => o.address === 'tenant[acme].volume[scratch]')!;
    r.destination.volumes = r.destination.volumes.filter((v) => v.id !== vol.destination_id);
    const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(p.drift, [
      {
        address: 'tenant[acme].volume[scratch]',
        kind: 'volume',
        cloud: 'destination',
        change: 'deleted',
        text: `${vol.destination_id} was deleted in the destination after pumphouse made it`,
      },
    ]);
    const again = at(p, 'tenant[acme].volume[scratch]');
    assert.equal(again.action, 'migrate');
    assert.match(again.reason.text, /gone; made again/);
  });

  test('a changed object is reported with its fields, not turned into an action', () => {
    const { want, r } = applied();
    const net = r.state.objects.find((o) => o.address === 'tenant[acme].network[private]')!;
    const i = r.destination.networks.findIndex((n) => n.id === net.destination_id);
    r.destination.networks[i] = { ...r.destination.networks[i]!, name: 'renamed' };
    const q = r.destination.quotas.findIndex((x) => x.projectId === r.state.objects.find((o) => o.kind === 'project')!.destination_id);
    r.destination.quotas[q] = { ...r.destination.quotas[q]!, compute: { ...r.destination.quotas[q]!.compute, instances: 99 } };
    const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(
      p.drift.map((d) => [d.address, d.change, d.fields]),
      [
        ['tenant[acme].network[private]', 'changed', ['name']],
        ['tenant[acme].quota', 'changed', ['compute']],
      ],
    );
    assert.match(p.drift[0]!.text, /name "private" -> "renamed"/);
    assert.deepEqual(changes(p), [], 'drift is reported, never applied');
  });

  describe('lists the state records: a port\'s pairs and DHCP options, a subnet\'s DNS servers, pools and routes', () => {
    const withLists = () =>
      applied((c) => {
        c.destination.capabilities = { ...c.destination.capabilities, neutron: { allowedAddressPairs: true, portSecurity: true, extraDhcpOpts: true, l3Ha: true, dvr: true, rbac: true } };
        const i = c.source.ports.findIndex((p) => p.id === 's-port-web1');
        c.source.ports[i] = {
          ...c.source.ports[i]!,
          allowedAddressPairs: [{ ipAddress: '10.0.0.100' }, { ipAddress: '10.0.0.101' }],
          // A Juno source does not say an option's version.
          extraDhcpOpts: [{ name: 'bootfile-name', value: 'pxelinux.0' }],
          portSecurityEnabled: true,
        };
        const s = c.source.subnets.findIndex((x) => x.id === 's-s-priv');
        c.source.subnets[s] = {
          ...c.source.subnets[s]!,
          dnsNameservers: ['8.8.8.8', '8.8.4.4'],
          allocationPools: [{ start: '10.0.0.10', end: '10.0.0.99' }, { start: '10.0.0.110', end: '10.0.0.199' }],
          hostRoutes: [{ destination: '192.168.0.0/24', nexthop: '10.0.0.254' }],
        };
      });
    const copyOf = (r: ReturnType<typeof applied>['r'], address: string) => r.state.objects.find((o) => o.address === address)!;

    test('are recorded, and a destination that lists them in another order, or says IPv4 where the source said nothing, is no drift', () => {
      const { want, r } = withLists();
      const port = copyOf(r, 'tenant[acme].port[web-1/10.0.0.5]');
      assert.deepEqual(port.attributes['allowed_address_pairs'], [{ ip_address: '10.0.0.100' }, { ip_address: '10.0.0.101' }]);
      const i = r.destination.ports.findIndex((p) => p.id === port.destination_id);
      const p0 = r.destination.ports[i]!;
      r.destination.ports[i] = { ...p0, allowedAddressPairs: [...p0.allowedAddressPairs!].reverse(), extraDhcpOpts: [{ name: 'bootfile-name', value: 'pxelinux.0', ipVersion: 4 }] };
      const sub = copyOf(r, 'tenant[acme].subnet[private-subnet]');
      const j = r.destination.subnets.findIndex((x) => x.id === sub.destination_id);
      r.destination.subnets[j] = { ...r.destination.subnets[j]!, allocationPools: [...r.destination.subnets[j]!.allocationPools].reverse() };
      const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
      assert.deepEqual(p.drift, []);
    });

    test('a pair removed, port security turned off, DNS servers reordered and a route removed in the destination are drift, field by field', () => {
      const { want, r } = withLists();
      const port = copyOf(r, 'tenant[acme].port[web-1/10.0.0.5]');
      const i = r.destination.ports.findIndex((p) => p.id === port.destination_id);
      r.destination.ports[i] = { ...r.destination.ports[i]!, allowedAddressPairs: [{ ipAddress: '10.0.0.100' }], portSecurityEnabled: false };
      const sub = copyOf(r, 'tenant[acme].subnet[private-subnet]');
      const j = r.destination.subnets.findIndex((x) => x.id === sub.destination_id);
      r.destination.subnets[j] = { ...r.destination.subnets[j]!, dnsNameservers: ['8.8.4.4', '8.8.8.8'], hostRoutes: [] };
      const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
      assert.deepEqual(
        p.drift.map((d) => [d.address, d.change, d.fields]),
        [
          ['tenant[acme].port[web-1/10.0.0.5]', 'changed', ['allowed_address_pairs', 'port_security_enabled']],
          ['tenant[acme].subnet[private-subnet]', 'changed', ['dns_nameservers', 'host_routes']],
        ],
      );
      assert.match(p.drift[0]!.text, /allowed_address_pairs \[\{"ip_address":"10\.0\.0\.100"\},\{"ip_address":"10\.0\.0\.101"\}\] -> \[\{"ip_address":"10\.0\.0\.100"\}\]/);
      assert.deepEqual(changes(p), [], 'drift is reported, never applied');
    });
  });

  test("an image's tags changed in the destination are drift; the same tags in another order are not", () => {
    const { want, r } = applied((c) => {
      c.source.images[0] = { ...c.source.images[0]!, tags: ['backup=daily', 'os:linux'] };
    });
    const copy = r.state.objects.find((o) => o.address === 'image[cirros]')!;
    assert.deepEqual(copy.attributes['tags'], ['backup=daily', 'os:linux']);
    const i = r.destination.images.findIndex((x) => x.id === copy.destination_id);
    r.destination.images[i] = { ...r.destination.images[i]!, tags: ['os:linux', 'backup=daily'] };
    assert.deepEqual(run({ desired: want, source: r.source, destination: r.destination, prior: r.state }).drift, []);
    r.destination.images[i] = { ...r.destination.images[i]!, tags: ['os:linux'] };
    const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(p.drift.map((d) => [d.address, d.fields]), [['image[cirros]', ['tags']]]);
  });
});
