import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../src/events/index.js';
import { copy } from '../../src/transfer/index.js';
import { checkArrived, checkSent, digestsToCompute, type Claim } from '../../src/transfer/checks.js';
import { digestsOf } from './support/generated-bytes.js';
import { httpSink, httpSource } from './support/http-ends.js';
import { rejection } from '../support/rejection.js';
import { serverPair } from './support/server-pair.js';

const MiB = 1024 * 1024;
const ADDRESS = 'tenant[acme].image[cirros]';
const base = { id: 'a1', address: ADDRESS, label: 'image data', retryDelayMs: 0 } as const;
const MD5 = 'a'.repeat(32);
const OTHER_MD5 = 'b'.repeat(32);

describe('which digests are computed in flight', () => {
  test('none when the source and the destination state a common digest; the cheapest each side states otherwise', () => {
    assert.deepEqual(digestsToCompute('needed', ['md5', 'sha512'], ['md5']), []);
    assert.deepEqual(digestsToCompute('needed', ['sha512'], ['md5', 'sha512']), []);
    assert.deepEqual(digestsToCompute('needed', ['sha512'], ['md5']), ['md5', 'sha512']);
    assert.deepEqual(digestsToCompute('needed', [], ['md5']), ['md5']);
    assert.deepEqual(digestsToCompute('needed', ['md5', 'sha512'], []), ['md5']);
    assert.deepEqual(digestsToCompute('needed', [], []), []);
    // A sink that does not say what it reports, or `all`: both, as before.
    assert.deepEqual(digestsToCompute('needed', ['md5'], undefined), ['md5', 'sha512']);
    assert.deepEqual(digestsToCompute('all', ['md5'], ['md5']), ['md5', 'sha512']);
  });

  test('claims not hashed here are compared with each other, then confirmed by the destination', () => {
    const claims: Claim[] = [
      ['source', { md5: MD5, size: 10 }],
      ['expected', { md5: MD5.toUpperCase() }],
    ];
    assert.deepEqual(checkSent(10, {}, claims), { checks: ['source size'], mismatch: undefined });
    const disagree = checkSent(10, {}, [claims[0]!, ['expected', { md5: OTHER_MD5 }]]);
    assert.deepEqual(disagree.mismatch, { check: 'expected md5', claimed: OTHER_MD5, actual: MD5, actualBy: 'source' });

    const ok = checkArrived(10, {}, claims, { size: 10, md5: MD5 });
    assert.deepEqual(ok.checks, ['destination size', 'source md5', 'expected md5', 'destination md5']);
    assert.equal(ok.known.md5, MD5);
    assert.equal(ok.unreported, undefined);

    const wrong = checkArrived(10, {}, claims, { size: 10, md5: OTHER_MD5 });
    assert.deepEqual(wrong.mismatch, { check: 'destination md5', claimed: OTHER_MD5, actual: MD5, actualBy: 'source' });

    // The destination reported no digest and none was computed: the copy is unverified.
    assert.equal(checkArrived(10, {}, claims, { size: 10 }).unreported, 'md5');
    // Nothing claimed, nothing computed: nothing to verify by (the checks say so).
    assert.equal(checkArrived(10, {}, [['source', { size: 10 }]], { size: 10 }).unreported, undefined);
  });
});

