import type { Readable } from 'node:stream';
import { isCloudHttpError } from '../errors.js';
import { collect, mapItems, pages, type ListSpec } from '../pagination.js';
import type { ServiceApi } from '../service-api.js';
import { bodyObject, list } from '../session/response.js';
import type { ImageFilter, ImageInput, ImageMember, ImagePatch } from '../types/image.js';
import { isRaw, str } from '../wire.js';
import { DEFAULT_FINISH_TIMEOUT_MS, type ImageClient, type ImageDownload, type TransferOptions } from './image-client.js';
import { fromV2 } from './normalize.js';

const enc = encodeURIComponent;
const PAGE = 1000;
const PATCH_TYPE = 'application/openstack-images-v2.1-json-patch';

/** Glance v2. `api` is rooted at `<glance>/v2`. */
export function imageV2(api: ServiceApi): ImageClient {
  const spec = (f: ImageFilter = {}): ListSpec => ({
    path: '/images',
    key: 'images',
    paging: { kind: 'links', limit: PAGE },
    query: { owner: f.owner, status: f.status, name: f.name, visibility: f.visibility },
  });

  const client: ImageClient = {
    version: '2',
    list: (f) => collect(pages(api, spec(f)), fromV2),
    iterate: (f) => mapItems(pages(api, spec(f)), fromV2),
    get: async (id) => fromV2(bodyObject(await api.get(`/images/${enc(id)}`))),
    create: async (input: ImageInput) => {
      const body: Record<string, unknown> = {
        ...input.properties,
        name: input.name,
        disk_format: input.diskFormat,
        container_format: input.containerFormat,
        visibility: input.visibility ?? 'private',
        min_disk: input.minDisk ?? 0,
        min_ram: input.minRam ?? 0,
        protected: input.protected ?? false,
      };
      if (input.id) body['id'] = input.id;
      if (input.owner) body['owner'] = input.owner;
      if (input.tags && input.tags.length > 0) body['tags'] = [...input.tags];
      return fromV2(bodyObject(await api.post('/images', body)));
    },
    update: async (id, patch: ImagePatch) => {
      const ops: Array<Record<string, unknown>> = [];
      const core: ReadonlyArray<[keyof ImagePatch, string]> = [
        ['name', 'name'],
        ['visibility', 'visibility'],
        ['minDisk', 'min_disk'],
        ['minRam', 'min_ram'],
        ['protected', 'protected'],
      ];
      for (const [from, to] of core) if (patch[from] !== undefined) ops.push({ op: 'replace', path: `/${to}`, value: patch[from] });
      // JSON-patch "add" replaces an existing member, so it sets a property either way.
      for (const [k, v] of Object.entries(patch.properties ?? {})) ops.push({ op: 'add', path: `/${pointer(k)}`, value: v });
      for (const k of patch.removeProperties ?? []) ops.push({ op: 'remove', path: `/${pointer(k)}` });
      if (ops.length === 0) return client.get(id);
      const res = await api.call('PATCH', `/images/${enc(id)}`, { json: ops, headers: { 'content-type': PATCH_TYPE }, idempotent: !patch.removeProperties?.length });
      return fromV2(bodyObject(res));
    },
    delete: async (id) => void (await api.delete(`/images/${enc(id)}`)),
    download: async (id, opts: TransferOptions = {}): Promise<ImageDownload> => {
      const res = await api.stream('GET', `/images/${enc(id)}/file`, { headers: { accept: 'application/octet-stream' }, ...signalOf(opts) });
      const length = res.headers['content-length'];
      return {
        body: res.body,
        size: res.status === 204 ? 0 : length !== undefined ? Number(length) : null,
        checksum: res.headers['content-md5'] ?? null,
      };
    },
    upload: async (id, data: Readable, size, opts: TransferOptions = {}) => {
      await api.call('PUT', `/images/${enc(id)}/file`, {
        body: data,
        headers: { 'content-type': 'application/octet-stream', ...(size !== undefined ? { 'content-length': String(size) } : {}) },
        timeouts: { headersMs: opts.finishTimeoutMs ?? DEFAULT_FINISH_TIMEOUT_MS },
        ...signalOf(opts),
      });
    },
    listMembers: async (id) => list(await api.get(`/images/${enc(id)}/members`), 'members').filter(isRaw).map(toMember(id)),
    addMember: async (id, projectId) => {
      try {
        await api.post(`/images/${enc(id)}/members`, { member: projectId }, { idempotent: true });
      } catch (err) {
        if (!isCloudHttpError(err, 409)) throw err; // already a member
      }
    },
    removeMember: async (id, projectId) => void (await api.delete(`/images/${enc(id)}/members/${enc(projectId)}`)),
    setMemberStatus: async (id, projectId, status) => void (await api.put(`/images/${enc(id)}/members/${enc(projectId)}`, { status })),
  };
  return client;
}

function toMember(imageId: string) {
  return (r: import('../wire.js').Raw): ImageMember => {
    const status = str(r['status']);
    return {
      imageId: str(r['image_id']) ?? imageId,
      memberId: str(r['member_id']) ?? '',
      status: status === 'accepted' || status === 'rejected' || status === 'pending' ? status : null,
      canShare: null,
    };
  };
}

/** JSON pointer escaping for property names. */
function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function signalOf(opts: TransferOptions): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}
