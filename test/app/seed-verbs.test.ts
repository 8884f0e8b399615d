// The verbs end to end on the simulator, through plan() and apply() with the built-in kinds
// (parts 1-3, composed as the registry will be): what they move, the plan kept next to the
// state with its sha256, a second run with nothing to do, and nothing changed for unknown ids
// or hosts.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { evacuate, migrate, reassign, setup, type SetupResult } from '../../src/app/index.js';
import { PumphouseError } from '../../src/errors/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import type { KindRegistry } from '../../src/kinds/registry.js';
import { allKinds, seedBench, type SeedBench } from './seed-support.js';

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('migrate on the simulator (Juno nova-network FlatDHCP -> modern Neutron)', { concurrency: false }, () => {
  let b: SeedBench;
  let seeded: SetupResult;
  let kinds: KindRegistry;
  const opts = () => ({ configPath: b.config, statePath: b.state, kinds });

  before(async () => {
    b = await seedBench({ source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' } });
    seeded = await setup({ configPath: b.config, statePath: b.state, counts: { servers: 2 } });
    kinds = allKinds();
  });
  after(async () => {
    await kinds?.close();
    await b?.close();
  });

  test('resources --ids <server>: that server (not its sibling) and its owner land in the destination; plan kept with its sha256', async () => {
    const t = seeded.tenants[0]!;
    const [mine, sibling] = t.servers;
    const events = new MemoryReporter();
    const r = await migrate({ ...opts(), what: 'resources', ids: [mine!], reporter: events });
    assert.equal(r.applied.result, 'ok');
    assert.ok(r.planPath.startsWith(b.dir) && r.planPath.endsWith('.plan.json'));
    assert.equal(await sha(r.planPath), r.sha256);
    assert.deepEqual(events.ofType('plan_written').map((e) => e.sha256), [r.sha256]);
    assert.ok(r.plan.manifest.path.startsWith('pumphouse migrate resources --ids '));
    const dst = await b.admin('destination');
    const copies = (await dst.compute.servers.list({ allTenants: true })).filter((s) => s.metadata['pumphouse_source']);
    assert.deepEqual(copies.map((s) => s.metadata['pumphouse_source']), [mine]);
    assert.notEqual(copies[0]!.metadata['pumphouse_source'], sibling);
    assert.ok((await dst.identity.users.list()).some((u) => u.name === 'pumphouse-test-1-user'), 'the owner came along');
    assert.equal(copies[0]!.status, 'ACTIVE');
  });

  test('the same migrate again: nothing to do, the state untouched', async () => {
    const t = seeded.tenants[0]!;
    const state = await readFile(b.state, 'utf8');
    const r = await migrate({ ...opts(), what: 'resources', ids: [t.servers[0]!] });
    assert.equal(r.applied.result, 'ok');
    assert.equal(r.plan.summary.total, 0);
    assert.equal(await readFile(b.state, 'utf8'), state);
  });

  test('images --ids <public image>: copied; identity --ids <tenant>: identity only', async () => {
    const src = await b.admin('source');
    const image = (await src.image.list()).find((i) => i.name === 'pumphouse-test-image')!;
    const r = await migrate({ ...opts(), what: 'images', ids: [image.id] });
    assert.equal(r.applied.result, 'ok');
    assert.deepEqual(r.plan.actions.map((a) => `${a.address} ${a.action}`), ['image[pumphouse-test-image] migrate']);
    const id = await migrate({ ...opts(), what: 'identity', ids: [seeded.tenants[0]!.projectId] });
    assert.equal(id.applied.result, 'ok');
    assert.ok(id.plan.actions.every((a) => ['project', 'user', 'role', 'role_assignment', 'password_hash'].includes(a.kind)));
  });

  test('unknown ids: PH_NOT_FOUND naming each, no plan written, the state untouched', async () => {
    const files = await readdir(b.dir);
    const state = await readFile(b.state, 'utf8');
    await assert.rejects(
      migrate({ ...opts(), what: 'resources', ids: [seeded.tenants[0]!.servers[1]!, 'no-such-1', 'no-such-2'] }),
      (e: unknown) => PumphouseError.is(e) && e.code === 'PH_NOT_FOUND' && e.message.includes('no-such-1, no-such-2') && !e.message.includes(seeded.tenants[0]!.servers[1]!),
    );
    assert.deepEqual(await readdir(b.dir), files);
    assert.equal(await readFile(b.state, 'utf8'), state);
  });
});

test('volumes --ids <detached volume>: the volume alone, with its tenant (modern -> modern: the Juno simulator names its volume type `default`, which the destination lacks)', async () => {
  const b = await seedBench();
  const kinds = allKinds();
  try {
    await setup({ configPath: b.config, statePath: b.state, counts: { servers: 0 } });
    const src = await b.admin('source');
    const vol = (await src.volume!.volumes.list({ allTenants: true })).find((v) => v.name === 'pumphouse-test-1-volume')!;
    const r = await migrate({ configPath: b.config, statePath: b.state, kinds, what: 'volumes', ids: [vol.id] });
    assert.deepEqual(r.applied.failures, []);
    assert.deepEqual([...new Set(r.plan.actions.filter((a) => a.action !== 'no-op').map((a) => a.kind))].sort(), ['admin_membership', 'project', 'volume']);
    const dst = await b.admin('destination');
    const copy = (await dst.volume!.volumes.list({ allTenants: true })).find((v) => v.metadata['pumphouse_source'] === vol.id);
    assert.equal(copy?.status, 'available');
  } finally {
    await kinds.close();
    await b.close();
  }
});

describe('evacuate and reassign on the simulator with Fuel', { concurrency: false }, () => {
  test('evacuate HOST empties it; reassign HOST moves it to the destination environment; an unknown host changes nothing', async () => {
    const b = await seedBench({ fuel: true, source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' } });
    const kinds = allKinds();
    try {
      const seeded = await setup({ configPath: b.config, statePath: b.state, counts: { servers: 1 } });
      const src = await b.admin('source');
      const host = (await src.compute.servers.get(seeded.tenants[0]!.servers[0]!)).host!;
      const files = await readdir(b.dir);
      await assert.rejects(
        evacuate({ configPath: b.config, statePath: b.state, kinds, host: host.toUpperCase() }),
        (e: unknown) => PumphouseError.is(e) && e.code === 'PH_NOT_FOUND' && e.message.includes(`did you mean ${host}`),
      );
      assert.deepEqual(await readdir(b.dir), files, 'no plan written');

      const dstBefore = (await (await b.admin('destination')).compute.services.list({ binary: 'nova-compute' })).length;
      const ev = await evacuate({ configPath: b.config, statePath: b.state, kinds, host });
      assert.equal(ev.applied.result, 'ok');
      assert.deepEqual(ev.plan.actions.map((a) => `${a.address} ${a.action}`), [`host[${host}].evacuation evacuate`]);
      const moved = await src.compute.servers.get(seeded.tenants[0]!.servers[0]!);
      assert.notEqual(moved.host, host);
      assert.equal(moved.status, 'ACTIVE');

      // The first reassign stops during the destination deployment (its wait times out): the
      // node is already in the destination environment under its new id and name.
      const impatient = allKinds({ timeouts: { deployS: 0.001 } });
      const stopped = await reassign({ configPath: b.config, statePath: b.state, kinds: impatient, host }).finally(() => impatient.close());
      assert.equal(stopped.applied.result, 'failed');
      const recorded = JSON.parse(await readFile(b.state, 'utf8')).objects.find((o: { address: string }) => o.address === `host[${host}]`) as { attributes: Record<string, unknown> };
      const node = stopped.plan.actions.find((a) => a.kind === 'host_reassign')!;
      assert.equal(recorded.attributes['macs'], (node.after!['macs'] as string[]).join(','), 'the state carries the MACs');
      assert.equal(typeof recorded.attributes['new_node_id'], 'number', 'and the new node id');
      assert.notEqual(recorded.attributes['new_node_id'], node.after!['node_id']);
      const fuel = b.sim.fuel!;
      const renamed = fuel.nodes().find((n) => n.id === recorded.attributes['new_node_id'])!;
      assert.equal(renamed.environment, 'destination-env');
      assert.notEqual(renamed.hostname, host, 'Fuel renamed the node');
      assert.ok(!fuel.nodes().some((n) => n.hostname === host));
      const changes = () => fuel.requests().filter((r) => r.method === 'PUT' && /clusters\/\d+\/changes\/?$/.test(r.path)).length;
      const changesBefore = changes();

      // `reassign HOST` again, by the old name: found by its MACs, the running deployment adopted.
      const re = await reassign({ configPath: b.config, statePath: b.state, kinds, host });
      assert.equal(re.applied.result, 'ok', JSON.stringify(re.applied.failures));
      assert.equal(changes(), changesBefore, 'no second deployment');
      assert.deepEqual(re.plan.actions.map((a) => `${a.address} ${a.action}`).sort(), [`host[${host}] reassign`, `host[${host}].evacuation no-op`]);
      const resumed = re.plan.actions.find((a) => a.kind === 'host_reassign')!;
      assert.equal(resumed.after?.['destination_environment_name'], 'destination-env');
      assert.equal(resumed.after?.['node_id'], recorded.attributes['new_node_id'], 'planned on the node found by its MACs');
      assert.equal(resumed.after?.['hostname'], host, 'the source name kept for its stale services');
      assert.ok(!(await src.compute.services.list({ binary: 'nova-compute' })).some((s) => s.host === host), 'gone from the source');
      // Fuel rediscovers the node under a new id, hence a new name: it is found by its MACs.
      const dst = await b.admin('destination');
      assert.equal((await dst.compute.services.list({ binary: 'nova-compute' })).filter((s) => s.state === 'up').length, dstBefore + 1, 'one more nova-compute up in the destination');
      // Twice more by the old name: nothing to do, the state untouched.
      const state = await readFile(b.state, 'utf8');
      const again = await reassign({ configPath: b.config, statePath: b.state, kinds, host });
      assert.equal(again.applied.result, 'ok');
      assert.deepEqual(again.plan.actions.map((a) => `${a.address} ${a.action}`).sort(), [`host[${host}] no-op`, `host[${host}].evacuation no-op`]);
      const evacAgain = await evacuate({ configPath: b.config, statePath: b.state, kinds, host });
      assert.equal(evacAgain.applied.result, 'ok');
      assert.equal(evacAgain.plan.summary.total, 0);
      assert.equal(await readFile(b.state, 'utf8'), state);
      assert.equal(changes(), changesBefore);
    } finally {
      await kinds.close();
      await b.close();
    }
  });
});
