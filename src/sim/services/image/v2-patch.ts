import { badRequest, conflict, forbidden, SimHttpError } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import type { ImageRecord } from '../../store/types/image.js';
import { ownedImage } from './access.js';
import type { GlanceCall } from './call.js';
import { checkAttribute, checkPublicize, READ_ONLY, reserved } from './v2-input.js';
import { v2Image } from './v2-view.js';

const PATCH_TYPES = ['application/openstack-images-v2.1-json-patch', 'application/openstack-images-v2.0-json-patch'];

/** Base attributes stored in the record's own fields (everything else is a custom property). */
const BASE: Readonly<Record<string, (img: ImageRecord, v: unknown) => void>> = {
  name: (i, v) => void (i.name = v as string | null),
  visibility: (i, v) => void (i.visibility = v as ImageRecord['visibility']),
  disk_format: (i, v) => void (i.diskFormat = v as string | null),
  container_format: (i, v) => void (i.containerFormat = v as string | null),
  min_ram: (i, v) => void (i.minRam = v as number),
  min_disk: (i, v) => void (i.minDisk = v as number),
  protected: (i, v) => void (i.protected = v as boolean),
  tags: (i, v) => void (i.tags = v as string[]),
  owner: (i, v) => void (i.projectId = v as string | null),
  os_hidden: () => undefined,
};

interface Op {
  readonly op: 'add' | 'replace' | 'remove';
  readonly key: string;
  readonly value: unknown;
}

/** One JSON-patch operation in the v2.1 (`{op, path, value}`) or v2.0 (`{"replace": path, value}`) form. */
function parseOp(raw: unknown, v20: boolean): Op {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('Operations must be JSON objects.');
  const o = raw as Record<string, unknown>;
  let op: unknown;
  let path: unknown;
  if (v20) {
    const names = ['add', 'replace', 'remove'].filter((n) => n in o);
    if (names.length !== 1) throw badRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".');
    op = names[0];
    path = o[names[0]!];
  } else {
    op = o['op'];
    path = o['path'];
    if (op !== 'add' && op !== 'replace' && op !== 'remove') throw badRequest(`Invalid operation: \`${String(op)}\`.`);
  }
  if (typeof path !== 'string' || !path.startsWith('/')) throw badRequest(`Unable to find '${String(path)}' in JSON Schema change`);
  const parts = path.slice(1).split('/');
  if (parts.length !== 1 || parts[0] === '') throw badRequest(`Nested paths are not allowed`);
  const key = parts[0]!.replace(/~1/g, '/').replace(/~0/g, '~');
  if (op !== 'remove' && !('value' in o)) throw badRequest(`Operation "${String(op)}" requires a member named "value".`);
  return { op: op as Op['op'], key, value: o['value'] };
}

/**
 * `PATCH /v2/images/{id}` with a JSON-patch media type (415 otherwise, with `Accept-Patch`):
 * add/replace/remove on base attributes and custom properties. Read-only attributes are 403,
 * reserved ones (legacy: `owner`) 403, replacing or removing a property that does not exist 409,
 * a value of the wrong type 400. All operations apply or none.
 */
async function patch(c: GlanceCall): Promise<SimReply> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!PATCH_TYPES.includes(type)) {
    throw new SimHttpError(415, `The request media type ${type || 'None'} is not supported by this server.`, undefined, { 'Accept-Patch': PATCH_TYPES.slice().reverse().join(', ') });
  }
  const img = ownedImage(c, c.req.params['id']!, 'v2');
  const body = await c.req.json<unknown>();
  if (!Array.isArray(body)) throw badRequest('Request body must be a JSON array of operation objects.');
  const ops = body.map((raw) => parseOp(raw, type.includes('v2.0')));
  const blocked = reserved(c.profile);
  const draft: ImageRecord = { ...img, properties: { ...img.properties }, tags: [...img.tags] };
  for (const o of ops) {
    if (blocked.has(o.key)) throw forbidden(`Attribute '${o.key}' is reserved.`);
    if (READ_ONLY.has(o.key)) throw forbidden(`Attribute '${o.key}' is read-only.`);
    const base = BASE[o.key];
    if (base) {
      if (o.op === 'remove') throw forbidden(`Properties ${o.key} cannot be removed.`);
      const v = checkAttribute(c.profile, o.key, o.value);
      if (o.key === 'visibility') checkPublicize(c.profile, c.isAdmin, v);
      if (o.key === 'owner' && !c.isAdmin) throw forbidden(`You are not permitted to modify 'owner' on this image.`);
      base(draft, v);
      continue;
    }
    const exists = Object.prototype.hasOwnProperty.call(draft.properties, o.key);
    if (o.op !== 'add' && !exists) throw conflict(`Property ${o.key} does not exist.`);
    if (o.op === 'remove') delete draft.properties[o.key];
    else draft.properties[o.key] = checkAttribute(c.profile, o.key, o.value) as string;
  }
  Object.assign(img, { ...draft, updatedAt: c.store.now() });
  return json(200, v2Image(c.profile, img));
}

export function v2PatchRoutes() {
  return [{ method: 'PATCH' as const, path: '/v2/images/{id}', handler: patch }];
}
