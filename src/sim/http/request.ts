import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { badRequest } from './errors.js';

/** Who is calling, from a validated X-Auth-Token. */
export interface AuthContext {
  readonly tokenId: string;
  readonly userId: string;
  readonly userName: string;
  readonly userDomainId: string;
  /** Project the token is scoped to (undefined for unscoped and domain-scoped tokens). */
  readonly projectId: string | undefined;
  readonly projectName: string | undefined;
  readonly domainScopeId: string | undefined;
  /** Role names on the scope. */
  readonly roles: readonly string[];
  readonly roleIds: readonly string[];
  /** Holds the `admin` role on its scope: what `context.is_admin` means in these releases. */
  readonly isAdmin: boolean;
  readonly expiresAt: Date;
}

/**
 * One request as a handler sees it: path below the service prefix, query, route params, the
 * caller (when the route needs a token), and lazy body readers.
 */
export interface SimRequest {
  readonly method: string;
  /** Path below the service prefix, e.g. `/v2.1/servers/detail` for `/compute/v2.1/servers/detail`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** The raw request, for streamed uploads (`req.raw.pipe(...)`); do not also call body()/json(). */
  readonly raw: IncomingMessage;
  /** Set for routes with `auth: 'token'` or `'admin'`. */
  readonly auth: AuthContext | undefined;
  /** Base URL of the service as advertised (`http://127.0.0.1:PORT/compute`). */
  readonly baseUrl: string;
  header(name: string): string | undefined;
  body(): Promise<Buffer>;
  /** JSON body; 400 in the service's format when it is not JSON (or empty, unless `optional`). */
  json<T = Record<string, unknown>>(optional?: boolean): Promise<T>;
}

/** The caller when the route requires one; a route with `auth: 'none'` must not call this. */
export function caller(req: SimRequest): AuthContext {
  if (!req.auth) throw new Error(`route ${req.method} ${req.path} has no auth context (declared auth: 'none'?)`);
  return req.auth;
}

export function readBody(raw: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(badRequest(`request body larger than ${limit} bytes`));
        raw.destroy();
        return;
      }
      chunks.push(c);
    });
    raw.on('end', () => resolve(Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}

export function parseJson<T>(buf: Buffer, optional: boolean): T {
  const textBody = buf.toString('utf8').trim();
  if (textBody === '') {
    if (optional) return {} as T;
    throw badRequest('Malformed request body: empty');
  }
  try {
    return JSON.parse(textBody) as T;
  } catch {
    throw badRequest('Malformed request body: not JSON');
  }
}
