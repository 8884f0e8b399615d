import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredHost } from '../../src/manifest/index.js';
import { assertAfter, at, run } from './fixtures/helpers.js';
import { desired, tenant } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';

const host = (name: string, o: Partial<DesiredHost> = {}): DesiredHost => ({
  name,
  environment: 'new',
  roles: ['compute'],
  layout: { kind: 'copy-from', node: 'new-compute' },
  ...o,
});

describe('plan: host evacuation and reassignment', () => {
  test('evacuate after the migrations of the servers on the host; reassign after evacuate', () => {
    const c = neutronClouds();
    const p = run({ desired: desired({ tenants: [tenant('acme', { sourceAfter: 'delete' })], hosts: [host('node-1')] }), source: c.source, destination: c.destination, fuel: c.fuel });
    const evac = at(p, 'host[node-1].evacuation');
    const reassign = at(p, 'host[node-1]');
    assert.equal(evac.kind, 'host_evacuate');
    assert.equal(reassign.kind, 'host_reassign');
    for (const a of ['tenant[acme].server[web-1]', 'tenant[acme].server[db-1]', 'tenant[acme].server[web-1].source_after']) assertAfter(p, evac, at(p, a));
    assertAfter(p, reassign, evac);
    assert.deepEqual(evac.after?.['servers'], ['s-sv-other1'], 'what stays on the host (another tenant) is live-migrated');
    assert.equal(evac.reason.code, 'host_not_empty');
    assert.deepEqual(reassign.preconditions, [
      { cloud: 'fuel', ref: 'fuel/nodes/11', must: 'match', fields: { status: 'ready', clusterId: 1, online: true, macs: '52:54:00:00:00:0b' } },
    ]);
    assert.deepEqual([reassign.impact.destructive, reassign.impact.irreversible], [true, true]);
    assert.equal(reassign.after?.['destination_environment'], 2);
    assert.deepEqual(reassign.after?.['layout'], { kind: 'copy-from', node_id: 21, hostname: 'new-compute' });
    assert.deepEqual(reassign.steps, ['unassign', 'wait_discovered', 'assign', 'configure_disks_nics', 'deploy', 'wait_compute_up']);
    assert.equal(reassign.source?.cloud, 'fuel');
  });

  test('with source_after keep the migrated servers remain and are evacuated too', () => {
    const c = neutronClouds();
    const p = run({ desired: desired({ hosts: [host('node-1')] }), source: c.source, destination: c.destination, fuel: c.fuel });
    assert.deepEqual(at(p, 'host[node-1].evacuation').after?.['servers'], ['s-sv-db1', 's-sv-other1', 's-sv-web1']);
  });

  test('a host already in the destination environment is a no-op', () => {
    const c = neutronClouds();
    c.fuel = { ...c.fuel, nodes: c.fuel.nodes.map((n) => (n.hostname === 'node-2' ? { ...n, clusterId: 2 } : n)) };
    const p = run({ desired: desired({ hosts: [host('node-2')] }), source: c.source, destination: c.destination, fuel: c.fuel });
    assert.equal(at(p, 'host[node-2]').action, 'no-op');
    assert.equal(at(p, 'host[node-2].evacuation').action, 'no-op');
  });

  test('an empty, disabled host needs no evacuation', () => {
    const c = neutronClouds();
    c.source.servers = c.source.servers.filter((s) => s.host !== 'node-2');
    c.source.computeServices = c.source.computeServices.map((s) => (s.host === 'node-2' ? { ...s, status: 'disabled' as const } : s));
    const p = run({ desired: desired({ tenants: [], hosts: [host('node-2')] }), source: c.source, destination: c.destination, fuel: c.fuel });
    assert.equal(at(p, 'host[node-2].evacuation').action, 'no-op');
    assert.equal(at(p, 'host[node-2]').action, 'reassign');
  });

  test('unknown hosts, environments and templates are errors naming the manifest entry', () => {
    const c = neutronClouds();
    const p = run({
      desired: desired({ hosts: [host('node-9'), host('node-2', { environment: 'nowhere' }), host('node-1', { layout: { kind: 'copy-from', node: 'ghost' } })] }),
      source: c.source,
      destination: c.destination,
      fuel: c.fuel,
      options: {},
    });
    const errors = p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary);
    assert.ok(errors.includes("manifest hosts[node-9]: host 'node-9' is not a Fuel node"));
    assert.ok(errors.includes("manifest hosts[node-2]: Fuel environment 'nowhere' not found"));
    assert.ok(errors.includes("manifest hosts[node-1]: copy_from node 'ghost' is not a Fuel node"));
    assert.equal(p.applyable, false);
  });

  test('hosts without a Fuel inventory are an error', () => {
    const c = neutronClouds();
    const p = run({ desired: desired({ hosts: [host('node-1')] }), source: c.source, destination: c.destination });
    assert.ok(p.diagnostics.some((d) => d.severity === 'error' && d.summary.includes('needs the Fuel master')));
  });
});
