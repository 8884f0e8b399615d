import { badRequest, forbidden, SimHttpError } from '../../http/errors.js';
import type { SimReply } from '../../http/reply.js';
import type { AuthContext, SimRequest } from '../../http/request.js';
import type { Route, RouteAuth } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import type { ServiceCall } from '../service-call.js';

/** Which API root a request came in on. */
export type NovaApiRoot = 'v2' | 'v2.1';

/**
 * One Nova request as the compute handlers see it: the caller, the negotiated microversion and
 * the URLs links are built from. Built once per request by `novaRoutes`.
 */
export interface NovaCall extends ServiceCall {
  /** The microversion's minor number (2.N -> N); 1 where the API has no microversions. */
  readonly mv: number;
  /** The API speaks microversions (modern `/v2.1`); false for v2 and Juno's experimental v2.1. */
  readonly microversions: boolean;
  readonly root: NovaApiRoot;
  /** `http://h:p/compute/v2/<tenant>` or `http://h:p/compute/v2.1`: `self` links. */
  readonly apiUrl: string;
  /** The same without the version segment: `bookmark` links. */
  readonly bookmarkUrl: string;
}

export type NovaHandler = (c: NovaCall) => SimReply | Promise<SimReply>;

/** A compute route relative to the API root (`/servers/{id}`). */
export interface NovaRoute {
  readonly method: Route['method'];
  readonly path: string;
  readonly auth: RouteAuth;
  readonly handler: NovaHandler;
}

/** `2.93` -> 93. */
export function minorOf(version: string): number {
  return Number(version.split('.')[1] ?? '0');
}

const VARY = ['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version'];

/**
 * The microversion a request asks for (modern Nova): `OpenStack-API-Version: compute 2.N`
 * wins over `X-OpenStack-Nova-API-Version: 2.N`; none means 2.1; `latest` means the maximum.
 * A malformed value is a 400, one out of range a 406 (what Zed answers).
 */
export function negotiate(req: SimRequest, max: string): number {
  let asked: string | undefined;
  const std = req.header('openstack-api-version');
  if (std) {
    for (const part of std.split(',')) {
      const [service, value] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && value) asked = value;
    }
  }
  asked ??= req.header('x-openstack-nova-api-version')?.trim();
  if (!asked) return 1;
  if (asked.toLowerCase() === 'latest') return minorOf(max);
  if (!/^\d+\.\d+$/.test(asked)) throw badRequest(`API Version String ${asked} is of invalid format. Must be of format MajorNum.MinorNum.`);
  const [major, minor] = asked.split('.').map(Number) as [number, number];
  if (major !== 2 || minor < 1 || minor > minorOf(max)) {
    throw new SimHttpError(406, `Version ${asked} is not supported by the API. Minimum is 2.1 and maximum is ${max}.`, undefined, versionHeaders(asked));
  }
  return minor;
}

function versionHeaders(version: string): Record<string, string> {
  return { 'OpenStack-API-Version': `compute ${version}`, 'X-OpenStack-Nova-API-Version': version, Vary: VARY.join(', ') };
}

/**
 * Mounts compute routes under one API root: `/v2/{tenant_id}` (legacy), `/v2.1/{tenant_id}`
 * (Juno's experimental v2.1) or `/v2.1` (modern, microversions). Each handler gets a NovaCall;
 * on a microversioned root every answer, errors included, carries the version headers and
 * `Vary`, as Zed does.
 */
export function mountNova(routes: readonly NovaRoute[], root: NovaApiRoot, profile: Profile): Route[] {
  const max = root === 'v2.1' ? profile.novaMaxMicroversion : null;
  const prefix = root === 'v2' ? '/v2/{tenant_id}' : max ? '/v2.1' : '/v2.1/{tenant_id}';
  return routes.map((r) => ({
    method: r.method,
    path: `${prefix}${r.path}`,
    auth: r.auth,
    handler: async (req, cloud) => {
      let mv = 1;
      try {
        if (max) mv = negotiate(req, max);
        const tenant = req.params['tenant_id'];
        const apiUrl = `${req.baseUrl}/${root}${tenant !== undefined ? `/${encodeURIComponent(tenant)}` : ''}`;
        const call: NovaCall = {
          req,
          cloud,
          store: cloud.store,
          profile,
          get auth(): AuthContext {
            if (!req.auth) throw new Error(`route ${req.method} ${req.path} has no auth context`);
            return req.auth;
          },
          mv,
          microversions: max !== null,
          root,
          apiUrl,
          bookmarkUrl: `${req.baseUrl}${tenant !== undefined ? `/${encodeURIComponent(tenant)}` : ''}`,
          get projectId(): string {
            return req.auth?.projectId ?? '';
          },
        };
        let reply = await r.handler(call);
        // Nova labels even its empty 202/204 answers as JSON.
        if (reply.json === undefined && reply.text === undefined && reply.stream === undefined) reply = { ...reply, headers: { 'Content-Type': 'application/json', ...(reply.headers ?? {}) } };
        if (!max) return reply;
        const version = `2.${mv}`;
        return { ...reply, headers: { ...(reply.headers ?? {}), 'OpenStack-API-Version': `compute ${version}`, 'X-OpenStack-Nova-API-Version': version, Vary: VARY } };
      } catch (err) {
        if (max && err instanceof SimHttpError && !err.headers?.['OpenStack-API-Version']) {
          throw new SimHttpError(err.status, err.message, err.errorType, { ...(err.headers ?? {}), ...versionHeaders(`2.${mv}`) });
        }
        throw err;
      }
    },
  }));
}

/** Nova's policy refusal (modern names the rule; legacy says the same thing without it). */
export function policyRefusal(c: NovaCall, rule: string): SimHttpError {
  return forbidden(c.microversions ? `Policy doesn't allow ${rule} to be performed.` : 'Policy does not allow this operation to be performed.');
}

/** Throws Nova's 403 unless the caller is an admin. */
export function requireAdmin(c: NovaCall, rule: string): void {
  if (!c.auth.isAdmin) throw policyRefusal(c, rule);
}

/** The Nova 409 for an action in the wrong state. */
export function stateConflict(action: string, serverId: string, attr: 'vm_state' | 'task_state', state: string | null): SimHttpError {
  return new SimHttpError(409, `Cannot '${action}' instance ${serverId} while it is in ${attr} ${state ?? 'None'}`, 'Conflict');
}

/** The object under `key` of a JSON body; legacy v2 answers 422 for a body without it, v2.1 400. */
export async function bodyOf(c: NovaCall, key: string): Promise<Record<string, unknown>> {
  const body = await c.req.json<Record<string, unknown>>();
  const inner = body[key];
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) {
    if (c.root === 'v2') throw new SimHttpError(422, 'Unable to process the contained instructions', 'HTTPUnprocessableEntity');
    throw badRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(inner ?? null)}. ${JSON.stringify(inner ?? null)} is not of type 'object'`);
  }
  return inner as Record<string, unknown>;
}

/** A `true`-ish query or body value as Nova's `strutils.bool_from_string` reads it. */
export function truthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return false;
  return ['1', 't', 'true', 'on', 'y', 'yes'].includes(value.trim().toLowerCase());
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
