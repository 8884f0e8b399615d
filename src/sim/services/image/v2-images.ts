import { badRequest, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { ImageRecord } from '../../store/types/image.js';
import { canSee, membershipOf, ownedImage, visibleImage } from './access.js';
import { EMPTY_HTML, type GlanceCall } from './call.js';
import { insertImage, releaseData } from './data.js';
import { limitOf, pageAfter, SORT_KEYS, type SortKey } from './list.js';
import { checkAttribute, checkNewId, checkPublicize, READ_ONLY, reserved, visibilities } from './v2-input.js';
import { v2Image } from './v2-view.js';

/** Query parameters that are not custom-property filters. */
const PARAMS = new Set([
  'limit', 'marker', 'sort_key', 'sort_dir', 'sort', 'visibility', 'member_status', 'owner', 'name', 'status', 'tag', 'container_format',
  'disk_format', 'size_min', 'size_max', 'protected', 'checksum', 'os_hidden', 'id', 'created_at', 'updated_at',
]);

/** Which images a caller's list may show before filters: Glance's visibility and member_status rules. */
function listable(c: GlanceCall, visibility: string | null, memberStatus: string): (img: ImageRecord) => boolean {
  const mine = (img: ImageRecord) => img.projectId !== null && img.projectId === c.projectId;
  const shared = (img: ImageRecord) => {
    const m = membershipOf(img, c.projectId);
    return m !== undefined && (memberStatus === 'all' || m.status === memberStatus);
  };
  const seen = (img: ImageRecord) => c.isAdmin || mine(img) || img.visibility === 'public' || shared(img);
  return (img) => {
    if (img.status === 'deleted') return false;
    switch (visibility) {
      case null: // community images are listed only when asked for
        return img.visibility !== 'community' ? seen(img) : mine(img);
      case 'all':
        return img.visibility === 'community' || seen(img);
      case 'public':
      case 'community':
        return img.visibility === visibility;
      case 'private':
        // Legacy "private" is "not public" (shared through members included).
        return (c.profile.glanceSharedVisibility ? img.visibility === 'private' : img.visibility !== 'public') && seen(img);
      default: // shared
        return img.visibility === 'shared' && (c.isAdmin || mine(img) || shared(img));
    }
  };
}

function filters(c: GlanceCall): (img: ImageRecord) => boolean {
  const q = c.req.query;
  const eq = (name: string, get: (i: ImageRecord) => unknown) => {
    const want = q.get(name);
    return want === null ? null : (i: ImageRecord) => String(get(i) ?? '') === want;
  };
  const tests: Array<((i: ImageRecord) => boolean) | null> = [
    eq('owner', (i) => i.projectId), eq('name', (i) => i.name), eq('status', (i) => i.status), eq('container_format', (i) => i.containerFormat),
    eq('disk_format', (i) => i.diskFormat), eq('checksum', (i) => i.checksum), eq('id', (i) => i.id), eq('protected', (i) => i.protected),
  ];
  const tags = q.getAll('tag');
  if (tags.length) tests.push((i) => tags.every((t) => i.tags.includes(t)));
  for (const [name, bound] of [['size_min', 1], ['size_max', -1]] as const) {
    const raw = q.get(name);
    if (raw === null) continue;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw badRequest(`${name} param must be an integer`);
    tests.push((i) => i.size !== null && (bound > 0 ? i.size >= n : i.size <= n));
  }
  for (const [k, v] of q) if (!PARAMS.has(k)) tests.push((i) => i.properties[k] === v);
  const active = tests.filter((t): t is (i: ImageRecord) => boolean => t !== null);
  return (img) => active.every((t) => t(img));
}

/** `GET /v2/images`: `{images, first, next?, schema}` (legacy-apis.md §0.3); `next` whenever a page is full. */
function list(c: GlanceCall): SimReply {
  const q = c.req.query;
  const visibility = q.get('visibility');
  const allowedVis = [...visibilities(c.profile), ...(c.profile.glanceSharedVisibility ? ['all'] : [])];
  if (visibility !== null && !allowedVis.includes(visibility)) throw badRequest(`Invalid visibility value: ${visibility}`);
  const memberStatus = q.get('member_status') ?? 'accepted';
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus)) throw badRequest(`Invalid status value: ${memberStatus}`);
  const sortKey = (q.get('sort_key') ?? 'created_at') as SortKey;
  if (!SORT_KEYS.includes(sortKey)) throw badRequest(`Invalid sort key: ${sortKey}. It should be one of the following: ${SORT_KEYS.join(', ')}.`);
  const sortDir = q.get('sort_dir') ?? 'desc';
  if (sortDir !== 'asc' && sortDir !== 'desc') throw badRequest(`Invalid sort direction: ${sortDir}`);
  const limit = limitOf(q, (raw) => `limit param must be an integer (got '${raw}')`);
  const visible = listable(c, visibility, memberStatus);
  const match = filters(c);
  const items = () => c.store.images.filter((i) => visible(i) && match(i));
  const marker = q.get('marker') ?? undefined;
  const page = pageAfter(c, items, sortKey, sortDir, marker, limit, () => badRequest(`No image found with ID ${marker}`));
  const params = new URLSearchParams(q);
  params.delete('marker');
  const body: Record<string, unknown> = { images: page.map((i) => v2Image(c.profile, i)), first: `/v2/images${params.size ? `?${params}` : ''}`, schema: '/v2/schemas/images' };
  const last = page.at(-1);
  if (last && page.length === limit) {
    params.set('marker', last.id);
    body['next'] = `/v2/images?${params}`;
  }
  return json(200, body);
}

