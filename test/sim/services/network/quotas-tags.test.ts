import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PumphouseError } from '../../../../src/errors/index.js';
import { generate } from '../../../../src/sim/index.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { member, neutronCloud } from './helpers.js';

describe('simulated Neutron: quotas', () => {
  for (const [label, defaults] of [
    ['juno:neutron', { network: 10, subnet: 10, port: 50, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100 }],
    ['modern:neutron', { network: 100, subnet: 100, subnetpool: -1, port: 500, router: 10, floatingip: 50, rbac_policy: 10, security_group: 10, security_group_rule: 100 }],
  ] as const) {
    it(`${label}: defaults, update, reset (404 the second time), list of projects with their own limits, OverQuota`, async () => {
      const t = await neutronCloud(label);
      try {
        const m = await member(t, 'acme');
        assert.deepEqual(await t.neutron.quotas.get(m.projectId), defaults);
        const set = await t.neutron.quotas.update(m.projectId, { network: 1, floatingip: 2 });
        assert.deepEqual([set['network'], set['floatingip'], set['port']], [1, 2, defaults.port]);
        const listed = (await t.raw('GET', '/quotas')).body.quotas;
        assert.deepEqual(listed.map((q: { tenant_id: string }) => q.tenant_id), [m.projectId]);
        assert.equal('project_id' in listed[0], label === 'modern:neutron');
        assert.deepEqual(await m.neutron.quotas.get(m.projectId), set, 'a member reads its own');
        await expectHttpError(m.neutron.quotas.get(t.cloud.admin.projectId), { status: 403, service: 'network', cloud: 'acme' });
        await expectHttpError(m.neutron.quotas.update(m.projectId, { network: 50 }), { status: 403, service: 'network', cloud: 'acme' });
        await m.neutron.networks.create({ name: 'one' });
        const over = await expectHttpError(m.neutron.networks.create({ name: 'two' }), { status: 409, service: 'network', cloud: 'acme', faultType: 'OverQuota' });
        assert.equal(over.cloudMessage, "Quota exceeded for resources: ['network'].");
        const bad = await t.raw('PUT', `/quotas/${m.projectId}`, { quota: { bogus: 1 } });
        assert.deepEqual([bad.status, bad.body.NeutronError.message], [400, "Unrecognized attribute(s) 'bogus'"]);
        await t.neutron.quotas.reset(m.projectId);
        assert.deepEqual(await t.neutron.quotas.get(m.projectId), defaults);
        await expectHttpError(t.neutron.quotas.reset(m.projectId), { status: 404, service: 'network', cloud: label, faultType: 'TenantQuotaNotFound' });
        await m.cloud.close();
      } finally {
        await t.close();
      }
    });
  }
});

describe('simulated Neutron: tags (standard-attr-tag, modern only)', () => {
  it('modern: set, add, remove, read, duplicates 400, TagNotFound, tags / tags-any / not-tags filters, revision bumps', async () => {
    const t = await neutronCloud('modern:neutron');
    try {
      const a = await t.neutron.networks.create({ name: 'a' });
      const b = await t.neutron.networks.create({ name: 'b' });
      const before = (await t.raw('GET', `/networks/${a.id}`)).body.network.revision_number;
      await t.neutron.setTags('networks', a.id, ['phc-b', 'phc-a']);
      assert.deepEqual([...(await t.neutron.networks.get(a.id)).tags].sort(), ['phc-a', 'phc-b']);
      assert.ok((await t.raw('GET', `/networks/${a.id}`)).body.network.revision_number > before);
      await t.neutron.removeTag('networks', a.id, 'phc-b');
      assert.deepEqual((await t.neutron.networks.get(a.id)).tags, ['phc-a']);
      await t.neutron.addTag('networks', b.id, 'phc-a');
      await t.neutron.addTag('networks', b.id, 'x');
      assert.deepEqual((await t.raw('GET', `/networks/${b.id}/tags`)).body, { tags: ['phc-a', 'x'] });
      assert.equal((await t.raw('GET', `/networks/${b.id}/tags/x`)).status, 204);
      assert.equal((await t.raw('GET', `/networks/${b.id}/tags/zz`)).body.NeutronError.type, 'TagNotFound');
      await expectHttpError(t.neutron.removeTag('networks', a.id, 'zz'), { status: 404, service: 'network', cloud: 'modern:neutron', faultType: 'TagNotFound' });
      const dup = await t.raw('PUT', `/networks/${a.id}/tags`, { tags: ['b', 'a', 'a'] });
      assert.deepEqual(dup.body.NeutronError, { type: 'InvalidInput', message: "Invalid input for operation: Duplicate items in the list: 'a'.", detail: '' });
      const names = async (q: string) => (await t.raw('GET', `/networks?${q}`)).body.networks.map((n: { name: string }) => n.name).sort();
      assert.deepEqual(await names('tags=phc-a,x'), ['b']);
      assert.deepEqual(await names('tags-any=phc-a'), ['a', 'b']);
      assert.deepEqual(await names('not-tags-any=x'), ['a', 'public']);
      assert.deepEqual(await names('not-tags=phc-a'), ['public']);
      assert.equal((await t.raw('DELETE', `/networks/${b.id}/tags`)).status, 204);
      assert.deepEqual((await t.neutron.networks.get(b.id)).tags, []);
      for (const kind of ['subnets', 'ports', 'routers', 'floatingips', 'security-groups'] as const) assert.ok(t.neutron.supportsTags(kind), kind);
      const g = await t.neutron.securityGroups.create({ name: 'g' });
      await t.neutron.setTags('security-groups', g.id, ['t']);
      assert.deepEqual((await t.neutron.securityGroups.get(g.id)).tags, ['t']);
      assert.equal((await t.raw('PUT', `/security-group-rules/${g.rules[0]?.id}/tags`, { tags: ['x'] })).status, 404, 'rules take no tags');
      const m = await member(t, 'acme');
      await expectHttpError(m.neutron.setTags('networks', a.id, ['mine']), { status: 404, service: 'network', cloud: 'acme', faultType: 'NetworkNotFound' });
      await m.cloud.close();
    } finally {
      await t.close();
    }
  });

  it('legacy: no tag routes and no tags attribute; the client says tags are unsupported', async () => {
    const t = await neutronCloud('juno:neutron');
    try {
      const a = await t.neutron.networks.create({ name: 'a' });
      assert.equal('tags' in (await t.raw('GET', `/networks/${a.id}`)).body.network, false);
      assert.equal((await t.raw('PUT', `/networks/${a.id}/tags`, { tags: ['x'] })).status, 404);
      await assert.rejects(t.neutron.setTags('networks', a.id, ['x']), (e: unknown) => e instanceof PumphouseError && e.code === 'PH_CLOUD_UNSUPPORTED');
      assert.equal((await t.raw('POST', '/networks', { network: { name: 'x', tags: ['y'] } })).status, 400);
    } finally {
      await t.close();
    }
  });
});

