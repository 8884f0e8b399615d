import { SimHttpError, forbidden } from '../../http/errors.js';
import { empty, stream, type SimReply } from '../../http/reply.js';
import { ownedImage, visibleImage } from './access.js';
import { EMPTY_HTML, type GlanceCall } from './call.js';
import { receiveUpload } from './upload.js';

/** `PUT /v2/images/{id}/file`: 204 once the data is stored; only a `queued` image takes data (409). */
async function upload(c: GlanceCall): Promise<SimReply> {
  const img = ownedImage(c, c.req.params['id']!, 'v2', 'upload data to');
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/octet-stream') throw new SimHttpError(415, `The request media type ${type || 'None'} is not supported by this server.`);
  if (img.status !== 'queued') throw new SimHttpError(409, `Image status transition from ${img.status} to saving is not allowed`);
  await receiveUpload(c, img, 'queued');
  return empty(204, EMPTY_HTML);
}

/**
 * `GET /v2/images/{id}/file`: the bytes with `Content-MD5` and `Content-Length`, read through
 * `cloud.readData` (the `imageRateBps` knob); 204 while the image has no data.
 */
function download(c: GlanceCall): SimReply {
  const img = visibleImage(c, c.req.params['id']!, 'v2');
  if (img.status === 'deactivated' && !c.isAdmin) throw forbidden('The requested image has been deactivated. Image data download is forbidden.');
  if (img.status !== 'active' || img.data.kind === 'none' || img.size === null) return empty(204);
  const headers: Record<string, string | number> = { 'Content-Length': img.size };
  if (img.checksum) headers['Content-MD5'] = img.checksum;
  return stream(200, c.cloud.readData(img.data, 'image'), headers);
}

export function v2DataRoutes() {
  return [
    { method: 'PUT' as const, path: '/v2/images/{id}/file', handler: upload },
    { method: 'GET' as const, path: '/v2/images/{id}/file', handler: download },
  ];
}
