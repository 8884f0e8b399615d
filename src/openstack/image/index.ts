import { isCloudHttpError } from '../errors.js';
import { ServiceApi } from '../service-api.js';
import type { Session } from '../session/session.js';
import { arr, obj, objs, str } from '../wire.js';
import type { ImageClient } from './image-client.js';
import { imageV1 } from './image-v1.js';
import { imageV2 } from './image-v2.js';

export type { ImageClient, ImageDownload, TransferOptions } from './image-client.js';

/** The Glance endpoint without a trailing `/v1` or `/v2` (catalogs usually register it bare). */
export function glanceRoot(session: Session): string {
  return session.endpoint('image').replace(/\/+$/, '').replace(/\/v[12](\.\d+)?$/, '');
}

/**
 * Which Glance API to use: v2 when the version document lists it, else v1. One call (Glance
 * answers its root with 300 Multiple Choices).
 */
export async function glanceVersion(session: Session): Promise<'1' | '2'> {
  try {
    const res = await session.request({ service: 'image', method: 'GET', url: `${glanceRoot(session)}/`, okStatuses: [300] });
    const doc = obj(res.data);
    const ids = [...objs(arr(doc['versions'])), ...objs(obj(doc['versions'])['values'])].map((v) => str(v['id']) ?? '');
    if (ids.some((id) => id.startsWith('v2'))) return '2';
    if (ids.some((id) => id.startsWith('v1'))) return '1';
    return '2';
  } catch (err) {
    if (isCloudHttpError(err, 404)) return '2';
    throw err;
  }
}

export function imageClient(session: Session, version: '1' | '2'): ImageClient {
  const api = new ServiceApi(session, 'image', () => `${glanceRoot(session)}/v${version}`);
  return version === '2' ? imageV2(api) : imageV1(api);
}
