import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { NovaNetwork, NovaNetworkClient } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';

/** nova-network (legacy clouds without Neutron): networks, floating IP pools and addresses, security groups and rules. */
export function novaNetworkArea(run: ContractRun): void {
  const skip = run.target.capabilities.network === 'neutron' ? `${run.target.name} uses Neutron` : false;
  const skipIf = async () => (run.cloud.network ? `${run.target.name}: the catalog has Neutron, so nova-network is not in use` : false);
  area(run, 'network (nova-network)', { skip, skipIf }, (a) => {
    const nn = (): NovaNetworkClient => need(run.cloud.novaNetwork, 'nova-network (the catalog has no Neutron)');
    const vlanMode = run.target.capabilities.novaNetworkMode === 'vlan';
    let network: NovaNetwork | undefined;

    a.step('the cloud has no Neutron and lists nova-network networks', async () => {
      const nets = await nn().networks.list();
      assert.ok(nets.length > 0, 'at least one network');
      for (const n of nets) assert.ok(n.id && n.label, 'networks have an id and a label');
      if (run.target.capabilities.novaNetworkMode === 'flatdhcp') assert.ok(nets.every((n) => n.vlan === null), 'FlatDHCP networks have no VLAN');
      if (vlanMode) assert.ok(nets.every((n) => n.vlan !== null), 'VLAN networks have a VLAN id');
    });

    a.step('creates a network (and gives it to the project in VLAN mode); it is listed', async () => {
      const label = run.name('nnet');
      const cidr = `10.${randomInt(64, 250)}.${randomInt(0, 250)}.0/24`;
      const vlan = vlanMode ? randomInt(3000, 3900) : undefined;
      const n = await nn().networks.create({ label, cidr, ...(vlan !== undefined ? { vlanStart: vlan, projectId: run.cloud.session.projectId as string } : {}) });
      a.ledger.add(n.id, {
        label: `nova-network ${label} (${n.id})`,
        remove: async () => {
          if (vlanMode) await nn().networks.disassociate(n.id, 'all');
          await nn().networks.delete(n.id);
        },
      });
      network = n;
      assert.equal(n.label, label);
      assert.equal(n.cidr, cidr);
      if (vlan !== undefined) assert.equal(n.projectId, run.cloud.session.projectId);
      assert.equal((await nn().networks.get(n.id)).label, label);
      assert.ok((await nn().networks.list()).some((x) => x.id === n.id));
    });

    a.step('deletes the network; it is then a 404', async () => {
      const n = need(network, 'the network');
      if (vlanMode) await nn().networks.disassociate(n.id, 'all');
      await nn().networks.delete(n.id);
      a.ledger.forget(n.id);
      await expectHttpError(nn().networks.get(n.id), { status: 404, service: 'compute', cloud: run.target.name, pathIncludes: n.id, faultType: 'itemNotFound' });
    });

    a.step('allocates a floating IP from a pool and releases it', async () => {
      const pools = await nn().floatingIpPools();
      assert.ok(pools.length > 0, 'a floating IP pool');
      const pool = pools[0] as string;
      const f = await nn().floatingIps.allocate(pool);
      a.ledger.add(`fip:${f.id}`, { label: `floating IP ${f.ip} (${f.id})`, remove: () => nn().floatingIps.release(f.id) });
      assert.equal(f.pool, pool);
      assert.match(f.ip, /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal(f.instanceId, null);
      assert.ok((await nn().floatingIps.list()).some((x) => x.id === f.id));
      const bulk = await nn().floatingIpsBulk.list();
      assert.equal(bulk.find((b) => b.address === f.ip)?.projectId, run.cloud.session.projectId);
      await nn().floatingIps.release(f.id);
      a.ledger.forget(`fip:${f.id}`);
      assert.ok(!(await nn().floatingIps.list()).some((x) => x.id === f.id));
    });

    a.step('creates a security group with a rule, lists it across projects, deletes both', async () => {
      const name = run.name('nsg');
      const g = await nn().securityGroups.create(name, 'pumphouse contract suite');
      a.ledger.add(g.id, { label: `security group ${name} (${g.id})`, remove: () => nn().securityGroups.delete(g.id) });
      assert.equal(g.name, name);
      assert.equal(g.tenantId, run.cloud.session.projectId);
      const rule = await nn().securityGroups.createRule({ parentGroupId: g.id, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' });
      assert.deepEqual([rule.parentGroupId, rule.ipProtocol, rule.fromPort, rule.toPort, rule.cidr], [g.id, 'tcp', 22, 22, '0.0.0.0/0']);
      assert.equal((await nn().securityGroups.get(g.id)).rules.length, 1);
      assert.ok((await nn().securityGroups.list({ allTenants: true })).some((x) => x.id === g.id));
      await nn().securityGroups.deleteRule(rule.id);
      await nn().securityGroups.delete(g.id);
      a.ledger.forget(g.id);
      await expectHttpError(nn().securityGroups.get(g.id), { status: 404, service: 'compute', cloud: run.target.name, pathIncludes: g.id, faultType: 'itemNotFound' });
    });
  });
}
