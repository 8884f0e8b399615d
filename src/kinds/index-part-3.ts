/**
 * Part 3 of the built-in kinds: hosts (`host_evacuate`, `host_reassign`) as one array for
 * the registry. Options come from the config (PLUGINS.assignment and assignment_parameters
 * for nodes whose manifest entry leaves the layout to the plugin) and from tunables.
 */
import type { PumphouseConfig } from '../config/index.js';
import type { KindHandler } from './contract.js';
import { hostKinds, type HostKindOptions } from './host/index.js';

export type { HostKindOptions, HostTimeouts } from './host/index.js';
export { DEFAULT_HOST_TIMEOUTS } from './host/index.js';

/** Handlers of `host_evacuate` and `host_reassign`. */
export function kindsPart3(options: HostKindOptions = {}): KindHandler[] {
  return hostKinds(options);
}

/** kindsPart3 with the config's PLUGINS (assignment plugin and its parameters). */
export function kindsPart3FromConfig(config: Pick<PumphouseConfig, 'plugins'>, extra: Omit<HostKindOptions, 'plugins'> = {}): KindHandler[] {
  return hostKinds({
    ...extra,
    plugins: {
      assignment: config.plugins.assignment,
      ...(config.plugins.assignmentParameters ? { assignmentParameters: config.plugins.assignmentParameters } : {}),
    },
  });
}
