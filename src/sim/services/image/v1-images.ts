import { badRequest, conflict, forbidden, notFound, SimHttpError } from '../../http/errors.js';
import { empty, json, stream, type SimReply } from '../../http/reply.js';
import type { ImageRecord } from '../../store/types/image.js';
import { canSee, membershipOf, ownedImage, visibleImage } from './access.js';
import type { GlanceCall } from './call.js';
import { insertImage } from './data.js';
import { limitOf, pageAfter, SORT_KEYS, type SortKey } from './list.js';
import { deleteImage } from './v2-images.js';
import { CONTAINER_FORMATS_LEGACY, DISK_FORMATS_LEGACY } from './v2-input.js';
import { boolField, checkFormat, hasBody, intField, metaFromHeaders, type V1Meta } from './v1-input.js';
import { receiveUpload } from './upload.js';
import { v1Headers, v1Image, v1Summary } from './v1-view.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The v1 list's visibility (glance registry `_get_images`): `is_public` counts for admins only.
 * Without it (or with True) an admin is treated as a user: public images plus its own and
 * those shared with it; `is_public=None` drops the filter (every tenant's images,
 * legacy-apis.md §8.3); False: the non-public ones. Members of any status count (v1 asks
 * `member_status=all`).
 */
function visibleInList(c: GlanceCall): (img: ImageRecord) => boolean {
  const raw = c.req.query.get('is_public');
  let mode: 'user' | 'none' | 'private' = 'user';
  if (c.isAdmin && raw !== null) {
    const v = raw.toLowerCase();
    if (v === 'none') mode = 'none';
    else if (v === 'false' || v === '0') mode = 'private';
    else if (v !== 'true' && v !== '1') throw badRequest('is_public must be None, True, or False');
  }
  const mineOrShared = (i: ImageRecord) => (i.projectId !== null && i.projectId === c.projectId) || membershipOf(i, c.projectId) !== undefined;
  return (i) => {
    if (i.status === 'deleted') return false;
    if (mode === 'none') return canSee(c, i);
    if (mode === 'private') return i.visibility !== 'public';
    return i.visibility === 'public' || mineOrShared(i);
  };
}

/** `SUPPORTED_FILTERS` of the v1 API (an `owner` filter is not one of them) and `property-<k>`. */
function filters(c: GlanceCall): (img: ImageRecord) => boolean {
  const tests: Array<(i: ImageRecord) => boolean> = [];
  const q = c.req.query;
  const eq = (name: string, get: (i: ImageRecord) => unknown) => {
    const v = q.get(name);
    if (v !== null) tests.push((i) => String(get(i) ?? '') === v);
  };
  eq('name', (i) => i.name);
  eq('status', (i) => i.status);
  eq('container_format', (i) => i.containerFormat);
  eq('disk_format', (i) => i.diskFormat);
  eq('min_ram', (i) => i.minRam);
  eq('min_disk', (i) => i.minDisk);
  const prot = q.get('protected')?.toLowerCase();
  if (prot !== undefined) {
    if (!['true', '1', 'false', '0'].includes(prot)) throw badRequest('protected must be True, or False');
    tests.push((i) => i.protected === (prot === 'true' || prot === '1'));
  }
  for (const [name, atLeast] of [['size_min', true], ['size_max', false]] as const) {
    const raw = q.get(name);
    if (raw === null) continue;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw badRequest(`Invalid ${name} filter: ${raw}`);
    tests.push((i) => (atLeast ? (i.size ?? 0) >= n : (i.size ?? 0) <= n));
  }
  const since = q.get('changes-since');
  if (since !== null) tests.push((i) => i.updatedAt >= since);
  for (const [k, v] of q) if (k.startsWith('property-')) tests.push((i) => i.properties[k.slice('property-'.length)] === v);
  return (i) => tests.every((t) => t(i));
}

/** `GET /v1/images[/detail]`: limit (default 25, max 1000), marker, sort_key/sort_dir; no links. */
function list(detail: boolean) {
  return (c: GlanceCall): SimReply => {
    const q = c.req.query;
    const sortKey = (q.get('sort_key') ?? 'created_at') as SortKey;
    if (!SORT_KEYS.includes(sortKey)) throw badRequest(`Unsupported sort_key. Acceptable values: ${SORT_KEYS.join(', ')}`);
    const sortDir = q.get('sort_dir') ?? 'desc';
    if (sortDir !== 'asc' && sortDir !== 'desc') throw badRequest('Unsupported sort_dir. Acceptable values: asc, desc');
    const limit = limitOf(q, (raw) => (Number.isInteger(Number(raw)) ? 'limit param must be positive' : 'limit param must be an integer'));
    const marker = q.get('marker') ?? undefined;
    if (marker !== undefined && !UUID.test(marker)) throw badRequest('Invalid marker format');
    const visible = visibleInList(c);
    const match = filters(c);
    const items = () => c.store.images.filter((i) => visible(i) && match(i));
    const page = pageAfter(c, items, sortKey, sortDir, marker, limit, () => badRequest('Invalid marker. Image could not be found.'));
    return json(200, { images: page.map((i) => (detail ? v1Image(c.profile, i) : v1Summary(i))) });
  };
}

const urlOf = (c: GlanceCall, id: string) => `${c.req.baseUrl}/v1/images/${id}`;

/** `HEAD /v1/images/{id}`: 200, no body, everything in `x-image-meta-*` headers. */
function head(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v1');
  return empty(200, v1Headers(c.profile, img, urlOf(c, img.id)));
}