describe('copy with a destination that reports md5 (as Glance does)', () => {
  const servers = serverPair();

  for (const size of [3 * MiB + 17, 40 * MiB + 1]) {
    test(`no hashing in flight: the source's md5 is checked against the one the destination computed (${size} bytes)`, async () => {
      const want = digestsOf(size);
      servers.src.behaviour = { size, claims: want };
      servers.dst.behaviour = { digests: ['md5'] };
      const result = await copy(httpSource(servers.src.url), httpSink(servers.target(), ['md5']), base);
      assert.deepEqual(result.hashed, []);
      assert.equal(result.bytes, size);
      assert.equal(result.md5, want.md5, 'the md5 the source stated and the destination confirmed');
      assert.equal(result.sha512, null, 'nobody confirmed the sha512');
      assert.deepEqual([...result.checks].sort(), ['destination md5', 'destination size', 'source md5', 'source size']);
    });
  }

  test('a byte corrupted in flight is caught by the destination md5, discarded and sent again', async () => {
    const size = 2 * MiB;
    const want = digestsOf(size);
    servers.src.behaviour = { size, claims: { md5: want.md5 }, corrupt: { offset: 1_234_567, times: 1 } };
    servers.dst.behaviour = { digests: ['md5'] };
    const reporter = new MemoryReporter();
    const sink = httpSink(servers.target(), ['md5']);
    const result = await copy(httpSource(servers.src.url), sink, { ...base, reporter });
    assert.equal(result.attempts, 2);
    assert.equal(sink.discards, 1);
    assert.deepEqual(result.hashed, []);
    const [retry] = reporter.ofType('transfer_retry');
    assert.equal(retry!.code, 'PH_TRANSFER_CHECKSUM');
    assert.match(retry!.error, new RegExp(`the source's md5 is ${want.md5} but the destination's md5 is [0-9a-f]{32}`));
  });

  test('a source without digests: md5 is computed here for the destination md5 to be checked against', async () => {
    const size = MiB + 1;
    servers.src.behaviour = { size };
    servers.dst.behaviour = { digests: ['md5'] };
    const result = await copy(httpSource(servers.src.url), httpSink(servers.target(), ['md5']), base);
    assert.deepEqual(result.hashed, ['md5']);
    assert.equal(result.md5, digestsOf(size).md5);
    assert.deepEqual([...result.checks].sort(), ['destination md5', 'destination size', 'source size']);
  });

  test('a destination that does not report the md5 it promised: the copy is sent again, hashing everything here', async () => {
    const size = MiB;
    const want = digestsOf(size);
    servers.src.behaviour = { size, claims: want };
    servers.dst.behaviour = { countOnly: true };
    const reporter = new MemoryReporter();
    const sink = httpSink(servers.target(), ['md5']);
    const result = await copy(httpSource(servers.src.url), sink, { ...base, reporter });
    assert.equal(result.attempts, 2);
    assert.deepEqual(result.hashed, ['md5', 'sha512']);
    assert.deepEqual([...result.checks].sort(), ['destination size', 'source md5', 'source sha512', 'source size']);
    assert.match(reporter.ofType('transfer_retry')[0]!.error, /did not report the md5/);
  });

  test('a destination lying about its md5 fails every attempt with PH_TRANSFER_CHECKSUM', async () => {
    const size = MiB;
    servers.src.behaviour = { size, claims: digestsOf(size) };
    servers.dst.behaviour = { digests: ['md5'], lie: { md5: OTHER_MD5 } };
    const sink = httpSink(servers.target(), ['md5']);
    const err = await rejection(copy(httpSource(servers.src.url), sink, { ...base, retries: 1 }));
    assert.equal(err.code, 'PH_TRANSFER_CHECKSUM');
    assert.equal(err.details?.['check'], 'destination md5');
    assert.equal(sink.writes, 2);
    assert.equal(sink.discards, 2);
  });

  test("digests: 'all' hashes md5 and sha512 here even when the claims could be compared", async () => {
    const size = MiB;
    const want = digestsOf(size);
    servers.src.behaviour = { size, claims: want };
    servers.dst.behaviour = { digests: ['md5'] };
    const result = await copy(httpSource(servers.src.url), httpSink(servers.target(), ['md5']), { ...base, digests: 'all' });
    assert.deepEqual(result.hashed, ['md5', 'sha512']);
    assert.equal(result.sha512, want.sha512);
    assert.deepEqual([...result.checks].sort(), ['destination md5', 'destination size', 'source md5', 'source sha512', 'source size']);
  });
});
