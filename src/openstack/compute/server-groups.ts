import { collect, pages } from '../pagination.js';
import { member } from '../session/response.js';
import type { ServerGroup } from '../types/compute.js';
import type { NovaApi } from './nova-api.js';
import { toServerGroup } from './normalize.js';

/** Server groups (Icehouse+; Havana answers 404). Policies as a list whatever the microversion. */
export class ServerGroups {
  constructor(private readonly api: NovaApi) {}

  /** With owners (`project_id`, `user_id`) where the cloud has 2.13; below, Nova does not say. */
  list(opts: { readonly allProjects?: boolean } = {}): Promise<ServerGroup[]> {
    const headers = this.api.supports('2.13') ? this.api.headersFor('2.13', 'server group owners') : undefined;
    return collect(
      pages(this.api, {
        path: '/os-server-groups',
        key: 'server_groups',
        paging: { kind: 'none' },
        query: { all_projects: opts.allProjects ? 'True' : undefined },
        ...(headers ? { headers } : {}),
      }),
      toServerGroup,
    );
  }

  async get(id: string): Promise<ServerGroup> {
    return toServerGroup(member(await this.api.get(`/os-server-groups/${encodeURIComponent(id)}`), 'server_group'));
  }

  /** `soft-affinity` and `soft-anti-affinity` need 2.15. Not retried. */
  async create(name: string, policy: string): Promise<ServerGroup> {
    const headers = policy.startsWith('soft-') ? this.api.headersFor('2.15', `server group policy ${policy}`) : undefined;
    const res = await this.api.post('/os-server-groups', { server_group: { name, policies: [policy] } }, headers ? { headers } : {});
    return toServerGroup(member(res, 'server_group'));
  }

  async delete(id: string): Promise<void> {
    await this.api.delete(`/os-server-groups/${encodeURIComponent(id)}`);
  }
}
