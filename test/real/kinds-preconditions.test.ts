/**
 * The PreconditionReader against the real Zed testbed for the refs the identity/network
 * end-to-end test does not reach: Nova services (by host/binary) and hypervisors, Glance
 * images, Cinder volumes, and lookups that match nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../../src/apply/preconditions.js';
import { preconditionReader } from '../../src/kinds/preconditions.js';
import type { Precondition } from '../../src/plan/index.js';
import { cloudAccess, StepHarness } from '../kinds/support/step-harness.js';
import { Cleanup, openTestbed, testbedSkipReason, testPrefix, type Testbed } from './kinds-support.js';

const skip = await testbedSkipReason();

describe('precondition facts on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let h: StepHarness;
  const cleanup = new Cleanup();
  const prefix = testPrefix();
  const reader = preconditionReader();
  const read = (p: Precondition) => reader.read(p, h.services);
  const holds = async (p: Precondition) => check(p, await read(p));

  before(async () => {
    tb = await openTestbed();
    h = new StepHarness(cloudAccess(tb.source, tb.destination));
  });

  after(async () => {
    try {
      await cleanup.run();
    } finally {
      await tb?.close();
    }
  });

  it('reads the compute service and hypervisor of a host, by the names the planner pins', async () => {
    const hyp = (await tb.source.compute.hypervisors.list()).find((x) => x.servicehost === 'source-compute-1')!;
    assert.equal(await holds({ cloud: 'source', ref: `nova/services/${encodeURIComponent('source-compute-1/nova-compute')}`, must: 'match', fields: { state: 'up', host: 'source-compute-1' } }), null);
    assert.equal(await holds({ cloud: 'source', ref: `nova/hypervisors/${hyp.id}`, must: 'match', fields: { host: 'source-compute-1' } }), null);
    assert.equal(await read({ cloud: 'source', ref: `nova/services/${encodeURIComponent('no-such-host/nova-compute')}`, must: 'present' }), null);
  });

  it('reads Glance images and Cinder volumes, and says absent for ids that do not exist', async () => {
    const image = await tb.source.image.create({ name: `${prefix}-img`, diskFormat: 'raw', containerFormat: 'bare' });
    cleanup.add('image', () => tb.source.image.delete(image.id));
    assert.equal(await holds({ cloud: 'source', ref: `glance/images/${image.id}`, must: 'match', fields: { status: 'queued', checksum: null, name: `${prefix}-img` } }), null);
    const volume = await tb.source.volume!.volumes.create({ name: `${prefix}-vol`, size: 1 });
    cleanup.add('volume', async () => {
      // Cinder refuses to delete a volume still `creating`.
      for (let i = 0; i < 60 && (await tb.source.volume!.volumes.get(volume.id)).status === 'creating'; i++) await new Promise((r) => setTimeout(r, 500));
      await tb.source.volume!.volumes.delete(volume.id);
    });
    const facts = await read({ cloud: 'source', ref: `cinder/volumes/${volume.id}`, must: 'present' });
    assert.deepEqual([facts?.['sizeGb'], facts?.['attachedTo'], facts?.['name']], [1, '', `${prefix}-vol`]);
    for (const ref of ['glance/images/00000000-0000-0000-0000-000000000000', 'cinder/volumes/00000000-0000-0000-0000-000000000000', 'nova/servers/00000000-0000-0000-0000-000000000000']) {
      assert.equal(await read({ cloud: 'destination', ref, must: 'present' }), null, ref);
    }
    assert.equal(await holds({ cloud: 'destination', ref: `neutron/floatingips?floating_ip_address=${encodeURIComponent('198.51.100.254')}`, must: 'absent' }), null);
    assert.equal(await holds({ cloud: 'destination', ref: `keystone/users?name=${encodeURIComponent(`${prefix}-nobody`)}`, must: 'absent' }), null);
    assert.match((await holds({ cloud: 'destination', ref: 'nova/flavors?name=m1.tiny', must: 'absent' })) ?? '', /exists now/);
  });
});
