import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assembleInventory, fuelInventory, inferRelease, type Details, type Survey } from '../../src/discovery/index.js';
import { capabilitiesOf } from '../../src/discovery/capabilities.js';
import { keystoneMarker, neutronMarker, splitEntries, tagsField } from '../../src/discovery/records/marks.js';
import { toHashRef } from '../../src/discovery/records/identity.js';
import { toVolume } from '../../src/discovery/records/storage.js';
import { toVolume as wireVolume } from '../../src/openstack/volume/normalize.js';
import type { DiscoveryNote } from '../../src/discovery/index.js';
import { toAvailabilityZone, toComputeService, toFlavor, toHypervisor } from '../../src/openstack/compute/normalize.js';
import { toProject } from '../../src/openstack/identity/normalize.js';
import { toNetwork, toSecurityGroup, toSubnet } from '../../src/openstack/network/normalize.js';
import type { Cloud } from '../../src/openstack/index.js';
import { acceptsSha512Crypt } from '../../src/planner/index.js';

type Raw = Record<string, unknown>;
const recorded = JSON.parse(readFileSync(new URL('./fixtures/zed-recorded.json', import.meta.url), 'utf8')) as Record<string, Raw[]>;

const ZED_CAPS: Cloud['capabilities'] = {
  identityVersion: '3',
  computeMicroversion: '2.93',
  imageVersion: '2',
  volumeVersion: '3',
  volumeServiceType: 'volumev3',
  network: 'neutron',
  networkExtensions: ['router', 'standard-attr-tag'],
  keypairsOfOtherUsers: true,
  networkTags: true,
};

function emptySurvey(o: Partial<Survey> = {}): Survey {
  return {
    projects: [], users: [], roles: [], assignments: [], otherGrants: [], groups: [], flavors: [], servers: [], serverGroups: [], volumeSnapshots: [], images: [], volumes: [], volumeTypes: [],
    hypervisors: [], services: [], zones: [], neutron: null, novaNetwork: null, ...o,
  };
}
const noDetails: Details = { quotas: [], flavorAccess: new Map(), keypairs: [], hashRefs: [], notes: [] };

describe('recorded Zed answers (testbed source) through the clients and discovery', () => {
  const survey = emptySurvey({
    projects: recorded['projects']!.map(toProject),
    flavors: recorded['flavors']!.map((f) => toFlavor(f)),
    hypervisors: recorded['hypervisors']!.map(toHypervisor),
    services: recorded['services']!.map(toComputeService),
    zones: recorded['availability_zones']!.map(toAvailabilityZone),
    neutron: {
      networks: recorded['networks']!.map(toNetwork),
      subnets: recorded['subnets']!.map(toSubnet),
      routers: [], ports: [], floatingIps: [], rbacPolicies: null,
      securityGroups: recorded['security_groups']!.map(toSecurityGroup),
    },
  });
  const notes: DiscoveryNote[] = [];
  const inv = assembleInventory(
    {
      role: 'source',
      capabilities: capabilitiesOf(ZED_CAPS, survey),
      session: { userId: 'u', userName: 'admin', projectId: 'p' },
      survey,
      assignments: [],
      details: noDetails,
      observed: { at: '2026-11-26T12:00:00.000Z', calls: 33 },
    },
    notes,
  );

  test('the public network: external, flat on physnet public, with its subnet', () => {
    assert.deepEqual(inv.networks.map((n) => [n.name, n.external, n.shared, n.providerNetworkType, n.providerPhysicalNetwork, n.mtu, n.marker]), [['public', true, false, 'flat', 'public', 1500, undefined]]);
    assert.deepEqual(inv.subnets.map((s) => [s.cidr, s.ipVersion, s.gatewayIp, s.enableDhcp, s.allocationPools]), [['203.0.113.0/24', 4, '203.0.113.1', false, [{ start: '203.0.113.2', end: '203.0.113.254' }]]]);
  });

  test("Neutron's default group: its own rules, null description, remote group itself", () => {
    const g = inv.securityGroups[0]!;
    assert.equal(g.name, 'default');
    assert.equal(g.rules.length, 4);
    assert.ok(g.rules.some((r) => r.direction === 'ingress' && r.remoteGroupId === g.id && r.protocol === null));
    assert.ok(g.rules.every((r) => r.marker === undefined));
  });

  test('hosts: both fake compute hypervisors with their service host; services and zones', () => {
    assert.deepEqual(inv.hypervisors.map((h) => [h.hypervisorHostname, h.host, h.state, h.status, h.vcpus]).sort(), [
      ['source-compute-1', 'source-compute-1', 'up', 'enabled', 1000],
      ['source-compute-2', 'source-compute-2', 'up', 'enabled', 1000],
    ]);
    assert.deepEqual(inv.computeServices.map((s) => `${s.binary}@${s.host}`).sort(), ['nova-compute@source-compute-1', 'nova-compute@source-compute-2', 'nova-conductor@source-controller', 'nova-scheduler@source-controller']);
    assert.deepEqual(inv.availabilityZones.find((z) => z.name === 'nova')?.hosts, ['source-compute-1', 'source-compute-2']);
  });

  test('flavors m1.* with "" swap as 0; projects in domain default; release zed', () => {
    assert.deepEqual(inv.flavors.map((f) => [f.name, f.swapMb, f.isPublic, f.access]).sort(), [['m1.medium', 0, true, []], ['m1.small', 0, true, []], ['m1.tiny', 0, true, []]]);
    assert.deepEqual(inv.projects.map((p) => [p.name, p.domainId]).sort(), [['admin', 'default'], ['service', 'default']]);
    assert.equal(inv.capabilities.release, 'zed');
    assert.deepEqual(notes, []);
  });
});

