import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { openCloud, type Network, type NetworkClient, type RbacPolicy, type Subnet } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { unversioned } from './auth.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { userCredentials } from './identity.js';

/**
 * Neutron RBAC policies (`rbac-policies`, Liberty+): a network shared with the run's project
 * through a policy, what that project then sees and may do, the refusals (duplicate, unknown
 * action, in use), and the `*` policies `shared: true` makes. Legacy Neutron has no such API:
 * every step skips there.
 */
export function neutronRbacArea(run: ContractRun): void {
  const skip = run.target.capabilities.network === 'nova-network' ? `${run.target.name} uses nova-network` : false;
  const skipIf = async () => {
    const neutron = run.cloud.network;
    if (!neutron) return `${run.target.name}: the catalog has no Neutron`;
    return neutron.hasRbac ? false : `${run.target.name}: no rbac-policies extension (RBAC policies are Liberty+)`;
  };
  area(run, 'network (Neutron RBAC policies)', { skip, skipIf }, (a) => {
    const neutron = (): NetworkClient => need(run.cloud.network, 'Neutron in the catalog');
    const fault = (status: number, faultType: string, method = 'POST') => ({ status, service: 'network', cloud: run.target.name, method, faultType });
    const net24 = `10.${randomInt(64, 250)}.${randomInt(0, 250)}`;
    let network: Network | undefined;
    let subnet: Subnet | undefined;
    let policy: RbacPolicy | undefined;

    const forNetwork = (p: { objectId: string; action?: string; targetTenant: string }) => ({ objectType: 'network', action: 'access_as_shared', ...p });

    a.step('shares a fresh network with the run\'s project (access_as_shared): the policy is the admin project\'s and is listed by object_id', async () => {
      const name = run.name('rbac-net');
      const n = await neutron().networks.create({ name });
      a.ledger.add(n.id, { label: `network ${name} (${n.id})`, remove: () => neutron().networks.delete(n.id) });
      network = n;
      const s = await neutron().subnets.create({ networkId: n.id, name: run.name('rbac-subnet'), cidr: `${net24}.0/24` });
      a.ledger.add(s.id, { label: `subnet ${s.name} (${s.id})`, remove: () => neutron().subnets.delete(s.id) });
      subnet = s;
      const project = run.tenant.project.id;
      const p = await neutron().rbacPolicies.create(forNetwork({ objectId: n.id, targetTenant: project }));
      a.ledger.add(p.id, { label: `rbac policy ${p.id} on ${n.id}`, remove: () => neutron().rbacPolicies.delete(p.id) });
      policy = p;
      assert.deepEqual({ ...p, id: '' }, { id: '', objectType: 'network', objectId: n.id, action: 'access_as_shared', targetTenant: project, tenantId: run.cloud.session.projectId });
      assert.deepEqual(await neutron().rbacPolicies.list({ object_id: n.id }), [p]);
      assert.deepEqual(await neutron().rbacPolicies.get(p.id), p);
    });

    a.step('refuses the same policy again (409 DuplicateRbacPolicy), an unknown action (400 InvalidActionForType), an object_id that is no UUID or no network (400)', async () => {
      const n = need(network, 'the network');
      const project = run.tenant.project.id;
      const dup = await expectHttpError(neutron().rbacPolicies.create(forNetwork({ objectId: n.id, targetTenant: project })), fault(409, 'DuplicateRbacPolicy'));
      assert.equal(dup.cloudMessage, 'An RBAC policy already exists with those values.');
      const bad = await expectHttpError(neutron().rbacPolicies.create(forNetwork({ objectId: n.id, action: 'access_as_bogus', targetTenant: project })), fault(400, 'InvalidActionForType'));
      assert.equal(bad.cloudMessage, "Invalid action 'access_as_bogus' for object type 'network'. Valid actions: ('access_as_shared', 'access_as_external')");
      const notUuid = await expectHttpError(neutron().rbacPolicies.create(forNetwork({ objectId: 'nonexist', targetTenant: project })), fault(400, 'HTTPBadRequest'));
      assert.equal(notUuid.cloudMessage, "Invalid input for object_id. Reason: 'nonexist' is not a valid UUID.");
      const nowhere = randomUUID();
      const missing = await expectHttpError(neutron().rbacPolicies.create(forNetwork({ objectId: nowhere, targetTenant: project })), fault(400, 'InvalidInput'));
      assert.ok(missing.cloudMessage.includes(`Network ${nowhere} could not be found.`), missing.cloudMessage);
      assert.equal((await neutron().rbacPolicies.list({ object_id: n.id })).length, 1, 'nothing else was made');
    });

    a.step('the project sees the network as shared (the admin project does not) and makes a port on it, which puts the policy in use (409 RbacPolicyInUse)', async () => {
      const n = need(network, 'the network');
      const p = need(policy, 'the policy');
      const { project, user, password } = run.tenant;
      const memberRole = (await run.cloud.identity.roles.findByName('member')) ?? (await run.cloud.identity.roles.findByName('_member_'));
      assert.ok(memberRole, 'a member role');
      await run.cloud.identity.roleAssignments.grant({ userId: user.id, projectId: project.id, roleId: memberRole.id });
      a.ledger.add(`${user.id}:member`, { label: `member role of ${user.name}`, remove: () => run.cloud.identity.roleAssignments.revoke({ userId: user.id, projectId: project.id, roleId: memberRole.id }) });
      const member = await openCloud(userCredentials(run, `${unversioned(run.target.credentials.authUrl)}/v3`, user.name, password, project.id), { name: run.target.name });
      try {
        const there = need(member.network, 'Neutron in the member\'s catalog');
        // Only the attributes read (`fields=`): the fidelity recordings fold a member's network list
        // with the admin's, and a member is not shown provider:*.
        const fields = ['id', 'shared'];
        const [seen] = await there.networks.list({ id: n.id, fields });
        assert.equal(seen?.shared, true, 'shared with the caller\'s project');
        assert.deepEqual((await there.networks.list({ id: n.id, shared: true, fields })).map((x) => x.id), [n.id]);
        assert.equal((await neutron().networks.get(n.id)).shared, false, 'not shared with the admin project');
        assert.deepEqual(await there.rbacPolicies.list({ object_id: n.id }), [], 'a project does not see the policies naming it');
        const port = await there.ports.create({ networkId: n.id, name: run.name('rbac-port') });
        a.ledger.add(port.id, { label: `port ${port.name} (${port.id})`, remove: () => neutron().ports.delete(port.id) });
        assert.equal(port.tenantId, project.id);
        const inUse = await expectHttpError(neutron().rbacPolicies.delete(p.id), fault(409, 'RbacPolicyInUse', 'DELETE'));
        assert.match(inUse.cloudMessage, new RegExp(`^RBAC policy on object ${n.id} cannot be removed because other objects depend on it`));
        await there.ports.delete(port.id);
        a.ledger.forget(port.id);
      } finally {
        await member.close();
      }
    });

    a.step('deletes the policy (then 404 RbacPolicyNotFound)', async () => {
      const p = need(policy, 'the policy');
      await neutron().rbacPolicies.delete(p.id);
      a.ledger.forget(p.id);
      await expectHttpError(neutron().rbacPolicies.get(p.id), { status: 404, service: 'network', cloud: run.target.name, pathIncludes: p.id, faultType: 'RbacPolicyNotFound' });
      assert.deepEqual(await neutron().rbacPolicies.list({ object_id: p.objectId }), []);
    });

    a.step('shared: true makes a `*` access_as_shared policy of the network\'s project; the network takes its policies along when deleted', async () => {
      const n = need(network, 'the network');
      const s = need(subnet, 'the subnet');
      assert.equal((await neutron().networks.update(n.id, { shared: true })).shared, true);
      const other = await neutron().rbacPolicies.create(forNetwork({ objectId: n.id, targetTenant: run.tenant.project.id }));
      a.ledger.add(other.id, { label: `rbac policy ${other.id} on ${n.id}`, remove: () => neutron().rbacPolicies.delete(other.id) });
      const star = (await neutron().rbacPolicies.list({ object_id: n.id })).filter((x) => x.targetTenant === '*');
      assert.deepEqual(star.map((x) => [x.action, x.tenantId]), [['access_as_shared', n.tenantId]]);
      await neutron().networks.delete(n.id);
      for (const id of [n.id, s.id, other.id]) a.ledger.forget(id);
      assert.deepEqual(await neutron().rbacPolicies.list({ object_id: n.id }), []);
      await expectHttpError(neutron().rbacPolicies.get(other.id), { status: 404, service: 'network', cloud: run.target.name, faultType: 'RbacPolicyNotFound' });
    });
  });
}
