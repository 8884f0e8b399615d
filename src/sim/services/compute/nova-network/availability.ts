import { notFound, notImplemented, SimHttpError } from '../../../http/errors.js';
import type { NovaCall } from '../context.js';

/**
 * Whether a nova-network API answers on this cloud (legacy-apis.md §2.7):
 * - `proxy` APIs (os-security-groups, os-floating-ips, os-floating-ip-pools and the
 *   read side of os-networks / os-tenant-networks) work everywhere, proxied to Neutron on
 *   Neutron clouds, until microversion 2.36 (404);
 * - `nova-network-only` APIs (writes of os-networks, os-fixed-ips, os-floating-ips-bulk) work
 *   with nova-network; a legacy Neutron cloud's driver answers 501, a modern one 410 Gone.
 */
export function gate(c: NovaCall, kind: 'proxy' | 'nova-network-only'): void {
  if (c.mv >= 36) throw notFound('The resource could not be found.');
  if (kind === 'proxy' || c.profile.novaNetworkApis) return;
  if (c.microversions) throw new SimHttpError(410, 'This API is no longer supported: nova-network was removed.', 'Gone');
  throw notImplemented('Network driver does not support this function.');
}
