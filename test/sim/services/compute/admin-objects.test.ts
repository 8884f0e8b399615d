import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { call } from '../../helpers.js';
import { bootActive, novaCloud, tenant } from './helpers.js';

describe('compute flavors', () => {
  for (const label of ['havana:nova-network:flatdhcp', 'modern:neutron']) {
    it(`${label}: private flavors (access list, 409 twice, 404 for public), extra specs (embedded from 2.61), swap "" when 0`, async () => {
      const t = await novaCloud(label);
      try {
        const f = await t.nova.flavors.create({ id: 'private-1', name: 'p1', vcpus: 1, ramMb: 64, diskGb: 1, isPublic: false });
        assert.equal(f.isPublic, false);
        const acme = await tenant(t, 'acme');
        assert.ok(!(await acme.nova.flavors.list()).some((x) => x.id === f.id), 'not visible to a project without access');
        await expectHttpError(acme.nova.flavors.get(f.id), { status: 404, service: 'compute', cloud: 'acme', faultType: 'itemNotFound' });
        await t.nova.flavors.addAccess(f.id, acme.projectId);
        const dup = await call('POST', `${t.computeUrl}/flavors/${f.id}/action`, { token: t.token, body: { addTenantAccess: { tenant: acme.projectId } } });
        assert.equal(dup.status, 409);
        assert.deepEqual(await t.nova.flavors.listAccess(f.id), [acme.projectId]);
        assert.ok((await acme.nova.flavors.list()).some((x) => x.id === f.id), 'visible once granted');
        const pub = await call('GET', `${t.computeUrl}/flavors/1/os-flavor-access`, { token: t.token });
        assert.deepEqual(pub.body, { itemNotFound: { code: 404, message: 'Access list not available for public flavors.' } });
        assert.deepEqual(await t.nova.flavors.setExtraSpecs(f.id, { 'hw:cpu_policy': 'shared', a: 'b' }), { 'hw:cpu_policy': 'shared', a: 'b' });
        await t.nova.flavors.deleteExtraSpec(f.id, 'a');
        assert.deepEqual((await t.nova.flavors.get(f.id)).extraSpecs, { 'hw:cpu_policy': 'shared' });
        assert.deepEqual((await t.nova.flavors.list()).find((x) => x.id === f.id)?.extraSpecs, { 'hw:cpu_policy': 'shared' });
        const raw = await call('GET', `${t.computeUrl}/flavors/${f.id}`, { token: t.token, headers: { 'X-OpenStack-Nova-API-Version': '2.61' } });
        assert.equal(raw.body.flavor.swap, '');
        assert.equal('extra_specs' in raw.body.flavor, t.nova.supports('2.61'));
        const key = await call('GET', `${t.computeUrl}/flavors/${f.id}/os-extra_specs/hw:cpu_policy`, { token: t.token });
        assert.deepEqual(key.body, { 'hw:cpu_policy': 'shared' });
        const mismatch = await call('PUT', `${t.computeUrl}/flavors/${f.id}/os-extra_specs/x`, { token: t.token, body: { y: '1' } });
        assert.equal(mismatch.status, 400);
        const publicOnly = await call('GET', `${t.computeUrl}/flavors/detail`, { token: t.token });
        assert.ok(!publicOnly.body.flavors.some((x: any) => x.id === f.id), 'the default lists public flavors (plus those granted to the project)');
        const byName = await expectHttpError(t.nova.flavors.create({ name: 'p1', vcpus: 1, ramMb: 64, diskGb: 1 }), { status: 409, service: 'compute', cloud: label });
        assert.match(byName.cloudMessage, /already exists/);
        await expectHttpError(acme.nova.flavors.create({ name: 'nope', vcpus: 1, ramMb: 64, diskGb: 1 }), { status: 403, service: 'compute', cloud: 'acme', faultType: 'forbidden' });
        await t.nova.flavors.delete(f.id);
        await expectHttpError(t.nova.flavors.get(f.id), { status: 404, service: 'compute', cloud: label, pathIncludes: f.id });
      } finally {
        await t.close();
      }
    });
  }
});

