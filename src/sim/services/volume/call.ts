import type { CloudContext } from '../../cloud/context.js';
import { badRequest, SimHttpError } from '../../http/errors.js';
import type { SimReply } from '../../http/reply.js';
import type { SimRequest } from '../../http/request.js';
import type { Route, RouteAuth } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import type { ServiceCall } from '../service-call.js';

export type CinderVersion = 1 | 2 | 3;

/** One Cinder request as the volume handlers see it. */
export interface CinderCall extends ServiceCall {
  readonly isAdmin: boolean;
  readonly version: CinderVersion;
  /** v3 microversion minor (3.N -> N); 0 on v1/v2. */
  readonly mv: number;
  /** `http://h:p/volume/v3/<project>`: `self` links. */
  readonly apiUrl: string;
  /** `http://h:p/volume/<project>`: `bookmark` links. */
  readonly bookmarkUrl: string;
}

export type CinderHandler = (c: CinderCall) => SimReply | Promise<SimReply>;

export interface CinderRoute {
  readonly method: Route['method'];
  /** Relative to the API root: `/volumes/{id}`. */
  readonly path: string;
  readonly auth?: RouteAuth;
  readonly handler: CinderHandler;
}

/**
 * The v3 microversion asked by `OpenStack-API-Version: volume 3.N` (none = 3.0, `latest` = the
 * maximum); malformed is a 400, out of range a 406 (what Zed answers).
 */
function negotiate(req: SimRequest, max: string): string {
  let asked: string | undefined;
  for (const part of (req.header('openstack-api-version') ?? '').split(',')) {
    const [service, value] = part.trim().split(/\s+/);
    if (service?.toLowerCase() === 'volume' && value) asked = value;
  }
  if (!asked) return '3.0';
  if (asked.toLowerCase() === 'latest') return max;
  if (!/^\d+\.\d+$/.test(asked)) throw badRequest(`API Version String ${asked} is of invalid format. Must be of format MajorNum.MinorNum.`);
  const [major, minor] = asked.split('.').map(Number) as [number, number];
  if (major !== 3 || minor > Number(max.split('.')[1])) {
    throw new SimHttpError(406, `Version ${asked} is not supported by the API. Minimum is 3.0 and maximum is ${max}.`, undefined, versionHeaders(asked));
  }
  return `3.${minor}`;
}

const versionHeaders = (v: string) => ({ 'OpenStack-API-Version': `volume ${v}`, Vary: 'OpenStack-API-Version' });

/**
 * Mounts Cinder routes under `/v1/{tenant_id}`, `/v2/{tenant_id}` or `/v3/{project_id}`. On v3
 * every answer, errors included, carries `OpenStack-API-Version` and `Vary`, as Zed's.
 */
export function mountCinder(routes: readonly CinderRoute[], version: CinderVersion, profile: Profile): Route[] {
  const max = version === 3 ? (profile.cinderMaxMicroversion ?? '3.0') : null;
  const param = version === 3 ? 'project_id' : 'tenant_id';
  return routes.map((r) => ({
    method: r.method,
    path: `/v${version}/{${param}}${r.path === '/' ? '' : r.path}`,
    auth: r.auth ?? 'token',
    handler: async (req: SimRequest, cloud: CloudContext): Promise<SimReply> => {
      let mv = '3.0';
      try {
        if (max) mv = negotiate(req, max);
        const auth = req.auth!;
        const tenant = encodeURIComponent(req.params[param] ?? '');
        const reply = await r.handler({
          req, cloud, store: cloud.store, profile, auth, projectId: auth.projectId ?? '', isAdmin: auth.isAdmin, version,
          mv: max ? Number(mv.split('.')[1]) : 0, apiUrl: `${req.baseUrl}/v${version}/${tenant}`, bookmarkUrl: `${req.baseUrl}/${tenant}`,
        });
        return max ? { ...reply, headers: { ...versionHeaders(mv), ...(reply.headers ?? {}) } } : reply;
      } catch (err) {
        if (max && err instanceof SimHttpError) throw new SimHttpError(err.status, err.message, err.errorType, { ...versionHeaders(mv), ...(err.headers ?? {}) });
        throw err;
      }
    },
  }));
}

/** Cinder's timestamps: naive ISO with microseconds (`2014-05-01T12:00:00.000000`). */
export function cinderTime(iso: string | null): string | null {
  if (iso === null) return null;
  return iso.replace(/Z$/, '').replace(/(T\d\d:\d\d:\d\d)(\.\d+)?$/, (_m, t: string, frac?: string) => `${t}${(frac ?? '.').padEnd(7, '0').slice(0, 7)}`);
}

/** The `{"<key>": {...}}` body of a request; 400 when missing. */
export async function bodyOf(c: CinderCall, key: string): Promise<Record<string, unknown>> {
  const b = await c.req.json<Record<string, unknown>>();
  const inner = typeof b === 'object' && b !== null ? b[key] : undefined;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw badRequest(`Missing required element '${key}' in request body.`);
  return inner as Record<string, unknown>;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Legacy Cinder's messages differ from Zed's in places; this says which a cloud speaks. */
export const modern = (c: CinderCall): boolean => c.profile.cinderMaxMicroversion !== null;

/** `strutils.bool_from_string` (strict: anything else is a 400 naming the field). */
export function boolParam(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on', 'y', 't'].includes(v)) return true;
    if (['false', '0', 'no', 'off', 'n', 'f'].includes(v)) return false;
  }
  throw badRequest(`Invalid value '${String(value)}' for ${field}.`);
}
