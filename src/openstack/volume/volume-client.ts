import { QuotaSets } from '../compute/quotas.js';
import { collect, mapItems, pages, type ListSpec, type Paging } from '../pagination.js';
import { ServiceApi } from '../service-api.js';
import { badResponse, bodyObject, member } from '../session/response.js';
import type { Session } from '../session/session.js';
import type { Volume, VolumeInput, VolumeSnapshot, VolumeType } from '../types/volume.js';
import { obj, str, strMap } from '../wire.js';
import { toSnapshot, toVolume, toVolumeType } from './normalize.js';
import type { VolumeEndpoint } from './endpoint.js';

const enc = encodeURIComponent;
const PAGE = 1000;

export interface VolumeFilter {
  readonly allTenants?: boolean;
  readonly projectId?: string;
  readonly status?: string;
  readonly name?: string;
}

export interface UploadToImageOptions {
  readonly imageName: string;
  /** Needed for an `in-use` volume. */
  readonly force?: boolean;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
}

/**
 * Cinder v1, v2 or v3, whichever the catalog offers best (see endpoint.ts). v1 names are
 * `display_name`/`display_description`; the records hide that.
 */
export class VolumeClient {
  readonly version: '1' | '2' | '3';
  readonly quotas: QuotaSets;
  private readonly api: ServiceApi;

  constructor(session: Session, endpoint: VolumeEndpoint) {
    this.version = endpoint.version;
    this.api = new ServiceApi(session, 'volume', () => endpoint.url(session));
    this.quotas = new QuotaSets(this.api);
  }

  private get paging(): Paging {
    // v1 pages by offset (common.limited); v2/v3 give volumes_links.
    return this.version === '1' ? { kind: 'offset', limit: PAGE } : { kind: 'links', limit: PAGE };
  }

  private nameKeys(name: string | undefined, description: string | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    const v1 = this.version === '1';
    if (name !== undefined) out[v1 ? 'display_name' : 'name'] = name;
    if (description !== undefined) out[v1 ? 'display_description' : 'description'] = description;
    return out;
  }

  private volumeSpec(f: VolumeFilter): ListSpec {
    return {
      path: '/volumes/detail',
      key: 'volumes',
      paging: this.paging,
      query: { all_tenants: f.allTenants ? 1 : undefined, project_id: f.projectId, status: f.status, [this.version === '1' ? 'display_name' : 'name']: f.name },
    };
  }