describe('compute quotas', () => {
  it('defaults per release (Juno adds server groups), update with usage check and force, reset, members read their own only', async () => {
    for (const [label, groups] of [['icehouse:nova-network:vlan', false], ['juno:nova-network:vlan', true]] as const) {
      const t = await novaCloud(label);
      try {
        const p = t.cloud.admin.projectId;
        const d = await t.nova.quotas.defaults(p);
        assert.equal(d['instances'], 10);
        assert.equal('server_groups' in d, groups);
        await bootActive(t, t.nova, 'a');
        await bootActive(t, t.nova, 'b');
        const below = await expectHttpError(t.nova.quotas.update(p, { instances: 1 }), { status: 400, service: 'compute', cloud: label });
        assert.match(below.cloudMessage, /must be greater than or equal to already used and reserved 2/);
        assert.equal((await t.nova.quotas.update(p, { instances: 1 }, { force: true }))['instances'], 1);
        const raw = await call('PUT', `${t.computeUrl}/os-quota-sets/${p}`, { token: t.token, body: { quota_set: { cores: 7 } } });
        assert.equal(raw.body.quota_set.id, undefined, 'an update answers without id');
        const bad = await call('PUT', `${t.computeUrl}/os-quota-sets/${p}`, { token: t.token, body: { quota_set: { bogus: 1 } } });
        assert.equal(bad.status, 400);
        const detail = await call('GET', `${t.computeUrl}/os-quota-sets/${p}/detail`, { token: t.token });
        assert.deepEqual(detail.body.quota_set.instances, { in_use: 2, limit: 1, reserved: 0 });
        await t.nova.quotas.reset(p);
        assert.deepEqual(await t.nova.quotas.get(p), d);
        const acme = await tenant(t, 'acme');
        await expectHttpError(acme.nova.quotas.get(p), { status: 403, service: 'compute', cloud: 'acme' });
        assert.equal((await acme.nova.quotas.get(acme.projectId))['cores'], 20);
      } finally {
        await t.close();
      }
    }
  });
});

describe('compute hosts', () => {
  it('Havana: hypervisors without state/status or host_ip, services without id (and no delete)', async () => {
    const t = await novaCloud('havana:nova-network:flatdhcp');
    try {
      const raw = await call('GET', `${t.computeUrl}/os-hypervisors/detail`, { token: t.token });
      const h = raw.body.hypervisors[0];
      assert.equal(typeof h.id, 'number');
      assert.equal('state' in h, false);
      assert.equal('host_ip' in h, false);
      const svcs = await call('GET', `${t.computeUrl}/os-services`, { token: t.token });
      assert.equal('id' in svcs.body.services[0], false);
      const del = await call('DELETE', `${t.computeUrl}/os-services/1`, { token: t.token });
      assert.equal(del.status, 404);
      const bad = await call('PUT', `${t.computeUrl}/os-services/disable`, { token: t.token, body: { host: 'sim-compute-1' } });
      assert.equal(bad.status, 422, 'bad input on the service actions is a 422');
      const groups = await call('GET', `${t.computeUrl}/os-server-groups`, { token: t.token });
      assert.equal(groups.status, 404, 'Havana has no server groups');
    } finally {
      await t.close();
    }
  });

  it('Juno/modern: hypervisor state and status follow the nova-compute service; substring search; usage counts', async () => {
    for (const label of ['juno:nova-network:flatdhcp', 'modern:neutron']) {
      const t = await novaCloud(label);
      try {
        const id = await bootActive(t, t.nova, 'vm');
        const s = await t.nova.servers.get(id);
        await t.nova.services.disable({ host: s.host!, binary: 'nova-compute' }, 'going away');
        t.cloud.markHostDown(s.host!);
        const hv = (await t.nova.hypervisors.list()).find((h) => h.hostname === s.hypervisorHostname)!;
        assert.deepEqual([hv.state, hv.status, hv.runningVms, hv.vcpusUsed], ['down', 'disabled', 1, 1]);
        assert.equal((await t.nova.hypervisors.get(hv.id)).hostname, hv.hostname);
        assert.equal((await t.nova.hypervisors.servers('compute')).length, 2, 'a substring matches both hosts');
        assert.deepEqual(await t.nova.hypervisors.servers('nope'), []);
        const svc = (await t.nova.services.list({ host: s.host!, binary: 'nova-compute' }))[0]!;
        assert.deepEqual([svc.status, svc.state, svc.disabledReason], ['disabled', 'down', 'going away']);
        const zones = await t.nova.availabilityZones({ detail: true });
        assert.equal(zones.find((z) => z.name === 'nova')?.hosts?.[s.host!]?.['nova-compute']?.available, false);
        assert.ok(zones.some((z) => z.name === 'internal'));
        assert.ok(!(await t.nova.availabilityZones()).some((z) => z.name === 'internal'), 'the internal zone only in detail');
      } finally {
        await t.close();
      }
    }
  });

  it('modern 2.53: services and hypervisors by uuid, PUT /os-services/{uuid} with status, reason and forced_down', async () => {
    const t = await novaCloud('modern:neutron');
    try {
      const h = { 'OpenStack-API-Version': 'compute 2.53' };
      const list = await call('GET', `${t.computeUrl}/os-services?binary=nova-compute`, { token: t.token, headers: h });
      const svc = list.body.services[0];
      assert.match(svc.id, /^[0-9a-f-]{36}$/);
      const put = await call('PUT', `${t.computeUrl}/os-services/${svc.id}`, { token: t.token, headers: h, body: { status: 'disabled', disabled_reason: 'why', forced_down: true } });
      assert.equal(put.status, 200);
      assert.deepEqual([put.body.service.status, put.body.service.disabled_reason, put.body.service.forced_down, put.body.service.state], ['disabled', 'why', true, 'down']);
      const bad = await call('PUT', `${t.computeUrl}/os-services/${svc.id}`, { token: t.token, headers: h, body: { status: 'enabled', disabled_reason: 'x' } });
      assert.equal(bad.status, 400);
      const old = await call('PUT', `${t.computeUrl}/os-services/disable`, { token: t.token, headers: h, body: { host: svc.host, binary: 'nova-compute' } });
      assert.equal(old.status, 404, '2.53 replaced the action URLs');
      const hyps = await call('GET', `${t.computeUrl}/os-hypervisors?hypervisor_hostname_pattern=compute-1&with_servers=true`, { token: t.token, headers: h });
      assert.match(hyps.body.hypervisors[0].id, /^[0-9a-f-]{36}$/);
      const one = await call('GET', `${t.computeUrl}/os-hypervisors/${hyps.body.hypervisors[0].id}`, { token: t.token, headers: h });
      assert.equal(one.body.hypervisor.hypervisor_hostname, 'sim-compute-1');
      const member = await tenant(t, 'acme');
      await expectHttpError(member.nova.hypervisors.list(), { status: 403, service: 'compute', cloud: 'acme', faultType: 'forbidden' });
    } finally {
      await t.close();
    }
  });

  it('server groups (Icehouse+): create, boot with the hint (anti-affinity spreads), members, delete', async () => {
    const t = await novaCloud('icehouse:neutron');
    try {
      const g = await t.nova.serverGroups.create('spread', 'anti-affinity');
      const a = await bootActive(t, t.nova, 'a', { serverGroupId: g.id });
      const b = await bootActive(t, t.nova, 'b', { serverGroupId: g.id });
      assert.notEqual((await t.nova.servers.get(a)).host, (await t.nova.servers.get(b)).host);
      const c = await bootActive(t, t.nova, 'c', { serverGroupId: g.id });
      assert.equal((await t.nova.servers.get(c)).status, 'ERROR', 'two hosts, three anti-affine servers');
      assert.deepEqual((await t.nova.serverGroups.get(g.id)).members, [a, b, c]);
      await t.nova.serverGroups.delete(g.id);
      assert.deepEqual(await t.nova.serverGroups.list(), []);
    } finally {
      await t.close();
    }
  });
});

