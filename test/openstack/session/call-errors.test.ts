import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../../src/errors/index.js';
import { CloudHttpError, CloudTransportError, Session, isAmbiguous } from '../../../src/openstack/index.js';
import { FakeCloud, creds, fastRetry, send } from '../fake-cloud.js';
import { MemoryReporter } from '../../../src/events/index.js';

let cloud: FakeCloud;
let session: Session;
let reporter: MemoryReporter;
let sleeps: number[];
let base: string;

before(async () => {
  cloud = await FakeCloud.start();
  const fr = fastRetry();
  sleeps = fr.sleeps;
  reporter = new MemoryReporter();
  session = await Session.login(creds(cloud), { name: 'source', reporter, retry: { ...fr.retry, attempts: 3 }, sleep: fr.sleep, timeouts: { headersMs: 150, bodyMs: 150 } });
  base = session.endpoint('compute');
});
after(async () => {
  await session.close();
  await cloud.close();
});

function reset(): void {
  sleeps.length = 0;
  reporter.events.length = 0;
}

/** A handler that answers from a list, one per request, repeating the last. */
function sequence(...steps: Array<(res: import('node:http').ServerResponse, req: import('../fake-cloud.js').FakeRequest) => void>) {
  let i = 0;
  return (req: import('../fake-cloud.js').FakeRequest, res: import('node:http').ServerResponse) => {
    const step = steps[Math.min(i++, steps.length - 1)]!;
    step(res, req);
  };
}