describe('markers', () => {
  test('key/value carriers: the marker is taken out, the rest kept; no marker leaves them as they are', () => {
    const meta = { a: '1', pumphouse_source: 's-1', pumphouse_kind: 'server' };
    assert.deepEqual(splitEntries(meta, 'server'), { marker: { sourceId: 's-1', kind: 'server' }, rest: { a: '1' } });
    const plain = { a: '1' };
    assert.equal(splitEntries(plain, 'server').rest, plain);
    assert.deepEqual(splitEntries({ pumphouse_source: 'i-1' }, 'image').marker, { sourceId: 'i-1', kind: 'image' }, 'kind falls back to the collection');
  });

  test('Neutron: tags win over the description suffix, which is removed either way', () => {
    const both = neutronMarker(['pumphouse_source=a', 'pumphouse_kind=network'], 'x [pumphouse_source=b kind=network]', 'network');
    assert.deepEqual(both, { marker: { sourceId: 'a', kind: 'network' }, description: 'x' });
    assert.deepEqual(neutronMarker([], 'plain', 'port'), { marker: undefined, description: 'plain' });
  });

  test('flavors: a marker in the extra specs is read and taken out', async () => {
    const { toFlavor: flavorRecord } = await import('../../src/discovery/records/compute.js');
    const f = flavorRecord(toFlavor({ id: 'f', name: 'x', extra_specs: { 'hw:numa_nodes': '1', pumphouse_source: 's-f', pumphouse_kind: 'flavor' } }), []);
    assert.deepEqual([f.extraSpecs, f.marker], [{ 'hw:numa_nodes': '1' }, { sourceId: 's-f', kind: 'flavor' }]);
  });

  test('Keystone: extra attributes when a record carries them, else the description', () => {
    const withExtra = { description: 'Acme', extra: { pumphouse_source: 't-1', pumphouse_kind: 'project' } };
    assert.deepEqual(keystoneMarker(withExtra, 'project'), { marker: { sourceId: 't-1', kind: 'project' }, description: 'Acme' });
    assert.deepEqual(keystoneMarker({ description: null }, 'user'), { marker: undefined, description: '' });
  });
});

describe('release inference', () => {
  const none = { hypervisorState: false, serviceIds: false };
  const cases: [string | null, string][] = [
    ['2.3', 'kilo'], ['2.12', 'liberty'], ['2.60', 'queens'], ['2.87', 'ussuri'], ['2.90', 'xena'], ['2.93', 'zed'],
    ['2.95', '2023.1'], ['2.96', '2024.1'], ['2.97', '2025.1'], ['2.100', '2025.1'], ['2.110', '2025.1'],
  ];
  for (const [mv, release] of cases) {
    test(`Nova ${mv} -> ${release}`, () => assert.equal(inferRelease(mv, none), release));
  }
  test('legacy Nova: Juno has hypervisor state, Icehouse service ids, Havana neither', () => {
    assert.equal(inferRelease(null, { hypervisorState: true, serviceIds: true }), 'juno');
    assert.equal(inferRelease(null, { hypervisorState: false, serviceIds: true }), 'icehouse');
    assert.equal(inferRelease(null, none), 'havana');
  });
  test('the planner reads it right around the sha512_crypt cut (2024.2 verifies, 2025.1 does not)', () => {
    const caps = (mv: string) => capabilitiesOf({ ...ZED_CAPS, computeMicroversion: mv }, emptySurvey());
    assert.equal(acceptsSha512Crypt(caps('2.96')), true);
    assert.equal(acceptsSha512Crypt(caps('2.97')), false);
  });
});

