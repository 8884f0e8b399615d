import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { MasterKeystone } from './keystone.js';
import type { FuelSimFault, FuelSimRequest } from './options.js';
import { NailgunError, type Reply, type Route } from './reply.js';
import { clusterRoutes } from './routes-clusters.js';
import { miscRoutes } from './routes-misc.js';
import { nodeRoutes } from './routes-nodes.js';
import type { FuelWorld } from './world.js';

const ROUTES: readonly Route[] = [...clusterRoutes, ...nodeRoutes, ...miscRoutes];
const MAX_BODY = 1 << 20;

/** Everything a request needs besides itself. */
export interface MasterState {
  readonly world: FuelWorld;
  readonly keystone: MasterKeystone;
  readonly authRequired: boolean;
  readonly fuelVersion: string;
  readonly faults: (FuelSimFault & { left: number })[];
  readonly log: FuelSimRequest[];
  /** Bugs of the simulator itself (a route threw): settle() reports them. */
  readonly internalErrors: unknown[];
  readonly closing: AbortSignal;
}

/**
 * One Fuel master on one port, as nginx lays it out: Nailgun under `/api` and `/api/v1`,
 * the master's Keystone under `/keystone/v2.0`. Nailgun errors are bare strings under
 * `Content-Type: application/json` (legacy-apis.md §0.2).
 */
export async function handleRequest(state: MasterState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://fuel.invalid');
  const method = req.method ?? 'GET';
  const entry = { method, path: `${url.pathname}${url.search}`, status: 0 };
  state.log.push(entry);
  state.world.scheduler.advance();
  const path = url.pathname.replace(/^\/api\/v1(?=\/|$)/, '/api').replace(/\/+$/, '') || '/';

  const fault = state.faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (typeof f.path === 'string' ? f.path === path : f.path.test(path)));
  if (fault) {
    fault.left--;
    if (fault.delayMs) await delay(fault.delayMs, state.closing);
    if (fault.reset || state.closing.aborted) {
      req.socket.destroy();
      return;
    }
    if (fault.status !== undefined) {
      const reason = STATUS_CODES[fault.status] ?? 'Error';
      const page = `<html>\r\n<head><title>${fault.status} ${reason}</title></head>\r\n<body><center><h1>${fault.status} ${reason}</h1></center><hr><center>nginx</center></body>\r\n</html>`;
      send(res, entry, { status: fault.status, text: fault.body ?? page }, fault.body === undefined ? 'text/html' : 'application/json');
      return;
    }
    // A delay alone: a slow master that answers in the end.
    state.world.scheduler.advance();
  }

  if (path === '/keystone/v2.0/tokens' && method === 'POST') {
    const reply = state.keystone.issue(parseJson(raw));
    send(res, entry, { status: reply.status, json: reply.json, ...(reply.status === 401 ? { headers: { 'www-authenticate': `Keystone uri='http://${req.headers.host ?? ''}/keystone/v2.0'` } } : {}) });
    return;
  }
  if (path !== '/api' && !path.startsWith('/api/')) {
    send(res, entry, { status: 404, text: 'not found' });
    return;
  }
  const rest = path.slice('/api'.length);
  if (method === 'GET' && rest === '/version') {
    send(res, entry, { status: 200, json: versionJson(state) });
    return;
  }
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !contentType.startsWith('application/json')) {
    send(res, entry, { status: 415, text: 'unsupported media type' });
    return;
  }
  if (state.authRequired && !state.keystone.valid(tokenOf(req))) {
    send(res, entry, { status: 401, text: 'Authentication required', headers: { 'www-authenticate': `Keystone uri='http://${req.headers.host ?? ''}/keystone/v2.0'` } }, 'text/plain; charset=UTF-8');
    return;
  }
  const body = raw === '' ? undefined : parseJson(raw);
  if (raw !== '' && body === INVALID) {
    send(res, entry, { status: 400, text: 'Invalid json format' });
    return;
  }
  const matching = ROUTES.filter((r) => r.pattern.test(rest));
  const route = matching.find((r) => r.method === method);
  if (!route) {
    send(res, entry, matching.length > 0 ? { status: 405, text: 'method not allowed' } : { status: 404, text: 'not found' });
    return;
  }
  try {
    const params = (route.pattern.exec(rest) ?? []).slice(1);
    send(res, entry, route.handle({ world: state.world, params, query: url.searchParams, body }));
  } catch (err) {
    if (err instanceof NailgunError) {
      send(res, entry, { status: err.status, text: err.message });
      return;
    }
    state.internalErrors.push(err);
    send(res, entry, { status: 500, text: 'internal server error' });
  }
}

function versionJson(state: MasterState): Record<string, unknown> {
  return {
    release: state.fuelVersion,
    api: '1',
    ...(state.authRequired ? { auth_required: true } : {}),
    nailgun_sha: '0000000000000000000000000000000000000000',
    astute_sha: '0000000000000000000000000000000000000000',
    fuellib_sha: '0000000000000000000000000000000000000000',
    ostf_sha: '0000000000000000000000000000000000000000',
    feature_groups: ['mirantis'],
    release_versions: {},
  };
}

function tokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers['x-auth-token'];
  if (typeof header === 'string' && header !== '') return header;
  // fuelclient sends the header; the web UI uses a `token` cookie.
  return /(?:^|;\s*)token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
}

const INVALID = Symbol('invalid json');

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return INVALID;
  }
}

function send(res: ServerResponse, entry: { status: number }, reply: Reply, contentType = 'application/json'): void {
  entry.status = reply.status;
  const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  res.writeHead(reply.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...reply.headers });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
