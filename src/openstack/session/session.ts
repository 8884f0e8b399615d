import type { Reporter } from '../../events/index.js';
import type { CloudCredentials } from '../credentials.js';
import { isCloudHttpError } from '../errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../http/retry-policy.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../http/timeouts.js';
import { Transport } from '../http/transport.js';
import { ensureVersionSuffix } from '../http/url.js';
import { Readable } from 'node:stream';
import { callJson, callStream, sleepFor, type CallContext } from './call-engine.js';
import { Catalog, type CatalogEntry, type EndpointFilter } from './catalog.js';
import { discoverIdentity, type IdentityVersion } from './identity-discovery.js';
import { loginV2, loginV3, type AuthToken } from './password-auth.js';
import type { CloudRequest, CloudResponse, CloudStreamResponse } from './request.js';

export interface SessionOptions {
  readonly reporter?: Reporter;
  /** Aborts every call of this session (and its scoped sessions). */
  readonly signal?: AbortSignal;
  /** Shorthand for `timeouts.headersMs` and `timeouts.bodyMs`. */
  readonly timeoutMs?: number;
  readonly timeouts?: Partial<Timeouts>;
  readonly retry?: Partial<RetryPolicy>;
  /** Which cloud this is (`source`, `destination`), for messages and errors. */
  readonly name?: string;
  /** Connections kept per service origin (default 16). */
  readonly connections?: number;
  /** How to wait between retries; tests pass a recorder. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Shared {
  readonly transport: Transport;
  readonly identityVersion: IdentityVersion;
  /** Versioned Keystone URL used to log in (`.../v3` or `.../v2.0`). */
  readonly authBase: string;
  readonly options: SessionOptions;
  readonly timeouts: Timeouts;
  readonly retry: RetryPolicy;
  readonly cloud: string;
  readonly scopes: Map<string, Promise<Session>>;
}

/** Re-login this long before expiry (at most a quarter of the token's lifetime). */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A logged-in connection to one cloud: the token (reused, renewed once on 401 or near
 * expiry), its service catalog, the connection pool, retries and the call count.
 * The password stays in memory and is never part of an error, event or log.
 */
export class Session {
  private token: AuthToken;
  private catalogView: Catalog;
  private calls = 0;
  private renewing: Promise<void> | undefined;
  private readonly ctx: CallContext;

  private constructor(
    private readonly shared: Shared,
    private readonly creds: CloudCredentials,
    token: AuthToken,
    initialCalls: number,
    private readonly root: boolean,
  ) {
    this.token = token;
    this.calls = initialCalls;
    this.catalogView = this.makeCatalog(token);
    this.ctx = {
      cloud: shared.cloud,
      transport: shared.transport,
      timeouts: shared.timeouts,
      retry: shared.retry,
      reporter: shared.options.reporter,
      signal: shared.options.signal,
      sleep: shared.options.sleep ?? sleepFor,
      count: () => {
        this.calls++;
      },
    };
  }

  /**
   * Logs in with a password: v2.0 or v3 as the auth URL says, or discovered from an
   * unversioned URL (v3 preferred). Throws PH_AUTH_FAILED on 401 (naming the URL and
   * user, never the password), PH_CLOUD_* on transport trouble.
   */
  static async login(creds: CloudCredentials, opts: SessionOptions = {}): Promise<Session> {
    const timeouts: Timeouts = {
      ...DEFAULT_TIMEOUTS,
      ...(opts.timeoutMs !== undefined ? { headersMs: opts.timeoutMs, bodyMs: opts.timeoutMs } : {}),
      ...opts.timeouts,
    };
    const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    const cloud = opts.name ?? 'cloud';
    const transport = await Transport.open({
      timeouts,
      ...(creds.cacert ? { cacert: creds.cacert } : {}),
      ...(creds.insecure ? { insecure: true } : {}),
      ...(opts.connections ? { connections: opts.connections } : {}),
    });
    let calls = 0;
    const ctx: CallContext = {
      cloud,
      transport,
      timeouts,
      retry,
      reporter: opts.reporter,
      signal: opts.signal,
      sleep: opts.sleep ?? sleepFor,
      count: () => {
        calls++;
      },
    };
    try {
      const call = (req: CloudRequest): Promise<CloudResponse> => callJson(ctx, req, undefined);
      const { version, base } = await discoverIdentity(call, creds.authUrl, cloud);
      const token = await (version === '3' ? loginV3 : loginV2)(call, base, creds, cloud);
      const shared: Shared = { transport, identityVersion: version, authBase: base, options: opts, timeouts, retry, cloud, scopes: new Map() };
      return new Session(shared, creds, token, calls, true);
    } catch (err) {
      await transport.close();
      throw err;
    }
  }

