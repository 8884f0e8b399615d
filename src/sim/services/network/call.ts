import type { CloudContext } from '../../cloud/context.js';
import { badRequest, forbidden, SimHttpError } from '../../http/errors.js';
import type { SimReply } from '../../http/reply.js';
import type { SimRequest } from '../../http/request.js';
import type { Route, RouteAuth } from '../../http/router.js';
import type { Profile } from '../../profile.js';
import type { ServiceCall } from '../service-call.js';

/** One Neutron request as the handlers see it. */
export interface NeutronCall extends ServiceCall {
  readonly isAdmin: boolean;
}

export type NeutronHandler = (c: NeutronCall) => SimReply | Promise<SimReply>;

/** A route relative to `/v2.0`. */
export interface NeutronRoute {
  readonly method: Route['method'];
  readonly path: string;
  readonly handler: NeutronHandler;
  readonly auth?: RouteAuth;
}

/** Mounts Neutron routes under `/v2.0` (and `/v2.0/x.json`, which old clients used, is not served). */
export function v2Routes(routes: readonly NeutronRoute[]): Route[] {
  return routes.map((r) => ({
    method: r.method,
    path: `/v2.0${r.path}`,
    auth: r.auth ?? 'token',
    handler: (req: SimRequest, cloud: CloudContext) => {
      const auth = req.auth;
      if (!auth) throw new Error('Neutron routes need a token');
      return r.handler({ req, cloud, store: cloud.store, profile: cloud.profile, auth, projectId: auth.projectId ?? '', isAdmin: auth.isAdmin });
    },
  }));
}

/** How an attribute may be given: on create, on update, both, or required on create. */
export interface AttributeRule {
  readonly post: boolean;
  readonly put: boolean;
  readonly required?: boolean;
  /** Only an admin may set it (policy `rule:admin_only`). */
  readonly admin?: boolean;
}

export type AttributeTable = Readonly<Record<string, AttributeRule>>;

export const RW: AttributeRule = { post: true, put: true };
export const RO: AttributeRule = { post: false, put: false };
export const CREATE_ONLY: AttributeRule = { post: true, put: false };
export const REQUIRED: AttributeRule = { post: true, put: false, required: true };
export const ADMIN_RW: AttributeRule = { post: true, put: true, admin: true };
export const ADMIN_CREATE: AttributeRule = { post: true, put: false, admin: true };

/**
 * The resource body of a create or update (`{"network": {...}}`), checked the way Neutron's
 * API layer does before any plugin runs: the wrapper key, unknown attributes ("Unrecognized
 * attribute(s)"), attributes not allowed on this verb, required ones, and admin-only ones
 * (403 in the policy engine's words).
 */
export async function resourceBody(c: NeutronCall, resource: string, attrs: AttributeTable, verb: 'create' | 'update'): Promise<Record<string, unknown>> {
  const raw = await c.req.json<Record<string, unknown>>(true);
  const body = raw[resource];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`Unable to find '${resource}' in request body`);
  const b = body as Record<string, unknown>;
  for (const [name, rule] of Object.entries(attrs)) {
    if (verb === 'create') {
      if (name in b && !rule.post) throw badRequest(`Attribute '${name}' not allowed in POST`);
      if (rule.required && !(name in b)) throw badRequest(`Failed to parse request. Required attribute '${name}' not specified`);
    } else if (name in b && !rule.put) {
      throw badRequest(`Cannot update read-only attribute ${name}`);
    }
  }
  const unknown = Object.keys(b).filter((k) => !(k in attrs));
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  if (!c.isAdmin) {
    for (const [name, rule] of Object.entries(attrs)) {
      if (rule.admin && name in b) throw policy(`${verb}_${resource}`, name);
    }
  }
  return b;
}

/** 403 as the policy engine words it: `(rule:create_network and rule:create_network:shared) is disallowed by policy`. */
export function policy(action: string, attribute?: string): SimHttpError {
  const text = attribute ? `(rule:${action} and rule:${action}:${attribute}) is disallowed by policy` : `rule:${action} is disallowed by policy`;
  return forbidden(text, 'PolicyNotAuthorized');
}

/**
 * The project a create acts for: the body's `tenant_id` / `project_id`, else the token's.
 * Another project needs admin (Neutron's own 400, not a policy 403).
 */
export function ownerFor(c: NeutronCall, b: Record<string, unknown>): string {
  const given = str(b['project_id']) ?? str(b['tenant_id']);
  if (given !== undefined && given !== c.projectId && !c.isAdmin) {
    throw badRequest("Specifying 'tenant_id' other than authenticated tenant in request requires admin privileges");
  }
  return given ?? c.projectId;
}

/** The tenant attributes every resource accepts on create (`project_id` on modern). */
export function tenantAttrs(p: Profile): AttributeTable {
  return p.neutronProjectId ? { tenant_id: CREATE_ONLY, project_id: CREATE_ONLY } : { tenant_id: CREATE_ONLY };
}

/** Standard attributes a modern resource accepts (`description`). */
export function describedAttrs(p: Profile): AttributeTable {
  return p.neutronModernApi ? { description: RW } : {};
}

/** Read-only attributes: giving them is "not allowed in POST" (not "unrecognized"). */
export function readOnly(...names: string[]): AttributeTable {
  return Object.fromEntries(names.map((n) => [n, RO]));
}

// ---- value readers: Neutron's convert_to / validators, with its messages

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `convert_to_boolean`: true/false, "true"/"false" (any case), 0/1. */
export function bool(name: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (typeof v === 'string' && ['true', 'false', '0', '1'].includes(v.toLowerCase())) return v.toLowerCase() === 'true' || v === '1';
  throw badRequest(`Invalid input for ${name}. Reason: '${String(v)}' cannot be converted to boolean.`);
}

/** A string attribute with Neutron's 255-character limit. */
export function text(name: string, v: unknown, max = 255): string {
  if (typeof v !== 'string') throw badRequest(`Invalid input for ${name}. Reason: '${String(v)}' is not a valid string.`);
  if (v.length > max) throw badRequest(`Invalid input for ${name}. Reason: '${v}' exceeds maximum length of ${max}.`);
  return v;
}

/** An integer (a numeric string too); the attribute validator's 400 otherwise. */
export function int(name: string, v: unknown): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequest(`Invalid input for ${name}. Reason: '${String(v)}' is not an integer.`);
  return n;
}

/** A list attribute; the attribute validator's 400 otherwise. */
export function list(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) throw badRequest(`Invalid input for ${name}. Reason: '${String(v)}' is not a list.`);
  return v;
}

/** 400 `InvalidInput`: "Invalid input for operation: <reason>." */
export function invalidInput(reason: string): SimHttpError {
  return badRequest(`Invalid input for operation: ${reason}.`, 'InvalidInput');
}

/** 400 `BadRequest` in the resource's words: "Bad router request: <msg>". */
export function badResource(resource: string, msg: string): SimHttpError {
  return badRequest(`Bad ${resource} request: ${msg}`, 'BadRequest');
}
