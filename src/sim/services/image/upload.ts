import { SimHttpError } from '../../http/errors.js';
import type { DataRef, ImageRecord } from '../../store/types/image.js';
import type { GlanceCall } from './call.js';
import { activate, stillThere } from './data.js';

/**
 * Streams the request body into an image: `saving` while bytes arrive (rate-limited by the
 * `imageRateBps` knob), then `active` with size, MD5 and sha512. A broken stream puts the image
 * back to `onFailure` (v2 restores `queued`, v1 kills it). `expectSize` (v1
 * `x-image-meta-size`) must match what arrived. The image deleted meanwhile is a 410.
 */
export async function receiveUpload(c: GlanceCall, image: ImageRecord, onFailure: 'queued' | 'killed', expectSize?: number): Promise<void> {
  const { store } = c;
  image.status = 'saving';
  image.updatedAt = store.now();
  let put: { readonly ref: DataRef; readonly md5: string; readonly sha512: string; readonly size: number };
  try {
    put = await store.blobs.put(c.cloud.limitRate(c.req.raw, 'image'));
  } catch {
    if (stillThere(store, image)) image.status = onFailure;
    throw new SimHttpError(400, 'The upload was interrupted before all data arrived.');
  }
  if (!stillThere(store, image)) {
    store.blobs.release(put.ref);
    throw new SimHttpError(410, `Image ${image.id} could not be found after upload. The image may have been deleted during the upload.`);
  }
  if (expectSize !== undefined && expectSize !== put.size) {
    store.blobs.release(put.ref);
    image.status = onFailure;
    throw new SimHttpError(400, `Supplied x-image-meta-size (${expectSize}) does not match the size of the image data (${put.size})`);
  }
  activate(store, image, put.ref, put);
}
