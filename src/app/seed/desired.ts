import { normalizeManifest } from '../../manifest/normalize-manifest.js';
import type { DesiredState } from '../../manifest/index.js';

/** A tenant the verb needs in scope, by source project id. */
export interface VerbTenant {
  readonly id: string;
  /** Server ids to move; [] moves none (the tenant is in scope for what it owns). */
  readonly servers: readonly string[];
}

/** What one of the original's verbs wants, in the words of a manifest. */
export interface VerbScope {
  readonly tenants?: readonly VerbTenant[];
  /** Public image ids (`images.public`). */
  readonly publicImages?: readonly string[];
  readonly hosts?: readonly { readonly name: string; readonly environment: string }[];
  /** `identity.passwords`; the manifest's default is copy-hash. */
  readonly passwords?: DesiredState['identity']['passwords'];
}

/**
 * The desired state a verb plans with: written as a manifest would say it and normalized by
 * the manifest loader's own normalizer, so it is the same type, with the same defaults and
 * the same digest rules, as `pumphouse plan -m` would produce from that manifest.
 */
export function verbDesired(scope: VerbScope): DesiredState {
  return normalizeManifest({
    version: 1,
    tenants: (scope.tenants ?? []).map((t) => ({ id: t.id, placement: 'destination', servers: t.servers.map((id) => ({ id })) })),
    images: { public: scope.publicImages && scope.publicImages.length > 0 ? scope.publicImages.map((id) => ({ id })) : 'none' },
    hosts: (scope.hosts ?? []).map((h) => ({ name: h.name, environment: h.environment })),
    ...(scope.passwords ? { identity: { passwords: scope.passwords } } : {}),
  }).desired;
}
