import { Agent, request } from 'undici';

/** Why an attempt got no response. `sent`: the master may have received the request. */
export type AttemptFailureKind = 'refused' | 'reset' | 'timeout' | 'aborted' | 'other';

export class AttemptFailure extends Error {
  override readonly name = 'AttemptFailure';
  constructor(
    readonly kind: AttemptFailureKind,
    readonly sent: boolean,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface AttemptResult {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Error codes meaning the request never left this machine: safe to resend even a POST. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/**
 * One HTTP exchange with the Fuel master: sends, reads the whole (small, JSON) body, and
 * enforces `timeoutMs` over the exchange. Nailgun answers are small, so one limit for
 * headers and body is enough.
 */
export async function attempt(
  agent: Agent,
  req: { method: string; url: URL; headers: Record<string, string>; body: string | undefined; signal: AbortSignal | undefined; timeoutMs: number },
): Promise<AttemptResult> {
  const guard = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    guard.abort(new Error('timeout'));
  }, req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, guard.signal]) : guard.signal;
  try {
    const res = await request(req.url, { method: req.method as 'GET', headers: req.headers, body: req.body ?? null, dispatcher: agent, signal });
    const body = await res.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, body };
  } catch (err) {
    if (timedOut) throw new AttemptFailure('timeout', true, `no answer within ${req.timeoutMs} ms`, { cause: err });
    if (req.signal?.aborted) throw new AttemptFailure('aborted', false, 'aborted', { cause: err });
    const code = codeOf(err);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') throw new AttemptFailure('timeout', false, 'connection timed out', { cause: err });
    if (code && NOT_SENT.has(code)) throw new AttemptFailure('refused', false, `connection failed (${code})`, { cause: err });
    if (code && RESET.has(code)) throw new AttemptFailure('reset', true, `connection broken (${code})`, { cause: err });
    throw new AttemptFailure('other', true, err instanceof Error ? err.message : String(err), { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { errors?: unknown[] }).errors?.[0] ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}
