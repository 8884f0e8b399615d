import type { Query } from '../http/url.js';
import { collect, mapItems, pages, type ListSpec } from '../pagination.js';
import type { ServiceApi } from '../service-api.js';
import { member } from '../session/response.js';
import type { Raw } from '../wire.js';

const PAGE = 1000;

/**
 * One Neutron collection (`/v2.0/networks`, ...): list with any attribute as a filter
 * (`{ tenant_id: 'p1', 'router:external': true }`), get, create (201), update, delete (204).
 * Lists ask for pages of 1000; legacy Neutron ignores that and sends everything at once.
 */
export class NeutronCollection<T, I> {
  constructor(
    protected readonly api: ServiceApi,
    readonly plural: string,
    private readonly singular: string,
    private readonly map: (r: Raw) => T,
    private readonly body: (input: Partial<I>) => Record<string, unknown>,
  ) {}

  list(filter: Query = {}): Promise<T[]> {
    return collect(pages(this.api, this.spec(filter)), this.map);
  }

  iterate(filter: Query = {}): AsyncIterable<T> {
    return mapItems(pages(this.api, this.spec(filter)), this.map);
  }

  async get(id: string): Promise<T> {
    return this.map(member(await this.api.get(`/${this.plural}/${encodeURIComponent(id)}`), this.singular));
  }

  /** Not retried (a retried POST could create twice). */
  async create(input: I): Promise<T> {
    return this.map(member(await this.api.post(`/${this.plural}`, { [this.singular]: this.body(input) }), this.singular));
  }

  async update(id: string, patch: Partial<I>): Promise<T> {
    return this.map(member(await this.api.put(`/${this.plural}/${encodeURIComponent(id)}`, { [this.singular]: this.body(patch) }), this.singular));
  }

  async delete(id: string): Promise<void> {
    await this.api.delete(`/${this.plural}/${encodeURIComponent(id)}`);
  }

  private spec(filter: Query): ListSpec {
    // The URL says `security-groups`, the body `security_groups`.
    return { path: `/${this.plural}`, key: this.plural.replace(/-/g, '_'), paging: { kind: 'links', limit: PAGE }, query: filter };
  }
}
