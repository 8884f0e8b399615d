import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MemoryReporter } from '../../src/events/index.js';
import { hostReassignKind, hostSettings } from '../../src/kinds/host/index.js';
import { forceUnlock, readLock, StateStore } from '../../src/state/index.js';
import { writeTestPlan } from '../apply/fixtures/plans.js';
import { makeAction, StepHarness } from './support/step-harness.js';
import { applyFile, applyHosts, fuelNode, hostPlan, hostWorld, reassignAfter, type HostWorld } from './host-sim-world.js';

const CHILD = new URL('./host-apply-child.ts', import.meta.url).pathname;

/** `PUT /api/clusters/<id>/changes` requests the Fuel simulator received. */
function deploysOf(w: HostWorld, clusterId: number): number {
  return w.sim.fuel!.requests().filter((r) => r.method === 'PUT' && new RegExp(`^/api(/v1)?/clusters/${clusterId}/changes/?$`).test(r.path)).length;
}

async function envIds(w: HostWorld): Promise<{ src: number; dst: number }> {
  const src = await w.fuel.clusterByName('source-env');
  const dst = await w.fuel.clusterByName('destination-env');
  return { src: src!.id, dst: dst!.id };
}

function waitStatuses(reporter: MemoryReporter): string[] {
  return reporter.events.filter((e) => e.type === 'wait').map((e) => String((e as unknown as { status: string }).status));
}

