// The planner finds a host's machine by the MACs an earlier run recorded, whatever Fuel
// calls the node now (it renames a rediscovered node node-<new id>).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DesiredHost } from '../../src/manifest/index.js';
import { findMachine, recordedMachine } from '../../src/planner/host-machine.js';
import type { ObjectStatus, StateFile, StateObject } from '../../src/state/types.js';
import { at, run } from './fixtures/helpers.js';
import { desired } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { fuelNode } from './fixtures/records.js';

const host = (name: string): DesiredHost => ({ name, environment: 'new', roles: ['compute'], layout: { kind: 'copy-from', node: 'new-compute' } });
const MAC = '52:54:00:00:00:0c'; // node-2's (id 12)

function state(status: ObjectStatus, attributes: Record<string, unknown>, pending?: Record<string, unknown>): StateFile {
  const o: StateObject = {
    address: 'host[node-2]',
    kind: 'host_reassign',
    source_id: '12',
    destination_id: typeof attributes['node_id'] === 'number' ? String(attributes['node_id']) : null,
    status,
    step: null,
    steps_done: [],
    pending: pending ? { step: 'unassign', at: '2026-11-26T12:00:00Z', data: pending } : null,
    attributes,
    error: null,
    plan_id: 'p',
    action_id: 'a',
    updated_at: '2026-11-26T12:00:00Z',
  } as StateObject;
  return { version: 1, pumphouse_version: '0.1.0', lineage: 'l', serial: 3, objects: [o], temporaries: [], history: [] } as unknown as StateFile;
}

/** node-2 wiped and registered again as node-30 (same MAC), in `discover` or deployed in `new`. */
function renamed(clusterId: number | null, status: string) {
  const c = neutronClouds();
  c.fuel = { ...c.fuel, nodes: [...c.fuel.nodes.filter((n) => n.id !== 12), fuelNode(30, 'node-30', clusterId, { status, macs: [MAC] })] };
  c.source.computeServices = c.source.computeServices.filter((s) => s.host !== 'node-2');
  c.source.servers = c.source.servers.filter((s) => s.host !== 'node-2');
  return c;
}

describe('plan: a host an earlier run reassigned (or started to) is found by its recorded MACs', () => {
  test('recordedMachine reads the outputs, else the pending step, else nothing', () => {
    assert.deepEqual(recordedMachine(state('tainted', { macs: `${MAC.toUpperCase()},aa:bb:cc:dd:ee:ff`, old_node_id: 12, new_node_id: 30 }), 'host[node-2]'), {
      macs: ['52:54:00:00:00:0c', 'aa:bb:cc:dd:ee:ff'],
      oldNodeId: 12,
      newNodeId: 30,
      status: 'tainted',
    });
    assert.deepEqual(recordedMachine(state('pending', {}, { old_node_id: 12, macs: MAC }), 'host[node-2]')?.macs, [MAC]);
    assert.equal(recordedMachine(state('pending', {}), 'host[node-2]'), undefined);
    assert.equal(recordedMachine(null, 'host[node-2]'), undefined);
  });

  test('findMachine: MACs first, then the name; only the state; shared MACs', () => {
    const nodes = [fuelNode(30, 'node-30', null, { macs: [MAC] }), fuelNode(11, 'node-1', 1)];
    const rec = { macs: [MAC], oldNodeId: 12, newNodeId: null, status: 'tainted' as const };
    assert.equal(findMachine(nodes, 'node-2', rec)?.by, 'macs');
    assert.equal(findMachine(nodes, 'node-1', undefined)?.by, 'name');
    assert.equal(findMachine(nodes.slice(1), 'node-2', rec)?.by, 'state');
    assert.equal(findMachine(nodes.slice(1), 'node-2', undefined), undefined);
    assert.equal(findMachine([...nodes, fuelNode(31, 'node-31', null, { macs: [MAC] })], 'node-2', rec)?.by, 'shared-macs');
  });

  test('finished earlier (deployed in the destination under a new name): nothing to do', () => {
    const c = renamed(2, 'ready');
    const p = run({ desired: desired({ tenants: [], hosts: [host('node-2')] }), ...c, prior: state('ready', { macs: MAC, old_node_id: 12, new_node_id: 30, node_id: 30 }) });
    assert.equal(at(p, 'host[node-2]').action, 'no-op');
    assert.equal(at(p, 'host[node-2].evacuation').action, 'no-op');
    assert.ok(!p.diagnostics.some((d) => d.severity === 'error'), JSON.stringify(p.diagnostics));
  });

  test('stopped during the deployment (in the destination, not ready, or ready but the state not): the reassignment goes on with the new id', () => {
    for (const [status, recorded] of [['deploying', 'tainted'], ['ready', 'tainted']] as const) {
      const c = renamed(2, status);
      const p = run({ desired: desired({ tenants: [], hosts: [host('node-2')] }), ...c, prior: state(recorded, { macs: MAC, old_node_id: 12, new_node_id: 30 }) });
      const r = at(p, 'host[node-2]');
      assert.equal(r.action, 'reassign', status);
      assert.equal(r.after?.['node_id'], 30);
      assert.equal(r.after?.['hostname'], 'node-2', 'the source name, for its stale services');
      assert.deepEqual(r.after?.['macs'], [MAC]);
      assert.deepEqual((r.preconditions[0] as { fields?: unknown } | undefined)?.fields, { clusterId: 2, macs: MAC }, 'its status moves on by itself: not pinned');
      assert.equal(at(p, 'host[node-2].evacuation').action, 'no-op');
      assert.ok((r.warnings ?? []).some((w) => w.includes('Fuel now names the machine node-30')), JSON.stringify(r.warnings));
    }
  });

  test('no node with its MACs now (rebooting into bootstrap): planned from the state, no Fuel precondition', () => {
    const c = renamed(null, 'discover');
    c.fuel = { ...c.fuel, nodes: c.fuel.nodes.filter((n) => n.id !== 30) };
    const p = run({ desired: desired({ tenants: [], hosts: [host('node-2')] }), ...c, prior: state('pending', {}, { old_node_id: 12, macs: MAC }) });
    const r = at(p, 'host[node-2]');
    assert.equal(r.action, 'reassign');
    assert.deepEqual([r.after?.['node_id'], r.after?.['source_environment']], [12, null]);
    assert.deepEqual(r.preconditions, []);
    // Reassigned by an earlier run and gone from Fuel since: an error naming the MACs.
    const gone = run({ desired: desired({ tenants: [], hosts: [host('node-2')] }), ...c, prior: state('ready', { macs: MAC, old_node_id: 12, new_node_id: 30 }) });
    assert.ok(gone.diagnostics.some((d) => d.severity === 'error' && d.summary.includes(MAC)));
  });
});