/** `POST /v2/images` (legacy-apis.md §3.2): 201, `queued`, an `id` may be chosen; `owner` per profile. */
async function create(c: GlanceCall): Promise<SimReply> {
  const b = await c.req.json<Record<string, unknown>>();
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw badRequest('Body expected in request.');
  const blocked = reserved(c.profile);
  const values: Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) {
    if (k === 'id') continue;
    if (blocked.has(k)) throw forbidden(`Attribute '${k}' is reserved.`);
    if (READ_ONLY.has(k)) throw forbidden(`Attribute '${k}' is read-only.`);
    const checked = checkAttribute(c.profile, k, v);
    if (['name', 'visibility', 'disk_format', 'container_format', 'min_ram', 'min_disk', 'protected', 'tags', 'owner', 'os_hidden'].includes(k)) values[k] = checked;
    else properties[k] = checked as string;
  }
  const id = b['id'] === undefined ? undefined : checkNewId(b['id'], (x) => c.store.images.has(x));
  checkPublicize(c.profile, c.isAdmin, values['visibility']);
  const owner = values['owner'] === undefined ? c.projectId : (values['owner'] as string | null);
  if (owner !== c.projectId && !c.isAdmin) throw forbidden(`You are not permitted to create images owned by '${String(owner)}'.`);
  const img = insertImage(c.store, {
    ...(id ? { id } : {}),
    name: (values['name'] as string | null | undefined) ?? null,
    projectId: owner,
    visibility: (values['visibility'] as ImageRecord['visibility'] | undefined) ?? (c.profile.glanceSharedVisibility ? 'shared' : 'private'),
    diskFormat: (values['disk_format'] as string | null | undefined) ?? null,
    containerFormat: (values['container_format'] as string | null | undefined) ?? null,
    minRam: (values['min_ram'] as number | undefined) ?? 0,
    minDisk: (values['min_disk'] as number | undefined) ?? 0,
    protected: (values['protected'] as boolean | undefined) ?? false,
    properties,
    tags: (values['tags'] as string[] | undefined) ?? [],
  });
  return json(201, v2Image(c.profile, img), { Location: `${c.req.baseUrl}/v2/images/${img.id}` });
}

/** `DELETE /v2/images/{id}`: 204 (owner or admin; protected images refuse). */
function remove(c: GlanceCall): SimReply {
  const id = c.req.params['id']!;
  const img = c.store.images.get(id);
  if (!img || !canSee(c, img)) throw notFound(`Failed to find image ${id} to delete`);
  ownedImage(c, id, 'v2', 'delete');
  if (img.protected) throw forbidden(`Image ${id} is protected and cannot be deleted.`);
  deleteImage(c, img);
  return empty(204, EMPTY_HTML);
}

/** Removes an image record and gives its data back (shared by v1 and v2). */
export function deleteImage(c: GlanceCall, img: ImageRecord): void {
  img.status = 'deleted';
  c.store.images.delete(img.id);
  releaseData(c.store, img.data);
}

export function v2ImageRoutes() {
  return [
    { method: 'GET' as const, path: '/v2/images', handler: list },
    { method: 'POST' as const, path: '/v2/images', handler: create },
    { method: 'GET' as const, path: '/v2/images/{id}', handler: (c: GlanceCall) => json(200, v2Image(c.profile, visibleImage(c, c.req.params['id']!, 'v2'))) },
    { method: 'DELETE' as const, path: '/v2/images/{id}', handler: remove },
  ];
}
