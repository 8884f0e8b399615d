import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { copy, type TransferSink } from '../../src/transfer/index.js';
import { digestsOf } from './support/generated-bytes.js';
import { httpSink, httpSource } from './support/http-ends.js';
import { rejection } from '../support/rejection.js';
import { serverPair } from './support/server-pair.js';

const MiB = 1024 * 1024;
const ADDRESS = 'tenant[acme].image[cirros]';
const base = { id: 'a1', address: ADDRESS, label: 'image data', retryDelayMs: 0 } as const;

describe('copy between HTTP servers', () => {
  const servers = serverPair();

  for (const [hashing, size] of [['inline', 3 * MiB + 17], ['threads', 9 * MiB + 5]] as const) {
    test(`copies byte for byte and verifies md5 and sha512 on both sides (${hashing} hashing)`, async () => {
      const want = digestsOf(size);
      servers.src.behaviour = { size, claims: want };
      servers.dst.behaviour = {};
      const url = servers.target();
      const result = await copy(httpSource(servers.src.url), httpSink(url), { ...base, hashing });
      assert.equal(result.bytes, size);
      assert.equal(result.md5, want.md5);
      assert.equal(result.sha512, want.sha512);
      assert.equal(result.attempts, 1);
      assert.deepEqual([...result.checks].sort(), [
        'destination md5', 'destination sha512', 'destination size', 'source md5', 'source sha512', 'source size',
      ]);
      assert.deepEqual(servers.dst.stored.get(url.split('/').pop()!), { size, ...want, complete: true });
    });
  }

  test('a byte corrupted in flight is detected, the destination copy discarded, and the second attempt succeeds', async () => {
    const size = 2 * MiB;
    const want = digestsOf(size);
    servers.src.behaviour = { size, claims: { md5: want.md5 }, corrupt: { offset: 1_234_567, times: 1 } };
    servers.dst.behaviour = {};
    const before = servers.src.requests;
    const reporter = new MemoryReporter();
    const sink = httpSink(servers.target());
    const result = await copy(httpSource(servers.src.url), sink, { ...base, reporter });
    assert.equal(result.attempts, 2);
    assert.equal(result.md5, want.md5);
    assert.equal(servers.src.requests - before, 2);
    assert.equal(sink.discards, 1);
    const [retry, ...more] = reporter.ofType('transfer_retry');
    assert.equal(more.length, 0);
    assert.equal(retry!.code, 'PH_TRANSFER_CHECKSUM');
    assert.equal(retry!.attempt, 2);
    assert.match(retry!.error, new RegExp(`^tenant\\[acme\\]\\.image\\[cirros\\]: the md5 of the ${size} bytes copied is [0-9a-f]{32} but the source's md5 is ${want.md5}`));
  });

  test('a destination failing mid-upload is reported as the destination, not as the source it made us close', async () => {
    servers.src.behaviour = { size: 8 * MiB };
    servers.dst.behaviour = { refuseAfter: MiB };
    const sink = httpSink(servers.target());
    const err = await rejection(copy(httpSource(servers.src.url), sink, { ...base, retries: 0 }));
    assert.match(err.message, /^tenant\[acme\]\.image\[cirros\]: sending to the destination failed after \d+ bytes/);
    assert.equal(err.details?.['end'], 'destination');
    assert.equal(sink.discards, 1);
  });

  test('a destination reporting another checksum fails with PH_TRANSFER_CHECKSUM and keeps no copy', async () => {
    const size = MiB;
    const want = digestsOf(size);
    servers.src.behaviour = { size, claims: want };
    servers.dst.behaviour = { lie: { sha512: 'ab'.repeat(64) } };
    const sink = httpSink(servers.target());
    const err = await rejection(copy(httpSource(servers.src.url), sink, { ...base, retries: 1 }));
    assert.equal(err.code, 'PH_TRANSFER_CHECKSUM');
    assert.equal(err.address, ADDRESS);
    assert.deepEqual(err.details, { check: 'destination sha512', claimed: 'ab'.repeat(64), actual: want.sha512, bytes: size });
    assert.match(err.message, /destination's sha512 is (ab)+$/);
    assert.equal(sink.writes, 2, 'retried once from scratch');
    assert.equal(sink.discards, 2);
    assert.equal(await sink.verify(new AbortController().signal), null, 'the destination holds no copy');
  });

  test('a source dying mid-stream fails the copy and leaves no destination copy', async () => {
    servers.src.behaviour = { size: 4 * MiB, dieAfter: MiB };
    servers.dst.behaviour = {};
    const sink = httpSink(servers.target());
    const source = httpSource(servers.src.url);
    const err = await rejection(copy(source, sink, { ...base, retries: 1 }));
    assert.equal(err.code, 'PH_CLOUD_UNREACHABLE');
    assert.match(err.message, /^tenant\[acme\]\.image\[cirros\]: reading from the source failed after \d+ bytes/);
    assert.equal(source.opens, 2, 'a broken connection is worth one more attempt');
    assert.equal(sink.discards, 2);
    assert.equal(await sink.verify(new AbortController().signal), null);
  });

  for (const hashing of ['inline', 'threads'] as const) test(`the signal aborts cleanly: both connections closed, destination discarded, PH_ABORTED (${hashing} hashing)`, async () => {
    servers.src.behaviour = { size: 8 * MiB, stallAfter: 2 * MiB };
    servers.dst.behaviour = {};
    const cutBefore = servers.src.cutByClient;
    const ac = new AbortController();
    const reporter = new MemoryReporter();
    const watcher = { emit: (e: Parameters<MemoryReporter['emit']>[0]) => {
      reporter.emit(e);
      if (e.type === 'progress' && e.done_bytes >= MiB) ac.abort();
    } };
    const url = servers.target();
    const sink = httpSink(url);
    const err = await rejection(copy(httpSource(servers.src.url), sink, { ...base, reporter: watcher, signal: ac.signal, progressEveryMs: 0, hashing }));
    assert.equal(err.code, 'PH_ABORTED');
    assert.equal(sink.writes, 1, 'no retry after an abort');
    assert.equal(sink.discards, 1);
    assert.equal(servers.dst.stored.has(url.split('/').pop()!), false);
    await waitUntil(() => servers.src.cutByClient > cutBefore);
  });

  test('progress events: monotonic, with a rate, and a final one at 100%', async () => {
    const size = 3 * MiB;
    servers.src.behaviour = { size };
    servers.dst.behaviour = {};
    const reporter = new MemoryReporter();
    await copy(httpSource(servers.src.url), httpSink(servers.target()), { ...base, reporter, progressEveryMs: 0 });
    const events = reporter.ofType('progress');
    assert.ok(events.length > 3, `only ${events.length} events`);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.done_bytes >= events[i - 1]!.done_bytes, 'done_bytes never goes down');
    for (const e of events) {
      assert.equal(e.total_bytes, size);
      assert.equal(e.address, ADDRESS);
      assert.equal(e.label, 'image data');
    }
    const last = events.at(-1)!;
    assert.equal(last.done_bytes, size);
    assert.equal(last.eta_s, 0);
    assert.ok(last.rate_bps > 0);
    assert.ok(events.slice(1).every((e) => e.rate_bps >= 0 && (e.eta_s === null || e.eta_s >= 0)));
  });

  test('without Content-Length the final progress event reports the bytes seen as the total', async () => {
    const size = MiB + 3;
    servers.src.behaviour = { size, noLength: true };
    servers.dst.behaviour = {};
    const reporter = new MemoryReporter();
    const result = await copy(httpSource(servers.src.url), httpSink(servers.target()), { ...base, reporter, hashing: 'inline' });
    assert.equal(result.bytes, size);
    const last = reporter.ofType('progress').at(-1)!;
    assert.equal(last.total_bytes, size);
    assert.equal(last.done_bytes, size);
  });

  test('a recorded size or digest that the source does not match is PH_TRANSFER_CHECKSUM', async () => {
    servers.src.behaviour = { size: MiB };
    servers.dst.behaviour = {};
    const sized = await rejection(copy(httpSource(servers.src.url), httpSink(servers.target()), { ...base, retries: 0, expected: { size: MiB + 1 } }));
    assert.equal(sized.code, 'PH_TRANSFER_CHECKSUM');
    assert.deepEqual(sized.details, { check: 'expected size', claimed: MiB + 1, actual: MiB, bytes: MiB });
    assert.match(sized.message, /1048576 bytes were copied but the recorded size is 1048577/);
    const other = await rejection(copy(httpSource(servers.src.url), httpSink(servers.target()), { ...base, retries: 0, expected: { md5: digestsOf(MiB + 1).md5 } }));
    assert.equal(other.details?.['check'], 'expected md5');
  });

  test('a destination answer lost after all bytes went through: its whole copy is kept, not sent again', async () => {
    const size = 2 * MiB;
    servers.src.behaviour = { size, claims: digestsOf(size) };
    servers.dst.behaviour = {};
    const inner = httpSink(servers.target());
    const sink: TransferSink = {
      write: async (stream, n, signal) => {
        await inner.write(stream, n, signal);
        throw new Error('socket hang up');
      },
      verify: (signal) => inner.verify(signal),
      discard: () => inner.discard(),
    };
    const result = await copy(httpSource(servers.src.url), sink, base);
    assert.equal(result.attempts, 1);
    assert.equal(inner.writes, 1);
    assert.equal(inner.discards, 0);
    assert.ok(result.checks.includes('destination sha512'));
  });

  test('an error that repeating cannot fix (HTTP 403) is not retried; the copy is discarded', async () => {
    servers.src.behaviour = { size: MiB };
    const inner = httpSink(servers.target());
    const forbidden = new PumphouseError('PH_CLOUD_HTTP', 'destination image PUT /v2/images/x/file failed with HTTP 403', { details: { status: 403 } });
    const sink: TransferSink = {
      write: async (stream) => {
        stream.destroy();
        throw forbidden;
      },
      verify: (signal) => inner.verify(signal),
      discard: () => inner.discard(),
    };
    const err = await rejection(copy(httpSource(servers.src.url), sink, base));
    assert.equal(err, forbidden);
    assert.equal(inner.discards, 1);
  });

  test('a discard that fails is reported with the original error', async () => {
    servers.src.behaviour = { size: MiB, dieAfter: 64 * 1024 };
    const inner = httpSink(servers.target());
    const sink: TransferSink = { ...inner, write: inner.write, verify: inner.verify, discard: async () => Promise.reject(new Error('HTTP 500 on DELETE')) };
    const err = await rejection(copy(httpSource(servers.src.url), sink, { ...base, retries: 3 }));
    assert.equal(err.code, 'PH_CLOUD_UNREACHABLE');
    assert.match(err.message, /the destination copy could not be removed either \(HTTP 500 on DELETE\): delete it before retrying$/);
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), 'condition never became true');
}
