import { isCloudHttpError } from '../errors.js';
import { mapItems, pages, type ListSpec } from '../pagination.js';
import { bodyObject, list, member } from '../session/response.js';
import type { Flavor, FlavorInput } from '../types/compute.js';
import { isRaw, obj, str, strMap } from '../wire.js';
import type { NovaApi } from './nova-api.js';
import { toFlavor } from './normalize.js';

const enc = encodeURIComponent;
/** Microversion that embeds extra specs in flavor answers. */
const EMBEDDED_SPECS = '2.61';

/** Flavors with access lists and extra specs (legacy-apis.md §2.3). */
export class Flavors {
  constructor(private readonly api: NovaApi) {}

  /**
   * Every flavor, public and private (admin `is_public=None`), with extra specs: embedded
   * from microversion 2.61, otherwise one extra call per flavor.
   */
  async list(): Promise<Flavor[]> {
    const out: Flavor[] = [];
    for await (const f of this.iterate()) out.push(f);
    return out;
  }

  async *iterate(): AsyncGenerator<Flavor> {
    const embedded = this.api.supports(EMBEDDED_SPECS);
    const spec: ListSpec = {
      path: '/flavors/detail',
      key: 'flavors',
      paging: { kind: 'links', limit: 1000 },
      query: { is_public: 'None' },
      ...(embedded ? { headers: this.api.headersFor(EMBEDDED_SPECS, 'flavor extra specs') } : {}),
    };
    if (embedded) {
      yield* mapItems(pages(this.api, spec), (r) => toFlavor(r));
      return;
    }
    for await (const raw of pages(this.api, spec)) {
      yield toFlavor(raw, await this.getExtraSpecs(str(raw['id']) ?? ''));
    }
  }

  async get(id: string): Promise<Flavor> {
    if (this.api.supports(EMBEDDED_SPECS)) {
      return toFlavor(member(await this.api.get(`/flavors/${enc(id)}`, undefined, this.api.headersFor(EMBEDDED_SPECS, 'flavor extra specs')), 'flavor'));
    }
    const raw = member(await this.api.get(`/flavors/${enc(id)}`), 'flavor');
    return toFlavor(raw, await this.getExtraSpecs(id));
  }

  /** Creates a flavor (a given id is kept); extra specs are set separately. Not retried. */
  async create(input: FlavorInput): Promise<Flavor> {
    const flavor: Record<string, unknown> = {
      name: input.name,
      ram: input.ramMb,
      vcpus: input.vcpus,
      disk: input.diskGb,
      'OS-FLV-EXT-DATA:ephemeral': input.ephemeralGb ?? 0,
      swap: input.swapMb ?? 0,
      rxtx_factor: input.rxtxFactor ?? 1,
      'os-flavor-access:is_public': input.isPublic ?? true,
    };
    if (input.id !== undefined) flavor['id'] = input.id;
    return toFlavor(member(await this.api.post('/flavors', { flavor }), 'flavor'), {});
  }

  async delete(id: string): Promise<void> {
    await this.api.delete(`/flavors/${enc(id)}`);
  }

  /** Projects allowed to use a private flavor; [] for a public one (Nova answers 404 there). */
  async listAccess(id: string): Promise<string[]> {
    try {
      const res = await this.api.get(`/flavors/${enc(id)}/os-flavor-access`);
      return list(res, 'flavor_access').filter(isRaw).map((a) => str(a['tenant_id']) ?? '').filter((t) => t !== '');
    } catch (err) {
      if (isCloudHttpError(err, 404) && /public/i.test(err.cloudMessage)) return [];
      throw err;
    }
  }

  /** Grants a project access to a private flavor; an existing grant (409) is success. */
  async addAccess(id: string, projectId: string): Promise<void> {
    try {
      await this.api.post(`/flavors/${enc(id)}/action`, { addTenantAccess: { tenant: projectId } }, { idempotent: true });
    } catch (err) {
      if (!isCloudHttpError(err, 409)) throw err;
    }
  }

  async removeAccess(id: string, projectId: string): Promise<void> {
    await this.api.post(`/flavors/${enc(id)}/action`, { removeTenantAccess: { tenant: projectId } }, { idempotent: true });
  }

  async getExtraSpecs(id: string): Promise<Readonly<Record<string, string>>> {
    return strMap(bodyObject(await this.api.get(`/flavors/${enc(id)}/os-extra_specs`))['extra_specs']);
  }

  /** Adds or replaces the given keys. */
  async setExtraSpecs(id: string, specs: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
    const res = await this.api.post(`/flavors/${enc(id)}/os-extra_specs`, { extra_specs: specs }, { idempotent: true });
    return strMap(obj(res.data)['extra_specs']);
  }

  async deleteExtraSpec(id: string, key: string): Promise<void> {
    await this.api.delete(`/flavors/${enc(id)}/os-extra_specs/${enc(key)}`);
  }
}
