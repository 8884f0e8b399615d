/**
 * The image kind on the real Zed testbed, through the real executor: bytes streamed from the
 * source Glance into the destination Glance with md5/sha512 checked, attributes, custom
 * properties and the marker carried; a second plan adopts instead of copying again; a
 * half-made (queued) marked copy is completed, never duplicated; `adopt` checks the copy.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { markerEntries } from '../../src/inventory/marker.js';
import type { Cloud } from '../../src/openstack/index.js';
import { openTestbed, testbedSkipReason, type Testbed } from './kinds-support.js';
import { dataPrefix, DataPlan, DataWorld, planId } from './kinds-data-harness.js';

const skip = await testbedSkipReason();

describe('image kind on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let world: DataWorld;
  const prefix = dataPrefix();
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const md5 = createHash('md5').update(bytes).digest('hex');
  let sourceImage = '';

  before(async () => {
    tb = await openTestbed();
    world = new DataWorld(tb.source, tb.destination);
    sourceImage = await uploadImage(tb.source, `${prefix}-cirros`, bytes, { os_distro: 'phd-test', hw_disk_bus: 'virtio' });
  });

  after(async () => {
    const left: string[] = [];
    for (const cloud of [tb?.source, tb?.destination]) {
      if (!cloud) continue;
      for (const i of await cloud.image.list()) {
        if (!i.name.startsWith(prefix) && !Object.values(i.properties).some((v) => v === sourceImage)) continue;
        if (i.protected) await cloud.image.update(i.id, { protected: false });
        await cloud.image.delete(i.id).catch((e: Error) => left.push(`${i.id}: ${e.message}`));
      }
    }
    world?.close();
    await tb?.close();
    assert.deepEqual(left, [], 'cleanup');
  });

  function imagePlan(n: number, action: 'migrate' | 'adopt' = 'migrate', destinationId?: string, address = `image[${prefix}-cirros]`) {
    const p = new DataPlan();
    p.add({
      address,
      kind: 'image',
      action,
      sourceId: sourceImage,
      name: `${prefix}-cirros`,
      ...(destinationId ? { destinationId } : {}),
      after: {
        name: `${prefix}-cirros`,
        visibility: 'private',
        owner: null,
        disk_format: 'raw',
        container_format: 'bare',
        min_disk: 1,
        min_ram: 64,
        protected: true,
        checksum: md5,
        size: bytes.length,
        properties: { os_distro: 'phd-test', hw_disk_bus: 'virtio' },
        tags: ['backup=daily', 'phd-test'],
        kernel_id: null,
        ramdisk_id: null,
      },
      preconditions: action === 'migrate' ? [{ cloud: 'source', ref: `glance/images/${sourceImage}`, must: 'match', fields: { status: 'active', checksum: md5 } }] : [],
    });
    return p.build(planId(n));
  }

  async function copiesIn(cloud: Cloud): Promise<string[]> {
    return (await cloud.image.list({ name: `${prefix}-cirros` })).filter((i) => i.properties['pumphouse_source'] === sourceImage).map((i) => i.id);
  }

  it('copies the bytes (md5 and sha512 checked), attributes, properties and marker', async () => {
    const r = await world.apply(imagePlan(1));
    assert.equal(r.result, 'ok', DataWorld.failures(r));
    const [id] = await copiesIn(tb.destination);
    assert.ok(id, 'a destination copy carrying the marker');
    const img = await tb.destination.image.get(id);
    assert.equal(img.status, 'active');
    assert.equal(img.checksum, md5);
    assert.equal(img.size, bytes.length);
    assert.equal(img.minDisk, 1);
    assert.equal(img.minRam, 64);
    assert.equal(img.protected, true);
    assert.equal(img.visibility, 'private');
    assert.equal(img.properties['os_distro'], 'phd-test');
    assert.equal(img.properties['pumphouse_kind'], 'image');
    assert.deepEqual([...img.tags].sort(), ['backup=daily', 'phd-test'], 'tags, apart from the properties');
    const down = await tb.destination.image.download(id);
    const got: Buffer[] = [];
    for await (const c of down.body) got.push(c as Buffer);
    assert.ok(Buffer.concat(got).equals(bytes), 'the destination holds the very bytes');
    const state = await world.state();
    const o = state.objects.find((x) => x.address === `image[${prefix}-cirros]`);
    assert.equal(o?.destination_id, id);
    assert.equal(o?.status, 'ready');
    assert.equal(o?.attributes['checksum'], md5);
    assert.equal(typeof o?.attributes['sha512'], 'string');
    assert.equal(state.temporaries.length, 0);
    assert.ok(world.reporter.ofType('progress').some((e) => e.label === 'image data' && e.done_bytes === bytes.length), 'progress reached the full size');
  });

  it('a second plan finds the marked copy and copies nothing again', async () => {
    const before = await copiesIn(tb.destination);
    const r = await world.apply(imagePlan(2));
    assert.equal(r.result, 'ok', DataWorld.failures(r));
    assert.deepEqual(await copiesIn(tb.destination), before, 'the same single copy');
    assert.equal(world.reporter.ofType('progress').length, 0, 'no data moved');
  });

  it('adopt checks the planned copy; a vanished one fails the action', async () => {
    const [id] = await copiesIn(tb.destination);
    const ok = await world.apply(imagePlan(3, 'adopt', id));
    assert.equal(ok.result, 'ok', DataWorld.failures(ok));
    // Another address: the state's record of the first one would name the real copy.
    const gone = await world.apply(imagePlan(4, 'adopt', '0d1f8b6e-0000-4000-8000-000000000000', `image[${prefix}-lost]`));
    assert.equal(gone.result, 'failed');
    assert.equal(gone.failures[0]?.code, 'PH_PRECONDITION_FAILED');
  });

  it('a half-made marked copy (queued, no data) is completed, not duplicated', async () => {
    for (const id of await copiesIn(tb.destination)) {
      await tb.destination.image.update(id, { protected: false });
      await tb.destination.image.delete(id);
    }
    const half = await tb.destination.image.create({
      name: `${prefix}-cirros`,
      diskFormat: 'raw',
      containerFormat: 'bare',
      properties: markerEntries({ sourceId: sourceImage, kind: 'image' }),
    });
    assert.equal(half.status, 'queued');
    const r = await world.apply(imagePlan(5));
    assert.equal(r.result, 'ok', DataWorld.failures(r));
    const copies = await copiesIn(tb.destination);
    assert.equal(copies.length, 1, 'one copy');
    const img = await tb.destination.image.get(copies[0]!);
    assert.equal(img.status, 'active');
    assert.equal(img.checksum, md5);
  });
});

async function uploadImage(cloud: Cloud, name: string, data: Buffer, properties: Record<string, string>): Promise<string> {
  const img = await cloud.image.create({ name, diskFormat: 'raw', containerFormat: 'bare', minDisk: 1, minRam: 64, properties });
  await cloud.image.upload(img.id, Readable.from([data]), data.length);
  return img.id;
}
