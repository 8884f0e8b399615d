import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryReporter } from '../../../src/events/index.js';
import { openCloud, type Cloud } from '../../../src/openstack/index.js';
import { copy, copyVolumeData, imageSink, imageSource, readImageFacts } from '../../../src/transfer/index.js';
import { creds, fastRetry } from '../../openstack/fake-cloud.js';
import { FakeGlance } from '../support/fake-glance.js';
import { digestsOf } from '../support/generated-bytes.js';

const MiB = 1024 * 1024;
const opts = { id: 'a1', address: 'tenant[acme].image[cirros]', retryDelayMs: 0 } as const;

async function open(g: FakeGlance): Promise<Cloud> {
  const fr = fastRetry();
  return openCloud(creds(g.cloud), { retry: fr.retry, sleep: fr.sleep, name: 'cloud' });
}

function sinkInto(cloud: Cloud, name = 'copy') {
  return imageSink(cloud, {
    address: opts.address,
    pollMs: 1,
    create: async () => (await cloud.image.create({ name, diskFormat: 'qcow2', containerFormat: 'bare' })).id,
  });
}

describe('Glance adapters', () => {
  const started: Array<{ g: FakeGlance; c: Cloud }> = [];
  const pair = async (from: '1' | '2', to: '1' | '2') => {
    const src = await FakeGlance.start(from);
    const dst = await FakeGlance.start(to);
    const s = { g: src, c: await open(src) };
    const d = { g: dst, c: await open(dst) };
    started.push(s, d);
    return { src: s, dst: d };
  };
  after(async () => {
    for (const { g, c } of started) {
      await c.close();
      await g.close();
    }
  });

  test('v2 -> v2: md5 and sha512 checked against the source image and the new destination image', async () => {
    const { src, dst } = await pair('2', '2');
    const size = 3 * MiB + 1;
    src.g.addSource('cirros', size);
    const sink = sinkInto(dst.c);
    const result = await copy(imageSource(src.c, 'cirros'), sink, opts);
    assert.deepEqual([...result.checks].sort(), ['destination md5', 'destination sha512', 'destination size', 'source md5', 'source sha512', 'source size']);
    // Glance reports md5 (and here sha512): the source's digests are compared with them, nothing is hashed here.
    assert.deepEqual(result.hashed, []);
    const arrived = dst.g.images.get(sink.imageId!)!;
    assert.equal(arrived.status, 'active');
    assert.equal(arrived.checksum, digestsOf(size).md5);
    assert.equal(arrived.os_hash_value, digestsOf(size).sha512);
    assert.equal(src.g.images.get('cirros')!.status, 'active', 'the source is left alone');
  });

  test('legacy v1 source (x-image-meta-checksum) -> v2 destination without multihash: md5 on both sides', async () => {
    const { src, dst } = await pair('1', '2');
    dst.g.multihash = false;
    src.g.addSource('old', MiB);
    const result = await copy(imageSource(src.c, 'old'), sinkInto(dst.c), opts);
    assert.deepEqual([...result.checks].sort(), ['destination md5', 'destination size', 'source md5', 'source size']);
    assert.equal(result.md5, digestsOf(MiB).md5);
  });

  test('v2 -> v1 destination: uploaded through PUT /v1/images/{id}, md5 read back with HEAD', async () => {
    const { src, dst } = await pair('2', '1');
    src.g.addSource('img', MiB);
    const sink = sinkInto(dst.c);
    const result = await copy(imageSource(src.c, 'img'), sink, opts);
    assert.ok(result.checks.includes('destination md5'));
    assert.equal((await readImageFacts(dst.c, sink.imageId!))?.md5, digestsOf(MiB).md5);
  });

  test('a destination image stored wrong is deleted and the data sent again into a new image', async () => {
    const { src, dst } = await pair('2', '2');
    src.g.addSource('img', MiB);
    dst.g.corruptStores = 1;
    const reporter = new MemoryReporter();
    const sink = sinkInto(dst.c);
    const result = await copy(imageSource(src.c, 'img'), sink, { ...opts, reporter });
    assert.equal(result.attempts, 2);
    assert.equal(dst.g.uploads.length, 2);
    const [first, second] = dst.g.uploads;
    assert.notEqual(first, second, 'a new image for the new attempt');
    assert.deepEqual(dst.g.deleted, [first]);
    assert.equal(sink.imageId, second);
    assert.equal(reporter.ofType('transfer_retry')[0]?.code, 'PH_TRANSFER_CHECKSUM');
  });

  test('a missing source image fails without creating anything on the destination', async () => {
    const { src, dst } = await pair('2', '2');
    void src;
    const sink = sinkInto(dst.c);
    await assert.rejects(copy(imageSource(src.c, 'nope'), sink, opts), (err: { code?: string }) => err.code === 'PH_CLOUD_HTTP');
    assert.equal(dst.g.images.size, 0);
  });

  test('a volume: Cinder uploads it to a temporary image, which is copied, checked and then deleted', async () => {
    const { src, dst } = await pair('2', '2');
    const size = 2 * MiB;
    const reporter = new MemoryReporter();
    const result = await copyVolumeData(src.c, dst.c, `vol-${size}`, {
      ...opts,
      address: 'tenant[acme].volume[data]',
      imageName: 'pumphouse-vol',
      properties: { pumphouse_source_volume: `vol-${size}` },
      pollMs: 1,
      reporter,
    });
    assert.equal(result.sha512, digestsOf(size).sha512);
    assert.ok(result.checks.includes('source sha512') && result.checks.includes('destination sha512'));
    const made = dst.g.images.get(result.imageId)!;
    assert.equal(made.status, 'active');
    assert.equal(made.name, 'pumphouse-vol');
    assert.equal(src.g.images.size, 0, 'the temporary source image is gone');
    assert.equal(src.g.deleted.length, 1);
    assert.ok(reporter.ofType('wait').some((e) => e.status === 'saving'), 'waiting for Cinder is reported');
    assert.equal(reporter.ofType('progress').at(-1)?.label, 'volume data');
  });

  test('a volume upload whose answer is lost (500 after Cinder acted): the image it made is found by name and used', async () => {
    const { src, dst } = await pair('2', '2');
    src.g.loseVolumeUploadAnswers = 1;
    const result = await copyVolumeData(src.c, dst.c, `vol-${MiB}`, { ...opts, imageName: 'pumphouse-volume-v1', pollMs: 1 });
    assert.equal(result.md5, digestsOf(MiB).md5);
    assert.equal(src.g.deleted.length, 1, 'one temporary image, deleted');
    assert.equal(src.g.images.size, 0);
    assert.equal(src.g.cloud.hits('POST', /\/action$/).length, 1, 'Cinder was not asked twice');
  });

  test('a volume whose upload image is killed: PH_CLOUD_OBJECT_FAILED, nothing left on either side', async () => {
    const { src, dst } = await pair('2', '2');
    src.g.killVolumeUploads = true;
    await assert.rejects(
      copyVolumeData(src.c, dst.c, `vol-${MiB}`, { ...opts, imageName: 'x', pollMs: 1, retries: 0 }),
      (err: { code?: string; message?: string }) => err.code === 'PH_CLOUD_OBJECT_FAILED' && /with status killed/.test(err.message ?? ''),
    );
    assert.equal(src.g.images.size, 0);
    assert.equal(dst.g.images.size, 0);
  });
});
