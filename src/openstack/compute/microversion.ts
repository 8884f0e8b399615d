import { isCloudHttpError } from '../errors.js';
import { splitVersion } from '../http/url.js';
import type { Session } from '../session/session.js';
import { obj, str } from '../wire.js';

/** Compares `2.10` and `2.9` as versions (not decimals). */
export function compareMicroversions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}

/**
 * The highest microversion of a Nova or Cinder endpoint, from the version document of the
 * versioned root (`GET <root>/v2.1/`: `{"version": {"version": "2.93", "min_version": "2.1"}}`).
 * undefined for APIs without microversions (Nova v2 and Juno's experimental v2.1 answer an
 * empty `version`), and when the document cannot be read. One call.
 */
export async function maxMicroversion(session: Session, service: string, endpointUrl: string): Promise<string | undefined> {
  const split = splitVersion(endpointUrl);
  if (!split) return undefined;
  try {
    const res = await session.request({ service, method: 'GET', url: `${split.root}/${split.version}/`, okStatuses: [300] });
    const doc = obj(res.data);
    const version = obj(doc['version']);
    const max = str(version['version']) ?? str(version['max_version']);
    return max && /^\d+\.\d+$/.test(max) ? max : undefined;
  } catch (err) {
    // An old API without a version document: treat as "no microversions".
    if (isCloudHttpError(err, 404, 400, 405, 501)) return undefined;
    throw err;
  }
}
