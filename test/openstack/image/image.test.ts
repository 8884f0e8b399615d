import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { Session, imageClient, type ImageClient } from '../../../src/openstack/index.js';
import { FakeCloud, creds, fastRetry, pagedList, send } from '../fake-cloud.js';

/** `count` chunks of 64 KiB with varying bytes, produced lazily; `produced` counts them. */
function dataStream(count: number): Readable & { produced: () => number } {
  let i = 0;
  const r = new Readable({
    read() {
      if (i === count) return this.push(null);
      this.push(Buffer.alloc(64 * 1024, i++ % 251));
    },
  });
  return Object.assign(r, { produced: () => i });
}

async function md5Of(stream: Readable): Promise<{ md5: string; bytes: number }> {
  const h = createHash('md5');
  let bytes = 0;
  for await (const chunk of stream) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { md5: h.digest('hex'), bytes };
}

describe('Glance v2', () => {
  let cloud: FakeCloud;
  let session: Session;
  let image: ImageClient;
  const stored = new Map<string, { data: Buffer; md5: string }>();
  let firstChunkSeen: (() => void) | undefined;
  before(async () => {
    cloud = await FakeCloud.start({ streamPaths: /\/file$/ });
    const fr = fastRetry();
    session = await Session.login(creds(cloud), { retry: fr.retry, sleep: fr.sleep });
    image = imageClient(session, '2');
    cloud.on('PUT', /^\/image\/v2\/images\/[^/]+\/file$/, async (req, res) => {
      const raw = (req as unknown as { raw: IncomingMessage }).raw;
      const h = createHash('md5');
      const chunks: Buffer[] = [];
      firstChunkSeen?.();
      firstChunkSeen = undefined;
      for await (const c of raw) {
        h.update(c as Buffer);
        chunks.push(c as Buffer);
      }
      const id = req.path.split('/')[4]!;
      stored.set(id, { data: Buffer.concat(chunks), md5: h.digest('hex') });
      send(res, 204);
    });
    cloud.on('GET', /^\/image\/v2\/images\/[^/]+\/file$/, (req, res) => {
      const img = stored.get(req.path.split('/')[4]!);
      if (!img) return send(res, 404, '404 Not Found\n\nThe resource could not be found.\n\n   ');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(img.data.length), 'content-md5': img.md5 });
      res.end(img.data);
    });
  });
  after(async () => {
    await session.close();
    await cloud.close();
  });

  test('list follows Glance v2 `next` and keeps custom properties', async () => {
    const images = Array.from({ length: 1500 }, (_, i) => ({
      id: `i${i}`,
      name: `img-${i}`,
      status: 'active',
      visibility: i % 2 ? 'public' : 'private',
      owner: 'p1',
      checksum: 'abc',
      size: 1024,
      disk_format: 'qcow2',
      container_format: 'bare',
      min_disk: 0,
      min_ram: 0,
      protected: false,
      tags: i === 1 ? ['backup=daily', 'os:linux'] : [],
      self: `/v2/images/i${i}`,
      file: `/v2/images/i${i}/file`,
      schema: '/v2/schemas/image',
      os_distro: 'cirros',
    }));
    cloud.on('GET', '/image/v2/images', pagedList('images', images, 'glance-next'));
    const list = await image.list();
    assert.equal(list.length, 1500);
    assert.equal(cloud.hits('GET', '/image/v2/images').length, 2);
    assert.deepEqual(list[1]!.properties, { os_distro: 'cirros' });
    assert.deepEqual([list[0]!.tags, list[1]!.tags], [[], ['backup=daily', 'os:linux']], 'tags apart from the properties');
    assert.equal(list[1]!.visibility, 'public');
    assert.equal(list[0]!.diskFormat, 'qcow2');
  });

  test('upload streams a body without buffering it whole; download returns data, size and checksum', async () => {
    const chunks = 256; // 16 MiB, far more than socket buffers hold
    const source = dataStream(chunks);
    let producedWhenServerStarted = -1;
    firstChunkSeen = () => {
      producedWhenServerStarted = source.produced();
    };
    const expected = await md5Of(dataStream(chunks));
    await image.upload('img-up', source, chunks * 64 * 1024);
    assert.equal(stored.get('img-up')?.md5, expected.md5);
    assert.ok(producedWhenServerStarted >= 0 && producedWhenServerStarted < chunks, `the server saw data before the source was drained (${producedWhenServerStarted})`);
    const put = cloud.hits('PUT', '/image/v2/images/img-up/file')[0]!;
    assert.equal(put.headers['content-type'], 'application/octet-stream');
    assert.equal(put.headers['content-length'], String(chunks * 64 * 1024));
    const dl = await image.download('img-up');
    assert.equal(dl.size, chunks * 64 * 1024);
    assert.equal(dl.checksum, expected.md5);
    assert.deepEqual(await md5Of(dl.body), expected);
  });

  test('an upload rejected with 401 is not replayed (a stream cannot be sent twice) but the token is renewed', async () => {
    cloud.validTokens.clear();
    const logins = cloud.logins;
    await assert.rejects(image.upload('img-401', dataStream(2), 2 * 64 * 1024), (err: unknown) => (err as { status?: number }).status === 401);
    assert.equal(cloud.logins, logins + 1);
    assert.equal(cloud.hits('PUT', '/image/v2/images/img-401/file').length, 1);
  });

  test('a download of a missing image is a 404 with Glance text parsed', async () => {
    await assert.rejects(image.download('nope'), (err: unknown) => {
      assert.equal((err as { status?: number }).status, 404);
      assert.equal((err as { cloudMessage?: string }).cloudMessage, 'The resource could not be found.');
      return true;
    });
  });

  test('update sends a JSON patch with the v2.1 patch media type', async () => {
    cloud.on('PATCH', '/image/v2/images/i1', (req, res) => send(res, 200, { id: 'i1', name: 'renamed', status: 'active', visibility: 'private', source_id: 'x' }));
    const img = await image.update('i1', { name: 'renamed', properties: { source_id: 'x' }, removeProperties: ['old'] });
    const hit = cloud.hits('PATCH', '/image/v2/images/i1')[0]!;
    assert.equal(hit.headers['content-type'], 'application/openstack-images-v2.1-json-patch');
    assert.deepEqual(hit.json(), [
      { op: 'replace', path: '/name', value: 'renamed' },
      { op: 'add', path: '/source_id', value: 'x' },
      { op: 'remove', path: '/old' },
    ]);
    assert.deepEqual(img.properties, { source_id: 'x' });
  });
});

