import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { PumphouseError } from '../../errors/index.js';
import { emit, type Reporter } from '../../events/index.js';
import { CloudHttpError, CloudTransportError } from '../errors.js';
import { parseErrorBody } from '../http/error-body.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from '../http/retry-policy.js';
import type { Timeouts, Watchdog } from '../http/timeouts.js';
import { WireFailure, guardedBody, readText, type Transport, type WireRequest, type WireResponse } from '../http/transport.js';
import { displayPath, withQuery } from '../http/url.js';
import type { CallInfo, CloudRequest, CloudResponse, CloudStreamResponse } from './request.js';

/** Everything a call needs besides the request: shared by a session and its scoped copies. */
export interface CallContext {
  readonly cloud: string;
  readonly transport: Transport;
  readonly timeouts: Timeouts;
  readonly retry: RetryPolicy;
  readonly reporter: Reporter | undefined;
  readonly signal: AbortSignal | undefined;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called once per HTTP attempt (the session's call count). */
  readonly count: () => void;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** Default wait between retries; rejects with the abort reason when aborted. */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : undefined);
}

/** Sends a request and reads its body as JSON (or text); retries as the policy allows. */
export function callJson<T>(ctx: CallContext, req: CloudRequest, token: string | undefined): Promise<CloudResponse<T>> {
  return send(ctx, req, token, openBuffered(ctx), async (res, info) => {
    const text = await res.text();
    if (req.method === 'HEAD' || text.trim() === '') return { status: res.status, headers: res.headers, data: undefined, text, call: info };
    const type = res.headers['content-type'] ?? '';
    const looksJson = /^\s*[[{"]/.test(text);
    if (!type.includes('json') && !looksJson) return { status: res.status, headers: res.headers, data: undefined, text, call: info };
    req.onText?.(text);
    try {
      return { status: res.status, headers: res.headers, data: JSON.parse(text) as T, text, call: info };
    } catch (err) {
      throw new CloudTransportError('PH_CLOUD_BAD_RESPONSE', `HTTP ${res.status} with a body that is not valid JSON (${(err as Error).message})`, {
        ...info,
        ambiguous: false,
        status: res.status,
        cause: err,
      });
    }
  });
}

/** Sends a request and hands back the body unread (downloads). */
export function callStream(ctx: CallContext, req: CloudRequest, token: string | undefined): Promise<CloudStreamResponse> {
  return send(ctx, req, token, openStreamed(ctx), async (res, info, signal) => ({
    status: res.status,
    headers: res.headers,
    body: guardedBody(res.wire, signal, (f) => transportError(f, info, false)),
    call: info,
  }));
}

/** One attempt's answer as the retry loop sees it: the body is read (or not) by the consumer. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body; rejects with a WireFailure when it broke. */
  text(): Promise<string>;
}

/** JSON calls: the whole answer read at once (http/exchange.ts, no stream per call). */
function openBuffered(ctx: CallContext): (wire: WireRequest) => Promise<Answer> {
  return async (wire) => {
    const b = await ctx.transport.exchange(wire);
    return {
      status: b.status,
      headers: b.headers,
      text: () => (b.bodyFailure ? Promise.reject(b.bodyFailure) : Promise.resolve(b.text ?? '')),
    };
  };
}

type StreamedAnswer = Answer & { readonly wire: WireResponse & { readonly watchdog: Watchdog } };

/** Downloads: the body stays a stream for the caller. */
function openStreamed(ctx: CallContext): (wire: WireRequest) => Promise<StreamedAnswer> {
  return async (wire) => {
    const res = await ctx.transport.send(wire);
    return { status: res.status, headers: res.headers, wire: res, text: () => readText(res, wire.signal) };
  };
}

type Consume<A extends Answer, R> = (res: A, info: CallInfo, signal: AbortSignal | undefined) => Promise<R>;

async function send<A extends Answer, R>(ctx: CallContext, req: CloudRequest, token: string | undefined, open: (wire: WireRequest) => Promise<A>, consume: Consume<A, R>): Promise<R> {
  const url = withQuery(req.url, req.query);
  const base: CallInfo = { cloud: ctx.cloud, service: req.service, method: req.method, path: displayPath(url), requestId: undefined };
  const idempotent = req.idempotent ?? IDEMPOTENT.has(req.method);
  const replayable = !(req.body instanceof Readable);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'pumphouse', ...req.headers };
  let body = req.body;
  if (req.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(req.json);
  }
  if (token !== undefined) headers['x-auth-token'] = token;
  const timeouts = req.timeouts ? { ...ctx.timeouts, ...req.timeouts } : ctx.timeouts;
  const signal = req.signal && ctx.signal ? AbortSignal.any([req.signal, ctx.signal]) : (req.signal ?? ctx.signal);
  const policy = ctx.retry;
  let throttleWaits = policy.throttleWaits ?? 10;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted(base, signal);
    const mayRetry = replayable && attempt < policy.attempts;
    let info = base;
    let res: A;
    ctx.count();
    try {
      res = await open({ method: req.method, url, headers, body, signal, timeouts });
    } catch (err) {
      const f = err as WireFailure;
      if (f.kind === 'aborted') throw aborted(base, signal);
      if (mayRetry && f.kind !== 'other' && (idempotent || !f.sent)) {
        await pause(ctx, base, null, attempt, backoffDelay(policy, attempt), signal);
        continue;
      }
      throw transportError(f, base, f.sent && !idempotent);
    }
    const requestId = res.headers['x-openstack-request-id'] ?? res.headers['x-compute-request-id'];
    info = { ...base, requestId };

    if ((res.status >= 200 && res.status < 300) || req.okStatuses?.includes(res.status)) {
      try {
        return await consume(res, info, signal);
      } catch (err) {
        if (!(err instanceof WireFailure)) throw err;
        if (err.kind === 'aborted') throw aborted(info, signal);
        // The body broke after a success status: the request took effect; only a read is repeated.
        if (mayRetry && idempotent && err.kind !== 'other') {
          await pause(ctx, info, null, attempt, backoffDelay(policy, attempt), signal);
          continue;
        }
        throw transportError(err, info, !idempotent);
      }
    }

    const text = await res.text().catch(() => '');
    const fault = parseErrorBody(text);
    // 429 means the cloud refused the request before acting on it, so even a POST may repeat.
    // One that says when to come back (Retry-After) is waited for without spending an
    // attempt, up to `throttleWaits` times per request: attempts are for failures.
    const asked = parseRetryAfter(res.headers['retry-after']);
    const told = res.status === 429 && replayable && asked !== undefined && asked <= policy.maxRetryAfterMs && throttleWaits > 0;
    if (told || (mayRetry && policy.statuses.includes(res.status) && (idempotent || res.status === 429))) {
      if (asked === undefined || asked <= policy.maxRetryAfterMs) {
        await pause(ctx, info, res.status, attempt, asked ?? backoffDelay(policy, attempt), signal);
        if (told) {
          throttleWaits--;
          attempt--;
        }
        continue;
      }
    }
    throw new CloudHttpError({
      ...info,
      status: res.status,
      cloudMessage: fault.message,
      faultType: fault.type,
      ambiguous: !idempotent && res.status >= 500,
    });
  }
}

