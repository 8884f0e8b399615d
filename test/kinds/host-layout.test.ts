// The layout a reassigned node gets is resolved at planning time (discovery reads the
// template's disks and NIC mapping; the planner records them in after.layout) and apply
// uses exactly that, after checking that its source did not change; otherwise it refuses
// before the node is wiped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { discoverFuel } from '../../src/discovery/fuel.js';
import type { FuelInventory } from '../../src/inventory/index.js';
import { layoutTemplateIds, resolveHostLayout, type AssignmentPlugin } from '../../src/planner/host-layout.js';
import type { DesiredHost } from '../../src/manifest/index.js';
import type { Attributes } from '../../src/plan/index.js';
import { applyHosts, fuelNode, hostPlan, hostWorld, type HostWorld } from './host-sim-world.js';

const nets = async (w: HostWorld, id: number) => (await w.fuel.interfaces(id)).map((i) => `${i.name}:${i.assignedNetworks.map((n) => n.name).sort().join('+')}`).sort();

/** What `pumphouse plan` does for one host: Fuel discovery with the template layouts, then the planner's layout. */
async function plannedLayout(w: HostWorld, host: DesiredHost, plugins?: AssignmentPlugin): Promise<{ inventory: FuelInventory; layout: Attributes }> {
  const inventory = await discoverFuel(w.fuel, { layoutsOf: (inv) => layoutTemplateIds([host], inv) });
  const env = inventory.environments.find((e) => e.name === 'destination-env')!;
  const self = inventory.nodes.find((n) => n.hostname === host.name)!;
  const decided = resolveHostLayout(host, env, self.id, inventory, plugins);
  assert.ok(!('error' in decided), JSON.stringify(decided));
  return { inventory, layout: decided.layout };
}

const host = (layout: DesiredHost['layout']): DesiredHost => ({ name: 'node-2', environment: 'destination-env', roles: ['compute'], layout });

