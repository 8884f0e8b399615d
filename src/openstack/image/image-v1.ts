import type { Readable } from 'node:stream';
import { collect, mapItems, pages, type ListSpec } from '../pagination.js';
import type { ServiceApi } from '../service-api.js';
import { list, member } from '../session/response.js';
import type { ImageFilter, ImageInput, ImageMember, ImagePatch } from '../types/image.js';
import { unsupported } from '../unsupported.js';
import { bool, isRaw, str } from '../wire.js';
import { DEFAULT_FINISH_TIMEOUT_MS, type ImageClient, type ImageDownload, type TransferOptions } from './image-client.js';
import { signalOf } from './image-v2.js';
import { fromV1, fromV1Headers } from './normalize.js';

const enc = encodeURIComponent;
/**
 * Glance v1 has no links: page by marker until a short page. Glance caps `limit` at
 * api_limit_max (1000 by default) without saying so; a page size well under any cap keeps
 * a capped page from looking like the last one.
 */
const PAGE = 200;

/** Glance v1 (legacy-apis.md §3.1): metadata travels in `x-image-meta-*` headers. `api` is rooted at `<glance>/v1`. */
export function imageV1(api: ServiceApi): ImageClient {
  const spec = (f: ImageFilter = {}): ListSpec => ({
    path: '/images/detail',
    key: 'images',
    paging: { kind: 'marker', limit: PAGE },
    query: {
      // An admin sees every tenant's images only with is_public=None.
      is_public: f.allTenants ? 'None' : f.visibility === 'public' ? 'True' : f.visibility === 'private' ? 'False' : undefined,
      owner: f.owner,
      status: f.status,
      name: f.name,
    },
  });

  const client: ImageClient = {
    version: '1',
    list: (f) => collect(pages(api, spec(f)), fromV1),
    iterate: (f) => mapItems(pages(api, spec(f)), fromV1),
    get: async (id) => fromV1Headers((await api.call('HEAD', `/images/${enc(id)}`)).headers),
    create: async (input: ImageInput) => {
      const headers = metaHeaders({
        name: input.name,
        disk_format: input.diskFormat,
        container_format: input.containerFormat,
        is_public: (input.visibility ?? 'private') === 'public' ? 'True' : 'False',
        min_disk: input.minDisk,
        min_ram: input.minRam,
        protected: input.protected === undefined ? undefined : input.protected ? 'True' : 'False',
        owner: input.owner,
        id: input.id,
      }, input.properties);
      return fromV1(member(await api.call('POST', '/images', { headers }), 'image'));
    },
    update: async (id, patch: ImagePatch) => {
      let properties = patch.properties;
      // A v1 PUT replaces every property unless told not to purge; removing one means
      // sending the full remaining set with purging on.
      const purge = (patch.removeProperties?.length ?? 0) > 0;
      if (purge) {
        const current = await client.get(id);
        const next: Record<string, string> = { ...current.properties, ...patch.properties };
        for (const k of patch.removeProperties ?? []) delete next[k];
        properties = next;
      }
      const headers = metaHeaders({
        name: patch.name,
        is_public: patch.visibility === undefined ? undefined : patch.visibility === 'public' ? 'True' : 'False',
        min_disk: patch.minDisk,
        min_ram: patch.minRam,
        protected: patch.protected === undefined ? undefined : patch.protected ? 'True' : 'False',
      }, properties);
      headers['x-glance-registry-purge-props'] = purge ? 'true' : 'false';
      return fromV1(member(await api.call('PUT', `/images/${enc(id)}`, { headers }), 'image'));
    },
    delete: async (id) => void (await api.delete(`/images/${enc(id)}`)),
    download: async (id, opts: TransferOptions = {}): Promise<ImageDownload> => {
      const res = await api.stream('GET', `/images/${enc(id)}`, { headers: { accept: 'application/octet-stream' }, ...signalOf(opts) });
      const length = res.headers['content-length'] ?? res.headers['x-image-meta-size'];
      const etag = res.headers['etag']?.replace(/"/g, '');
      return { body: res.body, size: length !== undefined ? Number(length) : null, checksum: res.headers['x-image-meta-checksum'] ?? etag ?? null };
    },
    upload: async (id, data: Readable, size, opts: TransferOptions = {}) => {
      await api.call('PUT', `/images/${enc(id)}`, {
        body: data,
        headers: {
          'content-type': 'application/octet-stream',
          ...(size !== undefined ? { 'content-length': String(size), 'x-image-meta-size': String(size) } : {}),
        },
        timeouts: { headersMs: opts.finishTimeoutMs ?? DEFAULT_FINISH_TIMEOUT_MS },
        ...signalOf(opts),
      });
    },
    listMembers: async (id) =>
      list(await api.get(`/images/${enc(id)}/members`), 'members')
        .filter(isRaw)
        .map((m): ImageMember => ({ imageId: id, memberId: str(m['member_id']) ?? '', status: null, canShare: bool(m['can_share']) })),
    addMember: async (id, projectId) => void (await api.put(`/images/${enc(id)}/members/${enc(projectId)}`, undefined)),
    removeMember: async (id, projectId) => void (await api.delete(`/images/${enc(id)}/members/${enc(projectId)}`)),
    setMemberStatus: async () => {
      throw unsupported(api.session.name, 'image', 'membership status', 'Glance v2');
    },
  };
  return client;
}

function metaHeaders(fields: Record<string, string | number | undefined>, properties?: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[`x-image-meta-${k.replace(/_/g, '-')}`] = String(v);
  for (const [k, v] of Object.entries(properties ?? {})) out[`x-image-meta-property-${k}`] = v;
  return out;
}
