import { forbidden, notFound } from '../../http/errors.js';
import type { ImageRecord } from '../../store/types/image.js';
import type { GlanceCall } from './call.js';

/** The caller's membership of an image, if any. */
export function membershipOf(img: ImageRecord, projectId: string) {
  return img.members.find((m) => m.memberId === projectId);
}

/**
 * Glance's `is_image_visible` for one image read by id: admins see everything; others see
 * public and community images, their own, and images they are a member of (any status).
 */
export function canSee(c: GlanceCall, img: ImageRecord): boolean {
  if (img.status === 'deleted') return false;
  if (c.isAdmin || img.visibility === 'public' || img.visibility === 'community') return true;
  if (img.projectId !== null && img.projectId === c.projectId) return true;
  return membershipOf(img, c.projectId) !== undefined;
}

/** The owner (or an admin) may change an image; everyone else only reads it. */
export function canModify(c: GlanceCall, img: ImageRecord): boolean {
  return c.isAdmin || (img.projectId !== null && img.projectId === c.projectId);
}

/** v2 404 wording (`No image found with ID x`); v1 says `Image with identifier x not found`. */
export function visibleImage(c: GlanceCall, id: string, api: 'v1' | 'v2'): ImageRecord {
  const img = c.store.images.get(id);
  if (!img || !canSee(c, img)) throw notFound(api === 'v2' ? `No image found with ID ${id}` : `Image with identifier ${id} not found`);
  return img;
}

/** An image the caller may change: 404 when invisible, 403 when only visible. */
export function ownedImage(c: GlanceCall, id: string, api: 'v1' | 'v2', what = 'modify'): ImageRecord {
  const img = visibleImage(c, id, api);
  if (!canModify(c, img)) throw forbidden(api === 'v2' ? `You are not permitted to ${what} this image.` : `Forbidden to ${what} image`);
  return img;
}
