/**
 * The volume kind on the real Zed testbed, through the real executor: a source volume holding
 * known bytes goes through Cinder's upload into a temporary source image, a transfer into a
 * temporary destination image and Cinder's create-from-image into the tenant's project; the
 * destination volume then holds the same bytes, carries the metadata and the marker, has the
 * source's bootable flag, and no temporary is left (state, source and destination Glance).
 * A second plan adopts the copy without moving data.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Cloud } from '../../src/openstack/index.js';
import { openTestbed, testbedSkipReason, type Testbed } from './kinds-support.js';
import { dataPrefix, DataPlan, DataWorld, planId } from './kinds-data-harness.js';
import { volumeDigest, uploadRawImage, waitVolumeStatus, deleteVolumeAndWait } from './kinds-data-cinder.js';

const skip = await testbedSkipReason();

describe('volume kind on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let world: DataWorld;
  const prefix = dataPrefix();
  const bytes = randomBytes(2 * 1024 * 1024);
  let projectId = '';
  let sourceVolume = '';
  let seedImage = '';

  before(async () => {
    tb = await openTestbed();
    world = new DataWorld(tb.source, tb.destination, { pollIntervalMs: 300, transferRetryDelayMs: 200, volumeDiskFormat: 'qcow2' });
    projectId = await tenantProject(tb.destination, `${prefix}-acme`);
    seedImage = await uploadRawImage(tb.source, `${prefix}-seed`, bytes);
    const v = await tb.source.volume!.volumes.create({ size: 1, name: `${prefix}-data`, description: 'known bytes', imageId: seedImage, metadata: { purpose: 'phd' } });
    sourceVolume = v.id;
    await waitVolumeStatus(tb.source, v.id, 'available');
    await tb.source.volume!.volumes.setBootable(v.id, false);
  });

  after(async () => {
    const left: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => fn().catch((e: Error) => left.push(`${what}: ${e.message}`));
    for (const cloud of [tb?.destination, tb?.source]) {
      if (!cloud) continue;
      for (const v of await cloud.volume!.volumes.list({ allTenants: true })) {
        if (v.name.startsWith(prefix) || v.metadata['pumphouse_source'] === sourceVolume || v.name.includes(sourceVolume)) await attempt(`volume ${v.id}`, () => deleteVolumeAndWait(cloud, v.id));
      }
      for (const i of await cloud.image.list()) {
        if (i.name.startsWith(prefix) || i.name.includes(sourceVolume)) await attempt(`image ${i.id}`, () => cloud.image.delete(i.id));
      }
    }
    if (projectId) await attempt('project', () => tb.destination.identity.projects.delete(projectId));
    world?.close();
    await tb?.close();
    assert.deepEqual(left, [], 'cleanup');
  });

  function volumePlan(n: number) {
    const p = new DataPlan();
    p.add({
      address: `tenant[${prefix}-acme].volume[${prefix}-data]`,
      kind: 'volume',
      action: 'migrate',
      sourceId: sourceVolume,
      name: `${prefix}-data`,
      after: {
        name: `${prefix}-data`,
        description: 'known bytes',
        project_id: projectId,
        size: 1,
        volume_type: null,
        bootable: false,
        metadata: { purpose: 'phd' },
        attached_to: [],
        consistency: null,
      },
      preconditions: [{ cloud: 'source', ref: `cinder/volumes/${sourceVolume}`, must: 'match', fields: { status: 'available', sizeGb: 1 } }],
    });
    return p.build(planId(n));
  }

  async function copies(): Promise<string[]> {
    return (await tb.destination.volume!.volumes.list({ allTenants: true, projectId })).filter((v) => v.metadata['pumphouse_source'] === sourceVolume).map((v) => v.id);
  }

  it('copies the volume bytes through Glance into the tenant and cleans every temporary', async () => {
    const r = await world.apply(volumePlan(1));
    assert.equal(r.result, 'ok', DataWorld.failures(r));
    const [id] = await copies();
    assert.ok(id, 'a marked destination volume');
    const v = await tb.destination.volume!.volumes.get(id);
    assert.equal(v.status, 'available');
    assert.equal(v.size, 1);
    assert.equal(v.name, `${prefix}-data`);
    assert.equal(v.description, 'known bytes');
    assert.equal(v.metadata['purpose'], 'phd');
    assert.equal(v.metadata['pumphouse_kind'], 'volume');
    assert.equal(v.bootable, false, 'bootable as the source (Cinder marks volumes from images bootable)');
    assert.equal(v.tenantId, projectId);
    const [src, dst] = await Promise.all([volumeDigest(tb.source, 'source', sourceVolume), volumeDigest(tb.destination, 'destination', id)]);
    assert.equal(dst.digest, src.digest, `identical bytes (compared by ${src.how})`);
    const state = await world.state();
    assert.deepEqual(state.temporaries, [], 'no temporary left in state');
    for (const cloud of [tb.source, tb.destination]) {
      assert.deepEqual((await cloud.image.list()).filter((i) => i.name.includes(sourceVolume)).map((i) => i.id), [], 'no temporary image left');
    }
    const o = state.objects.find((x) => x.address.endsWith(`volume[${prefix}-data]`));
    assert.equal(o?.destination_id, id);
    assert.equal(o?.status, 'ready');
  });

  it('a second plan adopts the copy and moves no data', async () => {
    const before = await copies();
    const r = await world.apply(volumePlan(2));
    assert.equal(r.result, 'ok', DataWorld.failures(r));
    assert.deepEqual(await copies(), before);
    assert.equal(world.reporter.ofType('progress').length, 0, 'no data moved');
  });
});

/** A destination project in which the admin has the admin role (what admin_membership grants). */
async function tenantProject(cloud: Cloud, name: string): Promise<string> {
  const p = await cloud.identity.projects.create({ name, description: 'phd volume test' });
  const admin = (await cloud.identity.roles.findByName('admin'))!;
  await cloud.identity.roleAssignments.grant({ userId: cloud.session.userId!, projectId: p.id, roleId: admin.id });
  return p.id;
}
