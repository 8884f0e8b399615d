import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { PumphouseError } from '../../errors/index.js';
import type { HashCost } from '../auth/passwords.js';
import { TokenStore } from '../auth/tokens.js';
import { SimClock } from '../clock.js';
import { FaultPlanner } from '../faults.js';
import { renderError, type ErrorStyle } from '../http/errors.js';
import { DEFAULT_KNOBS, faultRuleProblems, mergeKnobs, type FaultRules, type SimKnobs } from '../knobs.js';
import { profileFor, type Profile, type SimNetwork, type SimRelease } from '../profile.js';
import { SimRandom } from '../random.js';
import { StatsCounter, type SimLoggedRequest, type SimStats } from '../stats.js';
import { bootstrapCloud, type AdminLogin } from '../store/bootstrap.js';
import { generatedStream, throttle } from '../store/data.js';
import { addComputeHost, markHostDown, removeComputeHost } from '../store/hosts.js';
import { SimStore } from '../store/store.js';
import { SqlPasswordVault } from '../store/sql-password-vault.js';
import type { DataRef } from '../store/types/image.js';
import { buildCatalog, scopeCatalog, type CatalogService } from './catalog.js';
import type { CloudContext, ServiceName } from './context.js';
import { control } from './control.js';
import { dispatch, findMounted, mount, styleOf, writeError, type Mounted } from './dispatch.js';
import type { SimServiceModule } from './service.js';

/** One simulated cloud as `startSimulator` and `startSimCloud` take it. */
export interface CloudSpec {
  readonly release: SimRelease;
  readonly network: SimNetwork;
  /** Compute host names; default `<cloud>-compute-1`, `<cloud>-compute-2`. */
  readonly computeHosts?: readonly string[];
  /** Port on 127.0.0.1 (or `host`); 0 (default) = a free one. */
  readonly port?: number;
  /** External/floating /24; default 203.0.113.0/24 (198.51.100.0/24 for `destination`). */
  readonly publicCidr?: string;
  /** Default `admin`. */
  readonly adminPassword?: string;
  /** Hash cost of stored passwords; default `keystone` (the release's real cost). */
  readonly hashCost?: HashCost;
  /**
   * An empty MySQL/MariaDB database (`mysql://user:pw@host:port/db`) where the cloud keeps its
   * password hashes in the release's Keystone tables (`user.password` legacy, `local_user` +
   * `password.password_hash` modern), so Pumphouse's identity-db hash copy runs against SQL and
   * logins read what it wrote. Default: hashes in memory.
   */
  readonly identityDbUrl?: string;
}

export interface SimCloudOptions {
  readonly name: string;
  readonly spec: CloudSpec;
  readonly seed: number | string;
  readonly knobs?: Partial<SimKnobs>;
  readonly host?: string;
  /** Service modules to mount; default: every registered one (src/sim/services/index.ts). */
  readonly modules?: readonly SimServiceModule[];
}

/**
 * One simulated OpenStack cloud: a node:http server on 127.0.0.1 with each service under a
 * path prefix, the in-memory store, the token store, the clock and the knobs. Implements the
 * CloudContext handlers see, the control endpoint's target, and the in-process handle.
 */
export class SimCloud implements CloudContext {
  readonly name: string;
  readonly profile: Profile;
  readonly store: SimStore;
  readonly clock: SimClock;
  readonly tokens: TokenStore;
  readonly admin: { readonly username: string; readonly password: string; readonly projectName: string; readonly userId: string; readonly projectId: string };
  /** Errors thrown by handlers (500s), newest last, for tests to inspect. */
  readonly handlerErrors: Array<{ readonly method: string; readonly path: string; readonly error: unknown }> = [];
  /**
   * When set (tests: `cloud.requestLog = []`), every request to a service is appended in
   * arrival order and its status filled in when the answer is sent: what a test needs to
   * judge the order of a client's calls (a create retried only after a lookup).
   */
  requestLog: SimLoggedRequest[] | undefined;
  private currentKnobs: SimKnobs;
  private readonly faults: FaultPlanner;
  private counters = new StatsCounter();
  private mounted: Mounted[] = [];
  private server: Server | undefined;
  private baseUrl = '';
  private catalogTemplates: CatalogService[] = [];
  private readonly requestIds: SimRandom;

  private constructor(options: SimCloudOptions, login: AdminLogin, store: SimStore) {
    this.name = options.name;
    this.profile = store.profile;
    this.store = store;
    this.admin = login;
    this.currentKnobs = mergeKnobs(DEFAULT_KNOBS, options.knobs);
    this.checkFaults(this.currentKnobs.faults);
    this.clock = new SimClock(this.currentKnobs.timeScale);
    this.clock.onError = (err) => this.handlerErrors.push({ method: 'clock', path: '', error: err });
    this.clock.onRun = () => store.touch();
    this.faults = new FaultPlanner(`${options.seed}/${options.name}`);
    this.tokens = new TokenStore(store.profile, store.identity, options.seed, options.name, () => this.currentKnobs.tokenExpireAfterMs);
    this.requestIds = SimRandom.derive(options.seed, `${options.name}/request-ids`);
  }

