import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../src/events/index.js';
import { emit } from '../../src/events/index.js';
import type { StepContext } from '../../src/kinds/contract.js';
import { copyableProperties, temporaryImageName } from '../../src/kinds/image/index.js';
import { stepReporter } from '../../src/kinds/image/step-reporter.js';

describe('copyableProperties', () => {
  const props = {
    hw_disk_bus: 'virtio',
    os_distro: 'cirros',
    os_hash_algo: 'sha512',
    os_glance_importing_to_stores: 'file',
    pumphouse_source: 'abc',
    pumphouse_temporary: '1',
    instance_uuid: 'i-1',
    base_image_ref: 'img-0',
    signature_verified: 'False',
    image_id: 'img-2',
    block_device_mapping: '[]',
  };

  it("keeps the image's own custom properties, never Glance's or pumphouse's", () => {
    assert.deepEqual(copyableProperties(props, false), {
      hw_disk_bus: 'virtio',
      os_distro: 'cirros',
      instance_uuid: 'i-1',
      base_image_ref: 'img-0',
      signature_verified: 'False',
      image_id: 'img-2',
      block_device_mapping: '[]',
    });
  });

  it('for a snapshot or volume upload, also drops what described the source instance or volume', () => {
    assert.deepEqual(copyableProperties(props, true), { hw_disk_bus: 'virtio', os_distro: 'cirros' });
  });
});

describe('temporaryImageName', () => {
  it('is derived from the source id, so that a run after a crash finds it', () => {
    assert.equal(temporaryImageName('snapshot', 's-1'), 'pumphouse-snapshot-s-1');
    assert.equal(temporaryImageName('volume', 'v-1'), 'pumphouse-volume-v-1');
  });
});

describe('stepReporter', () => {
  it("sends transfer progress through ctx.progress and every other event to the step's reporter", () => {
    const reporter = new MemoryReporter();
    const calls: [string, number, number | null][] = [];
    const ctx = { reporter, progress: (label: string, done: number, total: number | null) => calls.push([label, done, total]) } as unknown as StepContext;
    const r = stepReporter(ctx, 'volume data');
    emit(r, 'progress', 'info', 'x', { id: 'a', address: 'v', label: 'ignored', done_bytes: 10, total_bytes: 100, rate_bps: 1, eta_s: 1 });
    emit(r, 'transfer_retry', 'warn', 'retry', { id: 'a', address: 'v', attempt: 2, code: 'PH_TRANSFER_CHECKSUM', error: 'bad', delay_ms: 0 });
    assert.deepEqual(calls, [['volume data', 10, 100]]);
    assert.deepEqual(reporter.events.map((e) => e.type), ['transfer_retry']);
  });
});
