// The planner records the layout a reassigned node gets (template layouts read by discovery,
// the config's assignment plugin), with a precondition on the template node.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredHost } from '../../src/manifest/index.js';
import { layoutSourceSha256, layoutTemplateIds } from '../../src/planner/host-layout.js';
import { at, run } from './fixtures/helpers.js';
import { desired } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';

const host = (layout: DesiredHost['layout']): DesiredHost => ({ name: 'node-2', environment: 'new', roles: ['compute'], layout });
const NEW_COMPUTE = {
  interfaces: [
    { name: 'eth0', assignedNetworks: ['fuelweb_admin', 'management'] },
    { name: 'bond0', assignedNetworks: ['private'], bond: { mode: 'active-backup', slaves: ['eth1', 'eth2'] } },
  ],
  disks: [{ name: 'sda', size: 100000, volumes: [{ name: 'os', size: 50000 }, { name: 'vm', size: 50000 }] }],
};

function clouds() {
  const c = neutronClouds();
  c.fuel = { ...c.fuel, layouts: { '21': NEW_COMPUTE } };
  c.source.servers = c.source.servers.filter((s) => s.host !== 'node-2');
  return c;
}

describe('plan: the reassigned node\'s layout is in the plan', () => {
  test('discovery reads the copy_from node, and the discovery plugin\'s template for hosts left to the plugin', () => {
    const c = neutronClouds();
    assert.deepEqual(layoutTemplateIds([host({ kind: 'copy-from', node: 'new-compute' })], c.fuel), [21]);
    assert.deepEqual(layoutTemplateIds([host({ kind: 'plugin' })], c.fuel), [21]);
    assert.deepEqual(layoutTemplateIds([host({ kind: 'given', disks: [{ name: 'sda', volumes: [] }], interfaces: [{ name: 'eth0', assignedNetworks: [] }] })], c.fuel), []);
  });

  test('copy_from: the template\'s NICs (bonds included) and disks, its sha256, and a precondition on the template node', () => {
    const c = clouds();
    const p = run({ desired: desired({ tenants: [], hosts: [host({ kind: 'copy-from', node: 'new-compute' })] }), ...c });
    const r = at(p, 'host[node-2]');
    assert.deepEqual(r.after?.['layout'], {
      kind: 'copy-from',
      node_id: 21,
      hostname: 'new-compute',
      source: 'copy_from new-compute (id 21)',
      interfaces: [
        { name: 'eth0', assigned_networks: ['fuelweb_admin', 'management'] },
        { name: 'bond0', assigned_networks: ['private'], bond: { mode: 'active-backup', slaves: ['eth1', 'eth2'] } },
      ],
      disks: [{ name: 'sda', size: 100000, volumes: [{ name: 'os', size: 50000 }, { name: 'vm', size: 50000 }] }],
      source_sha256: layoutSourceSha256(NEW_COMPUTE),
    });
    assert.deepEqual(r.preconditions.at(-1), { cloud: 'fuel', ref: 'fuel/nodes/21', must: 'match', fields: { status: 'ready', clusterId: 2 } });
  });

  test('plugin: discovery copies the environment\'s first ready compute; fixed records its parameters; no compute to copy is an error', () => {
    const c = clouds();
    const d = run({ desired: desired({ tenants: [], hosts: [host({ kind: 'plugin' })] }), ...c, plugins: { assignment: 'discovery' } });
    assert.deepEqual([at(d, 'host[node-2]').after?.['layout']?.['source' as never], (at(d, 'host[node-2]').after?.['layout'] as Record<string, unknown>)['plugin']], ['plugin discovery new-compute (id 21)', 'discovery']);
    const params = { disks: [{ name: 'sda', volumes: [{ name: 'os', size: 1 }] }], ifaces: [{ name: 'eth0', assignedNetworks: ['management'] }] };
    const f = run({ desired: desired({ tenants: [], hosts: [host({ kind: 'plugin' })] }), ...c, plugins: { assignment: 'fixed', assignmentParameters: params } });
    const fl = at(f, 'host[node-2]').after?.['layout'] as Record<string, unknown>;
    assert.deepEqual([fl['kind'], fl['source'], fl['interfaces']], ['given', 'plugin fixed', [{ name: 'eth0', assigned_networks: ['management'] }]]);
    const empty = neutronClouds();
    empty.fuel = { ...empty.fuel, nodes: empty.fuel.nodes.filter((n) => n.id !== 21) };
    const e = run({ desired: desired({ tenants: [], hosts: [host({ kind: 'plugin' })] }), ...empty, plugins: { assignment: 'discovery' } });
    assert.ok(e.diagnostics.some((x) => x.severity === 'error' && x.summary.includes('has no compute node to copy')));
  });
});
