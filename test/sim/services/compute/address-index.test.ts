import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../../helpers.js';
import { bootActive, HELD, novaCloud } from './helpers.js';

// servers/detail reads addresses from one index the store keeps until something changes
// (src/sim/services/compute/addresses.ts): a list made after a change must show it.
describe('server lists follow address changes made after an earlier list', () => {
  it('juno:neutron: a port bound, a floating IP added, the port unbound through Neutron show in the next servers/detail', async () => {
    const t = await novaCloud('juno:neutron');
    try {
      const id = await bootActive(t, t.nova, 'vm');
      const neutron = `${t.cloud.url}/network/v2.0`;
      const list = async () => {
        const r = await call('GET', `${t.computeUrl}/servers/detail?all_tenants=1`, { token: t.token });
        assert.equal(r.status, 200);
        const s = r.body.servers.find((x: { id: string }) => x.id === id);
        return Object.values(s.addresses as Record<string, Array<{ addr: string; 'OS-EXT-IPS:type': string }>>).flat().map((a) => `${a['OS-EXT-IPS:type']} ${a.addr}`);
      };
      const before = await list();
      assert.equal(before.length, 1);

      const port = await call('POST', `${neutron}/ports`, { token: t.token, body: { port: { network_id: t.networks![0]!.uuid } } });
      assert.equal(port.status, 201);
      const ip: string = port.body.port.fixed_ips[0].ip_address;
      assert.deepEqual(await list(), before, 'an unbound port is nobody\'s address');
      const bound = await call('PUT', `${neutron}/ports/${port.body.port.id}`, { token: t.token, body: { port: { device_id: id, device_owner: 'compute:nova' } } });
      assert.equal(bound.status, 200);
      assert.deepEqual(await list(), [...before, `fixed ${ip}`]);

      const ext = (await call('GET', `${neutron}/networks?router:external=True`, { token: t.token })).body.networks[0];
      const router = await call('POST', `${neutron}/routers`, { token: t.token, body: { router: { name: 'r', external_gateway_info: { network_id: ext.id } } } });
      await call('PUT', `${neutron}/routers/${router.body.router.id}/add_router_interface`, { token: t.token, body: { subnet_id: port.body.port.fixed_ips[0].subnet_id } });
      const fip = await call('POST', `${neutron}/floatingips`, { token: t.token, body: { floatingip: { floating_network_id: ext.id, port_id: port.body.port.id } } });
      assert.equal(fip.status, 201);
      assert.deepEqual(await list(), [...before, `fixed ${ip}`, `floating ${fip.body.floatingip.floating_ip_address}`]);

      const unbound = await call('PUT', `${neutron}/ports/${port.body.port.id}`, { token: t.token, body: { port: { device_id: '', device_owner: '' } } });
      assert.equal(unbound.status, 200);
      assert.deepEqual(await list(), before);
    } finally {
      await t.close();
    }
  });

  it('juno:nova-network:flatdhcp: a server built by a clock transition after a list shows its fixed IP in the next list', async () => {
    const t = await novaCloud('juno:nova-network:flatdhcp', { knobs: HELD });
    try {
      const { id } = await t.nova.servers.create({ name: 'vm', flavorId: '1', imageId: t.image.id });
      const addresses = async () => {
        const r = await call('GET', `${t.computeUrl}/servers/detail?all_tenants=1`, { token: t.token });
        return r.body.servers.find((x: { id: string }) => x.id === id).addresses as Record<string, unknown[]>;
      };
      const building = await addresses();
      t.cloud.flush();
      const built = await addresses();
      const fixed = t.cloud.store.fixedIps.filter((f) => f.instanceUuid === id && f.allocated);
      assert.equal(fixed.length, 1);
      assert.deepEqual(Object.values(built).flat().map((a) => (a as { addr: string }).addr), [fixed[0]!.id]);
      assert.notDeepEqual(building, built);
    } finally {
      await t.close();
    }
  });
});