  /** The name given at login (`source`, ...). */
  get name(): string {
    return this.shared.cloud;
  }
  get identityVersion(): IdentityVersion {
    return this.shared.identityVersion;
  }
  /** Versioned Keystone URL this session logs in with. */
  get authUrl(): string {
    return this.shared.authBase;
  }
  get projectId(): string | undefined {
    return this.token.projectId;
  }
  get projectName(): string | undefined {
    return this.token.projectName;
  }
  get userId(): string {
    return this.token.userId;
  }
  get userName(): string | undefined {
    return this.token.userName;
  }
  /** Role names the token carries on its project. */
  get roles(): readonly string[] {
    return this.token.roles;
  }
  /** HTTP attempts made by this session so far, logins and retries included. */
  get callCount(): number {
    return this.calls;
  }
  /** The reporter given at login (clients emit diagnostics through it). */
  get reporter(): Reporter | undefined {
    return this.shared.options.reporter;
  }
  get catalog(): readonly CatalogEntry[] {
    return this.catalogView.entries;
  }

  /** URL of a service from the catalog; throws PH_CATALOG_MISSING. Interface and region default to the credentials'. */
  endpoint(type: string, filter?: EndpointFilter): string {
    return this.catalogView.url(type, filter);
  }

  hasEndpoint(type: string, filter?: EndpointFilter): boolean {
    return this.catalogView.has(type, filter);
  }

  /** Sends an authenticated call and parses its JSON body. See CloudRequest for retry rules. */
  request<T = unknown>(req: CloudRequest): Promise<CloudResponse<T>> {
    return this.authenticated(req, (token) => callJson<T>(this.ctx, req, token));
  }

  /** Like request(), but hands back the response body as a stream. */
  requestStream(req: CloudRequest): Promise<CloudStreamResponse> {
    return this.authenticated(req, (token) => callStream(this.ctx, req, token));
  }

  /**
   * A session with the same credentials scoped to another project (Nova and Cinder look
   * things up in the token's project). The user needs a role there. Sessions are cached
   * per project and share this session's connection pool; close the root session only.
   */
  scopedTo(projectId: string): Promise<Session> {
    if (projectId === this.token.projectId) return Promise.resolve(this);
    const cached = this.shared.scopes.get(projectId);
    if (cached) return cached;
    const creds: CloudCredentials = { ...this.creds, projectId, projectName: undefined, projectDomainId: undefined, projectDomainName: undefined };
    const pending = (async () => {
      const session = new Session(this.shared, creds, this.token, 0, false);
      session.token = await session.login();
      session.catalogView = session.makeCatalog(session.token);
      return session;
    })();
    pending.catch(() => this.shared.scopes.delete(projectId));
    this.shared.scopes.set(projectId, pending);
    return pending;
  }

  /**
   * Revokes this session's current token, asking with `admin`'s token: Keystone v2.0 lets
   * only an admin revoke a token (`DELETE /v2.0/tokens/{id}`, on the catalog's admin endpoint
   * when there is one); v3 takes `DELETE /v3/auth/tokens` with the token as X-Subject-Token.
   * The token id goes only to Keystone (displayPath hides a `/tokens/{id}` segment).
   */
  async revokeWith(admin: Session): Promise<void> {
    const id = this.token.id;
    if (admin.identityVersion === '3') {
      await admin.request({ service: 'identity', method: 'DELETE', url: `${admin.authUrl}/auth/tokens`, headers: { 'X-Subject-Token': id } });
      return;
    }
    const base = admin.hasEndpoint('identity', { interface: 'admin' }) ? ensureVersionSuffix(admin.endpoint('identity', { interface: 'admin' }), 'v2.0') : admin.authUrl;
    await admin.request({ service: 'identity', method: 'DELETE', url: `${base}/tokens/${encodeURIComponent(id)}` });
  }

  /** Closes the connection pool (root session only; scoped sessions share it). */
  async close(): Promise<void> {
    if (this.root) await this.shared.transport.close();
  }

  private async authenticated<R>(req: CloudRequest, run: (token: string | undefined) => Promise<R>): Promise<R> {
    if (req.authenticated === false) return run(undefined);
    let used = this.token;
    if (this.expiresSoon(used)) {
      await this.renew(used);
      used = this.token;
    }
    try {
      return await run(used.id);
    } catch (err) {
      if (!isCloudHttpError(err, 401)) throw err;
      await this.renew(used);
      // A stream body is gone: the caller must send it again itself.
      if (req.body instanceof Readable) throw err;
      return run(this.token.id);
    }
  }

  private expiresSoon(token: AuthToken): boolean {
    const margin = Math.min(EXPIRY_MARGIN_MS, (token.lifetimeMs ?? Number.POSITIVE_INFINITY) / 4);
    return token.expiresAt - Date.now() <= margin;
  }

  /** One login at a time; callers holding an already replaced token just pick up the new one. */
  private async renew(stale: AuthToken): Promise<void> {
    if (this.token !== stale) return;
    this.renewing ??= this.login()
      .then((t) => {
        this.token = t;
        this.catalogView = this.makeCatalog(t);
      })
      .finally(() => {
        this.renewing = undefined;
      });
    await this.renewing;
  }

  private login(): Promise<AuthToken> {
    const call = (req: CloudRequest): Promise<CloudResponse> => callJson(this.ctx, req, undefined);
    const fn = this.shared.identityVersion === '3' ? loginV3 : loginV2;
    return fn(call, this.shared.authBase, this.creds, this.shared.cloud);
  }

  private makeCatalog(token: AuthToken): Catalog {
    return new Catalog(token.catalog, token.projectId, { interface: this.creds.interface ?? 'public', region: this.creds.region }, this.shared.cloud);
  }
}
