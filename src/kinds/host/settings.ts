import type { PluginsConfig } from '../../config/index.js';
import type { Action } from '../../plan/index.js';

/** How long each host wait may take, in seconds. */
export interface HostTimeouts {
  /** One server's live migration, from the request to ACTIVE on another host. */
  readonly liveMigrationS: number;
  /** A server busy with another task (snapshot, reboot) to become free before it is migrated. */
  readonly serverSettleS: number;
  /** The emptied host's hypervisor to report no running VM (its count lags the moves). */
  readonly hypervisorIdleS: number;
  /** The node removal deployment of the source environment (wipes the node). */
  readonly sourceRemovalS: number;
  /** The wiped machine to boot into bootstrap and register again (new id, same MACs). */
  readonly rediscoveryS: number;
  /** The source's stale services of the host to be reported down before they are deleted. */
  readonly staleServiceDownS: number;
  /** The destination environment's deployment (provisioning + deployment of the node). */
  readonly deployS: number;
  /** nova-compute of the deployed node to be up and enabled, and its hypervisor to appear. */
  readonly computeUpS: number;
}

/**
 * Defaults. Generous on purpose: a real Fuel provisioning installs an operating system, and
 * the original tool's limits (60 s for a live migration, 360 s for rediscovery, 60 s for
 * nova-compute) failed healthy operations on slow hardware (pumphouse-original.md §11).
 */
export const DEFAULT_HOST_TIMEOUTS: HostTimeouts = {
  liveMigrationS: 1800,
  serverSettleS: 600,
  hypervisorIdleS: 300,
  sourceRemovalS: 3600,
  rediscoveryS: 1800,
  staleServiceDownS: 300,
  deployS: 4 * 3600,
  computeUpS: 900,
};

/** The plan's `after.timeouts` keys (seconds), each overriding one of HostTimeouts. */
export const TIMEOUT_KEYS: Readonly<Record<string, keyof HostTimeouts>> = {
  live_migration_s: 'liveMigrationS',
  server_settle_s: 'serverSettleS',
  hypervisor_idle_s: 'hypervisorIdleS',
  source_removal_s: 'sourceRemovalS',
  rediscovery_s: 'rediscoveryS',
  stale_service_down_s: 'staleServiceDownS',
  deploy_s: 'deployS',
  compute_up_s: 'computeUpS',
};

/** What the host kinds are built with (hostKinds()). Everything is optional. */
export interface HostKindOptions {
  /**
   * The config's `PLUGINS.assignment` and `assignment_parameters`: the layout of a node whose
   * manifest entry leaves it to the plugin (`after.layout.kind: plugin`). Default `fixed`
   * without parameters, which keeps Nailgun's default disks and NIC mapping.
   */
  readonly plugins?: Pick<PluginsConfig, 'assignment' | 'assignmentParameters'>;
  /** Overrides of DEFAULT_HOST_TIMEOUTS (the plan's `after.timeouts` win over these). */
  readonly timeouts?: Partial<HostTimeouts>;
  /**
   * Live migrations of one host's servers running at once. Default 2: the executor already
   * runs one host at a time, and Nova itself serializes migrations per compute
   * (`max_concurrent_live_migrations` = 1), so more only queues in Nova.
   */
  readonly migrationsAtOnce?: number;
  /**
   * Block migration on clouds without microversion 2.25 (which takes `auto`): `auto` picks
   * true for servers with a local root disk and false for volume-backed ones, and retries
   * once with the other value when Nova refuses the first for a storage reason.
   */
  readonly legacyBlockMigration?: 'auto' | boolean;
  /** First delay between polls (doubled up to maxPollIntervalMs). Default 2000 ms. */
  readonly pollIntervalMs?: number;
  /** Default 10000 ms. */
  readonly maxPollIntervalMs?: number;
}

/** HostKindOptions with every default applied. */
export interface HostSettings {
  readonly plugins: Pick<PluginsConfig, 'assignment' | 'assignmentParameters'>;
  readonly timeouts: HostTimeouts;
  readonly migrationsAtOnce: number;
  readonly legacyBlockMigration: 'auto' | boolean;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

export function hostSettings(options: HostKindOptions = {}): HostSettings {
  return {
    plugins: options.plugins ?? { assignment: 'fixed' },
    timeouts: { ...DEFAULT_HOST_TIMEOUTS, ...options.timeouts },
    migrationsAtOnce: Math.max(1, Math.floor(options.migrationsAtOnce ?? 2)),
    legacyBlockMigration: options.legacyBlockMigration ?? 'auto',
    pollIntervalMs: options.pollIntervalMs ?? 2000,
    maxPollIntervalMs: options.maxPollIntervalMs ?? 10_000,
  };
}

/** The timeouts of one action: the settings' with the plan's `after.timeouts` (positive numbers) applied. */
export function timeoutsOf(settings: HostSettings, action: Action): HostTimeouts {
  const raw = action.after?.['timeouts'];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return settings.timeouts;
  const out: Record<keyof HostTimeouts, number> = { ...settings.timeouts };
  for (const [key, field] of Object.entries(TIMEOUT_KEYS)) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[field] = v;
  }
  return out;
}

/** ctx.wait options for a wait of `timeoutS`. */
export function waitOptions(settings: HostSettings, timeoutS: number): { timeoutS: number; intervalMs: number; maxIntervalMs: number } {
  return { timeoutS, intervalMs: settings.pollIntervalMs, maxIntervalMs: Math.max(settings.pollIntervalMs, settings.maxPollIntervalMs) };
}
