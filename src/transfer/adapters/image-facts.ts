import { isNotFound, type Cloud } from '../../openstack/index.js';
import { glanceRoot } from '../../openstack/image/index.js';
import { normalizeDigest } from '../checks.js';

/** What Glance says about an image's data. */
export interface ImageFacts {
  readonly status: string;
  /** Bytes; null while Glance does not know. */
  readonly size: number | null;
  /** `checksum` (v1 `x-image-meta-checksum`, v2 `checksum`): md5 hex. */
  readonly md5?: string;
  /** `os_hash_value` when `os_hash_algo` is sha512 (Glance Rocky and later). */
  readonly sha512?: string;
}

/** Glance statuses of an image that is gone (v1 still answers HEAD for them). */
const GONE = new Set(['deleted', 'pending_delete']);

/**
 * Reads an image's status, size and digests; null when the image does not exist.
 *
 * On Glance v2 this reads the image document itself, because the normalized `Image`
 * record (src/openstack) does not carry `os_hash_algo`/`os_hash_value`. On v1 (which has
 * no multihash) it uses the client's HEAD.
 */
export async function readImageFacts(cloud: Cloud, id: string, signal?: AbortSignal): Promise<ImageFacts | null> {
  try {
    if (cloud.capabilities.imageVersion === '1') {
      const image = await cloud.image.get(id);
      if (GONE.has(image.status)) return null;
      return withDigests(image.status, image.size, image.checksum, undefined, undefined);
    }
    const res = await cloud.session.request({
      service: 'image',
      method: 'GET',
      url: `${glanceRoot(cloud.session)}/v2/images/${encodeURIComponent(id)}`,
      ...(signal ? { signal } : {}),
    });
    const doc = (res.data ?? {}) as Record<string, unknown>;
    const status = typeof doc['status'] === 'string' ? doc['status'] : '';
    if (GONE.has(status)) return null;
    const size = typeof doc['size'] === 'number' ? doc['size'] : null;
    return withDigests(status, size, doc['checksum'], doc['os_hash_algo'], doc['os_hash_value']);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function withDigests(status: string, size: number | null, checksum: unknown, algo: unknown, value: unknown): ImageFacts {
  const md5 = normalizeDigest('md5', typeof checksum === 'string' ? checksum : undefined);
  const sha512 = algo === 'sha512' && typeof value === 'string' ? normalizeDigest('sha512', value) : undefined;
  return { status, size, ...(md5 ? { md5 } : {}), ...(sha512 ? { sha512 } : {}) };
}
