// EarlyRecords: the big kinds' records mapped as their lists arrive equal the ones
// assembleInventory maps itself, and the mapping lets the event loop turn.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleInventory, type AssembleInput } from '../../src/discovery/assemble.js';
import { EarlyRecords, mapInTurns } from '../../src/discovery/early-records.js';
import type { Survey } from '../../src/discovery/survey.js';
import type * as os from '../../src/openstack/index.js';

// Strings made at run time, as JSON.parse makes them: equal text, distinct copies.
const copy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

const server = (i: number): os.Server =>
  ({
    id: `server-${i}`, name: `vm-${i}`, tenantId: copy('project-1'), userId: copy('user-1'), status: copy('ACTIVE'), host: copy('node-1'),
    hypervisorHostname: copy('node-1.domain'), flavorId: '1', imageId: copy('image-1'), keyName: null, securityGroups: [copy('default')],
    addresses: { private: [{ mac: `fa:16:3e:00:00:0${i}`, addr: `10.0.0.${i}`, type: 'fixed', version: 4 }] }, metadata: { pumphouse_source: 'src-1' },
    volumesAttached: [], availabilityZone: copy('nova'),
  }) as unknown as os.Server;
const port = (i: number): os.Port =>
  ({
    id: `port-${i}`, name: '', networkId: copy('net-1'), tenantId: copy('project-1'), macAddress: `fa:16:3e:00:00:0${i}`,
    fixedIps: [{ subnetId: copy('subnet-1'), ipAddress: `10.0.0.${i}` }], deviceOwner: copy('compute:nova'), deviceId: `server-${i}`,
    securityGroupIds: [copy('sg-1')], adminStateUp: true, tags: [], description: '', status: 'ACTIVE', bindingHostId: null, vnicType: null, trunk: null, allowedAddressPairs: [], extraDhcpOpts: [], portSecurityEnabled: null,
  }) satisfies os.Port;
const group = {
  id: 'sg-1', name: copy('default'), description: '', tenantId: copy('project-1'), tags: [],
  rules: [{ id: 'r-1', direction: 'ingress', ethertype: 'IPv4', protocol: 'TCP', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0', remoteGroupId: null, description: '' }],
} as unknown as os.SecurityGroup;
const fip = {
  id: 'fip-1', floatingIpAddress: '203.0.113.5', tenantId: copy('project-1'), floatingNetworkId: copy('ext-1'), portId: 'port-2',
  fixedIpAddress: '10.0.0.2', routerId: copy('router-1'), tags: [], description: '',
} as unknown as os.FloatingIp;
const flavor = { id: '1', name: 'm1.tiny', extraSpecs: {} } as unknown as os.Flavor;

function input(survey: Survey): AssembleInput {
  return {
    role: 'source',
    capabilities: { identityApi: 'v3' } as AssembleInput['capabilities'],
    session: { userId: 'admin', userName: 'admin', projectId: 'admin' },
    survey,
    assignments: [],
    details: { quotas: [], flavorAccess: new Map(), keypairs: [], hashRefs: [], notes: [] } as unknown as AssembleInput['details'],
    observed: { at: '2026-01-01T00:00:00.000Z', calls: 1 },
  };
}

describe('EarlyRecords', () => {
  test('records mapped as the lists arrive equal those assembleInventory maps from the survey', async () => {
    const servers = [server(1), server(2)];
    const ports = [port(1), port(2)];
    const neutron = { networks: [], subnets: [], routers: [], ports, floatingIps: [fip], securityGroups: [group] };
    const survey = {
      projects: [], users: [], roles: [], assignments: [], otherGrants: [], groups: [], flavors: [flavor], servers, serverGroups: [], images: [], volumes: [], volumeTypes: [], volumeSnapshots: [],
      hypervisors: [], services: [], zones: [], neutron, novaNetwork: null,
    } as unknown as Survey;
    const early = new EarlyRecords();
    early.servers(Promise.resolve(servers), Promise.resolve([flavor]));
    early.neutron(Promise.resolve(ports), Promise.resolve([group]), Promise.resolve([fip]));
    const mapped = await early.records();
    const alone = assembleInventory(input(survey), []);
    const withMapped = assembleInventory({ ...input(survey), mapped }, []);
    assert.deepEqual(withMapped, alone);
    assert.equal(withMapped.floatingIps[0]!.serverId, 'server-2');
    assert.equal(withMapped.servers[0]!.flavorName, 'm1.tiny');
    // One pool across kinds: a server's project id is the same string as its port's.
    assert.ok(Object.is(withMapped.servers[0]!.projectId, withMapped.ports[1]!.projectId));
  });

  test('a list that fails rejects records() with its error, and goes unhandled nowhere when records() is never asked', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const early = new EarlyRecords();
      early.servers(Promise.reject(new Error('servers broke')), Promise.resolve([flavor]));
      await assert.rejects(early.records(), /servers broke/);
      const forgotten = new EarlyRecords();
      forgotten.neutron(Promise.reject(new Error('ports broke')), Promise.resolve([group]), Promise.resolve([fip]));
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  test('mapInTurns maps in order and lets other work run between chunks', async () => {
    const items = Array.from({ length: 5000 }, (_, i) => i);
    let ranDuring = -1;
    let mappedSoFar = 0;
    setImmediate(() => (ranDuring = mappedSoFar));
    const out = await mapInTurns(items, (i) => (mappedSoFar++, i * 2));
    assert.deepEqual(out, items.map((i) => i * 2));
    assert.ok(ranDuring > 0 && ranDuring < items.length, `the other callback ran after ${ranDuring} items`);
  });
});
