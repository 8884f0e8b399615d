import { PumphouseError } from '../../errors/index.js';
import type { CloudCredentials } from '../credentials.js';
import { isCloudHttpError } from '../errors.js';
import { joinUrl } from '../http/url.js';
import { obj, objs, str } from '../wire.js';
import { catalogFromV2, catalogFromV3, type CatalogEntry } from './catalog.js';
import type { CloudRequest, CloudResponse } from './request.js';
import { badResponse, member } from './response.js';

/** A token and what Keystone said about it. Never logged: `id` is a secret. */
export interface AuthToken {
  readonly id: string;
  /** Local clock time (ms) at which the token expires; see localExpiry. */
  readonly expiresAt: number;
  /** expires - issued, in ms; undefined when Keystone gave no issue time. */
  readonly lifetimeMs: number | undefined;
  readonly userId: string;
  readonly userName: string | undefined;
  readonly projectId: string | undefined;
  readonly projectName: string | undefined;
  /** Role names on the scoped project. */
  readonly roles: readonly string[];
  readonly catalog: readonly CatalogEntry[];
}

export type Call = (req: CloudRequest) => Promise<CloudResponse>;

/** POST /v2.0/tokens with password credentials (legacy-apis.md §1.1). `base` ends with /v2.0. */
export async function loginV2(call: Call, base: string, creds: CloudCredentials, cloud: string): Promise<AuthToken> {
  const auth: Record<string, unknown> = { passwordCredentials: { username: creds.username, password: creds.password } };
  if (creds.projectId) auth['tenantId'] = creds.projectId;
  else if (creds.projectName) auth['tenantName'] = creds.projectName;
  const started = Date.now();
  const res = await rejectAs401(call({ service: 'identity', method: 'POST', url: joinUrl(base, 'tokens'), json: { auth }, authenticated: false, idempotent: true }), base, creds, cloud);
  const access = member(res, 'access');
  const token = obj(access['token']);
  const user = obj(access['user']);
  const tenant = obj(token['tenant']);
  const id = str(token['id']);
  const userId = str(user['id']);
  if (!id || !userId) throw badResponse(res.call, 'the token answer has no access.token.id or access.user.id', res.status);
  return {
    id,
    ...localExpiry(str(token['expires']), str(token['issued_at']), started),
    userId,
    userName: str(user['name']) ?? str(user['username']),
    projectId: str(tenant['id']),
    projectName: str(tenant['name']),
    roles: objs(user['roles']).map((r) => str(r['name'])).filter((n): n is string => n !== undefined),
    catalog: catalogFromV2(access['serviceCatalog']),
  };
}

/** POST /v3/auth/tokens with the password method; the token is in X-Subject-Token (§1.3). `base` ends with /v3. */
export async function loginV3(call: Call, base: string, creds: CloudCredentials, cloud: string): Promise<AuthToken> {
  const userDomain = creds.userDomainId ? { id: creds.userDomainId } : creds.userDomainName ? { name: creds.userDomainName } : { id: 'default' };
  const projectDomain = creds.projectDomainId ? { id: creds.projectDomainId } : creds.projectDomainName ? { name: creds.projectDomainName } : userDomain;
  const scope = creds.projectId
    ? { project: { id: creds.projectId } }
    : creds.projectName
      ? { project: { name: creds.projectName, domain: projectDomain } }
      : undefined;
  const body = {
    auth: {
      identity: { methods: ['password'], password: { user: { name: creds.username, domain: userDomain, password: creds.password } } },
      ...(scope ? { scope } : {}),
    },
  };
  const started = Date.now();
  const res = await rejectAs401(call({ service: 'identity', method: 'POST', url: joinUrl(base, 'auth/tokens'), json: body, authenticated: false, idempotent: true }), base, creds, cloud);
  const id = res.headers['x-subject-token'];
  const token = member(res, 'token');
  const user = obj(token['user']);
  const project = obj(token['project']);
  const userId = str(user['id']);
  if (!id || !userId) throw badResponse(res.call, 'the token answer has no X-Subject-Token header or token.user.id', res.status);
  return {
    id,
    ...localExpiry(str(token['expires_at']), str(token['issued_at']), started),
    userId,
    userName: str(user['name']),
    projectId: str(project['id']),
    projectName: str(project['name']),
    roles: objs(token['roles']).map((r) => str(r['name'])).filter((n): n is string => n !== undefined),
    catalog: catalogFromV3(token['catalog']),
  };
}

/**
 * Expiry on the local clock: `issued + lifetime` measured from when we asked, so a skewed
 * cloud clock neither expires tokens early nor keeps stale ones.
 */
function localExpiry(expires: string | undefined, issued: string | undefined, requestedAt: number): { expiresAt: number; lifetimeMs: number | undefined } {
  const exp = parseTime(expires);
  if (exp === undefined) return { expiresAt: Number.POSITIVE_INFINITY, lifetimeMs: undefined };
  const iss = parseTime(issued);
  if (iss === undefined) return { expiresAt: exp, lifetimeMs: undefined };
  const lifetime = exp - iss;
  return { expiresAt: requestedAt + lifetime, lifetimeMs: lifetime };
}

/** Keystone times are UTC, sometimes without a zone suffix (`2014-05-01T11:00:00.000000`). */
function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

async function rejectAs401(p: Promise<CloudResponse>, base: string, creds: CloudCredentials, cloud: string): Promise<CloudResponse> {
  try {
    return await p;
  } catch (err) {
    if (isCloudHttpError(err, 401)) {
      const project = creds.projectId ?? creds.projectName;
      throw new PumphouseError(
        'PH_AUTH_FAILED',
        `${cloud}: Keystone at ${base} rejected user "${creds.username}"` +
          (project ? ` for project "${project}" (wrong password, or no role on that project)` : '') +
          (err.cloudMessage ? `: ${err.cloudMessage}` : ''),
        { cause: err, details: { cloud, auth_url: base, username: creds.username, project, request_id: err.requestId } },
      );
    }
    throw err;
  }
}
