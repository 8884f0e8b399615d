import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimCloud } from '../../src/sim/index.js';
import { cloudOf, loginV2, loginV3 } from './helpers.js';

const LABELS = ['havana:nova-network:flatdhcp', 'icehouse:neutron', 'juno:nova-network:vlan', 'modern:neutron'] as const;

describe('catalog shapes per release', () => {
  const clouds = new Map<string, SimCloud>();
  before(async () => {
    for (const l of LABELS) clouds.set(l, await cloudOf(l));
  });
  after(async () => {
    for (const c of clouds.values()) await c.close();
  });

  test('v2.0 catalog: publicURL/internalURL/adminURL by region, tenant in nova and cinder URLs', async () => {
    for (const l of LABELS.slice(0, 3)) {
      const cloud = clouds.get(l)!;
      const access = await loginV2(cloud);
      const tenant = access.token.tenant.id;
      const byType = new Map<string, any>(access.serviceCatalog.map((s: any) => [s.type, s]));
      const compute = byType.get('compute');
      assert.equal(compute.endpoints.length, 1, l);
      assert.deepEqual(Object.keys(compute.endpoints[0]).sort(), ['adminURL', 'id', 'internalURL', 'publicURL', 'region']);
      assert.equal(compute.endpoints[0].region, 'RegionOne');
      assert.equal(compute.endpoints[0].publicURL, `${cloud.url}/compute/v2/${tenant}`);
      assert.equal(byType.get('volume').endpoints[0].publicURL, `${cloud.url}/volume/v1/${tenant}`);
      assert.equal(byType.get('volumev2').endpoints[0].publicURL, `${cloud.url}/volume/v2/${tenant}`);
      assert.equal(byType.get('identity').endpoints[0].adminURL, `${cloud.url}/identity-admin/v2.0`);
      assert.equal(byType.get('identity').endpoints[0].publicURL, `${cloud.url}/identity/v2.0`);
      assert.equal(byType.has('network'), cloud.profile.neutron, l);
      assert.deepEqual(compute.endpoints_links, []);
    }
  });

  test('v3 catalog: region only on Havana/Icehouse, region_id and service name from Juno', async () => {
    for (const l of LABELS) {
      const cloud = clouds.get(l)!;
      const { token } = await loginV3(cloud);
      const compute = token.catalog.find((s: any) => s.type === 'compute');
      const ep = compute.endpoints.find((e: any) => e.interface === 'public');
      const newer = l.startsWith('juno') || l.startsWith('modern');
      assert.equal('region_id' in ep, newer, l);
      assert.equal(ep.region, 'RegionOne');
      assert.equal('name' in compute, newer, l);
      assert.deepEqual(compute.endpoints.map((e: any) => e.interface).sort(), ['admin', 'internal', 'public']);
    }
  });

  test('modern catalog is shaped like the Zed testbed', async () => {
    const cloud = clouds.get('modern:neutron')!;
    const { token } = await loginV3(cloud);
    const types = token.catalog.map((s: any) => `${s.type}/${s.name}`).sort();
    assert.deepEqual(types, ['block-storage/cinder', 'compute/nova', 'identity/keystone', 'image/glance', 'network/neutron', 'volumev3/cinderv3']);
    const url = (type: string) => token.catalog.find((s: any) => s.type === type).endpoints[0].url;
    assert.equal(url('compute'), `${cloud.url}/compute/v2.1`);
    assert.equal(url('volumev3'), `${cloud.url}/volume/v3/${token.project.id}`);
    assert.equal(url('identity'), `${cloud.url}/identity/v3`);
  });

  test('an unscoped token carries no catalog', async () => {
    const cloud = clouds.get('juno:nova-network:vlan')!;
    const access = await loginV2(cloud, 'admin', 'admin', null);
    assert.equal(access.token.tenant, undefined);
    assert.deepEqual(access.serviceCatalog, []);
  });
});
