import type { CloudContext } from '../cloud/context.js';
import type { SimReply } from './reply.js';
import type { SimRequest } from './request.js';

/**
 * `none`: no token needed (version documents, POST tokens); `token`: a valid X-Auth-Token;
 * `admin`: a valid token holding the admin role (403 in the service's format otherwise).
 */
export type RouteAuth = 'none' | 'token' | 'admin';

export type Handler = (req: SimRequest, cloud: CloudContext) => SimReply | Promise<SimReply>;

/** One line of a service's route table. `path` segments in braces are parameters: `/v2/{tenant_id}/servers/{id}`. */
export interface Route {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly auth: RouteAuth;
  readonly handler: Handler;
}

interface Compiled {
  readonly route: Route;
  readonly segments: readonly string[];
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

/**
 * Route table of one service: first match in declaration order wins, so declare literal paths
 * (`/servers/detail`) before parameter ones (`/servers/{id}`). A `GET` route also answers
 * `HEAD` unless a `HEAD` route is declared.
 */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: split(route.path) }));
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    const allowed = new Set<string>();
    let headFallback: RouteMatch | undefined;
    for (const c of this.compiled) {
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method === method) return { kind: 'found', route: c.route, params };
      if (method === 'HEAD' && c.route.method === 'GET' && !headFallback) headFallback = { kind: 'found', route: c.route, params };
      allowed.add(c.route.method);
    }
    if (headFallback) return headFallback;
    return allowed.size > 0 ? { kind: 'wrong-method', allowed: [...allowed] } : { kind: 'none' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith('{') && p.endsWith('}')) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) return undefined;
  }
  return params;
}
