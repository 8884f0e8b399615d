import { ServiceApi } from '../service-api.js';
import type { Session } from '../session/session.js';
import { unsupported } from '../unsupported.js';
import { compareMicroversions } from './microversion.js';

/** Version every call sends unless it needs more: legacy-shaped answers, one normalizer. */
export const BASE_MICROVERSION = '2.1';

/**
 * Nova calls with microversion headers. Every call sends 2.1 (the v2-compatible shape) when
 * the cloud has microversions; a call that needs a newer feature asks for exactly the
 * version that brought it, and only when the cloud supports it.
 */
export class NovaApi extends ServiceApi {
  constructor(
    session: Session,
    /** Highest microversion of the cloud; undefined for legacy Nova v2. */
    readonly maxVersion: string | undefined,
  ) {
    super(session, 'compute', () => session.endpoint('compute'), () => versionHeaders(maxVersion, BASE_MICROVERSION));
  }

  supports(version: string): boolean {
    return this.maxVersion !== undefined && compareMicroversions(this.maxVersion, version) >= 0;
  }

  /** Headers asking for `version`; throws PH_CLOUD_UNSUPPORTED when the cloud is older. */
  headersFor(version: string, what: string): Readonly<Record<string, string>> {
    if (!this.supports(version)) throw unsupported(this.session.name, 'compute', what, `Nova microversion ${version}`);
    return versionHeaders(this.maxVersion, version);
  }
}

function versionHeaders(max: string | undefined, version: string): Readonly<Record<string, string>> {
  if (max === undefined) return {};
  // The legacy header for Kilo..Mitaka, the standard one for Newton+ (2.27); both are harmless elsewhere.
  return { 'x-openstack-nova-api-version': version, 'openstack-api-version': `compute ${version}` };
}
