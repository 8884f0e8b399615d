import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSupport } from '../../src/apply/index.js';
import { kindsPart3, kindsPart3FromConfig } from '../../src/kinds/index-part-3.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { standardSteps } from '../../src/plan/index.js';
import type { PumphouseConfig } from '../../src/config/index.js';
import { makeAction, StepHarness } from './support/step-harness.js';
import { PumphouseError } from '../../src/errors/index.js';
import { openFuel } from '../../src/fuel/index.js';
import { startFuelSimulator } from '../../src/sim/fuel/index.js';
import { NO_CLOUDS } from '../apply/helpers.js';

describe('kinds part 3 (hosts)', () => {
  it('registers host_evacuate and host_reassign with exactly the steps the planner writes', () => {
    const handlers = kindsPart3();
    assert.deepEqual(handlers.map((h) => h.kind), ['host_evacuate', 'host_reassign']);
    const evacuate = handlers[0]!;
    const reassign = handlers[1]!;
    assert.deepEqual(evacuate.steps, { evacuate: standardSteps('host_evacuate', 'evacuate') });
    assert.deepEqual(reassign.steps, { reassign: standardSteps('host_reassign', 'reassign') });
    assert.deepEqual(standardSteps('host_reassign', 'reassign'), ['unassign', 'wait_discovered', 'assign', 'configure_disks_nics', 'deploy', 'wait_compute_up']);
    assert.equal(typeof reassign.resolvePending, 'function');
  });

  it('lets apply accept a plan with both host actions', () => {
    const registry = kindRegistry({ handlers: kindsPart3() });
    const actions = [
      makeAction({ kind: 'host_evacuate', action: 'evacuate', address: 'host[node-2].evacuation', sourceId: 'node-2', after: { host: 'node-2', servers: [] } }),
      makeAction({ kind: 'host_reassign', action: 'reassign', address: 'host[node-2]', sourceId: '2', after: { node_id: 2 } }),
    ];
    assert.doesNotThrow(() => checkSupport({ actions } as never, registry));
  });

  it('lays a node out from the config\'s fixed assignment parameters, or from the manifest with the plugin filling the rest', async () => {
    const sim = await startFuelSimulator({
      seed: 3,
      environments: [{ name: 'destination-env', netProvider: 'neutron' }],
      nodes: [
        { hostname: 'node-9', environment: 'destination-env', roles: ['compute'] },
        { hostname: 'spare-a' },
        { hostname: 'spare-b' },
      ],
    });
    const fuel = await openFuel(sim.credentials);
    try {
      const config = {
        plugins: {
          network: 'neutron',
          provisionServer: 'image',
          assignment: 'fixed',
          postMortem: false,
          assignmentParameters: {
            roles: ['compute'],
            disks: [{ name: 'sda', volumes: [{ name: 'os', size: 51200 }, { name: 'vm', size: 51200 }] }],
            ifaces: [
              { name: 'eth0', assignedNetworks: ['fuelweb_admin', 'management', 'storage'] },
              { name: 'eth1', assignedNetworks: ['private'] },
              { name: 'eth2', assignedNetworks: ['public'] },
            ],
          },
        },
      } as unknown as PumphouseConfig;
      const [, reassign] = kindsPart3FromConfig(config);
      const env = (await fuel.clusterByName('destination-env'))!;
      const h = new StepHarness({ ...NO_CLOUDS, fuel: async () => fuel });
      const layoutOf = async (id: number) => ({
        nics: (await fuel.interfaces(id)).map((i) => `${i.name}:${i.assignedNetworks.map((n) => n.name).sort().join('+')}`),
        sda: (await fuel.disks(id)).find((d) => d.name === 'sda')!.volumes.map((v) => `${v.name}=${v.size}`),
      });
      const action = async (hostname: string, layout: Record<string, unknown>) => {
        const node = (await fuel.findNodeByHostname(hostname))!;
        return makeAction({
          kind: 'host_reassign',
          action: 'reassign',
          address: `host[${hostname}]`,
          sourceId: String(node.id),
          after: { node_id: node.id, hostname, macs: [...node.macs], source_environment: 99, destination_environment: env.id, roles: ['compute'], layout } as never,
        });
      };

      const a = await action('spare-a', { kind: 'plugin' });
      const [assigned, configured] = await h.run(reassign!, a, ['assign', 'configure_disks_nics']);
      assert.equal(assigned!.destinationId, String((await fuel.findNodeByHostname('spare-a'))!.id));
      assert.equal(configured!.outputs!['layout_from'], 'plugin fixed');
      const idA = Number(assigned!.destinationId);
      assert.deepEqual(await layoutOf(idA), {
        nics: ['eth0:fuelweb_admin+management+storage', 'eth1:private', 'eth2:public', 'eth3:'],
        sda: ['os=51200', 'vm=51200'],
      });

      const b = await action('spare-b', { kind: 'given', disks: [], interfaces: [{ name: 'eth0', assigned_networks: ['fuelweb_admin', 'management', 'storage', 'private', 'public'] }] });
      const [assignedB, configuredB] = await h.run(reassign!, b, ['assign', 'configure_disks_nics']);
      assert.equal(configuredB!.outputs!['layout_from'], 'manifest + plugin fixed');
      assert.deepEqual(await layoutOf(Number(assignedB!.destinationId)), {
        nics: ['eth0:fuelweb_admin+management+private+public+storage', 'eth1:', 'eth2:', 'eth3:'],
        sda: ['os=51200', 'vm=51200'],
      });

      // A layout naming a NIC the node lacks fails before anything is sent, naming the node.
      const c = await action('spare-a', { kind: 'given', disks: [], interfaces: [{ name: 'eth7', assigned_networks: ['public'] }] });
      const err = await h.run(reassign!, c, ['configure_disks_nics']).catch((e: unknown) => e);
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_PRECONDITION_FAILED');
      assert.match(err.message, /has no NIC eth7/);
    } finally {
      await fuel.close();
      await sim.close();
    }
  });

  it('refuses a reassignment whose plan lacks the MACs, naming the field, before touching Fuel', async () => {
    const [, reassign] = kindsPart3();
    let fuelOpened = false;
    const h = new StepHarness({
      source: () => Promise.reject(new Error('unused')),
      destination: () => Promise.reject(new Error('unused')),
      scoped: () => Promise.reject(new Error('unused')),
      fuel: async () => {
        fuelOpened = true;
        throw new Error('unused');
      },
    });
    const action = makeAction({
      kind: 'host_reassign',
      action: 'reassign',
      address: 'host[node-2]',
      sourceId: '2',
      after: { node_id: 2, hostname: 'node-2', macs: [], source_environment: 1, destination_environment: 2, roles: ['compute'], layout: { kind: 'plugin' } },
    });
    const err = await h.run(reassign!, action, ['unassign']).catch((e: unknown) => e);
    assert.ok(PumphouseError.is(err));
    assert.equal(err.code, 'PH_PLAN_INVALID');
    assert.match(err.message, /after\.macs/);
    assert.equal(fuelOpened, false);
  });
});
