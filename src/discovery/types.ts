import type { Reporter } from '../events/index.js';
import type { IdentityDb } from '../identity-db/index.js';
import type { CloudRole } from '../inventory/index.js';

/**
 * Something discovery could not see or had to leave out, for the plan's diagnostics (the
 * plan facade appends these as warnings, so reviewers read them next to the changes).
 */
export interface DiscoveryNote {
  readonly severity: 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

/**
 * Which projects and users get the calls that have no bulk form (quotas, Keystone v2.0 role
 * assignments, keypairs, password hash refs). Everything else is listed whole.
 */
export interface CloudScope {
  readonly projectIds: ReadonlySet<string>;
  readonly userIds: ReadonlySet<string>;
}

/** Options shared by every cloud's discovery. */
export interface DiscoveryOptions {
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** Clock for `observed.at` (tests fix it). Default: the system clock. */
  readonly now?: () => Date;
  /**
   * Per-object reads (one project, user or private flavor each) in flight at once per cloud
   * and service: quotas keep N Nova and N Cinder reads going, each service on its own queue. Default: the manifest's
   * `concurrency.discovery` in `discover()`, else DEFAULT_CONCURRENCY.
   */
  readonly concurrency?: number;
}

/** One OpenStack cloud to discover. */
export interface CloudTarget {
  readonly role: CloudRole;
  /** Keystone database of this cloud: which users have a readable password hash (refs only). */
  readonly identityDb?: IdentityDb;
}

/**
 * Default of DiscoveryOptions.concurrency: 8 reads in flight per service, so 8 Nova and 8
 * Cinder quota reads at once per cloud (half the session's 16 connections per service). See
 * docs/architecture/discovery.md "Concurrency" for the measurements behind it.
 */
export const DEFAULT_CONCURRENCY = 8;
