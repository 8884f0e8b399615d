import { member } from '../session/response.js';
import type { QuotaSet } from '../types/quota.js';
import { toQuotaSet } from './normalize.js';
import type { ServiceApi } from '../service-api.js';

const enc = encodeURIComponent;

/** `os-quota-sets` as Nova and Cinder share it (legacy-apis.md §2.5, §4). */
export class QuotaSets {
  constructor(private readonly api: ServiceApi) {}

  async get(projectId: string, opts: { readonly userId?: string } = {}): Promise<QuotaSet> {
    return toQuotaSet(member(await this.api.get(`/os-quota-sets/${enc(projectId)}`, { user_id: opts.userId }), 'quota_set'));
  }

  async defaults(projectId: string): Promise<QuotaSet> {
    return toQuotaSet(member(await this.api.get(`/os-quota-sets/${enc(projectId)}/defaults`), 'quota_set'));
  }

  /** Sets the given limits; `force` (Nova) allows values below current usage. */
  async update(projectId: string, limits: QuotaSet, opts: { readonly force?: boolean } = {}): Promise<QuotaSet> {
    const res = await this.api.put(`/os-quota-sets/${enc(projectId)}`, { quota_set: { ...limits, ...(opts.force ? { force: true } : {}) } });
    return toQuotaSet(member(res, 'quota_set'));
  }

  /** Back to the defaults. */
  async reset(projectId: string): Promise<void> {
    await this.api.delete(`/os-quota-sets/${enc(projectId)}`);
  }
}
