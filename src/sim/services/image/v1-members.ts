import { badRequest, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { ImageMemberRecord } from '../../store/types/image.js';
import { membershipOf, ownedImage, visibleImage } from './access.js';
import type { GlanceCall } from './call.js';

const view = (m: ImageMemberRecord) => ({ member_id: m.memberId, can_share: m.canShare });

/** `GET /v1/images/{id}/members`: `{"members": [{member_id, can_share}]}`. */
function list(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v1');
  return json(200, { members: img.members.map(view) });
}

function member(memberId: string, canShare: boolean, now: string): ImageMemberRecord {
  // v1 has no membership status; the row's default is `pending` (Havana added the column).
  return { memberId, status: 'pending', canShare, createdAt: now, updatedAt: now };
}

/** `PUT /v1/images/{id}/members/{member}` (optional `{"member": {"can_share"}}`): 204; adding twice updates. */
async function add(c: GlanceCall): Promise<SimReply> {
  const img = ownedImage(c, c.req.params['id']!, 'v1', 'share');
  const memberId = c.req.params['member']!;
  const b = await c.req.json<Record<string, unknown>>(true);
  const spec = b['member'];
  const canShare = typeof spec === 'object' && spec !== null ? Boolean((spec as Record<string, unknown>)['can_share']) : false;
  const now = c.store.now();
  const existing = membershipOf(img, memberId);
  if (existing) {
    existing.canShare = canShare;
    existing.updatedAt = now;
  } else img.members.push(member(memberId, canShare, now));
  return empty(204);
}

/** `PUT /v1/images/{id}/members {"memberships": [...]}`: replaces the whole list; 204. */
async function replace(c: GlanceCall): Promise<SimReply> {
  const img = ownedImage(c, c.req.params['id']!, 'v1', 'share');
  const b = await c.req.json<Record<string, unknown>>();
  const list = b['memberships'];
  if (!Array.isArray(list)) throw badRequest('Invalid membership association: memberships must be a list');
  const now = c.store.now();
  img.members = list.map((raw) => {
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof m['member_id'] !== 'string' || m['member_id'] === '') throw badRequest(`Invalid membership association: ${JSON.stringify(raw)}`);
    const old = membershipOf(img, m['member_id']);
    return old ? { ...old, canShare: Boolean(m['can_share']), updatedAt: now } : member(m['member_id'], Boolean(m['can_share']), now);
  });
  return empty(204);
}

function remove(c: GlanceCall): SimReply {
  const img = ownedImage(c, c.req.params['id']!, 'v1', 'share');
  const memberId = c.req.params['member']!;
  if (!membershipOf(img, memberId)) throw notFound(`${memberId} is not a member of image ${img.id}`);
  img.members = img.members.filter((m) => m.memberId !== memberId);
  return empty(204);
}

/** `GET /v1/shared-images/{tenant}`: `{"shared_images": [{image_id, can_share}]}`. */
function sharedWith(c: GlanceCall): SimReply {
  const tenant = c.req.params['tenant']!;
  const out: Array<Record<string, unknown>> = [];
  for (const img of c.store.images.values()) {
    const m = membershipOf(img, tenant);
    if (m && img.status !== 'deleted') out.push({ image_id: img.id, can_share: m.canShare });
  }
  return json(200, { shared_images: out });
}

export function v1MemberRoutes() {
  return [
    { method: 'GET' as const, path: '/v1/images/{id}/members', handler: list },
    { method: 'PUT' as const, path: '/v1/images/{id}/members', handler: replace },
    { method: 'PUT' as const, path: '/v1/images/{id}/members/{member}', handler: add },
    { method: 'DELETE' as const, path: '/v1/images/{id}/members/{member}', handler: remove },
    { method: 'GET' as const, path: '/v1/shared-images/{tenant}', handler: sharedWith },
  ];
}