describe('Glance v1', () => {
  let cloud: FakeCloud;
  let session: Session;
  let image: ImageClient;
  before(async () => {
    cloud = await FakeCloud.start();
    const fr = fastRetry();
    session = await Session.login(creds(cloud), { retry: fr.retry, sleep: fr.sleep });
    image = imageClient(session, '1');
  });
  after(async () => {
    await session.close();
    await cloud.close();
  });

  test('get reads x-image-meta-* headers of a HEAD answer', async () => {
    cloud.on('HEAD', '/image/v1/images/i1', (_req, res) => {
      res.writeHead(200, {
        'x-image-meta-id': 'i1',
        'x-image-meta-name': 'cirros',
        'x-image-meta-status': 'active',
        'x-image-meta-disk_format': 'qcow2',
        'x-image-meta-container_format': 'bare',
        'x-image-meta-size': '13287936',
        'x-image-meta-checksum': 'ee1eca47dc88f4879d8a229cc70a07c6',
        'x-image-meta-is_public': 'True',
        'x-image-meta-protected': 'False',
        'x-image-meta-min_ram': '64',
        'x-image-meta-min_disk': '1',
        'x-image-meta-owner': 't1',
        'x-image-meta-property-os_distro': 'cirros',
        'x-image-meta-property-kernel_id': 'k1',
        etag: 'ee1eca47dc88f4879d8a229cc70a07c6',
      });
      res.end();
    });
    const img = await image.get('i1');
    assert.deepEqual(
      { ...img, createdAt: null, updatedAt: null },
      {
        id: 'i1',
        name: 'cirros',
        status: 'active',
        visibility: 'public',
        owner: 't1',
        checksum: 'ee1eca47dc88f4879d8a229cc70a07c6',
        size: 13287936,
        diskFormat: 'qcow2',
        containerFormat: 'bare',
        minDisk: 1,
        minRam: 64,
        protected: false,
        properties: { os_distro: 'cirros', kernel_id: 'k1' },
        tags: [],
        createdAt: null,
        updatedAt: null,
      },
    );
  });

  test('list pages by marker until a short page, with is_public=None for all tenants', async () => {
    const images = Array.from({ length: 450 }, (_, i) => ({ id: `i${i}`, name: `n${i}`, status: 'active', is_public: false, properties: { a: '1' } }));
    cloud.on('GET', '/image/v1/images/detail', pagedList('images', images, 'none'));
    const list = await image.list({ allTenants: true });
    assert.equal(list.length, 450);
    const hits = cloud.hits('GET', '/image/v1/images/detail');
    assert.equal(hits.length, 3, '200 + 200 + 50');
    assert.ok(hits.every((h) => h.url.searchParams.get('is_public') === 'None'));
    assert.equal(list[0]!.visibility, 'private');
    assert.deepEqual(list[0]!.properties, { a: '1' });
  });

  test('create sends metadata as headers; update keeps other properties (purge off)', async () => {
    cloud.on('POST', '/image/v1/images', (req, res) => send(res, 201, { image: { id: req.headers['x-image-meta-id'], name: req.headers['x-image-meta-name'], status: 'queued', is_public: false, properties: {} } }));
    const img = await image.create({ id: 'keep-me', name: 'cirros', diskFormat: 'qcow2', containerFormat: 'bare', owner: 't9', properties: { source: 's1' } });
    assert.equal(img.id, 'keep-me');
    const h = cloud.hits('POST', '/image/v1/images')[0]!.headers;
    assert.equal(h['x-image-meta-disk-format'], 'qcow2');
    assert.equal(h['x-image-meta-is-public'], 'False');
    assert.equal(h['x-image-meta-owner'], 't9');
    assert.equal(h['x-image-meta-property-source'], 's1');
    cloud.on('PUT', '/image/v1/images/keep-me', (_req, res) => send(res, 200, { image: { id: 'keep-me', name: 'cirros', status: 'queued', properties: { source: 's1', extra: 'y' } } }));
    await image.update('keep-me', { properties: { extra: 'y' } });
    assert.equal(cloud.hits('PUT', '/image/v1/images/keep-me')[0]!.headers['x-glance-registry-purge-props'], 'false');
  });

  test('download takes the checksum from x-image-meta-checksum', async () => {
    cloud.on('GET', '/image/v1/images/i1', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '5', 'x-image-meta-checksum': createHash('md5').update('hello').digest('hex') });
      res.end('hello');
    });
    const dl = await image.download('i1');
    assert.equal(dl.size, 5);
    assert.deepEqual(await md5Of(dl.body), { md5: dl.checksum, bytes: 5 });
  });
});