describe('compute aggregates', () => {
  it('an aggregate with an availability zone moves its hosts there; the scheduler honours the zone', async () => {
    const t = await novaCloud('icehouse:nova-network:flatdhcp');
    try {
      const created = await call('POST', `${t.computeUrl}/os-aggregates`, { token: t.token, body: { aggregate: { name: 'rack-2', availability_zone: 'az2' } } });
      assert.equal(created.status, 200);
      const id = created.body.aggregate.id;
      const added = await call('POST', `${t.computeUrl}/os-aggregates/${id}/action`, { token: t.token, body: { add_host: { host: 'sim-compute-2' } } });
      assert.deepEqual(added.body.aggregate.hosts, ['sim-compute-2']);
      assert.equal((await call('POST', `${t.computeUrl}/os-aggregates/${id}/action`, { token: t.token, body: { add_host: { host: 'sim-compute-2' } } })).status, 409);
      assert.deepEqual((await t.nova.availabilityZones()).map((z) => z.name).sort(), ['az2', 'nova']);
      const vm = await bootActive(t, t.nova, 'vm', { availabilityZone: 'az2' });
      const s = await t.nova.servers.get(vm);
      assert.deepEqual([s.host, s.availabilityZone], ['sim-compute-2', 'az2']);
      assert.equal((await call('DELETE', `${t.computeUrl}/os-aggregates/${id}`, { token: t.token })).status, 400, 'not empty');
      await call('POST', `${t.computeUrl}/os-aggregates/${id}/action`, { token: t.token, body: { remove_host: { host: 'sim-compute-2' } } });
      assert.equal((await call('DELETE', `${t.computeUrl}/os-aggregates/${id}`, { token: t.token })).status, 200);
      assert.deepEqual((await t.nova.availabilityZones()).map((z) => z.name), ['nova']);
    } finally {
      await t.close();
    }
  });
});
