// Transport.exchange (http/exchange.ts): the whole answer of one attempt through undici's
// dispatcher, with the failure classes the call engine's retry rules depend on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../../../src/openstack/http/timeouts.js';
import { Transport, WireFailure, type WireRequest } from '../../../src/openstack/http/transport.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
let server: Server;
let transport: Transport;
let origin: string;

before(async () => {
  server = createServer((req, res) => {
    const h = routes.get(req.url?.split('?')[0] ?? '');
    if (h) h(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = await Transport.open({});
});
after(async () => {
  await transport.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function wire(path: string, o: { method?: string; body?: WireRequest['body']; signal?: AbortSignal; timeouts?: Partial<Timeouts> } = {}): WireRequest {
  return { method: o.method ?? 'GET', url: new URL(`${origin}${path}`), headers: { accept: 'application/json' }, body: o.body, signal: o.signal, timeouts: { ...DEFAULT_TIMEOUTS, ...o.timeouts } };
}

describe('Transport.exchange', () => {
  test('status, lower-case headers (repeated ones joined), the query on the wire, UTF-8 split across chunks', async () => {
    let seenUrl = '';
    routes.set('/ok', (req, res) => {
      seenUrl = req.url ?? '';
      res.writeHead(203, [['Content-Type', 'application/json'], ['X-Openstack-Request-Id', 'req-1'], ['Vary', 'a'], ['Vary', 'b']]);
      const bytes = Buffer.from('{"name":"Zürich ☃"}');
      // The snowman's three bytes arrive in two writes.
      res.write(bytes.subarray(0, bytes.length - 3));
      setTimeout(() => res.end(bytes.subarray(bytes.length - 3)), 10);
    });
    const r = await transport.exchange(wire('/ok?limit=2&marker=x'));
    assert.equal(r.status, 203);
    assert.equal(r.headers['x-openstack-request-id'], 'req-1');
    assert.equal(r.headers['vary'], 'a, b');
    assert.equal(r.text, '{"name":"Zürich ☃"}');
    assert.equal(r.bodyFailure, undefined);
    assert.equal(seenUrl, '/ok?limit=2&marker=x');
  });

  test('a connection cut after the headers is a bodyFailure with the status kept (not a rejection)', async () => {
    routes.set('/cut', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"servers": [');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const r = await transport.exchange(wire('/cut'));
    assert.equal(r.status, 200);
    assert.equal(r.text, undefined);
    assert.ok(r.bodyFailure instanceof WireFailure);
    assert.equal(r.bodyFailure.kind, 'reset');
    assert.equal(r.bodyFailure.sent, true);
  });

  test('a body that goes silent is a body timeout; no answer at all is a headers timeout (rejected)', async () => {
    routes.set('/stall', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a": ');
    });
    routes.set('/hang', () => undefined);
    const stalled = await transport.exchange(wire('/stall', { timeouts: { bodyMs: 40 } }));
    assert.equal(stalled.bodyFailure?.kind, 'timeout');
    assert.equal(stalled.bodyFailure?.phase, 'body');
    const hung = await transport.exchange(wire('/hang', { timeouts: { headersMs: 40 } })).catch((e: unknown) => e);
    assert.ok(hung instanceof WireFailure);
    assert.equal(hung.kind, 'timeout');
    assert.equal(hung.phase, 'headers');
  });

  test("the caller's abort while waiting is 'aborted', not a timeout; an already aborted signal sends nothing", async () => {
    let hits = 0;
    routes.set('/slow', (_req, res) => {
      hits++;
      setTimeout(() => res.writeHead(200).end('{}'), 300);
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('operator pressed Ctrl-C')), 20);
    const err = await transport.exchange(wire('/slow', { signal: ac.signal })).catch((e: unknown) => e);
    assert.ok(err instanceof WireFailure);
    assert.equal(err.kind, 'aborted');
    const before = hits;
    const again = await transport.exchange(wire('/slow', { signal: ac.signal })).catch((e: unknown) => e);
    assert.equal((again as WireFailure).kind, 'aborted');
    assert.equal(hits, before, 'nothing sent for an aborted signal');
  });

  test("a long-lived caller signal keeps no listener per finished call (a discovery's 20,000 calls share one)", async () => {
    routes.set('/small', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const ac = new AbortController();
    for (let i = 0; i < 5; i++) assert.equal((await transport.exchange(wire('/small', { signal: ac.signal }))).text, '{}');
    routes.set('/cut2', (_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('{');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    assert.ok((await transport.exchange(wire('/cut2', { signal: ac.signal }))).bodyFailure);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });

  test('connection refused is rejected as refused, not sent', async () => {
    const err = await transport.exchange({ ...wire('/x'), url: new URL('http://127.0.0.1:1/x') }).catch((e: unknown) => e);
    assert.ok(err instanceof WireFailure);
    assert.equal(err.kind, 'refused');
    assert.equal(err.sent, false);
  });

  test('string and stream bodies both arrive whole (a stream goes through send)', async () => {
    routes.set('/echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.concat(chunks)));
    });
    const s = await transport.exchange(wire('/echo', { method: 'POST', body: '{"a":1}' }));
    assert.equal(s.text, '{"a":1}');
    const r = await transport.exchange(wire('/echo', { method: 'PUT', body: Readable.from([Buffer.from('part 1, '), Buffer.from('part 2')]) }));
    assert.equal(r.text, 'part 1, part 2');
  });
});
