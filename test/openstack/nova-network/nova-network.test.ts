import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { openCloud, type Cloud, type NovaNetworkClient } from '../../../src/openstack/index.js';
import { FakeCloud, addDiscovery, creds, fastRetry, send } from '../fake-cloud.js';

const NOVA = '/compute/v2/p-admin';

describe('nova-network APIs', () => {
  let cloud: FakeCloud;
  let c: Cloud;
  let nn: NovaNetworkClient;
  before(async () => {
    cloud = await FakeCloud.start({ services: { identity: '/identity/v2.0', compute: '/compute/v2/{pid}', image: '/image' } });
    addDiscovery(cloud, { novaMax: null, glance: '1' });
    const fr = fastRetry();
    c = await openCloud(creds(cloud, 'v2.0'), { retry: fr.retry, sleep: fr.sleep });
    nn = c.novaNetwork!;
  });
  after(async () => {
    await c.close();
    await cloud.close();
  });

  test('networks: VLAN fields normalized, create body mapped', async () => {
    cloud.on('GET', `${NOVA}/os-networks`, (_req, res) =>
      send(res, 200, { networks: [{ id: 'uuid-1', label: 'acme-net', cidr: '10.0.1.0/24', vlan: 102, bridge: 'br102', bridge_interface: 'eth1', project_id: 't1', multi_host: true, dhcp_start: '10.0.1.3', gateway: '10.0.1.1' }] }),
    );
    const [n] = await nn.networks.list();
    assert.deepEqual([n!.id, n!.vlan, n!.projectId, n!.multiHost, n!.bridge], ['uuid-1', 102, 't1', true, 'br102']);
    cloud.on('POST', `${NOVA}/os-networks`, (req, res) => send(res, 200, { network: { id: 'uuid-2', ...req.json().network } }));
    await nn.networks.create({ label: 'x', cidr: '10.0.2.0/24', vlan: 103, projectId: 't2', multiHost: false });
    assert.deepEqual(cloud.hits('POST', `${NOVA}/os-networks`)[0]!.json(), { network: { label: 'x', cidr: '10.0.2.0/24', project_id: 't2', vlan: 103, multi_host: false } });
  });

  test('floating IPs: allocate body is not wrapped; integer ids become strings', async () => {
    cloud.on('POST', `${NOVA}/os-floating-ips`, (_req, res) => send(res, 200, { floating_ip: { id: 7, ip: '172.24.4.5', pool: 'nova', fixed_ip: null, instance_id: null } }));
    const fip = await nn.floatingIps.allocate('nova');
    assert.deepEqual(cloud.hits('POST', `${NOVA}/os-floating-ips`)[0]!.json(), { pool: 'nova' });
    assert.deepEqual(fip, { id: '7', ip: '172.24.4.5', pool: 'nova', fixedIp: null, instanceId: null });
    cloud.on('POST', `${NOVA}/os-floating-ips-bulk`, (req, res) => send(res, 200, req.json()));
    await nn.floatingIpsBulk.create({ ipRange: '172.24.4.99', pool: 'nova' });
    assert.deepEqual(cloud.hits('POST', `${NOVA}/os-floating-ips-bulk`)[0]!.json(), { floating_ips_bulk_create: { ip_range: '172.24.4.99', pool: 'nova' } });
    cloud.on('GET', `${NOVA}/os-floating-ips-bulk`, (_req, res) =>
      send(res, 200, { floating_ip_info: [{ address: '172.24.4.99', pool: 'nova', interface: 'eth0', project_id: null, instance_uuid: null }] }),
    );
    assert.equal((await nn.floatingIpsBulk.list())[0]!.address, '172.24.4.99');
  });

  test('security groups of all tenants with CIDR and group rules', async () => {
    cloud.on('GET', `${NOVA}/os-security-groups`, (_req, res) =>
      send(res, 200, {
        security_groups: [
          {
            id: 3,
            name: 'default',
            description: 'default',
            tenant_id: 't1',
            rules: [
              { id: 10, parent_group_id: 3, ip_protocol: 'tcp', from_port: 22, to_port: 22, ip_range: { cidr: '0.0.0.0/0' }, group: {} },
              { id: 11, parent_group_id: 3, ip_protocol: null, from_port: null, to_port: null, ip_range: {}, group: { name: 'default', tenant_id: 't1' } },
            ],
          },
        ],
      }),
    );
    const [g] = await nn.securityGroups.list({ allTenants: true });
    assert.equal(cloud.hits('GET', `${NOVA}/os-security-groups`)[0]!.url.searchParams.get('all_tenants'), '1');
    assert.equal(g!.id, '3');
    assert.deepEqual(g!.rules[0], { id: '10', parentGroupId: '3', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0', group: null });
    assert.deepEqual(g!.rules[1]!.group, { name: 'default', tenantId: 't1' });
  });

  test('fixed IPs and pools', async () => {
    cloud.on('GET', `${NOVA}/os-fixed-ips/10.0.0.5`, (_req, res) => send(res, 200, { fixed_ip: { address: '10.0.0.5', cidr: '10.0.0.0/24', hostname: 'vm1', host: 'compute-1' } }));
    assert.deepEqual(await nn.fixedIps.get('10.0.0.5'), { address: '10.0.0.5', cidr: '10.0.0.0/24', hostname: 'vm1', host: 'compute-1', reserved: null });
    cloud.on('POST', `${NOVA}/os-fixed-ips/10.0.0.5/action`, (_req, res) => send(res, 202));
    await nn.fixedIps.reserve('10.0.0.5');
    assert.deepEqual(cloud.hits('POST', `${NOVA}/os-fixed-ips/10.0.0.5/action`)[0]!.json(), { reserve: null });
    cloud.on('GET', `${NOVA}/os-floating-ip-pools`, (_req, res) => send(res, 200, { floating_ip_pools: [{ name: 'nova' }, { name: 'ext' }] }));
    assert.deepEqual(await nn.floatingIpPools(), ['nova', 'ext']);
  });
});