describe('reassignment layouts recorded in the plan', { concurrency: false }, () => {
  it('copy_from: the plan shows node-5\'s NIC mapping and disks; apply gives the node exactly those', async () => {
    const w = await hostWorld();
    try {
      const template = await fuelNode(w, 'node-5');
      const { inventory, layout } = await plannedLayout(w, host({ kind: 'copy-from', node: 'node-5' }));
      assert.deepEqual(Object.keys(inventory.layouts ?? {}), [String(template.id)], 'discovery read the template only');
      assert.equal(layout['source'], `copy_from node-5 (id ${template.id})`);
      const shown = (layout['interfaces'] as { name: string; assigned_networks: string[] }[]).map((i) => `${i.name}:${[...i.assigned_networks].sort().join('+')}`).sort();
      assert.deepEqual(shown, await nets(w, template.id), 'the reviewer sees the mapping');
      assert.ok((layout['disks'] as unknown[]).length > 0);
      assert.match(String(layout['source_sha256']), /^[0-9a-f]{64}$/);

      const before = await fuelNode(w, 'node-2');
      const { result } = await applyHosts(w, await hostPlan(w, 'node-2', { evacuate: false, layout }));
      assert.equal(result.result, 'ok', JSON.stringify(result.failures));
      const after = (await w.fuel.findNodeByMacs(before.macs))!;
      assert.deepEqual(await nets(w, after.id), shown);
    } finally {
      await w.close();
    }
  });

  it('the template changed after planning: refused before the node is touched, naming the source', async () => {
    const w = await hostWorld();
    try {
      const template = await fuelNode(w, 'node-5');
      const { layout } = await plannedLayout(w, host({ kind: 'copy-from', node: 'node-5' }));
      // Someone moves a network to another NIC of node-5.
      const nics = await w.fuel.interfaces(template.id);
      const from = nics.find((i) => i.type === 'ether' && i.assignedNetworks.length > 1)!;
      const to = nics.find((i) => i.type === 'ether' && i !== from)!;
      const moved = from.assignedNetworks.at(-1)!;
      await w.fuel.setInterfaces(
        template.id,
        nics.map((i) => (i === from ? { ...i, assignedNetworks: i.assignedNetworks.slice(0, -1) } : i === to ? { ...i, assignedNetworks: [...i.assignedNetworks, moved] } : i)),
      );
      const before = await fuelNode(w, 'node-2');
      const requests = w.sim.fuel!.requests().length;
      const { result } = await applyHosts(w, await hostPlan(w, 'node-2', { evacuate: false, layout }));
      assert.equal(result.result, 'failed');
      const err = result.failures[0]!;
      assert.equal(err.code, 'PH_PRECONDITION_FAILED');
      assert.match(err.message, /disks and NIC mapping of copy_from node-5 \(id \d+\) changed since the plan was made; nothing was changed: plan again/);
      const now = await fuelNode(w, 'node-2');
      assert.deepEqual([now.id, now.clusterId, now.pendingDeletion], [before.id, before.clusterId, false], 'node-2 untouched');
      assert.ok(!w.sim.fuel!.requests().slice(requests).some((r) => r.method !== 'GET'), 'no write to Fuel');
    } finally {
      await w.close();
    }
  });

  it('plugins: fixed parameters and discovery are resolved in the plan; apply refuses when PLUGINS changed', async () => {
    const w = await hostWorld();
    try {
      const params: AssignmentPlugin = {
        assignment: 'fixed',
        assignmentParameters: { disks: [{ name: 'sda', volumes: [{ name: 'os', size: 51200 }] }], ifaces: [{ name: 'eth0', assignedNetworks: ['fuelweb_admin'] }] },
      };
      const fixed = (await plannedLayout(w, host({ kind: 'plugin' }), params)).layout;
      assert.deepEqual([fixed['kind'], fixed['source'], fixed['plugin']], ['given', 'plugin fixed', 'fixed']);
      assert.deepEqual(fixed['interfaces'], [{ name: 'eth0', assigned_networks: ['fuelweb_admin'] }]);
      const defaults = (await plannedLayout(w, host({ kind: 'plugin' }), { assignment: 'fixed' })).layout;
      assert.equal(defaults['kind'], 'defaults');
      const discovery = (await plannedLayout(w, host({ kind: 'plugin' }), { assignment: 'discovery' })).layout;
      assert.match(String(discovery['source']), /^plugin discovery node-5 \(id \d+\)$/);
      assert.equal(discovery['plugin'], 'discovery');
      // A manifest layout missing its disks takes them from the plugin, recorded as such.
      const mixed = (await plannedLayout(w, host({ kind: 'given', interfaces: [{ name: 'eth0', assignedNetworks: ['fuelweb_admin'] }] }), params)).layout;
      assert.deepEqual([mixed['source'], mixed['disks']], ['manifest + plugin fixed', [{ name: 'sda', size: null, volumes: [{ name: 'os', size: 51200 }] }]]);

      // Planned with the fixed parameters, applied with a config that says discovery: refused.
      const { result } = await applyHosts(w, await hostPlan(w, 'node-2', { evacuate: false, layout: fixed }), { kinds: { plugins: { assignment: 'discovery' } } });
      assert.equal(result.failures[0]?.code, 'PH_PRECONDITION_FAILED');
      assert.match(result.failures[0]!.message, /PLUGINS\.assignment changed from fixed to discovery since the plan was made/);
      // Same plugin, other parameters: refused too (a fresh state: the plans are made without one).
      for (const f of readdirSync(w.dir)) if (f.startsWith('state.json')) rmSync(join(w.dir, f), { force: true });
      const other = await applyHosts(w, await hostPlan(w, 'node-2', { evacuate: false, layout: fixed, planId: '00000000-0000-4000-8000-0000000000b2' }), {
        kinds: { plugins: { assignment: 'fixed', assignmentParameters: { roles: ['compute'], disks: [], ifaces: [] } } },
        name: 'other.json',
      });
      assert.match(other.result.failures[0]?.message ?? '', /disks and NIC mapping of plugin fixed changed/);
      assert.equal((await fuelNode(w, 'node-2')).pendingDeletion, false);
    } finally {
      await w.close();
    }
  });
});