describe('HTTP errors', () => {
  test('404 is a CloudHttpError with status, fault, request id and a redacted path', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/servers/nope', (_req, res) =>
      send(res, 404, { itemNotFound: { code: 404, message: 'Instance nope could not be found.' } }, { 'x-compute-request-id': 'req-42' }),
    );
    const err = await session
      .request({ service: 'compute', method: 'GET', url: `${base}/servers/nope`, query: { password: 'hunter2', marker: 'm1' } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof CloudHttpError);
    assert.equal(err.code, 'PH_CLOUD_HTTP');
    assert.equal(err.status, 404);
    assert.equal(err.service, 'compute');
    assert.equal(err.method, 'GET');
    assert.equal(err.path, '/compute/v2.1/servers/nope?password=***&marker=m1');
    assert.equal(err.requestId, 'req-42');
    assert.equal(err.faultType, 'itemNotFound');
    assert.equal(err.cloudMessage, 'Instance nope could not be found.');
    assert.equal(err.ambiguous, false);
    assert.ok(!err.message.includes('hunter2'));
    assert.match(err.message, /^source compute GET .* failed with HTTP 404: itemNotFound: Instance nope could not be found\. \(request req-42\)$/);
    assert.equal(cloud.hits('GET', '/compute/v2.1/servers/nope').length, 1, '404 is not retried');
  });

  test('409 carries the Neutron error type and is not retried', async () => {
    reset();
    cloud.on('DELETE', '/network/v2.0/networks/n1', (_req, res) =>
      send(res, 409, { NeutronError: { type: 'NetworkInUse', message: 'Unable to complete operation on network n1.', detail: '' } }, { 'x-openstack-request-id': 'req-n' }),
    );
    const err = await session.request({ service: 'network', method: 'DELETE', url: `${cloud.url}/network/v2.0/networks/n1` }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudHttpError);
    assert.equal(err.status, 409);
    assert.equal(err.faultType, 'NetworkInUse');
    assert.equal(err.requestId, 'req-n');
    assert.equal(cloud.hits('DELETE', '/network/v2.0/networks/n1').length, 1);
  });

  test('429 honours Retry-After (seconds) and emits http_retry', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/limited', sequence((res) => send(res, 429, { overLimit: { code: 429, message: 'slow down' } }, { 'retry-after': '7' }), (res) => send(res, 200, { ok: true })));
    const res = await session.request({ service: 'compute', method: 'GET', url: `${base}/limited` });
    assert.deepEqual(res.data, { ok: true });
    assert.deepEqual(sleeps, [7000]);
    const ev = reporter.ofType('http_retry');
    assert.equal(ev.length, 1);
    assert.equal(ev[0]!.status, 429);
    assert.equal(ev[0]!.delay_ms, 7000);
    assert.equal(ev[0]!.attempt, 1);
    assert.equal(ev[0]!.service, 'compute');
  });

  test('429s with Retry-After spend no attempt (up to throttleWaits); failures still do', async () => {
    reset();
    // attempts: 3 here. A 503, then four 429s with Retry-After, then 200: four waits told by
    // the cloud plus one failure fit in three attempts.
    const told = (res: import('node:http').ServerResponse) => send(res, 429, 'slow', { 'retry-after': '1' });
    cloud.on('GET', '/compute/v2.1/throttled', sequence((res) => send(res, 503, 'busy'), told, told, told, told, (res) => send(res, 200, { ok: true })));
    const res = await session.request({ service: 'compute', method: 'GET', url: `${base}/throttled` });
    assert.deepEqual(res.data, { ok: true });
    assert.equal(cloud.hits('GET', '/compute/v2.1/throttled').length, 6);
    assert.deepEqual(sleeps.slice(1), [1000, 1000, 1000, 1000]);
    // Without Retry-After a 429 is an ordinary failure: three attempts, then the error.
    reset();
    cloud.on('GET', '/compute/v2.1/throttled-bare', (_req, res) => send(res, 429, 'slow'));
    await assert.rejects(session.request({ service: 'compute', method: 'GET', url: `${base}/throttled-bare` }), (err: unknown) => err instanceof CloudHttpError && err.status === 429);
    assert.equal(cloud.hits('GET', '/compute/v2.1/throttled-bare').length, 3);
  });

  test('more 429s than throttleWaits end in the error', async () => {
    reset();
    const s = await Session.login(creds(cloud), { name: 'source', retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, throttleWaits: 2 }, sleep: async () => undefined });
    try {
      cloud.on('GET', '/compute/v2.1/throttled-long', (_req, res) => send(res, 429, 'slow', { 'retry-after': '1' }));
      await assert.rejects(s.request({ service: 'compute', method: 'GET', url: `${s.endpoint('compute')}/throttled-long` }), (err: unknown) => err instanceof CloudHttpError && err.status === 429);
      // 2 waits told by the cloud, then the 2 attempts of the policy.
      assert.equal(cloud.hits('GET', '/compute/v2.1/throttled-long').length, 4);
    } finally {
      await s.close();
    }
  });

  test('Retry-After as an HTTP date is honoured', async () => {
    reset();
    const when = new Date(Date.now() + 30_000).toUTCString();
    cloud.on('GET', '/compute/v2.1/limited-date', sequence((res) => send(res, 503, 'busy', { 'retry-after': when }), (res) => send(res, 200, {})));
    await session.request({ service: 'compute', method: 'GET', url: `${base}/limited-date` });
    assert.equal(sleeps.length, 1);
    assert.ok(sleeps[0]! > 20_000 && sleeps[0]! <= 30_000, `waited ${sleeps[0]}`);
  });

  test('503 is retried with backoff, then succeeds', async () => {
    reset();
    const busy = (res: import('node:http').ServerResponse) => send(res, 503, { serviceUnavailable: { code: 503, message: 'busy' } });
    cloud.on('GET', '/compute/v2.1/flaky', sequence(busy, busy, (res) => send(res, 200, { servers: [] })));
    const before = session.callCount;
    const res = await session.request({ service: 'compute', method: 'GET', url: `${base}/flaky` });
    assert.deepEqual(res.data, { servers: [] });
    assert.equal(session.callCount - before, 3, 'every attempt is counted');
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps.every((ms) => ms >= 0 && ms <= 4));
    assert.deepEqual(reporter.ofType('http_retry').map((e) => e.attempt), [1, 2]);
  });

  test('retries stop at the policy cap and surface the last error', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/down', (_req, res) => send(res, 502, '<html><body><h1>502 Bad Gateway</h1>The server returned an invalid response.</body></html>'));
    const err = await session.request({ service: 'compute', method: 'GET', url: `${base}/down` }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudHttpError);
    assert.equal(err.status, 502);
    assert.equal(err.ambiguous, false, 'a GET is never ambiguous');
    assert.equal(cloud.hits('GET', '/compute/v2.1/down').length, 3);
  });

  test('a POST answered 503 is not retried and is flagged ambiguous', async () => {
    reset();
    cloud.on('POST', '/compute/v2.1/servers', (_req, res) => send(res, 503, { serviceUnavailable: { code: 503, message: 'busy' } }));
    const err = await session.request({ service: 'compute', method: 'POST', url: `${base}/servers`, json: { server: { name: 'x' } } }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudHttpError);
    assert.equal(err.ambiguous, true);
    assert.ok(isAmbiguous(err));
    assert.match(err.message, /may have taken effect/);
    assert.equal(cloud.hits('POST', '/compute/v2.1/servers').length, 1);
    assert.equal(sleeps.length, 0);
  });

  test('a POST marked idempotent is retried on 503', async () => {
    reset();
    cloud.on('POST', '/compute/v2.1/servers/s1/action', sequence((res) => send(res, 503, 'busy'), (res) => send(res, 202)));
    const res = await session.request({ service: 'compute', method: 'POST', url: `${base}/servers/s1/action`, json: { 'os-stop': null }, idempotent: true });
    assert.equal(res.status, 202);
    assert.equal(cloud.hits('POST', '/compute/v2.1/servers/s1/action').length, 2);
  });

  test('a POST refused with 429 is retried (the cloud did not act on it)', async () => {
    reset();
    cloud.on('POST', '/compute/v2.1/os-keypairs', sequence((res) => send(res, 429, 'slow', { 'retry-after': '0' }), (res) => send(res, 200, { keypair: {} })));
    await session.request({ service: 'compute', method: 'POST', url: `${base}/os-keypairs`, json: {} });
    assert.equal(cloud.hits('POST', '/compute/v2.1/os-keypairs').length, 2);
  });
});

