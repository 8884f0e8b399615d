/** The original tool's verbs as thin shells over plan() and apply(), plus setup and cleanup. */
export { migrate, migrateScope, migrateSelector, type MigrateOptions } from './migrate.js';
export { evacuate, reassign, type HostVerbOptions } from './hosts.js';
export { planAndApply, verbPlanPath, type VerbOptions, type VerbResult } from './verb-run.js';
export { verbDesired, type VerbScope, type VerbTenant } from './desired.js';
export { exactSelection, pickActions, type Selection } from './selection.js';
export { resolveIds, MIGRATE_WHATS, type MigrateWhat, type Resolved } from './resolve.js';
export { setup, type SetupOptions, type SetupResult } from './setup/setup.js';
export { setupSpec, SETUP_PREFIX, type SetupSpec, type SetupCounts, type TenantSpec } from './setup/spec.js';
export { passwordsPath } from './setup/passwords-file.js';
export { cleanup, type CleanupOptions, type CleanupResult, type Asker, type Question } from './cleanup/cleanup.js';
export { findOurs, type CleanupSide } from './cleanup/find-ours.js';
export { CLEANUP_ORDER, inDeletionOrder, type CleanupKind, type Doomed } from './cleanup/doomed.js';
export { stateMade, type StateMade } from './cleanup/state-made.js';
