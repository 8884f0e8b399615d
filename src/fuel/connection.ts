import { Agent } from 'undici';
import { PumphouseError, redactUrl } from '../errors/index.js';
import { AttemptFailure, attempt, type AttemptResult } from './attempt.js';
import type { FuelCredentials } from './credentials.js';
import { parseFuelErrorBody } from './error-body.js';
import { FuelHttpError, FuelTransportError, type FuelCallFacts } from './errors.js';
import { DEFAULT_FUEL_RETRY, backoff, retryAfterMs, sleep as realSleep, type FuelRetryPolicy } from './retry.js';

/** One retry about to happen, for the caller's event stream. */
export interface FuelRetryInfo {
  readonly master: string;
  readonly method: string;
  readonly path: string;
  /** null when no response came (connection refused or broken). */
  readonly status: number | null;
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
}

export interface FuelClientOptions {
  /** Limit for one exchange (request sent to body read). Default 60 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<FuelRetryPolicy>;
  /** Waits between retries; tests pass a fast one. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly onRetry?: (info: FuelRetryInfo) => void;
  /** Skip TLS verification (lab masters with self-signed certificates). */
  readonly insecure?: boolean;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  /**
   * Safe to send twice (reads, and PUTs that set a whole document). Only these are retried
   * on 429/502/503/504 and broken connections. Default: true for GET only.
   */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
}

/** Re-authenticate this long before the token's stated expiry. */
const TOKEN_MARGIN_MS = 60_000;

/**
 * The HTTP side of the Fuel client: one undici pool to the master, the master's Keystone
 * v2.0 token (fetched lazily, renewed before expiry and once on a 401), retries for
 * idempotent calls, and typed errors naming the master but never the password.
 */
export class FuelConnection {
  readonly master: string;
  readonly baseUrl: string;
  readonly keystoneUrl: string;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly policy: FuelRetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private token: { readonly id: string; readonly expiresAt: number } | undefined;
  private pendingToken: Promise<string> | undefined;
  /** False on Fuel 5.0, which has no Keystone; set by the client from `GET /api/version`. */
  authRequired = true;
  /** Calls sent, retries and logins included (for discovery's call budget). */
  callCount = 0;

