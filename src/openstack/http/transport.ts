import { readFile } from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import { Agent, request } from 'undici';
import { exchange, type BufferedResponse } from './exchange.js';
import { DEFAULT_TIMEOUTS, Watchdog, type Timeouts } from './timeouts.js';

/** TLS and pool settings for one cloud. */
export interface TransportOptions {
  readonly timeouts?: Partial<Timeouts>;
  /** Path of a PEM CA bundle. */
  readonly cacert?: string;
  /** Skip certificate verification (lab clouds only). */
  readonly insecure?: boolean;
  /** Connections kept per origin (each service port is an origin). Default 16. */
  readonly connections?: number;
}

export interface WireRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | Readable | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeouts: Timeouts;
}

export interface WireResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readable;
}

/** Why an attempt produced no response. `sent` says whether the cloud may have received the request. */
export type WireFailureKind = 'refused' | 'reset' | 'timeout' | 'aborted' | 'other';

export class WireFailure extends Error {
  override readonly name = 'WireFailure';
  constructor(
    readonly kind: WireFailureKind,
    readonly sent: boolean,
    message: string,
    readonly phase?: 'connect' | 'headers' | 'body',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Codes meaning the request never left this machine: safe to resend even a POST. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** The undici connection pool of one cloud (an Agent: one pool per origin) and single HTTP attempts over it. */
export class Transport {
  private constructor(
    private readonly agent: Agent,
    readonly timeouts: Timeouts,
  ) {}

  static async open(opts: TransportOptions = {}): Promise<Transport> {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    const ca = opts.cacert ? await readFile(opts.cacert) : undefined;
    const agent = new Agent({
      connections: opts.connections ?? 16,
      keepAliveTimeout: 4_000,
      // undici's timers are a coarse backstop; Watchdog enforces the exact limits.
      headersTimeout: timeouts.headersMs + 2_000,
      bodyTimeout: timeouts.bodyMs + 2_000,
      connect: { timeout: timeouts.connectMs, ...(ca ? { ca } : {}), ...(opts.insecure ? { rejectUnauthorized: false } : {}) },
    });
    return new Transport(agent, timeouts);
  }

  /**
   * Sends one attempt. Resolves once headers arrive; the caller must consume or destroy
   * `body`. `watchdog` keeps guarding the body: call `watchdog.disarm()` when done.
   */
  async send(req: WireRequest): Promise<WireResponse & { readonly watchdog: Watchdog }> {
    const watchdog = new Watchdog();
    if (req.signal) watchdog.follow(req.signal);
    const signal = watchdog.signal;
    let body: string | Uint8Array | Readable | undefined = req.body;
    if (body instanceof Readable) {
      // A stream body is guarded by the body timeout while it flows, then by the headers one.
      watchdog.arm('body', req.timeouts.bodyMs);
      const meter = new Transform({
        transform(chunk, _enc, done) {
          watchdog.refresh();
          done(null, chunk);
        },
        flush(done) {
          watchdog.arm('headers', req.timeouts.headersMs);
          done();
        },
      });
      pipeline(body, meter, () => {});
      body = meter;
    } else {
      watchdog.arm('headers', req.timeouts.headersMs);
    }
    try {
      const res = await request(req.url, {
        method: req.method as 'GET',
        headers: req.headers,
        body: body ?? null,
        dispatcher: this.agent,
        signal,
      });
      // Readers refresh the watchdog per chunk (readText, guardedBody); a 'data' listener
      // here would switch the stream to flowing mode and lose data.
      watchdog.arm('body', req.timeouts.bodyMs);
      res.body.on('end', () => watchdog.disarm());
      res.body.on('error', () => watchdog.disarm());
      res.body.on('close', () => watchdog.disarm());
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: res.body, watchdog };
    } catch (err) {
      watchdog.disarm();
      throw classify(err, watchdog, req.signal);
    }
  }

  /**
   * Sends one attempt and reads the whole answer (see exchange.ts): rejects with a
   * WireFailure when no answer came, resolves with `bodyFailure` when the body broke after
   * the headers. A stream body is sent through `send()` and read with `readText()`.
   */
  async exchange(req: WireRequest): Promise<BufferedResponse> {
    const body = req.body;
    if (!(body instanceof Readable)) return exchange(this.agent, { ...req, body });
    const res = await this.send(req);
    try {
      return { status: res.status, headers: res.headers, text: await readText(res, req.signal), bodyFailure: undefined };
    } catch (err) {
      if (!(err instanceof WireFailure)) throw err;
      return { status: res.status, headers: res.headers, text: undefined, bodyFailure: err };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Maps a low-level failure to a WireFailure (keeps the original as `cause`). */
export function classify(err: unknown, watchdog: Watchdog | undefined, callerSignal: AbortSignal | undefined): WireFailure {
  if (err instanceof WireFailure) return err;
  if (watchdog?.firedIn) {
    return new WireFailure('timeout', true, `no ${watchdog.firedIn === 'headers' ? 'answer' : 'data'} in time`, watchdog.firedIn, { cause: err });
  }
  if (callerSignal?.aborted) return new WireFailure('aborted', false, 'aborted', undefined, { cause: err });
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new WireFailure('timeout', false, 'connection timed out', 'connect', { cause: err });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new WireFailure('timeout', true, 'no answer in time', 'headers', { cause: err });
  if (code === 'UND_ERR_BODY_TIMEOUT') return new WireFailure('timeout', true, 'no data in time', 'body', { cause: err });
  if (code && NOT_SENT.has(code)) return new WireFailure('refused', false, `connection failed (${code})`, 'connect', { cause: err });
  if (code && RESET.has(code)) return new WireFailure('reset', true, `connection broken (${code}: ${message})`, undefined, { cause: err });
  return new WireFailure('other', true, message, undefined, { cause: err });
}

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (e as { errors?: unknown[] }).errors?.[0];
    e = inner ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  // undici hands the names in lower case already; lower-casing again costs nothing when they are.
  for (const k in h) {
    const v = h[k];
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * Reads a whole response body as text, enforcing the body timeout through the watchdog.
 * Listeners rather than an async iterator: one promise per body instead of one per chunk.
 * A body that closes before its end is a failure, as the iterator reported it.
 */
export function readText(res: WireResponse & { readonly watchdog: Watchdog }, callerSignal?: AbortSignal): Promise<string> {
  const { body, watchdog } = res;
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const done = (err: unknown, text?: string): void => {
      if (settled) return;
      settled = true;
      watchdog.disarm();
      body.off('data', onData);
      if (err === undefined) resolve(text ?? '');
      else reject(classify(err, watchdog, callerSignal));
    };
    const onData = (chunk: Buffer | string): void => {
      watchdog.refresh();
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
    };
    body.on('data', onData);
    body.once('end', () => done(undefined, decode(chunks, size)));
    body.once('error', (err) => done(err));
    body.once('close', () => done(prematureClose()));
    if (body.destroyed) done(body.errored ?? prematureClose());
  });
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** UTF-8 text of the chunks; one chunk is decoded in place (most answers are a single chunk). */
function decode(chunks: readonly Buffer[], size: number): string {
  if (chunks.length === 0) return '';
  const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  return whole.toString('utf8');
}

/**
 * The response body as a stream for the caller to consume at its own pace; each chunk
 * refreshes the body timeout. A timeout, abort or broken connection errors the stream with
 * `mapError(WireFailure)`.
 */
export function guardedBody(
  res: WireResponse & { readonly watchdog: Watchdog },
  callerSignal: AbortSignal | undefined,
  mapError: (failure: WireFailure) => Error,
): Readable {
  const out = new Transform({
    transform(chunk, _enc, done) {
      res.watchdog.refresh();
      done(null, chunk);
    },
  });
  res.body.on('error', (err) => {
    res.watchdog.disarm();
    out.destroy(mapError(classify(err, res.watchdog, callerSignal)));
  });
  res.body.on('end', () => res.watchdog.disarm());
  out.on('close', () => {
    res.watchdog.disarm();
    if (!res.body.destroyed) res.body.destroy();
  });
  res.body.pipe(out);
  return out;
}
