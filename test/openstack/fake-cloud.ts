/**
 * A tiny scriptable OpenStack for client tests: one node:http server on 127.0.0.1:0 that
 * serves Keystone (v2.0 and v3 password logins) and whatever routes a test adds. Not the
 * project simulator: tests script exact wire behaviour (errors, resets, pagination quirks).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
  json(): any;
}

export type Handler = (req: FakeRequest, res: ServerResponse) => void | Promise<void>;

interface Route {
  readonly method: string;
  readonly path: string | RegExp;
  readonly handler: Handler;
}

export interface FakeCloudOptions {
  /** Services to put in the catalog: type -> path under the server (`{pid}` is the project id). */
  readonly services?: Readonly<Record<string, string>>;
  /** Catalog shape: 'v3-modern' (region + region_id), 'v3-legacy' (region only). */
  readonly catalogShape?: 'v3-modern' | 'v3-legacy';
  readonly projectId?: string;
  /** Seconds of token lifetime (expires_at - issued_at). */
  readonly tokenLifetimeS?: number;
  /** Stream request bodies to the handler instead of buffering (upload tests). */
  readonly streamPaths?: RegExp;
}

export const DEFAULT_SERVICES: Readonly<Record<string, string>> = {
  identity: '/identity/v3',
  compute: '/compute/v2.1',
  image: '/image',
  volumev3: '/volume/v3/{pid}',
  network: '/network',
};

export class FakeCloud {
  readonly requests: FakeRequest[] = [];
  readonly validTokens = new Set<string>();
  private readonly routes: Route[] = [];
  private tokenSerial = 0;
  /** Logins answered (successful or not). */
  logins = 0;
  /** When set, password logins fail with 401. */
  rejectLogins = false;
  /** Passwords seen in login bodies (tests assert they never leak elsewhere). */
  readonly password = 'sekret-pw';
  url = '';
  private server: Server | undefined;

  constructor(readonly options: FakeCloudOptions = {}) {}

  get projectId(): string {
    return this.options.projectId ?? 'p-admin';
  }

  static async start(options: FakeCloudOptions = {}): Promise<FakeCloud> {
    const cloud = new FakeCloud(options);
    await cloud.listen();
    return cloud;
  }

  on(method: string, path: string | RegExp, handler: Handler): this {
    this.routes.unshift({ method, path, handler });
    return this;
  }

  /** Requests to a path (without query), in order. */
  hits(method: string, path: string | RegExp): FakeRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  serviceUrl(type: string): string {
    const services = this.options.services ?? DEFAULT_SERVICES;
    return `${this.url}${(services[type] ?? '').replace('{pid}', this.projectId)}`;
  }

  issueToken(): string {
    const t = `tok-${++this.tokenSerial}`;
    this.validTokens.add(t);
    return t;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    this.addKeystone();
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const streaming = this.options.streamPaths?.test(url.pathname) ?? false;
    const body = streaming ? Buffer.alloc(0) : await readAll(req);
    const fr: FakeRequest & { raw: IncomingMessage } = {
      method: req.method ?? 'GET',
      url,
      path: url.pathname,
      headers: req.headers,
      body,
      raw: req,
      json: () => JSON.parse(body.toString('utf8')),
    };
    this.requests.push(fr);
    const route = this.routes.find((r) => r.method === fr.method && (typeof r.path === 'string' ? r.path === fr.path : r.path.test(fr.path)));
    if (!route) return send(res, 404, { itemNotFound: { code: 404, message: `no route ${fr.method} ${fr.path}` } });
    if (!fr.path.startsWith('/identity') && !this.validTokens.has(String(req.headers['x-auth-token']))) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': "Keystone uri='x'" });
      return void res.end('Authentication required');
    }
    try {
      await route.handler(fr, res);
    } catch (err) {
      if (!res.headersSent) send(res, 500, { computeFault: { code: 500, message: String(err) } });
    }
  }

  private addKeystone(): void {
    const lifetime = this.options.tokenLifetimeS ?? 3600;
    const times = (): { issued: string; expires: string } => {
      const now = Date.now();
      return { issued: new Date(now).toISOString(), expires: new Date(now + lifetime * 1000).toISOString() };
    };
    const pid = (body: any): string => body?.auth?.scope?.project?.id ?? body?.auth?.tenantId ?? this.projectId;
    this.on('POST', '/identity/v3/auth/tokens', (req, res) => {
      this.logins++;
      const body = req.json();
      if (this.rejectLogins || body.auth.identity.password.user.password !== this.password) {
        return send(res, 401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
      }
      const project = pid(body);
      const t = times();
      const legacy = this.options.catalogShape === 'v3-legacy';
      const catalog = Object.keys(this.options.services ?? DEFAULT_SERVICES).map((type) => ({
        type,
        id: `svc-${type}`,
        ...(legacy ? {} : { name: type }),
        endpoints: (['public', 'internal', 'admin'] as const).map((iface) => ({
          id: `${type}-${iface}`,
          interface: iface,
          region: 'RegionOne',
          ...(legacy ? {} : { region_id: 'RegionOne' }),
          url: this.serviceUrlFor(type, project, iface),
        })),
      }));
      res.writeHead(201, { 'content-type': 'application/json', 'x-subject-token': this.issueToken() });
      res.end(
        JSON.stringify({
          token: {
            methods: ['password'],
            issued_at: t.issued,
            expires_at: t.expires,
            user: { id: 'u-admin', name: body.auth.identity.password.user.name, domain: { id: 'default', name: 'Default' } },
            project: { id: project, name: project === this.projectId ? 'admin' : `project-${project}`, domain: { id: 'default' } },
            roles: [{ id: 'r-admin', name: 'admin' }],
            catalog,
          },
        }),
      );
    });
    this.on('POST', '/identity/v2.0/tokens', (req, res) => {
      this.logins++;
      const body = req.json();
      if (this.rejectLogins || body.auth.passwordCredentials.password !== this.password) {
        return send(res, 401, { error: { code: 401, title: 'Unauthorized', message: 'Invalid user / password' } });
      }
      const project = pid(body);
      const t = times();
      const serviceCatalog = Object.keys(this.options.services ?? DEFAULT_SERVICES).map((type) => ({
        type,
        name: type,
        endpoints_links: [],
        endpoints: [
          {
            id: `ep-${type}`,
            region: 'RegionOne',
            publicURL: this.serviceUrlFor(type, project, 'public'),
            internalURL: this.serviceUrlFor(type, project, 'internal'),
            adminURL: this.serviceUrlFor(type, project, 'admin'),
          },
        ],
      }));
      send(res, 200, {
        access: {
          token: { id: this.issueToken(), expires: t.expires.replace(/\.\d+Z$/, 'Z'), issued_at: t.issued.replace('Z', ''), tenant: { id: project, name: 'admin', enabled: true } },
          serviceCatalog,
          user: { id: 'u-admin', name: body.auth.passwordCredentials.username, username: 'admin', roles: [{ name: 'admin' }], roles_links: [] },
          metadata: { is_admin: 0, roles: ['r-admin'] },
        },
      });
    });
  }

  private serviceUrlFor(type: string, project: string, iface: string): string {
    const services = this.options.services ?? DEFAULT_SERVICES;
    let path = (services[type] ?? '').replace('{pid}', project);
    // The v2.0 admin API lives on its own endpoint (port 35357 in real clouds).
    if (type === 'identity' && iface === 'admin') path = path.replace('/identity/', '/identity-admin/');
    return `${this.url}${path}`;
  }
}