  constructor(
    private readonly credentials: FuelCredentials,
    private readonly options: FuelClientOptions = {},
  ) {
    const scheme = credentials.https ? 'https' : 'http';
    this.master = `${credentials.host}:${credentials.port}`;
    this.baseUrl = `${scheme}://${hostForUrl(credentials.host)}:${credentials.port}`;
    // Fuel 5.1+ proxies the master's Keystone under /keystone on Nailgun's port (legacy-apis §6.1).
    this.keystoneUrl = (credentials.keystoneUrl ?? `${this.baseUrl}/keystone/v2.0`).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.policy = { ...DEFAULT_FUEL_RETRY, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
    this.agent = new Agent({
      connections: 8,
      keepAliveTimeout: 4_000,
      connect: { timeout: Math.min(this.timeoutMs, 15_000), ...(options.insecure ? { rejectUnauthorized: false } : {}) },
    });
  }

  /** Sends a Nailgun call and returns its JSON body (null when empty). */
  async call(method: string, path: string, opts: CallOptions = {}): Promise<unknown> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const shown = `${url.pathname}${url.search}`;
    const idempotent = opts.idempotent ?? method === 'GET';
    let reauthenticated = false;
    for (let n = 1; ; n++) {
      const token = this.authRequired ? await this.currentToken(opts.signal) : undefined;
      const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'pumphouse' };
      if (token) headers['x-auth-token'] = token;
      const facts: FuelCallFacts = { master: this.master, service: 'nailgun', method, path: shown, ambiguous: false };
      const res = await this.exchange(facts, { method, url, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: opts.signal }, idempotent, n);
      if (res === 'retry') continue;
      if (res.status === 401 && token !== undefined && !reauthenticated) {
        // An expired or revoked token is refused before Nailgun runs the handler: safe to resend once.
        reauthenticated = true;
        this.token = undefined;
        n--;
        continue;
      }
      if (res.status >= 400) {
        if (idempotent && this.policy.statuses.includes(res.status) && n < this.policy.attempts) {
          await this.pause(facts, res.status, n, retryAfterMs(res.headers['retry-after']), opts.signal);
          continue;
        }
        throw new FuelHttpError({ ...facts, status: res.status, fuelMessage: parseFuelErrorBody(res.body), ambiguous: !idempotent && res.status >= 500 });
      }
      return parseJson(res, facts);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** One attempt; 'retry' after a failure worth retrying (the pause is already taken). */
  private async exchange(
    facts: FuelCallFacts,
    req: { method: string; url: URL; headers: Record<string, string>; body: string | undefined; signal: AbortSignal | undefined },
    idempotent: boolean,
    n: number,
  ): Promise<AttemptResult | 'retry'> {
    this.callCount++;
    try {
      return await attempt(this.agent, { ...req, timeoutMs: this.timeoutMs });
    } catch (err) {
      if (!(err instanceof AttemptFailure)) throw err;
      if (err.kind === 'aborted') throw aborted(facts);
      // A refused connection never reached the master: resending is safe for any call.
      const retryable = err.kind === 'refused' || (idempotent && err.kind === 'reset');
      if (retryable && n < this.policy.attempts) {
        await this.pause(facts, null, n, undefined, req.signal);
        return 'retry';
      }
      const ambiguous = !idempotent && err.sent;
      const code = err.kind === 'timeout' ? 'PH_CLOUD_TIMEOUT' : 'PH_CLOUD_UNREACHABLE';
      const reason = err.kind === 'timeout' ? err.message : `${err.message}${n > 1 ? ` after ${n} attempts` : ''}`;
      throw new FuelTransportError(code, reason, { ...facts, ambiguous, cause: err.cause ?? err });
    }
  }

  private async pause(facts: FuelCallFacts, status: number | null, n: number, asked: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    const delayMs = Math.max(backoff(this.policy, n), Math.min(asked ?? 0, this.policy.maxDelayMs * 6));
    this.options.onRetry?.({ master: this.master, method: facts.method, path: facts.path, status, attempt: n, delayMs });
    try {
      await this.sleep(delayMs, signal);
    } catch {
      throw aborted(facts);
    }
  }

  private async currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.token && this.token.expiresAt - Date.now() > TOKEN_MARGIN_MS) return this.token.id;
    // One login at a time: concurrent calls share it.
    this.pendingToken ??= this.login(signal).finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async login(signal: AbortSignal | undefined): Promise<string> {
    const url = new URL(`${this.keystoneUrl}/tokens`);
    // The Keystone may live elsewhere (credentials.keystoneUrl): then say where.
    const where = url.origin === new URL(this.baseUrl).origin ? url.pathname : redactUrl(`${url.origin}${url.pathname}`);
    const facts: FuelCallFacts = { master: this.master, service: 'keystone', method: 'POST', path: where, ambiguous: false };
    const body = JSON.stringify({
      auth: { tenantName: this.credentials.tenantName ?? 'admin', passwordCredentials: { username: this.credentials.username, password: this.credentials.password } },
    });
    for (let n = 1; ; n++) {
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'pumphouse' };
      // Asking for a token twice is harmless: the login is retried like a read.
      const res = await this.exchange(facts, { method: 'POST', url, headers, body, signal }, true, n);
      if (res === 'retry') continue;
      if (res.status === 401 || res.status === 403) {
        throw new PumphouseError(
          'PH_AUTH_FAILED',
          `the Keystone of Fuel master ${this.master} (${redactUrl(`${url.origin}${url.pathname}`)}) rejected user '${this.credentials.username}' in tenant '${this.credentials.tenantName ?? 'admin'}': ${parseFuelErrorBody(res.body) || `HTTP ${res.status}`}`,
          { details: { master: this.master, service: 'keystone', status: res.status, username: this.credentials.username } },
        );
      }
      if (res.status >= 400) {
        if (this.policy.statuses.includes(res.status) && n < this.policy.attempts) {
          await this.pause(facts, res.status, n, retryAfterMs(res.headers['retry-after']), signal);
          continue;
        }
        throw new FuelHttpError({ ...facts, status: res.status, fuelMessage: parseFuelErrorBody(res.body) });
      }
      const doc = parseJson(res, facts) as { access?: { token?: { id?: unknown; expires?: unknown } } } | null;
      const id = doc?.access?.token?.id;
      if (typeof id !== 'string' || id === '') throw new FuelTransportError('PH_CLOUD_BAD_RESPONSE', 'the token response has no access.token.id', { ...facts, status: res.status });
      const expires = typeof doc?.access?.token?.expires === 'string' ? Date.parse(doc.access.token.expires) : Number.NaN;
      this.token = { id, expiresAt: Number.isNaN(expires) ? Date.now() + 3_600_000 : expires };
      return id;
    }
  }
}

function parseJson(res: AttemptResult, facts: FuelCallFacts): unknown {
  if (res.body.trim() === '') return null;
  try {
    return JSON.parse(res.body) as unknown;
  } catch (err) {
    throw new FuelTransportError('PH_CLOUD_BAD_RESPONSE', `HTTP ${res.status} with a body that is not JSON: ${parseFuelErrorBody(res.body).slice(0, 200)}`, {
      ...facts,
      status: res.status,
      cause: err,
    });
  }
}

function aborted(facts: FuelCallFacts): PumphouseError {
  return new PumphouseError('PH_ABORTED', `Fuel master ${facts.master} ${facts.method} ${facts.path}: aborted`, { details: { master: facts.master } });
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
