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
  /** Per segment: the literal it must equal, or undefined for a parameter. */
  readonly literals: readonly (string | undefined)[];
  /** Per segment: the parameter's name, or undefined for a literal. */
  readonly names: readonly (string | undefined)[];
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
  /** Routes by number of segments, each list in declaration order (only equal lengths can match). */
  private readonly bySize = new Map<number, Compiled[]>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const segments = split(route.path);
      const isParam = (p: string) => p.startsWith('{') && p.endsWith('}');
      const c: Compiled = { route, literals: segments.map((p) => (isParam(p) ? undefined : p)), names: segments.map((p) => (isParam(p) ? p.slice(1, -1) : undefined)) };
      const list = this.bySize.get(segments.length);
      if (list) list.push(c);
      else this.bySize.set(segments.length, [c]);
    }
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    const allowed = new Set<string>();
    let headFallback: RouteMatch | undefined;
    for (const c of this.bySize.get(parts.length) ?? []) {
      // Literals first: most routes of a size differ there, and parameters are decoded only
      // for a route whose literals all match (a quota read was tried against every route).
      if (!literalsMatch(c.literals, parts)) continue;
      const params = paramsOf(c.names, parts);
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

function literalsMatch(literals: readonly (string | undefined)[], parts: readonly string[]): boolean {
  for (let i = 0; i < literals.length; i++) {
    const l = literals[i];
    if (l !== undefined && l !== parts[i]) return false;
  }
  return true;
}

/** The parameters' decoded values; undefined when one is not valid percent-encoding. */
function paramsOf(names: readonly (string | undefined)[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (n === undefined) continue;
    try {
      params[n] = decodeURIComponent(parts[i]!);
    } catch {
      return undefined;
    }
  }
  return params;
}
