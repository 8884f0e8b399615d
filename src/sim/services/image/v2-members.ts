import { badRequest, conflict, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { ImageMemberRecord, ImageRecord } from '../../store/types/image.js';
import { canModify, membershipOf, ownedImage, visibleImage } from './access.js';
import { EMPTY_HTML, type GlanceCall } from './call.js';
import { v2Member } from './v2-view.js';

/**
 * Who may share: the owner (or an admin) of an image that can have members: `shared` on
 * modern clouds (Zed: 403 for private ones), anything but public on legacy ones.
 */
function sharable(c: GlanceCall, img: ImageRecord): void {
  if (!canModify(c, img)) throw forbidden(`You are not permitted to create image members for the image.`);
  const ok = c.profile.glanceSharedVisibility ? img.visibility === 'shared' : img.visibility !== 'public';
  if (!ok) throw forbidden(img.visibility === 'public' ? 'Public images do not have members.' : `Not allowed to create members for image ${img.id}.`);
}

function memberOf(img: ImageRecord, memberId: string): ImageMemberRecord {
  const m = membershipOf(img, memberId);
  if (!m) throw notFound(`${memberId} is not a member of image ${img.id}`);
  return m;
}

/** `POST /v2/images/{id}/members {"member"}`: 200 (not 201), status `pending`; twice is a 409. */
async function add(c: GlanceCall): Promise<SimReply> {
  const img = visibleImage(c, c.req.params['id']!, 'v2');
  const b = await c.req.json<Record<string, unknown>>();
  const memberId = b['member'];
  if (typeof memberId !== 'string' || memberId === '') throw badRequest('Member to be added not specified');
  sharable(c, img);
  if (membershipOf(img, memberId)) throw conflict(`Member ${memberId} already associated with image ${img.id}`);
  const now = c.store.now();
  const m: ImageMemberRecord = { memberId, status: 'pending', canShare: false, createdAt: now, updatedAt: now };
  img.members.push(m);
  return json(200, v2Member(img.id, m));
}

/** The owner and admins see every member; a member sees its own membership only. */
function list(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v2');
  const members = canModify(c, img) ? img.members : img.members.filter((m) => m.memberId === c.projectId);
  return json(200, { members: members.map((m) => v2Member(img.id, m)), schema: '/v2/schemas/members' });
}

function show(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v2');
  const m = memberOf(img, c.req.params['member']!);
  if (!canModify(c, img) && m.memberId !== c.projectId) throw notFound(`${m.memberId} is not a member of image ${img.id}`);
  return json(200, v2Member(img.id, m));
}

/** `PUT .../members/{member} {"status"}`: only the member project or an admin (the owner gets 403). */
async function setStatus(c: GlanceCall): Promise<SimReply> {
  const img = visibleImage(c, c.req.params['id']!, 'v2');
  const m = memberOf(img, c.req.params['member']!);
  const b = await c.req.json<Record<string, unknown>>();
  const status = b['status'];
  if (status !== 'pending' && status !== 'accepted' && status !== 'rejected') throw badRequest(`Invalid status: ${String(status)}`);
  if (!c.isAdmin && m.memberId !== c.projectId) throw forbidden(`You are not permitted to modify 'status' on this image member.`);
  m.status = status;
  m.updatedAt = c.store.now();
  return json(200, v2Member(img.id, m));
}

function remove(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v2');
  const m = memberOf(img, c.req.params['member']!);
  if (!canModify(c, img)) throw forbidden(`You are not permitted to delete image members for the image.`);
  img.members = img.members.filter((x) => x !== m);
  return empty(204);
}

/** `PUT|DELETE /v2/images/{id}/tags/{tag}`: 204. */
function tag(add: boolean) {
  return (c: GlanceCall): SimReply => {
    const img = ownedImage(c, c.req.params['id']!, 'v2');
    const t = c.req.params['tag']!;
    if (add) {
      if (t.length > 255) throw badRequest(`Provided object does not match schema 'image': '${t}' is too long`);
      if (!img.tags.includes(t)) img.tags.push(t);
    } else {
      if (!img.tags.includes(t)) throw notFound(`Tag ${t} not found`);
      img.tags = img.tags.filter((x) => x !== t);
    }
    img.updatedAt = c.store.now();
    return empty(204, EMPTY_HTML);
  };
}

export function v2MemberRoutes() {
  return [
    { method: 'GET' as const, path: '/v2/images/{id}/members', handler: list },
    { method: 'POST' as const, path: '/v2/images/{id}/members', handler: add },
    { method: 'GET' as const, path: '/v2/images/{id}/members/{member}', handler: show },
    { method: 'PUT' as const, path: '/v2/images/{id}/members/{member}', handler: setStatus },
    { method: 'DELETE' as const, path: '/v2/images/{id}/members/{member}', handler: remove },
    { method: 'PUT' as const, path: '/v2/images/{id}/tags/{tag}', handler: tag(true) },
    { method: 'DELETE' as const, path: '/v2/images/{id}/tags/{tag}', handler: tag(false) },
  ];
}
