import { ServiceApi, type Cloud } from '../../../openstack/index.js';
import { ensureVersionSuffix } from '../../../openstack/http/url.js';
import { bodyObject, member } from '../../../openstack/session/response.js';
import { obj, objs, str, type Raw } from '../../../openstack/wire.js';
import { isSetupObject, pumphouseMarker, SETUP_ENTRIES, setupDescription } from '../marks.js';
import type { Marker } from '../../../inventory/types.js';

/** A Keystone project or user as setup and cleanup see it: with the markers it carries. */
export interface KeystoneRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** v3 `default_project_id`, v2.0 `tenantId`. */
  readonly defaultProjectId: string | null;
  /** Seeded by setup (extra attribute or description suffix). */
  readonly setup: boolean;
  /** Made by apply as the copy of a source object. */
  readonly copyOf: Marker | undefined;
}

/**
 * Keystone projects and users with their markers. The identity client models neither
 * Keystone's extra attributes nor v2.0 user descriptions, so these calls go through their own
 * ServiceApi on the same endpoints the client uses (v3: the auth URL; v2.0: the admin
 * endpoint). Create requests carry the setup marker twice, as the kinds carry theirs: the
 * extra attribute `pumphouse_setup: "1"` (Keystone keeps unknown attributes in `extra` and
 * returns them) and the description suffix.
 */
export class KeystoneSeed {
  private readonly api: ServiceApi;
  readonly v3: boolean;

  constructor(cloud: Cloud) {
    const session = cloud.session;
    this.v3 = session.identityVersion === '3';
    const base = this.v3
      ? () => session.authUrl
      : () => ensureVersionSuffix(session.hasEndpoint('identity', { interface: 'admin' }) ? session.endpoint('identity', { interface: 'admin' }) : session.authUrl, 'v2.0');
    this.api = new ServiceApi(session, 'identity', base);
  }

  async projects(): Promise<KeystoneRecord[]> {
    const res = await this.api.get(this.v3 ? '/projects' : '/tenants');
    return objs(bodyObject(res)[this.v3 ? 'projects' : 'tenants']).map(record);
  }

  async users(): Promise<KeystoneRecord[]> {
    return objs(bodyObject(await this.api.get('/users'))['users']).map(record);
  }

  async createProject(name: string, description: string): Promise<KeystoneRecord> {
    const project = { name, description: setupDescription(description), enabled: true, ...SETUP_ENTRIES, ...(this.v3 ? { domain_id: 'default' } : {}) };
    const res = await this.api.post(this.v3 ? '/projects' : '/tenants', this.v3 ? { project } : { tenant: project });
    return record(member(res, this.v3 ? 'project' : 'tenant') as Raw);
  }

  async createUser(name: string, password: string, projectId: string): Promise<KeystoneRecord> {
    const user: Record<string, unknown> = { name, password, enabled: true, description: setupDescription('pumphouse test user'), ...SETUP_ENTRIES };
    if (this.v3) Object.assign(user, { domain_id: 'default', default_project_id: projectId });
    else user['tenantId'] = projectId;
    return record(member(await this.api.post('/users', { user }), 'user') as Raw);
  }

  async deleteProject(id: string): Promise<void> {
    await this.api.delete(`${this.v3 ? '/projects' : '/tenants'}/${encodeURIComponent(id)}`);
  }

  async deleteUser(id: string): Promise<void> {
    await this.api.delete(`/users/${encodeURIComponent(id)}`);
  }
}

function record(raw: Raw): KeystoneRecord {
  const description = str(raw['description']) ?? '';
  const extra = obj(raw['extra']);
  const entries = { ...extra, ...raw };
  return {
    id: str(raw['id']) ?? '',
    name: str(raw['name']) ?? '',
    description,
    defaultProjectId: str(raw['default_project_id']) ?? str(raw['tenantId']) ?? null,
    setup: isSetupObject({ entries, description }),
    copyOf: pumphouseMarker({ entries, description }),
  };
}