  /** Builds the store, bootstraps the cloud, mounts the services and listens. */
  static async start(options: SimCloudOptions): Promise<SimCloud> {
    const { spec, name } = options;
    const profile = profileFor(spec.release, spec.network);
    const store = new SimStore({ seed: options.seed, name, profile, ...(spec.hashCost ? { hashCost: spec.hashCost } : {}) });
    if (spec.identityDbUrl !== undefined) {
      const salts = SimRandom.derive(options.seed, `${name}/salts`);
      store.identity.passwords = await SqlPasswordVault.open(spec.identityDbUrl, profile.identitySchema, profile.hashScheme, salts, spec.hashCost ?? 'keystone');
    }
    const login = bootstrapCloud(store, {
      adminPassword: spec.adminPassword ?? 'admin',
      computeHosts: spec.computeHosts ?? [`${name}-compute-1`, `${name}-compute-2`],
      publicCidr: spec.publicCidr ?? (name === 'destination' ? '198.51.100.0/24' : '203.0.113.0/24'),
    });
    try {
      await store.identity.passwords.flush();
    } catch (err) {
      await store.identity.passwords.close();
      throw err;
    }
    const cloud = new SimCloud(options, login, store);
    await cloud.listen(spec.port ?? 0, options.host ?? '127.0.0.1');
    const modules = options.modules ?? (await import('../services/index.js')).SERVICE_MODULES;
    cloud.mounted = modules.flatMap((m) => m.create(cloud, profile)).map(mount);
    return cloud;
  }

  // ---- CloudContext

  get knobs(): SimKnobs {
    return this.currentKnobs;
  }

  get url(): string {
    return this.baseUrl;
  }

  serviceUrl(service: ServiceName): string {
    return `${this.baseUrl}/${service}`;
  }

  catalog(projectId: string | undefined): readonly CatalogService[] {
    return scopeCatalog(this.catalogTemplates, projectId);
  }

  readData(ref: DataRef, rate: 'image' | 'volume', range?: readonly [number, number]): Readable {
    let src: Readable;
    if (ref.kind === 'generated') src = generatedStream(this.store.seed, ref.key, ref.size, range?.[0] ?? 0, range?.[1] ?? ref.size);
    else if (ref.kind === 'blob') src = this.store.blobs.read(ref.blobId);
    else src = generatedStream(this.store.seed, '', 0);
    return this.limitRate(src, rate);
  }

  limitRate(source: Readable, rate: 'image' | 'volume'): Readable {
    const bps = rate === 'image' ? this.currentKnobs.imageRateBps : this.currentKnobs.volumeRateBps;
    if (bps <= 0) return source;
    const t = throttle(bps);
    source.on('error', (e) => t.destroy(e));
    return source.pipe(t);
  }

  // ---- URLs a config uses

  /** Keystone v2.0 public URL (legacy profiles). */
  get authUrlV2(): string | undefined {
    return this.profile.keystoneV2 ? `${this.baseUrl}/identity/v2.0` : undefined;
  }

  /** Keystone v2.0 admin URL (the 35357 port of a legacy cloud). */
  get adminUrlV2(): string | undefined {
    return this.profile.keystoneV2 ? `${this.baseUrl}/identity-admin/v2.0` : undefined;
  }

  get authUrlV3(): string | undefined {
    return this.profile.keystoneV3 ? `${this.baseUrl}/identity/v3` : undefined;
  }

  /** The URL a config should use: v2.0 on legacy clouds (what their operators used), v3 on modern. */
  get authUrl(): string {
    return this.authUrlV2 ?? this.authUrlV3!;
  }

  // ---- knobs, faults, stats

  setKnobs(patch: Partial<SimKnobs>): SimKnobs {
    if (patch.faults !== undefined) this.checkFaults(patch.faults);
    const before = this.currentKnobs.faults;
    this.currentKnobs = mergeKnobs(this.currentKnobs, patch);
    this.clock.timeScale = this.currentKnobs.timeScale;
    if (this.currentKnobs.faults !== before) this.faults.reset();
    return this.currentKnobs;
  }

  /** Replaces the fault rules and restarts the fault sequence (same seed -> same faults again). */
  setFaults(rules: FaultRules): void {
    this.checkFaults(rules);
    this.currentKnobs = { ...this.currentKnobs, faults: rules };
    this.faults.reset();
  }

  /** A rule under an unknown service would never fire: refused, so a test cannot rely on it unknowingly. */
  private checkFaults(rules: FaultRules): void {
    const problems = faultRuleProblems(rules);
    if (problems.length > 0) throw new PumphouseError('PH_USAGE', `simulated cloud ${this.name}: ${problems.join('; ')}`);
  }

