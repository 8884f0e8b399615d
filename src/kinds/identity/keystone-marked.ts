import { markDescription, markerEntries, markerFromDescription, markerFromEntries, unmarkDescription } from '../../inventory/marker.js';
import type { Marker } from '../../inventory/types.js';
import { ServiceApi, type Cloud } from '../../openstack/index.js';
import { ensureVersionSuffix } from '../../openstack/http/url.js';
import { toProject, toUser } from '../../openstack/identity/normalize.js';
import { bodyObject, member } from '../../openstack/session/response.js';
import type { Project, User } from '../../openstack/types/identity.js';
import { objs, obj, type Raw } from '../../openstack/wire.js';

/** A Keystone object with the pumphouse marker it carries, if any. */
export type WithMarker<T> = T & { readonly marker: Marker | undefined };

export interface ProjectCreate {
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  /** v2.0 only: Keystone v2.0 honours a caller-chosen tenant id; v3 always makes its own. */
  readonly id?: string;
}

export interface UserCreate {
  readonly name: string;
  readonly password: string;
  readonly email: string | null;
  readonly enabled: boolean;
  readonly defaultProjectId: string | null;
}

/**
 * Keystone writes that carry the marker, which the identity client does not model. Two
 * carriers, both in the create request itself (so no crash can leave an unmarked copy):
 * extra attributes (`pumphouse_source`, `pumphouse_kind`: Keystone keeps unknown attributes
 * of v3 projects and of users in `extra` and returns them as members) where the API takes
 * them, and the description suffix on every project and user, which is what discovery reads
 * through the identity client (its records carry no extra attributes). v2.0 tenants get the
 * suffix only. Reads take either and hide the suffix. Objects live in the `default` domain
 * (the plan names none).
 */
export class KeystoneMarked {
  private readonly api: ServiceApi;
  private readonly v3: boolean;

  constructor(cloud: Cloud) {
    const session = cloud.session;
    this.v3 = session.identityVersion === '3';
    // The same endpoints the identity client uses (openstack/identity/index.ts).
    const base = this.v3
      ? () => session.authUrl
      : () =>
          ensureVersionSuffix(
            session.hasEndpoint('identity', { interface: 'admin' }) ? session.endpoint('identity', { interface: 'admin' }) : session.authUrl,
            'v2.0',
          );
    this.api = new ServiceApi(session, 'identity', base);
  }

  async createProject(p: ProjectCreate, marker: Marker): Promise<WithMarker<Project>> {
    if (this.v3) {
      const description = markDescription(p.description, marker);
      const body = { project: { name: p.name, description, enabled: p.enabled, domain_id: 'default', ...markerEntries(marker) } };
      return marked(member(await this.api.post('/projects', body), 'project'), toProject);
    }
    const tenant = { name: p.name, description: markDescription(p.description, marker), enabled: p.enabled, ...(p.id ? { id: p.id } : {}) };
    return marked(member(await this.api.post('/tenants', { tenant }), 'tenant'), toProject);
  }

  /** The project named `name` (in the default domain), undefined when there is none. */
  async findProject(name: string): Promise<WithMarker<Project> | undefined> {
    if (this.v3) {
      const res = await this.api.get('/projects', { name, domain_id: 'default' });
      const raw = objs(bodyObject(res)['projects'])[0];
      return raw ? marked(raw, toProject) : undefined;
    }
    const raw = await this.getOrUndefined('/tenants', { name }, 'tenant');
    return raw ? marked(raw, toProject) : undefined;
  }

  async createUser(u: UserCreate, marker: Marker): Promise<WithMarker<User>> {
    const user: Record<string, unknown> = {
      name: u.name,
      password: u.password,
      enabled: u.enabled,
      description: markDescription(null, marker),
      ...markerEntries(marker),
    };
    if (u.email !== null) user['email'] = u.email;
    if (this.v3) {
      user['domain_id'] = 'default';
      if (u.defaultProjectId !== null) user['default_project_id'] = u.defaultProjectId;
    } else if (u.defaultProjectId !== null) {
      user['tenantId'] = u.defaultProjectId;
    }
    return marked(member(await this.api.post('/users', { user }), 'user'), toUser);
  }

  async findUser(name: string): Promise<WithMarker<User> | undefined> {
    if (this.v3) {
      const res = await this.api.get('/users', { name, domain_id: 'default' });
      const raw = objs(bodyObject(res)['users'])[0];
      return raw ? marked(raw, toUser) : undefined;
    }
    const raw = await this.getOrUndefined('/users', { name }, 'user');
    return raw ? marked(raw, toUser) : undefined;
  }

  /** v2.0 answers `?name=` with one object, or 404. */
  private async getOrUndefined(path: string, query: Record<string, string>, key: string): Promise<Raw | undefined> {
    try {
      return obj(bodyObject(await this.api.get(path, query))[key]);
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }
}

/** The record with its marker (extra attributes, nested `extra`, or description suffix) and the suffix hidden. */
function marked<T extends { readonly description: string | null }>(raw: Raw, map: (r: Raw) => T): WithMarker<T> {
  const record = map(raw);
  const marker = markerFromEntries(raw) ?? markerFromEntries(obj(raw['extra'])) ?? markerFromDescription(record.description);
  const description = record.description === null ? null : unmarkDescription(record.description);
  return { ...record, description, marker } as WithMarker<T>;
}

function isStatus(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === status;
}
