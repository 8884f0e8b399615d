import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../../src/errors/index.js';
import { openCloud, type Cloud } from '../../../src/openstack/index.js';
import { FakeCloud, addDiscovery, creds, fastRetry, pagedList, send } from '../fake-cloud.js';

const NOVA = '/compute/v2.1';

function rawServer(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `s${i}`,
    name: `web-${i}`,
    tenant_id: 'p1',
    user_id: 'u1',
    status: 'ACTIVE',
    'OS-EXT-STS:vm_state': 'active',
    'OS-EXT-STS:task_state': null,
    'OS-EXT-SRV-ATTR:host': 'compute-1',
    'OS-EXT-SRV-ATTR:hypervisor_hostname': 'compute-1.domain',
    'OS-EXT-AZ:availability_zone': 'nova',
    flavor: { id: '42', links: [] },
    image: { id: 'img-1', links: [] },
    key_name: null,
    security_groups: [{ name: 'default' }, { name: 'web' }, { name: 'default' }],
    addresses: {
      private: [
        { version: 4, addr: '10.0.0.5', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' },
        { version: 4, addr: '203.0.113.9', 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' },
      ],
    },
    metadata: { role: 'web' },
    'os-extended-volumes:volumes_attached': [{ id: 'v1' }],
    created: '2014-05-01T10:00:00Z',
    ...extra,
  };
}

describe('compute on a modern cloud (microversions up to 2.93)', () => {
  let cloud: FakeCloud;
  let c: Cloud;
  before(async () => {
    cloud = await FakeCloud.start();
    addDiscovery(cloud);
    const fr = fastRetry();
    c = await openCloud(creds(cloud), { name: 'destination', retry: fr.retry, sleep: fr.sleep });
  });
  after(async () => {
    await c.close();
    await cloud.close();
  });

  test('openCloud reports capabilities and its call count', () => {
    assert.equal(c.capabilities.computeMicroversion, '2.93');
    assert.equal(c.capabilities.keypairsOfOtherUsers, true);
    assert.equal(c.capabilities.imageVersion, '2');
    assert.equal(c.capabilities.network, 'neutron');
    assert.equal(c.capabilities.volumeVersion, '3');
    assert.ok(c.network && !c.novaNetwork);
    assert.equal(c.session.callCount, 4, 'login + nova versions + glance versions + neutron extensions');
  });

  test('servers.list pages through servers_links, sends 2.1 and normalizes', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => rawServer(i));
    all[1] = rawServer(1, { image: '', 'os-extended-volumes:volumes_attached': [], config_drive: 'True' });
    all[2] = rawServer(2, { config_drive: '' });
    cloud.on('GET', `${NOVA}/servers/detail`, pagedList('servers', all));
    const before = c.session.callCount;
    const servers = await c.compute.servers.list({ allTenants: true });
    assert.equal(servers.length, 2500);
    assert.equal(c.session.callCount - before, 3, '1000 + 1000 + 500');
    const hits = cloud.hits('GET', `${NOVA}/servers/detail`);
    assert.equal(hits[0]!.url.searchParams.get('all_tenants'), '1');
    assert.equal(hits[1]!.url.searchParams.get('all_tenants'), '1', 'filters survive into later pages');
    assert.equal(hits[1]!.url.searchParams.get('marker'), 's999');
    assert.equal(hits[0]!.headers['x-openstack-nova-api-version'], '2.1');
    assert.equal(hits[0]!.headers['openstack-api-version'], 'compute 2.1');
    const s = servers[0]!;
    assert.equal(s.host, 'compute-1');
    assert.equal(s.hypervisorHostname, 'compute-1.domain');
    assert.equal(s.flavorId, '42');
    assert.equal(s.imageId, 'img-1');
    assert.deepEqual(s.securityGroups, ['default', 'web']);
    assert.deepEqual(s.addresses['private']!.map((a) => a.type), ['fixed', 'floating']);
    assert.equal(s.addresses['private']![0]!.mac, 'fa:16:3e:00:00:01');
    assert.deepEqual(s.volumesAttached, ['v1']);
    assert.equal(servers[1]!.imageId, null, 'booted from volume');
    assert.deepEqual(servers.slice(0, 3).map((x) => x.configDrive), [false, true, false], 'config_drive "True" is on; "" and absent are off');
  });

  test('iterate yields servers without collecting them all', async () => {
    let n = 0;
    for await (const s of c.compute.servers.iterate({ allTenants: true })) {
      assert.ok(s.id);
      if (++n === 5) break;
    }
    assert.equal(n, 5);
  });

  test('createImage reads the image id from the body (2.45+) or the Location header', async () => {
    cloud.on('POST', `${NOVA}/servers/s1/action`, (req, res) => {
      const body = req.json();
      if (body.createImage?.name === 'by-location') return send(res, 202, undefined, { location: `http://x:8774/v2/p1/images/img-77` });
      if (body.createImage) return send(res, 202, { image_id: 'img-88' });
      send(res, 202);
    });
    assert.equal(await c.compute.servers.createImage('s1', 'by-location'), 'img-77');
    assert.equal(await c.compute.servers.createImage('s1', 'by-body', { from: 'source' }), 'img-88');
  });

  test('live migration asks 2.25 with block_migration auto; evacuate asks 2.14 without onSharedStorage', async () => {
    await c.compute.servers.liveMigrate('s1', { host: 'compute-2' });
    await c.compute.servers.evacuate('s1', { host: 'compute-2' });
    const hits = cloud.hits('POST', `${NOVA}/servers/s1/action`).slice(-2);
    assert.deepEqual(hits[0]!.json(), { 'os-migrateLive': { host: 'compute-2', block_migration: 'auto' } });
    assert.equal(hits[0]!.headers['x-openstack-nova-api-version'], '2.25');
    assert.deepEqual(hits[1]!.json(), { evacuate: { host: 'compute-2' } });
    assert.equal(hits[1]!.headers['openstack-api-version'], 'compute 2.14');
  });

  test('keypairs of another user use ?user_id= with 2.10 and unwrap list items', async () => {
    cloud.on('GET', `${NOVA}/os-keypairs`, (_req, res) =>
      send(res, 200, { keypairs: [{ keypair: { name: 'k1', public_key: 'ssh-rsa AAA', fingerprint: 'aa:bb' } }] }),
    );
    const keys = await c.compute.keypairs.list({ userId: 'u-alice' });
    assert.deepEqual(keys, [{ name: 'k1', publicKey: 'ssh-rsa AAA', fingerprint: 'aa:bb', userId: 'u-alice', type: null }]);
    const hit = cloud.hits('GET', `${NOVA}/os-keypairs`).at(-1)!;
    assert.equal(hit.url.searchParams.get('user_id'), 'u-alice');
    assert.equal(hit.headers['x-openstack-nova-api-version'], '2.10');
  });

  test('flavors come with embedded extra specs at 2.61 in one call', async () => {
    cloud.on('GET', `${NOVA}/flavors/detail`, (_req, res) =>
      send(res, 200, {
        flavors: [{ id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1, swap: 0, 'OS-FLV-EXT-DATA:ephemeral': 0, rxtx_factor: 1.0, 'os-flavor-access:is_public': false, extra_specs: { 'hw:cpu_policy': 'dedicated' } }],
      }),
    );
    const before = c.session.callCount;
    const [f] = await c.compute.flavors.list();
    assert.equal(c.session.callCount - before, 1);
    assert.deepEqual(f!.extraSpecs, { 'hw:cpu_policy': 'dedicated' });
    assert.equal(f!.isPublic, false);
    const hit = cloud.hits('GET', `${NOVA}/flavors/detail`).at(-1)!;
    assert.equal(hit.url.searchParams.get('is_public'), 'None');
    assert.equal(hit.headers['x-openstack-nova-api-version'], '2.61');
  });

  test('services are disabled with a reason; hypervisors and quotas are normalized', async () => {
    cloud.on('PUT', `${NOVA}/os-services/disable-log-reason`, (_req, res) => send(res, 200, { service: { status: 'disabled' } }));
    await c.compute.services.disable({ host: 'compute-1', binary: 'nova-compute' }, 'pumphouse: evacuating');
    assert.deepEqual(cloud.hits('PUT', `${NOVA}/os-services/disable-log-reason`)[0]!.json(), {
      host: 'compute-1',
      binary: 'nova-compute',
      disabled_reason: 'pumphouse: evacuating',
    });
    cloud.on('GET', `${NOVA}/os-hypervisors/detail`, (_req, res) =>
      send(res, 200, { hypervisors: [{ id: 3, hypervisor_hostname: 'compute-1.domain', state: 'up', status: 'enabled', service: { id: 7, host: 'compute-1' }, vcpus: 8, running_vms: 2 }] }),
    );
    const [h] = await c.compute.hypervisors.list();
    assert.deepEqual({ id: h!.id, hostname: h!.hostname, state: h!.state, status: h!.status, servicehost: h!.servicehost, runningVms: h!.runningVms }, {
      id: '3',
      hostname: 'compute-1.domain',
      state: 'up',
      status: 'enabled',
      servicehost: 'compute-1',
      runningVms: 2,
    });
    cloud.on('GET', `${NOVA}/os-hypervisors/nohost/servers`, (_req, res) => send(res, 404, { itemNotFound: { code: 404, message: 'No hypervisor matching nohost could be found.' } }));
    assert.deepEqual(await c.compute.hypervisors.servers('nohost'), []);
    cloud.on('GET', `${NOVA}/os-quota-sets/p1`, (_req, res) => send(res, 200, { quota_set: { id: 'p1', instances: 10, cores: 20, ram: 51200 } }));
    assert.deepEqual(await c.compute.quotas.get('p1'), { instances: 10, cores: 20, ram: 51200 });
  });
});

