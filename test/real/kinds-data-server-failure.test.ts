/**
 * Failure paths of the server and source_after kinds on the real Zed testbed, through the
 * real executor: a boot that fails after the source was stopped leaves the source running
 * again (the original tool left it stopped) and its temporaries recorded; `source_after:
 * delete` refuses while no verified destination copy exists; the next plan reuses the first
 * attempt's snapshot and copied image (no second createImage, no data moved), finishes,
 * cleans every temporary, and only then deletes the source server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound } from '../../src/openstack/index.js';
import { openTestbed, testbedSkipReason, type Testbed } from './kinds-support.js';
import { dataPrefix, DataPlan, DataWorld, planId, until } from './kinds-data-harness.js';
import { destinationPort, destinationTenant, instanceActions, sourceNetwork, sourceServer, wipeServers, type DestinationTenant, type SourceServer } from './kinds-data-fixtures.js';

const skip = await testbedSkipReason();

describe('server failure paths on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let world: DataWorld;
  const prefix = dataPrefix();
  let db: SourceServer;
  let t: DestinationTenant;
  let portId = '';

  before(async () => {
    tb = await openTestbed();
    world = new DataWorld(tb.source, tb.destination);
    const n = await sourceNetwork(tb.source, prefix, '10.92.0.0/24');
    db = await sourceServer(tb.source, prefix, 'db', n, '10.92.0.20');
    t = await destinationTenant(tb.destination, prefix, '10.92.0.0/24');
    portId = await destinationPort(tb.destination, t, db);
  });

  after(async () => {
    const left = tb ? await wipeServers([tb.destination, tb.source], prefix, [db?.id ?? 'none']) : [];
    world?.close();
    await tb?.close();
    assert.deepEqual(left, [], 'cleanup');
  });

  const T = () => `tenant[${prefix}-acme]`;

  function plan(n: number, flavorId: string, sourceAfter: boolean, server = true) {
    const p = new DataPlan();
    const deps: string[] = [];
    if (server) {
      const s = p.add({
        address: `${T()}.server[${db.name}]`,
        kind: 'server',
        action: 'migrate',
        sourceId: db.id,
        name: db.name,
        steps: ['quiesce', 'snapshot', 'transfer', 'boot', 'verify'],
        after: {
          name: db.name,
          project_id: t.projectId,
          flavor_id: flavorId,
          image_id: null,
          boot_from: 'snapshot',
          root_volume_id: null,
          key_name: null,
          keypair_user_id: null,
          security_groups: [t.defaultGroupId],
          ports: [portId],
          volumes: [],
          floating_ips: [],
          metadata: { role: 'web' },
          consistency: 'stop',
          status: 'ACTIVE',
        },
        preconditions: [{ cloud: 'source', ref: `nova/servers/${db.id}`, must: 'match', fields: { status: 'ACTIVE' } }],
      });
      deps.push(s.id);
    }
    if (sourceAfter) {
      p.add({
        address: `${T()}.server[${db.name}].source_after`,
        kind: 'source_after',
        action: 'delete',
        sourceId: db.id,
        name: db.name,
        deps,
        after: { server_id: db.id, mode: 'delete' },
      });
    }
    return p.build(planId(n));
  }

  it('a boot that fails leaves the source running again; its dependents do not run', async () => {
    const r = await world.apply(plan(1, 'phd-no-such-flavor', true));
    assert.equal(r.result, 'failed');
    assert.equal(r.failures.length, 1, DataWorld.failures(r));
    assert.match(r.failures[0]!.address, /server\[/);
    assert.equal(r.skipped.length, 1, 'source_after is skipped');
    const src = await tb.source.compute.servers.get(db.id);
    assert.equal(src.status, 'ACTIVE', 'started again after the failure');
    assert.deepEqual(await instanceActions(tb.source, db.id), ['create', 'stop', 'createImage', 'start']);
    const kept = (await world.state()).temporaries.map((x) => x.id.split('/').pop()).sort();
    assert.deepEqual(kept, ['destination-image', 'source-snapshot'], 'the copied snapshot is kept for the next attempt');
  });

  it('source_after: delete refuses while the destination has no verified copy', async () => {
    const r = await world.apply(plan(2, t.flavorId, true, false));
    assert.equal(r.result, 'failed');
    assert.equal(r.failures[0]?.code, 'PH_PRECONDITION_FAILED', DataWorld.failures(r));
    assert.match(r.failures[0]!.message, /no destination server carries its marker/);
    assert.equal((await tb.source.compute.servers.get(db.id)).status, 'ACTIVE', 'the source is untouched');
  });

  it('the next plan reuses the first attempt, finishes, cleans up, then deletes the source', async () => {
    const r = await world.apply(plan(3, t.flavorId, false));
    assert.equal(r.result, 'ok', DataWorld.failures(r));
    assert.equal(world.reporter.ofType('progress').length, 0, 'the copied snapshot was reused: no data moved');
    assert.deepEqual(await instanceActions(tb.source, db.id), ['create', 'stop', 'createImage', 'start', 'stop'], 'stopped again, not snapshotted again');
    const copies = (await tb.destination.compute.servers.list({ allTenants: true, projectId: t.projectId })).filter((s) => s.metadata['pumphouse_source'] === db.id);
    assert.equal(copies.length, 1);
    assert.equal(copies[0]!.status, 'ACTIVE');
    assert.deepEqual((await world.state()).temporaries, []);
    for (const cloud of [tb.source, tb.destination]) {
      assert.deepEqual((await cloud.image.list()).filter((i) => i.name.includes(db.id)).map((i) => i.id), [], 'no snapshot image left');
    }
    const del = await world.apply(plan(4, t.flavorId, true, false));
    assert.equal(del.result, 'ok', DataWorld.failures(del));
    await until('source server gone', async () => (await tb.source.compute.servers.get(db.id).then(() => undefined, (e: unknown) => (isNotFound(e) ? true : undefined))));
  });
});
