import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { RecordingProxy } from './recording-proxy.js';

/** Two fake services: `front` answers with links to itself and to `back` (like a catalog). */
let front: Server;
let back: Server;
let frontOrigin = '';
let backOrigin = '';
const listen = (s: Server) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

before(async () => {
  back = createServer((req, res) => {
    if (req.url === '/blob') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([0x7b, 0x00, 0xff]));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html', 'x-openstack-request-id': 'req-00000000-0000-0000-0000-000000000000' });
    res.end('<html><head><title>404 Not Found</title></head><body>no</body></html>');
  });
  backOrigin = await listen(back);
  front = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', location: `${frontOrigin}/things/1` });
      res.end(JSON.stringify({ echo: JSON.parse(body || 'null'), self: `${frontOrigin}/things/1`, catalog: [{ url: `${backOrigin}/v2` }] }));
    });
  });
  frontOrigin = await listen(front);
});
after(async () => {
  await close(front);
  await close(back);
});

test('forwards, rewrites every local origin to a proxy of its own, and records both sides', async () => {
  const proxy = new RecordingProxy();
  try {
    const p = await proxy.proxyFor(frontOrigin);
    const res = await request(`${p}/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
    const doc = (await res.body.json()) as { self: string; catalog: { url: string }[]; echo: unknown };
    assert.equal(res.statusCode, 201);
    assert.deepEqual(doc.echo, { name: 'x' });
    assert.equal(doc.self, `${p}/things/1`);
    assert.equal(res.headers['location'], `${p}/things/1`);
    const backProxy = new URL(doc.catalog[0]?.url ?? '').origin;
    assert.notEqual(backProxy, backOrigin, 'the second origin is proxied too');
    assert.equal(proxy.upstreamOf(backProxy), backOrigin);

    const missing = await request(`${backProxy}/nothing`);
    assert.equal(missing.statusCode, 404);
    assert.match(await missing.body.text(), /404 Not Found/);
    const blob = await request(`${backProxy}/blob`);
    assert.deepEqual([...Buffer.from(await blob.body.arrayBuffer())], [0x7b, 0x00, 0xff], 'binary bodies pass untouched');

    const [first, second, third] = proxy.exchanges;
    assert.equal(proxy.exchanges.length, 3);
    assert.deepEqual([first?.upstream, first?.method, first?.url, first?.status], [frontOrigin, 'POST', '/things', 201]);
    assert.deepEqual(first?.requestJson, { name: 'x' });
    assert.equal((first?.responseJson as { self: string }).self, `${frontOrigin}/things/1`, 'recorded as the service sent it');
    assert.deepEqual([second?.upstream, second?.status, second?.responseJson], [backOrigin, 404, undefined]);
    assert.match(second?.responseText ?? '', /<title>404 Not Found<\/title>/);
    assert.deepEqual([third?.responseText, third?.responseJson, third?.responseBytes], [undefined, undefined, 3]);
  } finally {
    await proxy.close();
  }
});
