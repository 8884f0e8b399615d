import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { normalizeDigest } from '../../src/transfer/index.js';
import { InlineDigester } from '../../src/transfer/digest/inline-digester.js';
import { RING_BYTES, ThreadedDigester } from '../../src/transfer/digest/threaded-digester.js';
import { createDigester } from '../../src/transfer/digest/digester.js';

const MiB = 1024 * 1024;
const BOTH = ['md5', 'sha512'] as const;

test('threaded hashing answers the same digests as node:crypto, across ring wrap-arounds and chunks larger than the ring', async () => {
  const data = randomBytes(3 * RING_BYTES + 12_345);
  const want = { md5: createHash('md5').update(data).digest('hex'), sha512: createHash('sha512').update(data).digest('hex') };
  // Odd chunk sizes, one larger than the whole ring.
  const cuts = [1, 65_536, 7, RING_BYTES + MiB, 300_001];
  for (const make of [() => new ThreadedDigester(BOTH), () => new InlineDigester(BOTH)]) {
    const d = make();
    let at = 0;
    for (let i = 0; at < data.length; i++) {
      const n = Math.min(cuts[i % cuts.length]!, data.length - at);
      await d.update(data.subarray(at, at + n));
      at += n;
    }
    assert.deepEqual(await d.digest(), want);
  }
});

test('empty data has the digests of nothing', async () => {
  const d = new ThreadedDigester(BOTH);
  assert.deepEqual(await d.digest(), { md5: 'd41d8cd98f00b204e9800998ecf8427e', sha512: createHash('sha512').digest('hex') });
});

test('after destroy, updates fail instead of waiting forever', async () => {
  const d = new ThreadedDigester(BOTH);
  await d.update(Buffer.alloc(MiB));
  d.destroy();
  await assert.rejects(async () => d.update(Buffer.alloc(2 * RING_BYTES)), /destroyed/);
});

test('auto hashing: inline for small known sizes, threads for large or unknown ones', () => {
  assert.ok(createDigester('auto', MiB, BOTH) instanceof InlineDigester);
  const big = createDigester('auto', 64 * MiB, BOTH);
  const unknown = createDigester('auto', null, BOTH);
  assert.ok(big instanceof ThreadedDigester);
  assert.ok(unknown instanceof ThreadedDigester);
  big!.destroy();
  unknown!.destroy();
  assert.ok(createDigester('inline', null, BOTH) instanceof InlineDigester);
  assert.equal(createDigester('threads', null, []), null, 'nothing to compute: no digester, no threads');
});

test('a digester computes exactly the digests it is given (one thread for md5 alone)', async () => {
  const data = randomBytes(MiB + 3);
  const md5 = createHash('md5').update(data).digest('hex');
  for (const d of [new ThreadedDigester(['md5']), new InlineDigester(['md5'])]) {
    await d.update(data);
    assert.deepEqual(await d.digest(), { md5 });
  }
  const sha512 = createHash('sha512').update(data).digest('hex');
  const t = new ThreadedDigester(['sha512']);
  await t.update(data);
  assert.deepEqual(await t.digest(), { sha512 });
});

test('normalizeDigest accepts hex in any case, quoted ETags and base64 Content-MD5; ignores the rest', () => {
  const hex = '9e107d9d372bb6826bd81d3542a419d6';
  assert.equal(normalizeDigest('md5', hex.toUpperCase()), hex);
  assert.equal(normalizeDigest('md5', `"${hex}"`), hex);
  assert.equal(normalizeDigest('md5', Buffer.from(hex, 'hex').toString('base64')), hex);
  assert.equal(normalizeDigest('md5', 'not-a-digest'), undefined);
  assert.equal(normalizeDigest('md5', ''), undefined);
  assert.equal(normalizeDigest('md5', null), undefined);
  assert.equal(normalizeDigest('sha512', hex), undefined, 'an md5 is not a sha512');
});
