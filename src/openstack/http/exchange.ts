import type { Dispatcher } from 'undici';
import { Watchdog } from './timeouts.js';
import { classify, type WireFailure, type WireRequest } from './transport.js';

/** A whole answer, read into memory: what a JSON call needs. */
export interface BufferedResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as UTF-8 text; undefined when `bodyFailure` is set. */
  readonly text: string | undefined;
  /** The body broke after the status and headers arrived (timeout, reset, abort). */
  readonly bodyFailure: WireFailure | undefined;
}

/**
 * One attempt over undici's dispatcher with the body collected as it arrives: the same
 * request, timeouts and failure classes as `Transport.send` + `readText`, without the
 * per-request Readable stream and async resource of undici's `request()` (about 25 us of
 * CPU a call on loopback, 20,000 calls in a large discovery). A failure before the headers
 * rejects with a WireFailure; one after them resolves with `bodyFailure`, because the call
 * engine treats the two differently (a response arrived: its request id, and a POST took
 * effect). String and byte bodies only (a stream body goes through `Transport.send`).
 *
 * The handler uses the hooks undici 7's types mark deprecated (onConnect, onHeaders, onData,
 * onComplete, onError) on purpose: they are what undici's client calls itself. A handler with
 * the newer ones (onRequestStart...) is wrapped per request in an UnwrapHandler that parses the
 * headers into an object and makes a controller (dispatcher-base.js `UnwrapHandler.unwrap`),
 * which is the cost this function exists to avoid. Revisit when undici's client speaks the new
 * hooks natively.
 */
export function exchange(dispatcher: Dispatcher, req: WireRequest & { readonly body?: string | Uint8Array | undefined }): Promise<BufferedResponse> {
  const watchdog = new Watchdog();
  if (req.signal) watchdog.follow(req.signal);
  watchdog.arm('headers', req.timeouts.headersMs);
  const { url } = req;
  return new Promise<BufferedResponse>((resolve, reject) => {
    let abort: ((reason?: Error) => void) | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = (): void => abort?.(reasonOf(watchdog.signal));
    watchdog.signal.addEventListener('abort', onAbort, { once: true });
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      watchdog.disarm();
      watchdog.signal.removeEventListener('abort', onAbort);
      return true;
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect(ab) {
        abort = ab;
        if (watchdog.signal.aborted) ab(reasonOf(watchdog.signal));
      },
      onHeaders(statusCode, rawHeaders) {
        // 1xx answers are informational: the real one follows.
        if (statusCode < 200) return true;
        status = statusCode;
        headers = headersOf(rawHeaders);
        watchdog.arm('body', req.timeouts.bodyMs);
        return true;
      },
      onData(chunk) {
        watchdog.refresh();
        chunks.push(chunk);
        size += chunk.length;
        return true;
      },
      onComplete() {
        if (!settle()) return;
        const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
        resolve({ status, headers: headers ?? {}, text: whole.toString('utf8'), bodyFailure: undefined });
      },
      onError(err) {
        if (!settle()) return;
        const failure = classify(err, watchdog, req.signal);
        if (headers === undefined) reject(failure);
        else resolve({ status, headers, text: undefined, bodyFailure: failure });
      },
    };
    try {
      dispatcher.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body ?? null }, handler);
    } catch (err) {
      if (settle()) reject(classify(err, watchdog, req.signal));
    }
  });
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** undici's raw header list (name, value, name, value...) as transport.ts's flattened map. */
function headersOf(raw: Buffer[] | string[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString().toLowerCase();
    const value = raw[i + 1]!.toString();
    const had = out[name];
    out[name] = had === undefined ? value : `${had}, ${value}`;
  }
  return out;
}
