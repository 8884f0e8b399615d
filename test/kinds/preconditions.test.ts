import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import { CloudHttpError, type Cloud } from '../../src/openstack/index.js';
import type { Precondition } from '../../src/plan/index.js';
import { check } from '../../src/apply/preconditions.js';
import { preconditionReader } from '../../src/kinds/preconditions.js';
import { parseRef } from '../../src/kinds/preconditions/ref.js';
import { cloudAccess, StepHarness } from './support/step-harness.js';

const notFound = () =>
  new CloudHttpError({ status: 404, ambiguous: false, cloud: 'c', service: 's', method: 'GET', path: '/x', requestId: undefined, cloudMessage: 'nope', faultType: undefined });

const project = { id: 'p1', name: 'acme', description: 'd', enabled: true, domainId: 'default', parentId: 'default' };
const port = (id: string, mac: string) => ({ id, name: '', networkId: 'n1', tenantId: 'p1', macAddress: mac, fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.5' }], deviceId: 'sv1', deviceOwner: 'compute:nova', adminStateUp: true });
const fake = {
  identity: {
    projects: { get: async (id: string) => (id === 'p1' ? project : Promise.reject(notFound())), findByName: async (n: string) => (n === 'acme' ? project : undefined) },
    roleAssignments: { list: async () => [{ userId: 'u1', roleId: 'r1', projectId: 'p1' }] },
  },
  network: {
    ports: {
      get: async (id: string) => (id === 'port-1' ? port('port-1', 'fa:16:3e:00:00:01') : Promise.reject(notFound())),
      list: async (f: Record<string, string>) => [port('port-9', 'fa:16:3e:00:00:01'), port('port-2', 'fa:16:3e:00:00:01')].filter((p) => p.macAddress === f['mac_address']),
    },
  },
  volume: { volumes: { get: async () => ({ id: 'v1', name: 'data', status: 'in-use', size: 10, volumeType: null, bootable: false, tenantId: 'p1', attachments: [{ serverId: 'sv2' }, { serverId: 'sv1' }] }) } },
  compute: { quotas: { get: async () => ({ instances: 20, cores: 40 }) }, keypairs: { get: async (name: string, o: { userId: string }) => ({ name, userId: o.userId, fingerprint: 'aa:bb', type: 'ssh', publicKey: 'k' }) } },
} as unknown as Cloud;
const fuel = { node: async (id: number) => ({ id, hostname: 'node-12', status: 'ready', clusterId: 1, online: true, macs: ['AA:00', '0b:11'], roles: ['compute'] }) };

async function read(p: Precondition) {
  return preconditionReader().read(p, new StepHarness(cloudAccess(fake, fake, fuel)).services);
}

describe('preconditionReader', () => {
  it('parses both ref forms, decoding percent-encoded composite ids', () => {
    assert.deepEqual(parseRef('keystone/role_assignments/u1%2Fr1%2Fp1'), { form: 'path', service: 'keystone', collection: 'role_assignments', id: 'u1/r1/p1' });
    assert.deepEqual(parseRef('neutron/ports?mac_address=fa%3A16'), { form: 'lookup', service: 'neutron', collection: 'ports', key: 'mac_address', value: 'fa:16' });
    for (const bad of ['keystone/projects', 'a/b/c/d', 'a/b?novalue', 'a/b/%E0%A4%A']) assert.throws(() => parseRef(bad), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL', bad);
  });

  it('reads Keystone facts by id and by name; a 404 is "absent"', async () => {
    const match: Precondition = { cloud: 'source', ref: 'keystone/projects/p1', must: 'match', fields: { name: 'acme' } };
    assert.equal(check(match, await read(match)), null);
    assert.equal(check({ ...match, fields: { name: 'other' } }, await read(match)), 'source keystone/projects/p1: name is "acme", planned "other"');
    const gone: Precondition = { cloud: 'source', ref: 'keystone/projects/p9', must: 'present' };
    assert.equal(await read(gone), null);
    const absent: Precondition = { cloud: 'destination', ref: 'keystone/projects?name=acme', must: 'absent' };
    assert.match(check(absent, await read(absent)) ?? '', /exists now/);
    assert.deepEqual(await read({ cloud: 'source', ref: 'keystone/role_assignments/u1%2Fr1%2Fp1', must: 'present' }), { userId: 'u1', roleId: 'r1', projectId: 'p1' });
  });

  it('uses Inventory field names, joins lists as the planner does, and picks the lowest id of several matches', async () => {
    assert.deepEqual(await read({ cloud: 'source', ref: 'neutron/ports/port-1', must: 'match', fields: { macAddress: 'fa:16:3e:00:00:01', deviceId: 'sv1' } }), {
      id: 'port-1',
      name: '',
      networkId: 'n1',
      projectId: 'p1',
      macAddress: 'fa:16:3e:00:00:01',
      deviceId: 'sv1',
      deviceOwner: 'compute:nova',
      adminStateUp: true,
      fixedIps: '10.0.0.5',
    });
    assert.equal((await read({ cloud: 'destination', ref: 'neutron/ports?mac_address=fa%3A16%3A3e%3A00%3A00%3A01', must: 'absent' }))?.['id'], 'port-2');
    assert.equal((await read({ cloud: 'source', ref: 'cinder/volumes/v1', must: 'present' }))?.['attachedTo'], 'sv1,sv2');
    assert.deepEqual(await read({ cloud: 'source', ref: 'nova/quota_sets/p1', must: 'present' }), { instances: 20, cores: 40 });
    assert.equal((await read({ cloud: 'source', ref: 'nova/keypairs/u1%2Fk1', must: 'present' }))?.['fingerprint'], 'aa:bb');
  });

  it('reads Fuel nodes through the apply Fuel client (MACs lower-cased, sorted)', async () => {
    const p: Precondition = { cloud: 'fuel', ref: 'fuel/nodes/12', must: 'match', fields: { status: 'ready', clusterId: 1, online: true, macs: '0b:11,aa:00' } };
    assert.equal(check(p, await read(p)), null);
  });

  it('refuses refs it does not know as a planner bug', async () => {
    for (const ref of ['swift/containers/x', 'keystone/domains/d', 'neutron/trunks/t']) {
      await assert.rejects(read({ cloud: 'source', ref, must: 'present' }), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL', ref);
    }
    await assert.rejects(read({ cloud: 'source', ref: 'fuel/nodes/1', must: 'present' }), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_INTERNAL');
  });
});