describe('simulated Neutron: records Nova and the generator made', () => {
  it('generated tenants: server ports are compute:nova, bound, in the default + web groups; routers with gateway and interface; floating IPs associated through them', async () => {
    for (const label of ['icehouse:neutron', 'modern:neutron'] as const) {
      const t = await neutronCloud(label);
      try {
        const g = await generate(t.cloud.store, { tenants: 2, serversPerTenant: 2, floatingIpsPerTenant: 1 });
        const tenant = g.tenants[0]!;
        const server = t.cloud.store.servers.find((s) => s.projectId === tenant.id)!;
        const ports = await t.neutron.ports.list({ device_id: server.id });
        assert.equal(ports.length, 1);
        const port = ports[0]!;
        assert.equal(port.deviceOwner, 'compute:nova');
        assert.equal(port.bindingHostId, server.host);
        assert.equal(port.status, 'ACTIVE');
        const groups = await t.neutron.securityGroups.list({ tenant_id: tenant.id });
        assert.deepEqual(groups.map((x) => x.name).sort(), ['db', 'default', 'web'], 'no second default');
        assert.deepEqual(port.securityGroupIds.map((id) => groups.find((x) => x.id === id)?.name).sort(), ['default', 'web']);
        const fips = await t.neutron.floatingIps.list({ tenant_id: tenant.id });
        assert.equal(fips.length, 1);
        const router = await t.neutron.routers.get(fips[0]!.routerId ?? '');
        assert.equal(router.externalGateway?.networkId, fips[0]!.floatingNetworkId);
        // the next floating IP of the external network does not reuse a generated address
        const ext = await t.external();
        const fresh = await t.neutron.floatingIps.create({ floatingNetworkId: ext.id });
        const taken = new Set((await t.neutron.ports.list({ network_id: ext.id })).flatMap((p) => p.fixedIps.map((f) => f.ipAddress)));
        for (const f of await t.neutron.floatingIps.list()) if (f.id !== fresh.id) taken.add(f.floatingIpAddress);
        assert.ok(!taken.has(fresh.floatingIpAddress), `${fresh.floatingIpAddress} is new`);
        // Nova's port of a server is deletable through Neutron only as a normal port; a new port on the tenant network gets a fresh address
        const net = await t.neutron.networks.get(port.networkId);
        const p2 = await t.neutron.ports.create({ networkId: net.id, tenantId: tenant.id });
        const used = (await t.neutron.ports.list({ network_id: net.id })).filter((x) => x.id !== p2.id).map((x) => x.fixedIps[0]?.ipAddress);
        assert.ok(!used.includes(p2.fixedIps[0]?.ipAddress), 'no duplicate with Nova-made ports');
      } finally {
        await t.close();
      }
    }
  });
});