describe('host reassignment on the simulator (Nova + Fuel)', { concurrency: false }, () => {
  it('evacuates node-2 and reassigns it end to end: new node id found by MACs, copied layout, one deployment per environment, compute up in the destination', async () => {
    const w = await hostWorld({ generate: { tenants: 1, serversPerTenant: 2 } });
    try {
      const { src, dst } = await envIds(w);
      const before = await fuelNode(w, 'node-2');
      const template = await fuelNode(w, 'node-5');
      const onHost = [...w.source.store.servers.values()].filter((s) => s.host === 'node-2').map((s) => s.id);
      assert.ok(onHost.length > 0, 'the generator put a server on node-2');
      const plan = await hostPlan(w, 'node-2', { layout: { kind: 'copy-from', node_id: template.id, hostname: 'node-5' } });
      const { result, reporter } = await applyHosts(w, plan);
      assert.equal(result.result, 'ok', JSON.stringify(result.failures));
      assert.equal(result.counts.done, 2);

      for (const id of onHost) {
        const s = w.source.store.servers.get(id)!;
        assert.equal(s.host, 'node-3', 'live-migrated to the other source host');
        assert.equal(s.vmState, 'active');
      }

      const after = (await w.fuel.findNodeByMacs(before.macs))!;
      assert.notEqual(after.id, before.id, 'rediscovered under a new id');
      assert.deepEqual([after.clusterId, after.status, after.roles, after.pendingAddition], [dst, 'ready', ['compute'], false]);
      const nets = async (id: number) => (await w.fuel.interfaces(id)).map((i) => `${i.name}:${i.assignedNetworks.map((n) => n.name).sort().join('+')}`).sort();
      assert.deepEqual(await nets(after.id), await nets(template.id), 'NIC-to-network mapping copied from node-5');
      assert.equal(deploysOf(w, src), 1, 'one removal deployment of the source environment');
      assert.equal(deploysOf(w, dst), 1, 'one deployment of the destination environment');

      const svc = w.destination.store.computeServices.find((s) => s.host === after.hostname && s.binary === 'nova-compute');
      assert.ok(svc, `the destination runs nova-compute on ${after.hostname}`);
      assert.equal(svc.status, 'enabled');
      assert.ok(w.destination.store.hypervisors.find((h) => h.host === after.hostname), 'and lists its hypervisor');
      assert.equal(w.source.store.computeServices.find((s) => s.host === 'node-2'), undefined, 'no nova-compute of node-2 left in the source');

      const statuses = waitStatuses(reporter as MemoryReporter);
      assert.ok(statuses.some((s) => /^deploy running \d+% \(node \w+/.test(s)), `deployment progress in wait events: ${statuses.join(' | ')}`);
      const state = await StateStore.open(w.statePath).load();
      const obj = state.state.objects.find((o) => o.address === 'host[node-2]');
      assert.equal(obj?.destination_id, String(after.id));
      assert.equal(obj?.status, 'ready');
    } finally {
      await w.close();
    }
  });

  it('deletes the stale services Nova keeps in the source, copies a discovery-plugin layout, and adopts every step when run again', async () => {
    const w = await hostWorld();
    try {
      const node = await fuelNode(w, 'node-3');
      const action = makeAction({ kind: 'host_reassign', action: 'reassign', address: 'host[node-3]', sourceId: String(node.id), after: await reassignAfter(w, 'node-3') });
      const handler = hostReassignKind(hostSettings({ pollIntervalMs: 10, plugins: { assignment: 'discovery' } }));
      const h = new StepHarness(w.access);
      await h.run(handler, action, ['unassign']);
      // A real Nova keeps the removed host's services (down); the simulator's Fuel hook dropped them.
      w.source.addComputeHost('node-3');
      w.source.markHostDown('node-3');
      const [discovered] = await h.run(handler, action, ['wait_discovered']);
      assert.equal(discovered!.outputs!['stale_services_deleted'], 1);
      assert.equal(discovered!.outputs!['stale_hypervisors_left'], 0);
      assert.equal(w.source.store.computeServices.find((s) => s.host === 'node-3'), undefined);
      assert.equal(w.source.store.hypervisors.find((x) => x.host === 'node-3'), undefined);
      assert.notEqual(discovered!.outputs!['new_node_id'], node.id);

      const rest = ['assign', 'configure_disks_nics', 'deploy', 'wait_compute_up'];
      const results = await h.run(handler, action, rest);
      assert.match(String(results[1]!.outputs!['layout_from']), /^plugin discovery node-5/);
      const { dst } = await envIds(w);
      const deploys = deploysOf(w, dst);
      // Everything again (a rerun after `state rm`, or a step retried): nothing is repeated.
      h.forget(action);
      await h.run(handler, action);
      assert.equal(deploysOf(w, dst), deploys, 'no second deployment');
      assert.equal(w.sim.fuel!.requests().filter((r) => r.method === 'POST' && /assignment/.test(r.path)).length, 2, 'one unassignment, one assignment');
    } finally {
      await w.close();
    }
  });

  it('reports a failed deployment once, then deploys again when the plan is applied again', async () => {
    const w = await hostWorld();
    try {
      const node = await fuelNode(w, 'node-3');
      const { dst } = await envIds(w);
      w.sim.fuel!.failNext(node.mac, 'provision');
      const plan = await hostPlan(w, 'node-3', { evacuate: false });
      const first = await applyHosts(w, plan);
      assert.equal(first.result.result, 'failed');
      assert.equal(first.result.failures[0]?.code, 'PH_FUEL_TASK_FAILED');
      assert.equal(deploysOf(w, dst), 1);
      const second = await applyHosts(w, plan);
      assert.equal(second.result.result, 'ok', JSON.stringify(second.result.failures));
      assert.equal(deploysOf(w, dst), 2, 'the failed deployment is retried by the next apply');
      const after = (await w.fuel.findNodeByMacs(node.macs))!;
      assert.equal(after.status, 'ready');
    } finally {
      await w.close();
    }
  });

  it('kill -9 during the Fuel deployment wait, then resume: no second deployment is started', async () => {
    const w = await hostWorld({ fuelTimeScale: 0.1 });
    try {
      const { dst } = await envIds(w);
      const node = await fuelNode(w, 'node-2');
      const plan = await hostPlan(w, 'node-2', { evacuate: false, planId: '00000000-0000-4000-8000-0000000000c1' });
      const { path } = await writeTestPlan(plan, w.dir);
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, w.statePath, JSON.stringify(w.urls)], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise((r) => child.once('exit', r));
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const killedAt = await new Promise<string>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout });
        lines.on('line', (line) => {
          const e = JSON.parse(line) as { type: string; what?: string; status?: string };
          // The first `wait` of the deployment: the task runs and its id is journaled.
          if (e.type === 'wait' && e.what?.startsWith('Fuel deployment of node')) {
            child.kill('SIGKILL');
            resolve(e.status ?? '');
          }
          if (e.type === 'child_result') reject(new Error(`the child finished before the deployment wait: ${line}`));
        });
        child.on('exit', (code, signal) => {
          if (signal !== 'SIGKILL') reject(new Error(`child exited (${code}): ${stderr}`));
        });
      });
      await exited;
      assert.match(killedAt, /running/);
      assert.equal(deploysOf(w, dst), 1);
      const running = (await w.fuel.tasks({ clusterId: dst })).filter((t) => t.name === 'deploy' && t.status === 'running');
      assert.equal(running.length, 1, 'the deployment still runs after the kill');

      const lock = await readLock(w.statePath);
      if (lock) await forceUnlock(w.statePath, lock.ID);
      const resumed = await applyFile(w, path);
      assert.equal(resumed.result.result, 'ok', JSON.stringify(resumed.result.failures));
      assert.equal(resumed.result.resumed, true);
      assert.equal(deploysOf(w, dst), 1, 'exactly one deployment of the destination environment');
      const tasks = (await w.fuel.tasks({ clusterId: dst })).filter((t) => t.name === 'deploy');
      assert.deepEqual(tasks.map((t) => t.status), ['ready']);
      const after = (await w.fuel.findNodeByMacs(node.macs))!;
      assert.deepEqual([after.clusterId, after.status], [dst, 'ready']);
      const state = await StateStore.open(w.statePath).load();
      assert.equal(state.state.objects.find((o) => o.address === 'host[node-2]')?.attributes['deploy_task_id'], running[0]!.id, 'the resumed step adopted the running task');
    } finally {
      await w.close();
    }
  });
});
