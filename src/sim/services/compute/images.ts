import { badRequest } from '../../http/errors.js';
import type { SimStore } from '../../store/store.js';
import type { ImageRecord } from '../../store/types/image.js';

/** The id at the end of a ref that may be a URL (`http://.../images/<id>`), as Nova accepts. */
export function refId(ref: unknown): string | undefined {
  if (typeof ref === 'number') return String(ref);
  if (typeof ref !== 'string' || ref === '') return undefined;
  return ref.includes('/') ? ref.replace(/\/+$/, '').split('/').at(-1) : ref;
}

/** Glance's visibility rule as Nova meets it when it fetches an image by id. */
export function imageVisible(img: ImageRecord, projectId: string, admin: boolean): boolean {
  if (admin || img.visibility === 'public' || img.visibility === 'community') return true;
  if (img.projectId === projectId) return true;
  return img.members.some((m) => m.memberId === projectId && m.status !== 'rejected');
}

/** The image a boot names: visible to the project and active, or Nova's 400. */
export function bootImage(store: SimStore, id: string, projectId: string, admin: boolean): ImageRecord {
  const img = store.images.get(id);
  if (!img || img.status === 'deleted' || !imageVisible(img, projectId, admin)) throw badRequest('Can not find requested image');
  if (img.status !== 'active') throw badRequest(`Image ${id} is not active.`);
  return img;
}