describe('transport failures', () => {
  test('a connection reset on GET is retried', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/reset-once', sequence((res) => res.socket!.destroy(), (res) => send(res, 200, { ok: 1 })));
    const res = await session.request({ service: 'compute', method: 'GET', url: `${base}/reset-once` });
    assert.deepEqual(res.data, { ok: 1 });
    const ev = reporter.ofType('http_retry');
    assert.equal(ev.length, 1);
    assert.equal(ev[0]!.status, null);
  });

  test('a connection reset on POST is PH_CLOUD_UNREACHABLE, ambiguous, sent once', async () => {
    reset();
    cloud.on('POST', '/compute/v2.1/flavors', (_req, res) => void res.socket!.destroy());
    const err = await session.request({ service: 'compute', method: 'POST', url: `${base}/flavors`, json: { flavor: {} } }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudTransportError);
    assert.equal(err.code, 'PH_CLOUD_UNREACHABLE');
    assert.equal(err.ambiguous, true);
    assert.equal(cloud.hits('POST', '/compute/v2.1/flavors').length, 1);
  });

  test('connection refused is PH_CLOUD_UNREACHABLE, retried, not ambiguous even for POST', async () => {
    reset();
    const err = await session.request({ service: 'compute', method: 'POST', url: 'http://127.0.0.1:1/v2.1/servers', json: {} }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudTransportError);
    assert.equal(err.code, 'PH_CLOUD_UNREACHABLE');
    assert.equal(err.ambiguous, false);
    assert.equal(sleeps.length, 2, 'a request that never left can be sent again');
  });

  test('no answer in time is PH_CLOUD_TIMEOUT', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/hang', () => {
      /* never answers */
    });
    const err = await session
      .request({ service: 'compute', method: 'GET', url: `${base}/hang`, timeouts: { headersMs: 50 } })
      .catch((e: unknown) => e);
    assert.ok(err instanceof CloudTransportError);
    assert.equal(err.code, 'PH_CLOUD_TIMEOUT');
    assert.match(err.message, /headers timeout/);
    assert.equal(cloud.hits('GET', '/compute/v2.1/hang').length, 3, 'an idempotent request is retried after a timeout');
  });

  test('a body that stops flowing is PH_CLOUD_TIMEOUT', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/stall', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"servers": [');
    });
    const err = await session.request({ service: 'compute', method: 'GET', url: `${base}/stall`, timeouts: { bodyMs: 50 } }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudTransportError);
    assert.equal(err.code, 'PH_CLOUD_TIMEOUT');
  });

  test('a malformed JSON body is PH_CLOUD_BAD_RESPONSE', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/garbled', (_req, res) => send(res, 200, '{"servers": [', { 'content-type': 'application/json' }));
    const err = await session.request({ service: 'compute', method: 'GET', url: `${base}/garbled` }).catch((e: unknown) => e);
    assert.ok(err instanceof CloudTransportError);
    assert.equal(err.code, 'PH_CLOUD_BAD_RESPONSE');
    assert.equal(err.status, 200);
  });

  test('an aborted signal gives PH_ABORTED', async () => {
    reset();
    cloud.on('GET', '/compute/v2.1/slow', (_req, res) => void setTimeout(() => send(res, 200, {}), 300));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const err = await session.request({ service: 'compute', method: 'GET', url: `${base}/slow`, signal: ac.signal }).catch((e: unknown) => e);
    assert.ok(PumphouseError.is(err));
    assert.equal(err.code, 'PH_ABORTED');
  });
});