async function pause(ctx: CallContext, info: CallInfo, status: number | null, attempt: number, ms: number, signal: AbortSignal | undefined): Promise<void> {
  emit(ctx.reporter, 'http_retry', 'warn', `${info.cloud} ${info.service} ${info.method} ${info.path}: ${status === null ? 'connection failed' : `HTTP ${status}`}, retry ${attempt} in ${ms} ms`, {
    service: info.service,
    method: info.method,
    path: info.path,
    status,
    attempt,
    delay_ms: ms,
  });
  try {
    await ctx.sleep(ms, signal);
  } catch (err) {
    throw aborted(info, signal, err);
  }
}

function transportError(f: WireFailure, info: CallInfo, ambiguous: boolean): CloudTransportError {
  const code = f.kind === 'timeout' ? 'PH_CLOUD_TIMEOUT' : f.kind === 'refused' || f.kind === 'reset' ? 'PH_CLOUD_UNREACHABLE' : 'PH_CLOUD_UNREACHABLE';
  const reason = f.kind === 'timeout' ? `${f.message} (${f.phase ?? 'request'} timeout)` : f.message;
  return new CloudTransportError(code, reason, { ...info, ambiguous, cause: f.cause ?? f });
}

function aborted(info: CallInfo, signal: AbortSignal | undefined, cause?: unknown): PumphouseError {
  return new PumphouseError('PH_ABORTED', `${info.cloud} ${info.service} ${info.method} ${info.path}: interrupted`, {
    cause: cause ?? signal?.reason,
    details: { cloud: info.cloud, service: info.service, method: info.method, path: info.path },
  });
}

