import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StringPool, NO_POOL } from '../../src/discovery/records/string-pool.js';
import { toPort, toSecurityGroup } from '../../src/discovery/records/network.js';
import { toServer } from '../../src/discovery/records/compute.js';
import type * as os from '../../src/openstack/index.js';

// Strings made at run time, as JSON.parse makes them: equal text, distinct copies.
const copy = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

describe('StringPool: one copy of each repeated string', () => {
  test('answers the first copy it saw, and leaves null alone', () => {
    const pool = new StringPool();
    const first = copy('project-1');
    assert.equal(pool.of(first), first);
    assert.equal(pool.of(copy('project-1')), first);
    assert.equal(pool.maybe(null), null);
    assert.deepEqual(pool.all([copy('a'), copy('b'), copy('a')]), ['a', 'b', 'a']);
  });

  test('few() pools apart from of(): one copy per text in each, nulls left alone', () => {
    const pool = new StringPool();
    const first = copy('ACTIVE');
    assert.equal(pool.few(first), first);
    assert.ok(Object.is(pool.few(copy('ACTIVE')), first));
    assert.equal(pool.few(null), null);
    const tags = pool.allFew([copy('web'), copy('web')]);
    assert.ok(Object.is(tags[0], tags[1]));
    assert.deepEqual(tags, ['web', 'web']);
  });

  test('NO_POOL keeps every string as given', () => {
    const s = copy('x');
    assert.equal(NO_POOL.of(s), s);
    assert.equal(NO_POOL.of(copy('x')), 'x');
  });
});

describe('record mappers with a pool give the same records', () => {
  const port = (i: number): os.Port =>
    ({
      id: `port-${i}`, name: '', networkId: copy('net-1'), tenantId: copy('project-1'), macAddress: `fa:16:3e:00:00:0${i}`,
      fixedIps: [{ subnetId: copy('subnet-1'), ipAddress: `10.0.0.${i}` }], deviceOwner: copy('compute:nova'), deviceId: copy('server-1'),
      securityGroupIds: [copy('sg-1'), copy('sg-2')], adminStateUp: true, tags: [], description: '', status: 'ACTIVE', bindingHostId: null, vnicType: null, trunk: null, allowedAddressPairs: [], extraDhcpOpts: [], portSecurityEnabled: null,
    }) satisfies os.Port;

  test('ports: equal to the unpooled records, repeated ids shared', () => {
    const pool = new StringPool();
    const a = toPort(port(1), pool);
    const b = toPort(port(2), pool);
    assert.deepEqual(a, toPort(port(1)));
    assert.deepEqual(b, toPort(port(2)));
    // The same text is the same string in both records (what saves the memory).
    assert.ok(Object.is(a.networkId, b.networkId));
    assert.ok(Object.is(a.securityGroupIds[1], b.securityGroupIds[1]));
  });

  test('servers and groups: equal to the unpooled records', () => {
    const server = {
      id: 'server-1', name: 'vm', tenantId: copy('project-1'), userId: copy('user-1'), status: copy('ACTIVE'), host: copy('node-1'),
      hypervisorHostname: copy('node-1.domain'), flavorId: '1', imageId: copy('image-1'), keyName: null, securityGroups: [copy('default')],
      addresses: { private: [{ mac: 'fa:16:3e:00:00:01', addr: '10.0.0.1', type: 'fixed', version: 4 }] }, metadata: {},
      volumesAttached: [copy('vol-1')], availabilityZone: copy('nova'),
    } as unknown as os.Server;
    const names = new Map([['1', 'm1.tiny']]);
    assert.deepEqual(toServer(server, names, new StringPool()), toServer(server, names));
    const group = {
      id: 'sg-1', name: copy('default'), description: '', tenantId: copy('project-1'), tags: [],
      rules: [{ id: 'r-1', direction: 'ingress', ethertype: 'IPv4', protocol: 'TCP', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '0.0.0.0/0', remoteGroupId: null, description: '' }],
    } as unknown as os.SecurityGroup;
    assert.deepEqual(toSecurityGroup(group, new StringPool()), toSecurityGroup(group));
  });
});