export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Retry settings that keep tests fast, plus a recorder of requested waits. */
export function fastRetry(): { retry: { baseDelayMs: number; maxDelayMs: number }; sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { retry: { baseDelayMs: 1, maxDelayMs: 4 }, sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

export function creds(cloud: FakeCloud, version: 'v3' | 'v2.0' | '' = 'v3') {
  return {
    authUrl: `${cloud.url}/identity${version ? `/${version}` : ''}`,
    username: 'admin',
    password: cloud.password,
    projectName: 'admin',
  };
}

export interface DiscoveryOptions {
  /** Nova max microversion; null = legacy v2 (empty version). */
  readonly novaMax?: string | null;
  readonly glance?: '1' | '2';
  readonly extensions?: readonly string[];
}

/** Answers the version documents and extension list that openCloud() reads. */
export function addDiscovery(cloud: FakeCloud, opts: DiscoveryOptions = {}): void {
  const max = opts.novaMax === undefined ? '2.93' : opts.novaMax;
  cloud.on('GET', /^\/compute\/v2(\.1)?\/$/, (_req, res) =>
    send(res, 200, { version: { id: max ? 'v2.1' : 'v2.0', status: 'CURRENT', version: max ?? '', min_version: max ? '2.1' : '' } }),
  );
  const glance = opts.glance ?? '2';
  cloud.on('GET', '/image/', (_req, res) =>
    send(res, 300, { versions: glance === '2' ? [{ id: 'v2.15', status: 'CURRENT' }, { id: 'v2.0', status: 'SUPPORTED' }] : [{ id: 'v1.1', status: 'CURRENT' }, { id: 'v1.0', status: 'SUPPORTED' }] }),
  );
  cloud.on('GET', '/network/v2.0/extensions', (_req, res) => send(res, 200, { extensions: (opts.extensions ?? ['router', 'security-group']).map((alias) => ({ alias, name: alias })) }));
}

/** Serves a list from `items` honouring limit and marker like a modern API, with `<key>_links`. */
export function pagedList(key: string, items: readonly Record<string, unknown>[], linkStyle: 'links' | 'glance-next' | 'none' = 'links') {
  return (req: FakeRequest, res: import('node:http').ServerResponse): void => {
    const limit = Number(req.url.searchParams.get('limit') ?? items.length);
    const marker = req.url.searchParams.get('marker');
    const start = marker ? items.findIndex((i) => i['id'] === marker) + 1 : 0;
    const page = items.slice(start, start + limit);
    const body: Record<string, unknown> = { [key]: page };
    const more = start + limit < items.length;
    if (more && page.length > 0) {
      const next = new URL(req.url.href);
      next.searchParams.set('marker', String(page.at(-1)!['id']));
      // Links name an internal host on purpose: clients must only take the query from them.
      const href = `http://internal.example:1234${next.pathname}${next.search}`;
      if (linkStyle === 'links') body[`${key}_links`] = [{ rel: 'next', href }];
      if (linkStyle === 'glance-next') body['next'] = `${next.pathname}${next.search}`;
    }
    send(res, 200, body);
  };
}