describe('compute on a legacy cloud (Nova v2, no microversions)', () => {
  let cloud: FakeCloud;
  let c: Cloud;
  before(async () => {
    cloud = await FakeCloud.start({ services: { identity: '/identity/v2.0', compute: '/compute/v2/{pid}', image: '/image', volume: '/volume/v1/{pid}' } });
    addDiscovery(cloud, { novaMax: null, glance: '1' });
    const fr = fastRetry();
    c = await openCloud(creds(cloud, 'v2.0'), { name: 'source', retry: fr.retry, sleep: fr.sleep });
  });
  after(async () => {
    await c.close();
    await cloud.close();
  });
  const NOVA2 = '/compute/v2/p-admin';

  test('capabilities: v2.0 identity, no microversion, Glance v1, Cinder v1, nova-network', () => {
    assert.deepEqual(
      { ...c.capabilities },
      {
        identityVersion: '2.0',
        computeMicroversion: null,
        imageVersion: '1',
        volumeVersion: '1',
        volumeServiceType: 'volume',
        network: 'nova-network',
        networkExtensions: [],
        keypairsOfOtherUsers: false,
        networkTags: false,
      },
    );
    assert.ok(c.novaNetwork && !c.network);
  });

  test('no microversion headers are sent; live migration and evacuate use the v2 bodies', async () => {
    cloud.on('POST', `${NOVA2}/servers/s1/action`, (_req, res) => send(res, 202));
    await c.compute.servers.liveMigrate('s1');
    await c.compute.servers.evacuate('s1', { host: 'node-5', onSharedStorage: true });
    const hits = cloud.hits('POST', `${NOVA2}/servers/s1/action`);
    assert.deepEqual(hits[0]!.json(), { 'os-migrateLive': { host: null, block_migration: false, disk_over_commit: false } });
    assert.deepEqual(hits[1]!.json(), { evacuate: { host: 'node-5', onSharedStorage: true } });
    assert.equal(hits[0]!.headers['x-openstack-nova-api-version'], undefined);
  });

  test("another user's keypairs are PH_CLOUD_UNSUPPORTED below 2.10", async () => {
    await assert.rejects(c.compute.keypairs.list({ userId: 'u-alice' }), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_CLOUD_UNSUPPORTED' && /2\.10/.test(err.message));
  });

  test('flavors: extra specs one call per flavor, swap "" is 0', async () => {
    cloud.on('GET', `${NOVA2}/flavors/detail`, (_req, res) =>
      send(res, 200, { flavors: [{ id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 0, swap: '', rxtx_factor: 1.0, 'OS-FLV-EXT-DATA:ephemeral': 0, 'os-flavor-access:is_public': true }] }),
    );
    cloud.on('GET', `${NOVA2}/flavors/1/os-extra_specs`, (_req, res) => send(res, 200, { extra_specs: { 'quota:cpu_shares': '512' } }));
    const [f] = await c.compute.flavors.list();
    assert.equal(f!.swapMb, 0);
    assert.deepEqual(f!.extraSpecs, { 'quota:cpu_shares': '512' });
  });
});
