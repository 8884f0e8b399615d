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
 * Keystone writes that carry the marker, which the identity client does not model: v3 extra
 * attributes (`pumphouse_source`, `pumphouse_kind`, stored by Keystone in `extra` and
 * returned as top-level members) on projects and users; on v2.0, a description suffix on
 * tenants and extra attributes on users (v2.0 keeps unknown user attributes too). The
 * marker is part of the create request itself, so no crash can leave an unmarked copy.
 * Objects live in the `default` domain (the plan names none).
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
      const body = { project: { name: p.name, description: p.description, enabled: p.enabled, domain_id: 'default', ...markerEntries(marker) } };
      return withEntries(member(await this.api.post('/projects', body), 'project'), toProject);
    }
    const tenant = { name: p.name, description: markDescription(p.description, marker), enabled: p.enabled, ...(p.id ? { id: p.id } : {}) };
    return tenantOf(member(await this.api.post('/tenants', { tenant }), 'tenant'));
  }

  /** The project named `name` (in the default domain), undefined when there is none. */
  async findProject(name: string): Promise<WithMarker<Project> | undefined> {
    if (this.v3) {
      const res = await this.api.get('/projects', { name, domain_id: 'default' });
      const raw = objs(bodyObject(res)['projects'])[0];
      return raw ? withEntries(raw, toProject) : undefined;
    }
    const raw = await this.getOrUndefined('/tenants', { name }, 'tenant');
    return raw ? tenantOf(raw) : undefined;
  }

  async createUser(u: UserCreate, marker: Marker): Promise<WithMarker<User>> {
    const user: Record<string, unknown> = { name: u.name, password: u.password, enabled: u.enabled, ...markerEntries(marker) };
    if (u.email !== null) user['email'] = u.email;
    if (this.v3) {
      user['domain_id'] = 'default';
      if (u.defaultProjectId !== null) user['default_project_id'] = u.defaultProjectId;
    } else if (u.defaultProjectId !== null) {
      user['tenantId'] = u.defaultProjectId;
    }
    return withEntries(member(await this.api.post('/users', { user }), 'user'), toUser);
  }

  async findUser(name: string): Promise<WithMarker<User> | undefined> {
    if (this.v3) {
      const res = await this.api.get('/users', { name, domain_id: 'default' });
      const raw = objs(bodyObject(res)['users'])[0];
      return raw ? withEntries(raw, toUser) : undefined;
    }
    const raw = await this.getOrUndefined('/users', { name }, 'user');
    return raw ? withEntries(raw, toUser) : undefined;
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

function withEntries<T>(raw: Raw, map: (r: Raw) => T): WithMarker<T> {
  // v3 answers extra attributes as top-level members; some releases nest them in `extra`.
  return { ...map(raw), marker: markerFromEntries(raw) ?? markerFromEntries(obj(raw['extra'])) };
}

function tenantOf(raw: Raw): WithMarker<Project> {
  const p = toProject(raw);
  return { ...p, description: unmarkDescription(p.description), marker: markerFromDescription(p.description) };
}

function isStatus(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === status;
}