/** `GET /v1/images/{id}`: the data (rate-limited) with the same headers; only active images have any. */
function download(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v1');
  if (img.status !== 'active') throw notFound(`Image ${img.id} is not active`);
  const headers = { ...v1Headers(c.profile, img, urlOf(c, img.id)), 'Content-Length': String(img.size ?? 0) };
  return stream(200, c.cloud.readData(img.data, 'image'), headers);
}

function formats(meta: V1Meta): void {
  checkFormat('disk_format', meta.fields['disk_format'], DISK_FORMATS_LEGACY);
  checkFormat('container_format', meta.fields['container_format'], CONTAINER_FORMATS_LEGACY);
  if (meta.fields['location'] !== undefined) throw badRequest('External image locations (x-image-meta-location) are not simulated.');
}

/** Data needs both formats before it can be stored (`_validate_image_for_activation`). */
function readyForData(img: ImageRecord): void {
  if (!img.diskFormat) throw badRequest('Disk format is not specified.');
  if (!img.containerFormat) throw badRequest('Container format is not specified.');
}

/**
 * `POST /v1/images`: 201 `{"image"}`; metadata in headers; with a body the data is stored
 * at once (saving -> active, or killed), without one the image stays `queued`. An admin may
 * set `owner`; anybody else's owner header is replaced by the caller's project.
 */
async function create(c: GlanceCall): Promise<SimReply> {
  const meta = metaFromHeaders(c.req.headers);
  formats(meta);
  const f = meta.fields;
  const id = f['id'];
  if (id !== undefined) {
    if (!UUID.test(id)) throw badRequest('Invalid image id format');
    if (c.store.images.has(id)) throw conflict(`An image with identifier ${id} already exists`);
  }
  const withData = hasBody(c.req.headers);
  const img = insertImage(c.store, {
    ...(id !== undefined ? { id } : {}),
    name: f['name'] ?? null,
    projectId: c.isAdmin && f['owner'] !== undefined ? f['owner'] || null : c.projectId,
    visibility: boolField(f, 'is_public') ? 'public' : 'private',
    diskFormat: f['disk_format'] ?? null,
    containerFormat: f['container_format'] ?? null,
    minRam: intField(f, 'min_ram') ?? 0,
    minDisk: intField(f, 'min_disk') ?? 0,
    protected: boolField(f, 'protected') ?? false,
    properties: { ...meta.properties },
  });
  const size = intField(f, 'size');
  if (withData) {
    try {
      readyForData(img);
    } catch (err) {
      c.store.images.delete(img.id);
      throw err;
    }
    await receiveUpload(c, img, 'killed', size);
  }
  return json(201, { image: v1Image(c.profile, img) });
}

/**
 * `PUT /v1/images/{id}`: metadata from headers (properties replaced when
 * `x-glance-registry-purge-props: true`, merged otherwise) and optionally the data of a
 * `queued` image (409 for any other status). 200 `{"image"}`.
 */
async function update(c: GlanceCall): Promise<SimReply> {
  const img = ownedImage(c, c.req.params['id']!, 'v1', 'update');
  const meta = metaFromHeaders(c.req.headers);
  formats(meta);
  const f = meta.fields;
  const withData = hasBody(c.req.headers);
  if (withData && img.status !== 'queued') throw new SimHttpError(409, 'Cannot upload to an unqueued image');
  for (const k of ['disk_format', 'container_format'] as const) {
    if (f[k] !== undefined && img.status !== 'queued' && f[k] !== (k === 'disk_format' ? img.diskFormat : img.containerFormat)) throw forbidden(`Forbidden to modify '${k}' of ${img.status} image.`);
  }
  if (f['owner'] !== undefined && !c.isAdmin) throw forbidden('Forbidden to modify the owner of an image.');
  const purge = (c.req.header('x-glance-registry-purge-props') ?? 'false').toLowerCase() === 'true';
  if (f['name'] !== undefined) img.name = f['name'];
  if (f['disk_format'] !== undefined) img.diskFormat = f['disk_format'];
  if (f['container_format'] !== undefined) img.containerFormat = f['container_format'];
  const isPublic = boolField(f, 'is_public');
  if (isPublic !== undefined) img.visibility = isPublic ? 'public' : 'private';
  img.minRam = intField(f, 'min_ram') ?? img.minRam;
  img.minDisk = intField(f, 'min_disk') ?? img.minDisk;
  img.protected = boolField(f, 'protected') ?? img.protected;
  if (f['owner'] !== undefined) img.projectId = f['owner'] || null;
  img.properties = purge ? { ...meta.properties } : { ...img.properties, ...meta.properties };
  img.updatedAt = c.store.now();
  if (withData) {
    readyForData(img);
    await receiveUpload(c, img, 'killed', intField(f, 'size'));
  }
  return json(200, { image: v1Image(c.profile, img) });
}

/** `DELETE /v1/images/{id}`: 200 with an empty body (v2 answers 204). */
function remove(c: GlanceCall): SimReply {
  const img = ownedImage(c, c.req.params['id']!, 'v1', 'delete');
  if (img.protected) throw forbidden('Image is protected');
  deleteImage(c, img);
  return empty(200);
}

export function v1ImageRoutes() {
  return [
    { method: 'GET' as const, path: '/v1/images', handler: list(false) },
    { method: 'GET' as const, path: '/v1/images/detail', handler: list(true) },
    { method: 'POST' as const, path: '/v1/images', handler: create },
    { method: 'HEAD' as const, path: '/v1/images/{id}', handler: head },
    { method: 'GET' as const, path: '/v1/images/{id}', handler: download },
    { method: 'PUT' as const, path: '/v1/images/{id}', handler: update },
    { method: 'DELETE' as const, path: '/v1/images/{id}', handler: remove },
  ];
}
