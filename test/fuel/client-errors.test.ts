import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { PumphouseError } from '../../src/errors/index.js';
import { FuelHttpError, FuelTransportError, openFuel, type FuelClientOptions, type FuelRetryInfo } from '../../src/fuel/index.js';
import { startFuelSimulator, type FuelSimulator } from '../../src/sim/fuel/index.js';

const sims: FuelSimulator[] = [];
after(async () => {
  for (const s of sims) await s.close();
});

async function sim(): Promise<FuelSimulator> {
  const s = await startFuelSimulator({ environments: [{ name: 'env-a' }, { name: 'env-b' }], knobs: { timeScale: 0.01 } });
  sims.push(s);
  return s;
}

/** Retries without real waiting; records each retry. */
function fast(): FuelClientOptions & { retries: FuelRetryInfo[] } {
  const retries: FuelRetryInfo[] = [];
  return { retries, sleep: async () => {}, onRetry: (r) => retries.push(r) };
}

const count = (s: FuelSimulator, method: string, path: string): number => s.requests().filter((r) => r.method === method && r.path.split('?')[0]?.replace(/\/$/, '') === path).length;

test('a bare-string Nailgun error becomes FuelHttpError with status, method, path and the message', async () => {
  const s = await sim();
  const fuel = await openFuel(s.credentials, fast());
  const err = await fuel.node(999).then(
    () => assert.fail('no error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FuelHttpError);
  assert.equal(err.code, 'PH_FUEL_HTTP');
  assert.equal(err.status, 404);
  assert.equal(err.method, 'GET');
  assert.equal(err.path, '/api/nodes/999');
  assert.equal(err.fuelMessage, 'Node not found');
  assert.equal(err.master, `127.0.0.1:${s.credentials.port}`);
  assert.match(err.message, /Fuel master 127\.0\.0\.1:\d+ GET \/api\/nodes\/999 failed with HTTP 404: Node not found/);
  assert.equal(count(s, 'GET', '/api/nodes/999'), 1, 'a 404 is not retried');
  // 400 with a sentence as the body: the message survives as written.
  await assert.rejects(fuel.assign(1, [{ id: 12345, roles: ['compute'] }]), (e: FuelHttpError) => e.status === 400 && e.fuelMessage === 'Nodes with ids 12345 were not found.');
  await fuel.close();
});

test('a revoked token is replaced once (re-authentication), then the call succeeds', async () => {
  const s = await sim();
  const fuel = await openFuel(s.credentials, fast());
  await fuel.nodes();
  assert.equal(s.loginCount, 1);
  s.revokeTokens();
  assert.equal((await fuel.nodes()).length, 6);
  assert.equal(s.loginCount, 2, 'one new login');
  // A POST refused with 401 is safe to resend: the middleware rejected it before Nailgun ran it.
  s.revokeTokens();
  await fuel.unassign(1, [1]);
  assert.equal(count(s, 'POST', '/api/clusters/1/unassignment'), 2);
  assert.equal((await fuel.node(1)).pendingDeletion, true, 'applied once');
  await fuel.close();
});

test('a 401 that persists after one re-authentication surfaces instead of looping', async () => {
  const s = await sim();
  const fuel = await openFuel(s.credentials, fast());
  s.injectFault({ method: 'GET', path: '/api/clusters', status: 401, body: 'Authentication required', times: 5 });
  await assert.rejects(fuel.clusters(), (e: FuelHttpError) => e.status === 401 && e.fuelMessage === 'Authentication required');
  assert.equal(count(s, 'GET', '/api/clusters'), 2);
  assert.equal(s.loginCount, 2);
  await fuel.close();
});

test('wrong credentials give PH_AUTH_FAILED naming the master and user, never the password', async () => {
  const s = await sim();
  const fuel = await openFuel({ ...s.credentials, password: 'S3cret-Pa55' }, fast());
  const err = await fuel.clusters().then(
    () => assert.fail('no error'),
    (e: unknown) => e,
  );
  assert.ok(PumphouseError.is(err));
  assert.equal(err.code, 'PH_AUTH_FAILED');
  assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${s.credentials.port}.*user 'admin'`));
  assert.ok(!JSON.stringify({ m: err.message, d: err.details }).includes('S3cret-Pa55'));
  assert.equal(count(s, 'POST', '/keystone/v2.0/tokens'), 1, 'a 401 login is not retried');
  await fuel.close();
});

test('503 and 502 (nginx) and a reset on a read are retried with backoff', async () => {
  const s = await sim();
  const opts = fast();
  const fuel = await openFuel(s.credentials, opts);
  s.injectFault({ method: 'GET', path: '/api/nodes', status: 503, times: 1 });
  s.injectFault({ method: 'GET', path: '/api/nodes', status: 502, times: 1 });
  s.injectFault({ method: 'GET', path: '/api/nodes', reset: true, times: 1 });
  assert.equal((await fuel.nodes()).length, 6);
  assert.equal(count(s, 'GET', '/api/nodes'), 4);
  assert.deepEqual(
    opts.retries.map((r) => [r.status, r.attempt]),
    [
      [503, 1],
      [502, 2],
      [null, 3],
    ],
  );
  assert.ok(opts.retries.every((r, i) => r.delayMs >= 250 * 2 ** i), 'backoff grows');
  await fuel.close();
});

test('retries stop after the policy\'s attempts', async () => {
  const s = await sim();
  const fuel = await openFuel(s.credentials, { ...fast(), retry: { attempts: 3 } });
  s.injectFault({ method: 'GET', path: '/api/releases', status: 503, times: 10 });
  await assert.rejects(fuel.releases(), (e: FuelHttpError) => e.status === 503 && !e.ambiguous && /503 Service Temporarily Unavailable|503 Service Unavailable/.test(e.fuelMessage));
  assert.equal(count(s, 'GET', '/api/releases'), 3);
  await fuel.close();
});

test('a POST or a deploy is never resent blindly: 503 and resets surface as ambiguous', async () => {
  const s = await sim();
  const opts = fast();
  const fuel = await openFuel(s.credentials, opts);
  s.injectFault({ method: 'POST', path: '/api/clusters/1/unassignment', status: 503 });
  await assert.rejects(fuel.unassign(1, [2]), (e: FuelHttpError) => e.status === 503 && e.ambiguous && /may have taken effect/.test(e.message));
  assert.equal(count(s, 'POST', '/api/clusters/1/unassignment'), 1);
  s.injectFault({ method: 'PUT', path: '/api/clusters/1/changes', reset: true });
  await assert.rejects(fuel.deployChanges(1), (e: FuelTransportError) => e.code === 'PH_CLOUD_UNREACHABLE' && e.ambiguous);
  assert.equal(count(s, 'PUT', '/api/clusters/1/changes'), 1);
  assert.equal(opts.retries.length, 0);
  await fuel.close();
});

test('no answer in time gives PH_CLOUD_TIMEOUT naming the Fuel master', async () => {
  const s = await sim();
  const fuel = await openFuel(s.credentials, { ...fast(), timeoutMs: 150 });
  s.injectFault({ method: 'GET', path: '/api/clusters', delayMs: 5_000 });
  const err = await fuel.clusters().then(
    () => assert.fail('no error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FuelTransportError);
  assert.equal(err.code, 'PH_CLOUD_TIMEOUT');
  assert.match(err.message, new RegExp(`Fuel master 127\\.0\\.0\\.1:${s.credentials.port} GET /api/clusters: no answer within 150 ms`));
  await fuel.close();
});

test('a master that is down gives PH_CLOUD_UNREACHABLE after retrying the refused connection', async () => {
  const port = await freePort();
  const opts = fast();
  const err = await openFuel({ host: '127.0.0.1', port, username: 'admin', password: 'pw-not-shown' }, { ...opts, retry: { attempts: 3 } }).then(
    () => assert.fail('no error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FuelTransportError);
  assert.equal(err.code, 'PH_CLOUD_UNREACHABLE');
  assert.match(err.message, new RegExp(`Fuel master 127\\.0\\.0\\.1:${port} GET /api/version: connection failed \\(ECONNREFUSED\\) after 3 attempts`));
  assert.equal(opts.retries.length, 2);
  assert.ok(!err.message.includes('pw-not-shown'));
});

test('a 200 whose body is not JSON is PH_CLOUD_BAD_RESPONSE; a wrong shape too', async () => {
  const s = await sim();
  const fuel = await openFuel(s.credentials, fast());
  s.injectFault({ method: 'GET', path: '/api/nodes', status: 200, body: 'Internal maintenance' });
  await assert.rejects(fuel.nodes(), (e: FuelTransportError) => e.code === 'PH_CLOUD_BAD_RESPONSE' && e.status === 200);
  s.injectFault({ method: 'GET', path: '/api/clusters', status: 200, body: '{"clusters": []}' });
  await assert.rejects(fuel.clusters(), (e: FuelTransportError) => e.code === 'PH_CLOUD_BAD_RESPONSE' && /is not a list/.test(e.message));
  await fuel.close();
});

test('a master without Keystone (Fuel 5.0: auth_required absent) is used without logging in', async () => {
  const s = await startFuelSimulator({ environments: [{ name: 'e' }], authRequired: false });
  sims.push(s);
  const fuel = await openFuel(s.credentials, fast());
  assert.equal(fuel.version.authRequired, false);
  assert.equal((await fuel.clusters()).length, 1);
  assert.equal(s.loginCount, 0);
  await fuel.close();
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