  readonly volumes = {
    list: (f: VolumeFilter = {}): Promise<Volume[]> => collect(pages(this.api, this.volumeSpec(f)), toVolume),
    iterate: (f: VolumeFilter = {}): AsyncIterable<Volume> => mapItems(pages(this.api, this.volumeSpec(f)), toVolume),
    get: async (id: string): Promise<Volume> => toVolume(member(await this.api.get(`/volumes/${enc(id)}`), 'volume')),
    /** Creates a volume (`creating`); from an image, a snapshot or another volume when given. Not retried. */
    create: async (input: VolumeInput): Promise<Volume> => {
      const volume: Record<string, unknown> = { size: input.size, ...this.nameKeys(input.name, input.description) };
      if (input.volumeType) volume['volume_type'] = input.volumeType;
      if (input.availabilityZone) volume['availability_zone'] = input.availabilityZone;
      if (input.metadata) volume['metadata'] = input.metadata;
      if (input.snapshotId) volume['snapshot_id'] = input.snapshotId;
      if (input.sourceVolumeId) volume['source_volid'] = input.sourceVolumeId;
      if (input.imageId) volume['imageRef'] = input.imageId;
      return toVolume(member(await this.api.post('/volumes', { volume }), 'volume'));
    },
    /** `cascade` also deletes the volume's snapshots (v2 Liberty+). */
    delete: async (id: string, opts: { readonly cascade?: boolean } = {}): Promise<void> =>
      void (await this.api.delete(`/volumes/${enc(id)}`, opts.cascade ? { query: { cascade: 'true' } } : {})),
    /** Copies a volume into a new Glance image; answers the image id (poll the image until `active`). Not retried. */
    uploadToImage: async (id: string, opts: UploadToImageOptions): Promise<string> => {
      const res = await this.action(id, {
        'os-volume_upload_image': {
          image_name: opts.imageName,
          force: opts.force ?? false,
          disk_format: opts.diskFormat ?? 'raw',
          container_format: opts.containerFormat ?? 'bare',
        },
      });
      const imageId = str(obj(bodyObject(res)['os-volume_upload_image'])['image_id']);
      if (!imageId) throw badResponse(res.call, 'os-volume_upload_image answered no image_id', res.status);
      return imageId;
    },
    /** Admin: force the status (and attach status). */
    resetStatus: async (id: string, status: string, attachStatus?: 'attached' | 'detached'): Promise<void> =>
      void (await this.action(id, { 'os-reset_status': { status, ...(attachStatus ? { attach_status: attachStatus } : {}) } }, true)),
    /**
     * Juno and later only. Not retried although setting a flag twice is harmless: a POST is
     * never repeated without a lookup (the caller reads the volume's `bootable` and sends
     * again: kinds/common/settle.ts), which the fault torture's request-order check verifies.
     */
    setBootable: async (id: string, bootable: boolean): Promise<void> => void (await this.action(id, { 'os-set_bootable': { bootable } })),
    extend: async (id: string, newSizeGb: number): Promise<void> => void (await this.action(id, { 'os-extend': { new_size: newSizeGb } })),
    forceDelete: async (id: string): Promise<void> => void (await this.action(id, { 'os-force_delete': {} }, true)),
    getMetadata: async (id: string): Promise<Readonly<Record<string, string>>> => strMap(bodyObject(await this.api.get(`/volumes/${enc(id)}/metadata`))['metadata']),
    /** Adds or replaces the given keys. */
    mergeMetadata: async (id: string, metadata: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> =>
      strMap(bodyObject(await this.api.post(`/volumes/${enc(id)}/metadata`, { metadata }, { idempotent: true }))['metadata']),
    deleteMetadataItem: async (id: string, key: string): Promise<void> => void (await this.api.delete(`/volumes/${enc(id)}/metadata/${enc(key)}`)),
  };

  private snapshotSpec(f: { readonly allTenants?: boolean; readonly volumeId?: string }): ListSpec {
    return { path: '/snapshots/detail', key: 'snapshots', paging: this.paging, query: { all_tenants: f.allTenants ? 1 : undefined, volume_id: f.volumeId } };
  }

  readonly snapshots = {
    list: (f: { readonly allTenants?: boolean; readonly volumeId?: string } = {}): Promise<VolumeSnapshot[]> => collect(pages(this.api, this.snapshotSpec(f)), toSnapshot),
    get: async (id: string): Promise<VolumeSnapshot> => toSnapshot(member(await this.api.get(`/snapshots/${enc(id)}`), 'snapshot')),
    /** `force` snapshots an in-use volume. Not retried. */
    create: async (input: { readonly volumeId: string; readonly name?: string; readonly description?: string; readonly force?: boolean }): Promise<VolumeSnapshot> =>
      toSnapshot(
        member(await this.api.post('/snapshots', { snapshot: { volume_id: input.volumeId, force: input.force ?? false, ...this.nameKeys(input.name, input.description) } }), 'snapshot'),
      ),
    delete: async (id: string): Promise<void> => void (await this.api.delete(`/snapshots/${enc(id)}`)),
  };

  readonly types = {
    /** Every type, private ones included (admin). */
    list: (): Promise<VolumeType[]> => collect(pages(this.api, { path: '/types', key: 'volume_types', paging: { kind: 'none' }, query: { is_public: 'None' } }), toVolumeType),
    get: async (id: string): Promise<VolumeType> => toVolumeType(member(await this.api.get(`/types/${enc(id)}`), 'volume_type')),
    create: async (input: { readonly name: string; readonly description?: string; readonly isPublic?: boolean; readonly extraSpecs?: Readonly<Record<string, string>> }): Promise<VolumeType> => {
      const t: Record<string, unknown> = { name: input.name };
      if (input.description !== undefined) t['description'] = input.description;
      if (input.isPublic !== undefined) t['os-volume-type-access:is_public'] = input.isPublic;
      if (input.extraSpecs) t['extra_specs'] = input.extraSpecs;
      return toVolumeType(member(await this.api.post('/types', { volume_type: t }), 'volume_type'));
    },
    delete: async (id: string): Promise<void> => void (await this.api.delete(`/types/${enc(id)}`)),
    setExtraSpecs: async (id: string, specs: Readonly<Record<string, string>>): Promise<void> =>
      void (await this.api.post(`/types/${enc(id)}/extra_specs`, { extra_specs: specs }, { idempotent: true })),
  };

  private action(id: string, body: unknown, idempotent = false) {
    return this.api.post(`/volumes/${enc(id)}/action`, body, { idempotent });
  }
}