  expireTokens(): number {
    return this.tokens.expireAll();
  }

  stats(): SimStats {
    return this.counters.snapshot();
  }

  resetStats(): void {
    this.counters = new StatsCounter();
  }

  // ---- hosts and time

  addComputeHost(name: string): void {
    addComputeHost(this.store, name);
  }

  removeComputeHost(name: string): boolean {
    return removeComputeHost(this.store, name);
  }

  markHostDown(name: string, down = true): boolean {
    this.store.touch();
    return markHostDown(this.store, name, down);
  }

  /** Waits until no status transition is pending. */
  settle(): Promise<void> {
    return this.clock.settle();
  }

  /** Runs every pending transition now. */
  flush(): void {
    this.clock.flush();
  }

  /** Names of the services mounted on this cloud (`identity`, `compute`, ...). */
  services(): string[] {
    return this.mounted.map((m) => m.service.name);
  }

  pendingTransitions(): number {
    return this.clock.size;
  }

  async close(): Promise<void> {
    this.clock.close();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await this.store.identity.passwords.close();
  }

  // ---- HTTP

  private async listen(port: number, host: string): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new PumphouseError('PH_USAGE', `simulated cloud ${this.name}: cannot listen on ${host}:${port}: ${(err as Error).message}`, { cause: err })),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    this.catalogTemplates = buildCatalog(this.profile, this.baseUrl, this.store.seed, this.name);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (url.pathname.startsWith('/_sim/')) {
      try {
        return await control(this, req, res, url.pathname);
      } finally {
        this.store.touch();
      }
    }
    const m = findMounted(this.mounted, url.pathname);
    const method = req.method ?? 'GET';
    if (!m) {
      req.resume();
      this.counters.status(404);
      return writeError(res, 'plain', 404, `no simulated service at ${url.pathname}`);
    }
    this.counters.request(m.service.name, method);
    const logged: SimLoggedRequest | undefined = this.requestLog ? { method, path: url.pathname, query: url.search, status: 0 } : undefined;
    if (logged) {
      this.requestLog!.push(logged);
      res.once('finish', () => (logged.status = res.statusCode));
    }
    const knobs = this.currentKnobs;
    if (knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, knobs.latencyMs));
    const decision = this.faults.decide(knobs.faults, m.service.name, method, url.pathname.slice(m.prefix.length));
    // Acted-then-lost faults are counted and logged only when a reply was lost (a refusal
    // the handler throws goes out as it is).
    const lost = decision.kind === 'lost-error' || decision.kind === 'lost-reset' ? decision : undefined;
    const lose = lost
      ? () => {
          this.counters.fault(lost.kind);
          if (logged) logged.fault = lost.kind;
          if (lost.kind === 'lost-reset') return void req.socket.destroy();
          this.counters.status(lost.status);
          writeError(res, styleOf(m, url.pathname.slice(m.prefix.length)), lost.status, 'An unexpected error prevented the server from fulfilling your request (injected fault, after acting).');
        }
      : undefined;
    if (decision.kind === 'reset' || decision.kind === 'error' || decision.kind === 'throttle') {
      this.counters.fault(decision.kind);
      if (logged) logged.fault = decision.kind;
      req.resume();
      if (decision.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      const style = styleOf(m, url.pathname.slice(m.prefix.length));
      if (decision.kind === 'throttle') {
        this.counters.status(429);
        return writeError(res, style, 429, 'This request was rate-limited.', 'OverQuota', { 'Retry-After': String(decision.retryAfterS) });
      }
      this.counters.status(decision.status);
      return writeError(res, style, decision.status, decision.status === 503 ? 'The service is unavailable (injected fault).' : 'An unexpected error prevented the server from fulfilling your request (injected fault).');
    }
    await dispatch(this, m, req, res, url, {
      status: (code) => this.counters.status(code),
      handlerError: (error, hm, path) => this.handlerErrors.push({ method: hm, path, error }),
      unauthorized: (r, style) => this.writeUnauthorized(r, style),
      requestId: () => `req-${this.requestIds.uuid()}`,
      ...(lose ? { lose } : {}),
    });
  }

  /** keystonemiddleware's 401: plain text on legacy releases, Keystone-style JSON on modern. */
  private writeUnauthorized(res: ServerResponse, _style: ErrorStyle): void {
    this.counters.status(401);
    const www = this.profile.unauthorizedBody === 'plain' ? `Keystone uri='${this.authUrl}'` : `Keystone uri="${this.authUrl}"`;
    const { contentType, body } =
      this.profile.unauthorizedBody === 'plain'
        ? { contentType: 'text/plain; charset=UTF-8', body: 'Authentication required' }
        : renderError('keystone', 401, 'The request you have made requires authentication.');
    res.writeHead(401, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'WWW-Authenticate': www });
    res.end(body);
  }
}
