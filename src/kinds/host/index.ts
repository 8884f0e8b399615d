/**
 * The host kinds: `host_evacuate` (empty a source hypervisor by live migration) and
 * `host_reassign` (move its bare-metal node from the source Fuel environment to the
 * destination one). See docs/architecture/kinds-host.md.
 */
import type { KindHandler } from '../contract.js';
import { hostEvacuateKind } from './evacuate-kind.js';
import { hostReassignKind } from './reassign-kind.js';
import { hostSettings, type HostKindOptions } from './settings.js';

export { hostEvacuateKind } from './evacuate-kind.js';
export { hostReassignKind } from './reassign-kind.js';
export { EVACUATION_REASON } from './disable-service.js';
export { DEFAULT_HOST_TIMEOUTS, TIMEOUT_KEYS, hostSettings, type HostKindOptions, type HostSettings, type HostTimeouts } from './settings.js';

/** Both host handlers, sharing one set of settings. */
export function hostKinds(options: HostKindOptions = {}): KindHandler[] {
  const settings = hostSettings(options);
  return [hostEvacuateKind(settings), hostReassignKind(settings)];
}
