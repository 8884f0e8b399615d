import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { renderError, SimHttpError, forbidden, type ErrorStyle } from '../http/errors.js';
import type { SimReply } from '../http/reply.js';
import { parseJson, readBody, type AuthContext, type SimRequest } from '../http/request.js';
import { Router } from '../http/router.js';
import type { CloudContext } from './context.js';
import { ReplyBytes } from './reply-bytes.js';
import type { SimService } from './service.js';

/** A service ready to answer: its route table compiled. */
export interface Mounted {
  readonly service: SimService;
  readonly prefix: string;
  readonly router: Router;
}

export function mount(service: SimService): Mounted {
  return { service, prefix: `/${service.name}`, router: new Router(service.routes) };
}

/** Finds the service for a path; `/identity-admin/...` is not `/identity`. */
export function findMounted(mounted: readonly Mounted[], path: string): Mounted | undefined {
  return mounted.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
}

export function styleOf(m: Mounted, path: string): ErrorStyle {
  return typeof m.service.errorStyle === 'function' ? m.service.errorStyle(path) : m.service.errorStyle;
}

/** Hooks the cloud gives the dispatcher (stats, errors of handlers). */
export interface DispatchHooks {
  status(code: number): void;
  handlerError(err: unknown, method: string, path: string): void;
  /** 401 for a missing/invalid token on a non-identity service, in the release's shape. */
  unauthorized(res: ServerResponse, style: ErrorStyle): void;
  requestId(): string;
  /**
   * When set, the handler's reply is not written: the handler ran (the cloud acted) and
   * `lose` answers in its place (an error or a cut connection). Refusals the handler throws
   * are written as usual.
   */
  lose?: () => void;
}

/** Runs one request through a mounted service: route, token, handler, reply or error. */
export async function dispatch(cloud: CloudContext, m: Mounted, req: IncomingMessage, res: ServerResponse, url: URL, hooks: DispatchHooks): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname.slice(m.prefix.length) || '/';
  const style = styleOf(m, path);
  const requestId = hooks.requestId();
  const keystone = m.service.name === 'identity' || m.service.name === 'identity-admin';
  if (!keystone || cloud.profile.keystoneRequestIds) res.setHeader('x-openstack-request-id', requestId);
  // Nova and Cinder also send the id under its older name.
  if (m.service.name === 'compute' || m.service.name === 'volume') res.setHeader('X-Compute-Request-Id', requestId);
  try {
    const found = m.router.match(method, path);
    if (found.kind === 'none') throw new SimHttpError(404, 'The resource could not be found.');
    if (found.kind === 'wrong-method') throw new SimHttpError(405, `The method ${method} is not allowed for this resource.`, 'HTTPMethodNotAllowed', { Allow: found.allowed.join(', ') });
    let auth: AuthContext | undefined;
    if (found.route.auth !== 'none') {
      const header = req.headers['x-auth-token'];
      const rec = cloud.tokens.validate(Array.isArray(header) ? header[0] : header);
      if (!rec) {
        req.resume();
        if (m.service.name === 'identity' || m.service.name === 'identity-admin') throw new SimHttpError(401, 'The request you have made requires authentication.', 'HTTPUnauthorized', { 'WWW-Authenticate': `Keystone uri="${cloud.authUrl}"` });
        hooks.unauthorized(res, style);
        return;
      }
      auth = cloud.tokens.authContext(rec);
      if (found.route.auth === 'admin' && !auth.isAdmin) throw forbidden(adminMessage(style));
    }
    let bodyPromise: Promise<Buffer> | undefined;
    const body = () => (bodyPromise ??= readBody(req));
    const simReq: SimRequest = {
      method,
      path,
      query: url.searchParams,
      params: found.params,
      headers: req.headers,
      raw: req,
      auth,
      baseUrl: cloud.serviceUrl(m.service.name),
      header: (name) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      },
      body,
      json: async <T>(optional = false) => parseJson<T>(await body(), optional),
    };
    let reply: SimReply;
    try {
      reply = await found.route.handler(simReq, cloud);
    } finally {
      // A write may have changed records in place: views derived from the store are stale.
      // Keystone's records live in the identity store, outside the tables, so a login
      // (POST /tokens) leaves the derived views alone.
      if (method !== 'GET' && method !== 'HEAD' && !keystone) cloud.store.touch();
    }
    if (hooks.lose) {
      reply.stream?.destroy();
      req.resume();
      hooks.lose();
      return;
    }
    hooks.status(reply.status);
    await write(res, reply, method === 'HEAD');
  } catch (err) {
    req.resume();
    if (err instanceof SimHttpError) {
      hooks.status(err.status);
      writeError(res, style, err.status, err.message, err.errorType, err.headers);
      return;
    }
    hooks.handlerError(err, method, path);
    hooks.status(500);
    writeError(res, style, 500, 'The server has either erred or is incapable of performing the requested operation.');
  }
}

function adminMessage(style: ErrorStyle): string {
  if (style === 'keystone') return 'You are not authorized to perform the requested action: admin_required.';
  if (style === 'neutron') return 'The request you have made requires admin rights.';
  return 'Policy does not allow this operation to be performed.';
}

export function writeError(res: ServerResponse, style: ErrorStyle, status: number, message: string, errorType?: string, headers?: Readonly<Record<string, string>>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { contentType, body } = renderError(style, status, message, errorType);
  res.writeHead(status, { ...(headers ?? {}), 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** One pool per process: clouds share it (replies are written one at a time per event-loop turn). */
const REPLY_BYTES = new ReplyBytes();

async function write(res: ServerResponse, reply: SimReply, head: boolean): Promise<void> {
  const headers: Record<string, string | number | readonly string[]> = { ...(reply.headers ?? {}) };
  if (reply.stream) {
    headers['Content-Type'] ??= reply.contentType ?? 'application/octet-stream';
    res.writeHead(reply.status, headers as Record<string, string | number | string[]>);
    if (head) {
      reply.stream.destroy();
      res.end();
      return;
    }
    await pipeTo(reply.stream, res);
    return;
  }
  let payload: string | undefined;
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers['Content-Type'] ??= reply.contentType ?? 'application/json';
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers['Content-Type'] ??= reply.contentType ?? 'text/plain; charset=UTF-8';
  }
  // Encoded once here, into a reused buffer: the length is the buffer's, and the socket
  // writes it as it is (a string body would be measured, then encoded again into a copy).
  const encoded = payload === undefined || head ? undefined : REPLY_BYTES.encode(payload);
  headers['Content-Length'] ??= payload === undefined ? 0 : (encoded?.bytes.length ?? Buffer.byteLength(payload));
  res.writeHead(reply.status, headers as Record<string, string | number | string[]>);
  if (encoded) res.once('finish', encoded.release);
  res.end(encoded?.bytes);
}

function pipeTo(src: Readable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    src.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      src.destroy();
      resolve();
    });
    src.pipe(res);
  });
}
