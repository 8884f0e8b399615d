import { collect, pages } from '../pagination.js';
import { member } from '../session/response.js';
import type { Keypair } from '../types/compute.js';
import { obj, str, type Raw } from '../wire.js';
import type { NovaApi } from './nova-api.js';
import { toKeypair } from './normalize.js';

const enc = encodeURIComponent;
/** `?user_id=` (admin acting on another user's keypairs) arrived with 2.10. */
const USER_ID = '2.10';

export interface KeypairOwner {
  /** Another user's keypairs (admin, microversion 2.10+); default: the session's user. */
  readonly userId?: string;
}

export interface KeypairInput extends KeypairOwner {
  readonly name: string;
  readonly publicKey: string;
  /** `ssh` or `x509` (2.2+). */
  readonly type?: string;
}

/**
 * Keypairs (legacy-apis.md §2.4). Below 2.10 Nova only acts on the caller's own keypairs:
 * asking for another user's there throws PH_CLOUD_UNSUPPORTED (log in as that user instead).
 */
export class Keypairs {
  constructor(private readonly api: NovaApi) {}

  get canActForOtherUsers(): boolean {
    return this.api.supports(USER_ID);
  }

  async list(owner: KeypairOwner = {}): Promise<Keypair[]> {
    const userId = owner.userId ?? this.api.session.userId;
    const spec = { path: '/os-keypairs', key: 'keypairs', paging: { kind: 'none' as const }, idOf: (k: Raw) => str(obj(k['keypair'])['name']), ...this.owned(owner) };
    return collect(pages(this.api, spec), (k) => toKeypair(k, userId));
  }

  async get(name: string, owner: KeypairOwner = {}): Promise<Keypair> {
    const spec = this.owned(owner);
    return toKeypair(member(await this.api.get(`/os-keypairs/${enc(name)}`, spec.query, spec.headers), 'keypair'), owner.userId ?? this.api.session.userId);
  }

  /** Imports a public key (never generates one). Not retried. */
  async create(input: KeypairInput): Promise<Keypair> {
    const keypair: Record<string, unknown> = { name: input.name, public_key: input.publicKey };
    let headers: Readonly<Record<string, string>> | undefined;
    if (input.userId !== undefined) {
      headers = this.api.headersFor(USER_ID, "creating another user's keypair");
      keypair['user_id'] = input.userId;
      if (input.type) keypair['type'] = input.type;
    } else if (input.type && this.api.supports('2.2')) {
      headers = this.api.headersFor('2.2', 'keypair type');
      keypair['type'] = input.type;
    }
    const res = await this.api.post('/os-keypairs', { keypair }, headers ? { headers } : {});
    return toKeypair(member(res, 'keypair'), input.userId ?? this.api.session.userId);
  }

  async delete(name: string, owner: KeypairOwner = {}): Promise<void> {
    const spec = this.owned(owner);
    await this.api.delete(`/os-keypairs/${enc(name)}`, { ...(spec.query ? { query: spec.query } : {}), ...(spec.headers ? { headers: spec.headers } : {}) });
  }

  private owned(owner: KeypairOwner): { query?: { user_id: string }; headers?: Readonly<Record<string, string>> } {
    if (owner.userId === undefined || owner.userId === this.api.session.userId) return {};
    return { query: { user_id: owner.userId }, headers: this.api.headersFor(USER_ID, "another user's keypairs") };
  }
}
