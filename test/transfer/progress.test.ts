import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../src/events/index.js';
import { ProgressMeter } from '../../src/transfer/progress.js';

function meter(reporter: MemoryReporter, total: number | null, clock: { t: number }): ProgressMeter {
  return new ProgressMeter({ reporter, id: 'a1', address: 'tenant[t].volume[v]', label: 'volume data', total, everyMs: 250, now: () => clock.t });
}

test('at most one event per 250 ms, rate from the recent window, ETA from the rate, final event at 100%', () => {
  const reporter = new MemoryReporter();
  const clock = { t: 1_000 };
  const m = meter(reporter, 100_000, clock);
  for (let i = 0; i < 100; i++) {
    clock.t += 10;
    m.add(1_000); // 100 kB/s
  }
  m.finish();
  const events = reporter.ofType('progress');
  assert.deepEqual(events.map((e) => e.done_bytes), [25_000, 50_000, 75_000, 100_000, 100_000]);
  assert.ok(events.every((e) => e.rate_bps === 100_000));
  assert.deepEqual(events.map((e) => e.eta_s), [1, 1, 1, 0, 0]);
  assert.equal(events[0]!.eta_s, Math.ceil(75_000 / 100_000));
  assert.equal(events[0]!['@message'], 'tenant[t].volume[v] volume data: 25% 24.4 KiB at 97.7 KiB/s');
});

test('a stall shows in the rate within the window', () => {
  const reporter = new MemoryReporter();
  const clock = { t: 0 };
  const m = meter(reporter, null, clock);
  for (let i = 0; i < 40; i++) {
    clock.t += 250;
    m.add(250_000); // 1 MB/s for 10 s
  }
  clock.t += 6_000; // nothing for 6 s
  m.add(1);
  const events = reporter.ofType('progress');
  assert.equal(events.at(-2)!.rate_bps, 1_000_000);
  assert.ok(events.at(-1)!.rate_bps < 250_000, `rate ${events.at(-1)!.rate_bps} should reflect the stall`);
  assert.equal(events.at(-1)!.eta_s, null, 'unknown total: no ETA');
  assert.equal(events.at(-1)!.total_bytes, null);
});

test('no reporter, no events, bytes still counted', () => {
  const m = new ProgressMeter({ reporter: undefined, id: 'a', address: 'x', label: 'y', total: 10, everyMs: 0, now: () => 0 });
  m.add(4);
  m.add(6);
  m.finish();
  assert.equal(m.bytes, 10);
});