test('hash schemes: the planner gets known schemes, bcrypt_sha256 and anything else as unknown', () => {
  assert.deepEqual(toHashRef('u', 'sha512_crypt'), { userId: 'u', scheme: 'sha512_crypt' });
  assert.deepEqual(toHashRef('u', 'bcrypt'), { userId: 'u', scheme: 'bcrypt' });
  assert.deepEqual(toHashRef('u', 'bcrypt_sha256'), { userId: 'u', scheme: 'unknown' });
});

test('Fuel: environments name their release; node MACs lower-case, once, sorted', () => {
  const inv = fuelInventory(
    [{ id: 1, name: 'source-env', status: 'operational', releaseId: 2 }, { id: 3, name: 'orphan', status: 'new', releaseId: 99 }],
    [{ id: 2, name: 'Juno on Ubuntu 12.04.4', version: '2014.2-6.0' }],
    [{ id: 7, hostname: 'node-7', status: 'ready', online: true, clusterId: 1, roles: ['compute', 'cinder'], pendingRoles: [], macs: ['AA:BB:CC:00:00:02', 'aa:bb:cc:00:00:01', 'aa:bb:cc:00:00:02'] }],
    { at: 'T', calls: 3 },
  );
  assert.deepEqual(inv.environments, [
    { id: 1, name: 'source-env', release: 'Juno on Ubuntu 12.04.4 (2014.2-6.0)', status: 'operational' },
    { id: 3, name: 'orphan', release: '99', status: 'new' },
  ]);
  assert.deepEqual(inv.nodes[0], { id: 7, hostname: 'node-7', status: 'ready', online: true, clusterId: 1, roles: ['cinder', 'compute'], pendingRoles: [], macs: ['aa:bb:cc:00:00:01', 'aa:bb:cc:00:00:02'] });
});

describe('records: what the planner must see to refuse or carry', () => {
  test('an encrypted volume is marked encrypted; a plain one has no such member', () => {
    const raw = { id: 'v1', name: 'db', size: 10, status: 'available', attachments: [], metadata: {}, bootable: 'false', 'os-vol-tenant-attr:tenant_id': 'p1' };
    assert.equal(toVolume(wireVolume({ ...raw, encrypted: true })).encrypted, true);
    assert.equal('encrypted' in toVolume(wireVolume({ ...raw, encrypted: false })), false);
  });

  test("a Neutron object's own tags are kept sorted, pumphouse's marker and setup tags left out, absent when none are left", () => {
    const tags = (t: string[]) => tagsField(t).tags;
    assert.deepEqual(tags(['tier=web', 'k8s', 'pumphouse_source=abc', 'pumphouse_kind=network', 'pumphouse_setup=1']), ['k8s', 'tier=web']);
    assert.equal(tags(['pumphouse_source=abc', 'pumphouse_kind=network']), undefined);
    assert.equal(tags([]), undefined);
    assert.deepEqual(tags(['pumphouse_sourcery']), ['pumphouse_sourcery'], 'only the marker keys are ours');
  });

  test('capabilities name the Neutron extensions ports, routers and shared networks need, for Neutron clouds only', () => {
    const caps = capabilitiesOf(ZED_CAPS, emptySurvey(), new Set(['allowed-address-pairs', 'extra_dhcp_opt', 'l3-ha']));
    assert.deepEqual(caps.neutron, { allowedAddressPairs: true, portSecurity: false, extraDhcpOpts: true, l3Ha: true, dvr: false, rbac: false });
    assert.equal(capabilitiesOf(ZED_CAPS, emptySurvey(), new Set(['rbac-policies'])).neutron?.rbac, true);
    assert.equal(capabilitiesOf(ZED_CAPS, emptySurvey()).neutron, undefined);
  });
});
