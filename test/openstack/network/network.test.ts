import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../../src/errors/index.js';
import { NetworkClient, Session } from '../../../src/openstack/index.js';
import { FakeCloud, creds, fastRetry, pagedList, send } from '../fake-cloud.js';

const NET = '/network/v2.0';

describe('Neutron', () => {
  let cloud: FakeCloud;
  let session: Session;
  let legacy: NetworkClient;
  let modern: NetworkClient;
  before(async () => {
    cloud = await FakeCloud.start();
    const fr = fastRetry();
    session = await Session.login(creds(cloud), { retry: fr.retry, sleep: fr.sleep });
    legacy = new NetworkClient(session, new Set(['router', 'security-group']));
    cloud.on('GET', `${NET}/extensions`, (_req, res) => send(res, 200, { extensions: [{ alias: 'standard-attr-tag' }, { alias: 'router' }] }));
    modern = await NetworkClient.open(session);
  });
  after(async () => {
    await session.close();
    await cloud.close();
  });

  test('legacy Neutron ignoring limit and marker: one answer with everything, one call', async () => {
    const nets = Array.from({ length: 2300 }, (_, i) => ({ id: `n${i}`, name: `net-${i}`, tenant_id: 't1', subnets: [], 'router:external': false }));
    cloud.on('GET', `${NET}/networks`, (_req, res) => send(res, 200, { networks: nets }));
    const before = session.callCount;
    const list = await legacy.networks.list();
    assert.equal(list.length, 2300);
    assert.equal(session.callCount - before, 1);
  });

  test('a service that ignores the marker but sends a next link: the repeated page stops the walk', async () => {
    const ports = Array.from({ length: 1000 }, (_, i) => ({ id: `p${i}`, network_id: 'n1', tenant_id: 't1', mac_address: 'fa:16:3e:00:00:00', fixed_ips: [] }));
    cloud.on('GET', `${NET}/ports`, (_req, res) => send(res, 200, { ports, ports_links: [{ rel: 'next', href: `http://x${NET}/ports?limit=1000&marker=p999` }] }));
    const list = await legacy.ports.list({ device_owner: 'compute:nova' });
    assert.equal(list.length, 1000, 'no duplicates');
    const hits = cloud.hits('GET', `${NET}/ports`);
    assert.equal(hits.length, 2);
    assert.equal(hits[0]!.url.searchParams.get('device_owner'), 'compute:nova');
  });

  test('modern pagination follows <collection>_links', async () => {
    const fips = Array.from({ length: 2001 }, (_, i) => ({ id: `f${i}`, floating_ip_address: `203.0.113.${i % 250}`, floating_network_id: 'ext', project_id: 't1', status: 'DOWN' }));
    cloud.on('GET', `${NET}/floatingips`, pagedList('floatingips', fips));
    const list = await modern.floatingIps.list();
    assert.equal(list.length, 2001);
    assert.equal(list[0]!.tenantId, 't1', 'project_id is read when tenant_id is absent');
    assert.equal(cloud.hits('GET', `${NET}/floatingips`).length, 3);
  });

  test('create sends only the attributes given; router gateway and interfaces', async () => {
    cloud.on('POST', `${NET}/networks`, (req, res) => send(res, 201, { network: { id: 'n9', ...req.json().network } }));
    const n = await modern.networks.create({ name: 'private', tenantId: 't1' });
    assert.deepEqual(cloud.hits('POST', `${NET}/networks`).at(-1)!.json(), { network: { name: 'private', tenant_id: 't1' } });
    assert.equal(n.tenantId, 't1');
    cloud.on('PUT', `${NET}/routers/r1`, (req, res) => send(res, 200, { router: { id: 'r1', ...req.json().router } }));
    const r = await modern.routers.setGateway('r1', { networkId: 'ext', enableSnat: true });
    assert.deepEqual(r.externalGateway, { networkId: 'ext', enableSnat: true, externalFixedIps: [] });
    const cleared = await modern.routers.setGateway('r1', null);
    assert.equal(cleared.externalGateway, null);
    cloud.on('PUT', `${NET}/routers/r1/add_router_interface`, (_req, res) => send(res, 200, { id: 'r1', tenant_id: 't1', port_id: 'p7', subnet_id: 'sn1' }));
    assert.deepEqual(await modern.routers.addInterface('r1', { subnetId: 'sn1' }), { routerId: 'r1', portId: 'p7', subnetId: 'sn1' });
  });

  test('subnet create sends ip_version, taken from the CIDR (Neutron requires it)', async () => {
    cloud.on('POST', `${NET}/subnets`, (req, res) => send(res, 201, { subnet: { id: 'sn9', ...req.json().subnet } }));
    await modern.subnets.create({ networkId: 'n1', cidr: '10.0.0.0/24' });
    await modern.subnets.create({ networkId: 'n1', cidr: 'fd00::/64', gatewayIp: null });
    const bodies = cloud.hits('POST', `${NET}/subnets`).map((h) => h.json().subnet);
    assert.deepEqual(bodies[0], { ip_version: 4, network_id: 'n1', cidr: '10.0.0.0/24' });
    assert.deepEqual(bodies[1], { ip_version: 6, network_id: 'n1', cidr: 'fd00::/64', gateway_ip: null });
  });

  test('add_router_interface (a PUT that is not idempotent) is not retried on 503', async () => {
    cloud.on('PUT', `${NET}/routers/r2/add_router_interface`, (_req, res) => send(res, 503, 'busy'));
    await assert.rejects(modern.routers.addInterface('r2', { subnetId: 'sn1' }), (err: unknown) => (err as { ambiguous?: boolean }).ambiguous === true);
    assert.equal(cloud.hits('PUT', `${NET}/routers/r2/add_router_interface`).length, 1);
  });

  test('tags where the extension exists; PH_CLOUD_UNSUPPORTED elsewhere', async () => {
    cloud.on('PUT', `${NET}/networks/n1/tags`, (req, res) => send(res, 200, req.json()));
    await modern.setTags('networks', 'n1', ['pumphouse:source=n0']);
    assert.deepEqual(cloud.hits('PUT', `${NET}/networks/n1/tags`)[0]!.json(), { tags: ['pumphouse:source=n0'] });
    assert.equal(legacy.supportsTags('networks'), false);
    await assert.rejects(legacy.setTags('networks', 'n1', ['x']), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_CLOUD_UNSUPPORTED');
  });

  test("a trunk's parent port says which trunk and how many subports (trunk_details); a vnic_type is read; other ports say neither", async () => {
    cloud.on('GET', `${NET}/ports`, (_req, res) =>
      send(res, 200, {
        ports: [
          {
            id: 'p-parent', network_id: 'n1', tenant_id: 't1', mac_address: 'fa:16:3e:00:00:01', fixed_ips: [], device_id: 'vm1', device_owner: 'compute:nova', 'binding:vnic_type': 'normal',
            trunk_details: { trunk_id: 'trunk-1', sub_ports: [{ segmentation_type: 'vlan', segmentation_id: 100, port_id: 'p-sub1', mac_address: 'fa:16:3e:00:00:02' }, { segmentation_type: 'vlan', segmentation_id: 101, port_id: 'p-sub2', mac_address: 'fa:16:3e:00:00:03' }] },
          },
          { id: 'p-vf', network_id: 'n1', tenant_id: 't1', mac_address: 'fa:16:3e:00:00:04', fixed_ips: [], device_id: 'vm2', device_owner: 'compute:nova', 'binding:vnic_type': 'direct' },
          { id: 'p-juno', network_id: 'n1', tenant_id: 't1', mac_address: 'fa:16:3e:00:00:05', fixed_ips: [], device_id: 'vm3', device_owner: 'compute:nova' },
        ],
      }),
    );
    const ports = await modern.ports.list();
    assert.deepEqual(ports.map((p) => [p.id, p.trunk, p.vnicType]), [
      ['p-parent', { id: 'trunk-1', subports: 2 }, 'normal'],
      ['p-vf', null, 'direct'],
      ['p-juno', null, null],
    ]);
  });

  test('security groups carry their rules; quotas', async () => {
    cloud.on('GET', `${NET}/security-groups`, (_req, res) =>
      send(res, 200, {
        security_groups: [
          {
            id: 'sg1',
            name: 'default',
            description: 'default',
            tenant_id: 't1',
            security_group_rules: [{ id: 'r1', security_group_id: 'sg1', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0', remote_group_id: null, tenant_id: 't1' }],
          },
        ],
      }),
    );
    const [g] = await modern.securityGroups.list({ tenant_id: 't1' });
    assert.equal(g!.rules[0]!.portRangeMin, 22);
    assert.equal(g!.rules[0]!.remoteGroupId, null);
    cloud.on('GET', `${NET}/quotas/t1`, (_req, res) => send(res, 200, { quota: { network: 10, floatingip: 50 } }));
    assert.deepEqual(await modern.quotas.get('t1'), { network: 10, floatingip: 50 });
  });
});
