import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNics } from '../../../../src/sim/services/compute/nics.js';
import { expectHttpError } from '../../../contract/suite/expect-error.js';
import { LEGACY_NEUTRON, member, neutronCloud, type NeutronTest } from './helpers.js';

const NOWHERE = '11111111-2222-3333-4444-555555555555';

async function modern(fn: (t: NeutronTest) => Promise<void>): Promise<void> {
  const t = await neutronCloud('modern:neutron');
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const share = (objectId: string, targetTenant: string, action = 'access_as_shared') => ({ rbac_policy: { object_type: 'network', object_id: objectId, action, target_tenant: targetTenant } });

describe('simulated Neutron: RBAC policies (modern)', () => {
  it('creates, shows, lists (filters, fields=, not paged), updates the target and deletes, in Zed\'s wire format', async () => {
    await modern(async (t) => {
      const admin = t.cloud.admin.projectId;
      const n = await t.neutron.networks.create({ name: 'blue' });
      const made = await t.raw('POST', '/rbac-policies', share(n.id, 'abc123'));
      assert.equal(made.status, 201);
      const p = made.body.rbac_policy;
      assert.deepEqual(Object.keys(p), ['id', 'project_id', 'action', 'object_id', 'target_tenant', 'object_type', 'tenant_id'], 'Zed\'s order');
      assert.deepEqual({ ...p, id: 'x' }, { id: 'x', project_id: admin, action: 'access_as_shared', object_id: n.id, target_tenant: 'abc123', object_type: 'network', tenant_id: admin });
      assert.deepEqual((await t.raw('GET', `/rbac-policies/${p.id}`)).body, { rbac_policy: p });

      const other = await t.neutron.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_shared', targetTenant: 'def456' });
      assert.deepEqual((await t.neutron.rbacPolicies.list({ object_id: n.id })).map((x) => x.targetTenant).sort(), ['abc123', 'def456']);
      assert.deepEqual((await t.neutron.rbacPolicies.list({ object_id: n.id, target_tenant: 'def456' })).map((x) => x.id), [other.id]);
      assert.deepEqual((await t.neutron.rbacPolicies.list({ object_id: n.id, object_type: 'qos_policy' })), []);
      assert.deepEqual((await t.raw('GET', `/rbac-policies?object_id=${n.id}&fields=id&fields=target_tenant&target_tenant=abc123`)).body, { rbac_policies: [{ id: p.id, target_tenant: 'abc123' }] });
      const limited = await t.raw('GET', `/rbac-policies?object_id=${n.id}&limit=1`);
      assert.equal(limited.body.rbac_policies.length, 2, 'Zed ignores limit here (allow_pagination=False)');
      assert.equal('rbac_policies_links' in limited.body, false);
      assert.equal((await t.raw('GET', '/rbac-policies?bogus=1')).body.NeutronError.message, "['bogus'] is invalid attribute for filtering");

      const moved = await t.neutron.rbacPolicies.update(p.id, { targetTenant: 'ghi789' });
      assert.equal(moved.targetTenant, 'ghi789');
      assert.equal((await t.raw('PUT', `/rbac-policies/${p.id}`, { rbac_policy: { object_id: n.id } })).body.NeutronError.message, 'Cannot update read-only attribute object_id');
      await expectHttpError(t.neutron.rbacPolicies.update(p.id, { targetTenant: 'def456' }), { status: 409, service: 'network', cloud: t.label, faultType: 'DuplicateRbacPolicy' });

      await t.neutron.rbacPolicies.delete(p.id);
      const gone = await expectHttpError(t.neutron.rbacPolicies.get(p.id), { status: 404, service: 'network', cloud: t.label, faultType: 'RbacPolicyNotFound' });
      assert.equal(gone.cloudMessage, `RBAC policy of type unknown with ID ${p.id} not found`);
    });
  });

  it('refuses a duplicate (409), an object_id that is no UUID or no network, a bad action, an unknown or unsimulated object type (400s)', async () => {
    await modern(async (t) => {
      const n = await t.neutron.networks.create({ name: 'blue' });
      assert.equal((await t.raw('POST', '/rbac-policies', share(n.id, 'abc123'))).status, 201);
      assert.deepEqual((await t.raw('POST', '/rbac-policies', share(n.id, 'abc123'))).body, {
        NeutronError: { type: 'DuplicateRbacPolicy', message: 'An RBAC policy already exists with those values.', detail: '' },
      });
      const notUuid = await t.raw('POST', '/rbac-policies', share('nonexist', 'abc123'));
      assert.deepEqual([notUuid.status, notUuid.body], [400, { NeutronError: { type: 'HTTPBadRequest', message: "Invalid input for object_id. Reason: 'nonexist' is not a valid UUID.", detail: '' } }]);
      const nowhere = (await t.raw('POST', '/rbac-policies', share(NOWHERE, 'abc123'))).body.NeutronError;
      assert.equal(nowhere.type, 'InvalidInput');
      assert.ok(nowhere.message.startsWith('Invalid input for operation: '));
      assert.ok(nowhere.message.includes(`Network ${NOWHERE} could not be found.`), nowhere.message);
      assert.deepEqual((await t.raw('POST', '/rbac-policies', share(n.id, 'abc123', 'access_as_bogus'))).body, {
        NeutronError: { type: 'InvalidActionForType', message: "Invalid action 'access_as_bogus' for object type 'network'. Valid actions: ('access_as_shared', 'access_as_external')", detail: '' },
      });
      const bogus = (await t.raw('POST', '/rbac-policies', { rbac_policy: { ...share(n.id, 'x').rbac_policy, object_type: 'bogus' } })).body.NeutronError;
      assert.deepEqual([bogus.type, bogus.message], ['InvalidInput', "Invalid input for operation: 'bogus' is not a valid RBAC object type."]);
      const qos = await t.raw('POST', '/rbac-policies', { rbac_policy: { ...share(n.id, 'x').rbac_policy, object_type: 'qos_policy' } });
      assert.deepEqual([qos.status, qos.body.NeutronError.type], [400, 'InvalidInput']);
      assert.equal((await t.raw('POST', '/rbac-policies', { rbac_policy: { object_type: 'network', object_id: n.id, action: 'access_as_shared' } })).body.NeutronError.message, "Failed to parse request. Required attribute 'target_tenant' not specified");
      assert.equal((await t.raw('POST', '/rbac-policies', { rbac_policy: { ...share(n.id, 'y').rbac_policy, foo: 1 } })).body.NeutronError.message, "Unrecognized attribute(s) 'foo'");
      assert.equal((await t.neutron.rbacPolicies.list({ object_id: n.id })).length, 1, 'nothing else was made');
    });
  });

  it('shared and router:external are `*` policies of the network\'s project; unsharing drops it; the network takes its policies along when deleted; bootstrap\'s public has one', async () => {
    await modern(async (t) => {
      const admin = t.cloud.admin.projectId;
      const pub = await t.external();
      assert.deepEqual((await t.neutron.rbacPolicies.list({ object_id: pub.id })).map((p) => [p.action, p.targetTenant, p.tenantId]), [['access_as_external', '*', admin]]);

      const m = await member(t, 'acme');
      const born = await t.neutron.networks.create({ name: 'born-shared', shared: true, tenantId: m.projectId });
      assert.deepEqual((await t.neutron.rbacPolicies.list({ object_id: born.id })).map((p) => [p.action, p.targetTenant, p.tenantId]), [['access_as_shared', '*', m.projectId]]);

      const n = await t.neutron.networks.create({ name: 'blue' });
      assert.deepEqual(await t.neutron.rbacPolicies.list({ object_id: n.id }), []);
      assert.equal((await t.neutron.networks.update(n.id, { shared: true })).shared, true);
      const [star] = await t.neutron.rbacPolicies.list({ object_id: n.id });
      assert.deepEqual([star?.action, star?.targetTenant, star?.tenantId], ['access_as_shared', '*', admin]);
      await t.neutron.networks.update(n.id, { external: true });
      assert.deepEqual((await t.neutron.rbacPolicies.list({ object_id: n.id })).map((p) => p.action).sort(), ['access_as_external', 'access_as_shared']);
      await t.neutron.networks.update(n.id, { external: false, shared: false });
      assert.deepEqual(await t.neutron.rbacPolicies.list({ object_id: n.id }), []);

      // a `*` policy made through the API is the network's shared flag
      const made = await t.neutron.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_shared', targetTenant: '*' });
      assert.equal((await t.neutron.networks.get(n.id)).shared, true);
      await t.neutron.rbacPolicies.delete(made.id);
      assert.equal((await t.neutron.networks.get(n.id)).shared, false);

      await t.neutron.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_shared', targetTenant: 'abc123' });
      await t.neutron.networks.delete(n.id);
      assert.deepEqual(await t.neutron.rbacPolicies.list({ object_id: n.id }), []);
      await m.cloud.close();
    });
  });

  it('a network shared with one project: that project sees it (shared true for it, false for the admin), boots on it and makes ports; the policy is the admin\'s and in use while the ports exist', async () => {
    await modern(async (t) => {
      const m = await member(t, 'acme');
      const n = await t.neutron.networks.create({ name: 'blue' });
      await t.neutron.subnets.create({ networkId: n.id, cidr: '10.30.0.0/24' });
      await expectHttpError(m.neutron.networks.get(n.id), { status: 404, service: 'network', cloud: 'acme', faultType: 'NetworkNotFound' });
      await expectHttpError(m.neutron.ports.create({ networkId: n.id }), { status: 404, service: 'network', cloud: 'acme' });
      assert.throws(() => checkNics(t.cloud.store, m.projectId, false, [{ uuid: n.id }]), /could not be found/);

      const p = await t.neutron.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_shared', targetTenant: m.projectId });
      const seen = await m.neutron.networks.get(n.id);
      assert.equal(seen.shared, true, 'shared with the caller');
      assert.equal((await t.neutron.networks.get(n.id)).shared, false, 'not with the admin\'s project');
      assert.deepEqual((await m.neutron.networks.list({ shared: true })).map((x) => x.id), [n.id]);
      assert.deepEqual((await t.neutron.networks.list({ id: n.id, shared: true })), []);
      assert.equal((await m.neutron.subnets.list({ network_id: n.id })).length, 1);
      assert.deepEqual(checkNics(t.cloud.store, m.projectId, false, [{ uuid: n.id }]), [{ kind: 'neutron', networkId: n.id, fixedIp: undefined }]);
      assert.deepEqual(await m.neutron.rbacPolicies.list(), [], 'a project does not see the policies naming it');
      await expectHttpError(m.neutron.rbacPolicies.get(p.id), { status: 404, service: 'network', cloud: 'acme', faultType: 'RbacPolicyNotFound' });
      await expectHttpError(m.neutron.networks.update(n.id, { name: 'mine' }), { status: 403, service: 'network', cloud: 'acme' });

      const port = await m.neutron.ports.create({ networkId: n.id });
      assert.equal(port.tenantId, m.projectId);
      const inUse = await expectHttpError(t.neutron.rbacPolicies.delete(p.id), { status: 409, service: 'network', cloud: t.label, faultType: 'RbacPolicyInUse' });
      assert.match(inUse.cloudMessage, new RegExp(`^RBAC policy on object ${n.id} cannot be removed because other objects depend on it\\. Details: .*Unable to reconfigure sharing settings for network ${n.id}\\. Multiple tenants are using it\\.`));
      await expectHttpError(t.neutron.rbacPolicies.update(p.id, { targetTenant: 'elsewhere' }), { status: 409, service: 'network', cloud: t.label, faultType: 'RbacPolicyInUse' });

      // With `*` as well, the project's own policy may go; then unsharing is refused (the port would lose its network)
      await t.neutron.networks.update(n.id, { shared: true });
      await t.neutron.rbacPolicies.delete(p.id);
      const star = (await t.neutron.rbacPolicies.list({ object_id: n.id, target_tenant: '*' }))[0];
      assert.ok(star);
      await expectHttpError(t.neutron.networks.update(n.id, { shared: false, name: 'renamed' }), { status: 409, service: 'network', cloud: t.label, faultType: 'InvalidSharedSetting' });
      assert.equal((await t.neutron.networks.get(n.id)).name, 'blue', 'a refused update changes nothing');
      await expectHttpError(t.neutron.rbacPolicies.delete(star.id), { status: 409, service: 'network', cloud: t.label, faultType: 'RbacPolicyInUse' });
      await m.neutron.ports.delete(port.id);
      await t.neutron.networks.update(n.id, { shared: false });
      await expectHttpError(m.neutron.networks.get(n.id), { status: 404, service: 'network', cloud: 'acme', faultType: 'NetworkNotFound' });
      await m.cloud.close();
    });
  });

  it('a project shares its own network but not with everyone, and not another project\'s network; admins may; the quota counts policies', async () => {
    await modern(async (t) => {
      const m = await member(t, 'acme');
      const mine = await m.neutron.networks.create({ name: 'acme-net' });
      const toAdmin = await m.neutron.rbacPolicies.create({ objectType: 'network', objectId: mine.id, action: 'access_as_shared', targetTenant: t.cloud.admin.projectId });
      assert.equal(toAdmin.tenantId, m.projectId);
      assert.deepEqual((await m.neutron.rbacPolicies.list()).map((p) => p.id), [toAdmin.id], 'its own policies');
      assert.equal((await t.neutron.networks.get(mine.id)).shared, true, 'the admin\'s project is the target');
      const wildcard = await t.raw('POST', '/rbac-policies', share(mine.id, '*'), m.token);
      assert.deepEqual([wildcard.status, wildcard.body.NeutronError.type], [403, 'PolicyNotAuthorized']);
      const blue = await t.neutron.networks.create({ name: 'blue', shared: true });
      const foreign = await expectHttpError(m.neutron.rbacPolicies.create({ objectType: 'network', objectId: blue.id, action: 'access_as_shared', targetTenant: 'x' }), { status: 400, service: 'network', cloud: 'acme', faultType: 'InvalidInput' });
      assert.match(foreign.cloudMessage, /Only admins can manipulate policies on networks they do not own/);

      // The admin's project holds public's and blue's `*` policies already: Neutron counts every row.
      await t.neutron.quotas.update(t.cloud.admin.projectId, { rbac_policy: 3 });
      await t.neutron.rbacPolicies.create({ objectType: 'network', objectId: blue.id, action: 'access_as_shared', targetTenant: 'x' });
      await expectHttpError(t.neutron.rbacPolicies.create({ objectType: 'network', objectId: blue.id, action: 'access_as_shared', targetTenant: 'y' }), { status: 409, service: 'network', cloud: t.label, faultType: 'OverQuota' });
      await m.cloud.close();
    });
  });

  it('access_as_external for one project makes the network external until its last external policy goes; a router gateway keeps the policy', async () => {
    await modern(async (t) => {
      const m = await member(t, 'acme');
      const n = await t.neutron.networks.create({ name: 'uplink' });
      await t.neutron.subnets.create({ networkId: n.id, cidr: '10.40.0.0/24' });
      const p = await t.neutron.rbacPolicies.create({ objectType: 'network', objectId: n.id, action: 'access_as_external', targetTenant: m.projectId });
      assert.equal((await t.neutron.networks.get(n.id)).external, true);
      const seen = await m.neutron.networks.get(n.id);
      assert.deepEqual([seen.external, seen.shared], [true, false]);
      const noPort = await expectHttpError(m.neutron.ports.create({ networkId: n.id }), { status: 403, service: 'network', cloud: 'acme', faultType: 'HTTPForbidden' });
      assert.equal(noPort.cloudMessage, `Tenant ${m.projectId} not allowed to create port on this network`, 'external is not shared (Zed\'s words)');
      const r = await m.neutron.routers.create({ name: 'acme-router' });
      await m.neutron.routers.setGateway(r.id, { networkId: n.id });
      await expectHttpError(t.neutron.rbacPolicies.delete(p.id), { status: 409, service: 'network', cloud: t.label, faultType: 'RbacPolicyInUse' });
      await m.neutron.routers.setGateway(r.id, null);
      await t.neutron.rbacPolicies.delete(p.id);
      assert.equal((await t.neutron.networks.get(n.id)).external, false);
      await m.cloud.close();
    });
  });
});

describe('simulated Neutron: no RBAC before Liberty', () => {
  for (const label of LEGACY_NEUTRON) {
    it(`${label}: /v2.0/rbac-policies is an unknown resource (404) and the extension is not announced`, async () => {
      const t = await neutronCloud(label);
      try {
        assert.equal(t.neutron.hasRbac, false);
        const got = await t.raw('GET', '/rbac-policies');
        assert.deepEqual([got.status, got.body.NeutronError.type], [404, 'HTTPNotFound']);
        assert.equal((await t.raw('POST', '/rbac-policies', share('11111111-2222-3333-4444-555555555555', 'x'))).status, 404);
        const n = await t.neutron.networks.create({ name: 'blue', shared: true });
        assert.equal(n.shared, true, 'shared is a column here');
        assert.equal(t.cloud.store.rbacPolicies.size, 0);
      } finally {
        await t.close();
      }
    });
  }
});
