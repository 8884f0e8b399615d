export { loadManifest, type LoadManifestOptions } from './load-manifest.js';
export { manifestDigest } from './digest.js';
export { checkAgainstConfig, type ConfigFacts } from './cross-check.js';
export {
  CONCURRENCY_KINDS,
  type ConcurrencyKind,
  type ConcurrencyLimits,
  type DesiredHost,
  type DesiredState,
  type DesiredTenant,
  type DiskLayout,
  type HostLayout,
  type IdentityScope,
  type InterfaceLayout,
  type LoadedManifest,
  type MigrationOptions,
  type ObjectRef,
  type Selection,
  type TenantRef,
} from './types.js';
