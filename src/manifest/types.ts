import type { SourceLocation } from '../errors/index.js';
import type { DiskLayout, InterfaceLayout } from '../config/types.js';
import type { FieldPath } from '../config/input/index.js';

export type { DiskLayout, InterfaceLayout };

/**
 * How the manifest names a cloud object. A plain string matches a name or an id (the
 * planner resolves it against the inventory); `{name}` / `{id}` say which.
 */
export type ObjectRef =
  | { readonly by: 'name'; readonly value: string }
  | { readonly by: 'id'; readonly value: string }
  | { readonly by: 'name-or-id'; readonly value: string };

/** A tenant is named by name or by id, never by both. */
export type TenantRef = { readonly by: 'name'; readonly value: string } | { readonly by: 'id'; readonly value: string };

/** Which objects of a kind are in scope. */
export type Selection =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'some'; readonly refs: readonly ObjectRef[] };

export interface DesiredTenant {
  /** Stable key: the name, or `id:<id>`. Unique in a manifest; tenants are sorted by it. */
  readonly key: string;
  readonly ref: TenantRef;
  readonly placement: 'destination';
  /** After a successful cut-over: leave the source copy, stop its servers, or delete it. Default keep. */
  readonly sourceAfter: 'keep' | 'stop' | 'delete';
  /** Servers to move: all (default) or some, sorted. */
  readonly servers: Exclude<Selection, { kind: 'none' }>;
}

export interface IdentityScope {
  /** `tenant-members` (default): users with a role in a migrated tenant. */
  readonly users: 'all' | 'tenant-members';
  /** `used` (default): roles that appear in migrated assignments. */
  readonly roles: 'all' | 'used';
  /** `copy-hash` (default): copy Keystone password hashes through identity.connection. */
  readonly passwords: 'copy-hash' | 'reset' | 'skip';
}

/** The Fuel node layout a host gets in the destination environment. */
export type HostLayout =
  /** PLUGINS.assignment of the config decides (fixed parameters or discovery). */
  | { readonly kind: 'plugin' }
  /** Copy the disks and NICs of an existing node of the destination environment. */
  | { readonly kind: 'copy-from'; readonly node: string }
  /** As written in the manifest; a missing part falls back to the plugin. */
  | { readonly kind: 'given'; readonly disks?: readonly DiskLayout[]; readonly interfaces?: readonly InterfaceLayout[] };

export interface DesiredHost {
  /** Host name as Nova and Fuel know it (hostname or FQDN). Unique in a manifest. */
  readonly name: string;
  /** Target Fuel environment (the destination's). */
  readonly environment: string;
  /** Fuel roles in the target environment, sorted; default [compute]. */
  readonly roles: readonly string[];
  readonly layout: HostLayout;
}

export const CONCURRENCY_KINDS = ['tenant', 'identity', 'flavor', 'image', 'volume', 'server', 'network', 'floating_ip', 'host', 'transfer'] as const;
export type ConcurrencyKind = (typeof CONCURRENCY_KINDS)[number];

export interface ConcurrencyLimits {
  /** Limit for kinds without their own; undefined: the command's --parallelism. */
  readonly default?: number;
  readonly perKind: Readonly<Partial<Record<ConcurrencyKind, number>>>;
  /**
   * `concurrency.discovery`: how many per-project (per-user) reads `plan`'s discovery keeps in
   * flight per cloud and service where an API has no bulk list (quotas, keypairs). Not an apply group, and `default`
   * does not cover it; undefined: discovery's default (src/discovery, DEFAULT_CONCURRENCY).
   */
  readonly discovery?: number;
}

export interface MigrationOptions {
  /** Give each port in the destination the fixed IP it had (default true). */
  readonly keepFixedIps: boolean;
  /** Keep floating IP addresses where the destination's external network holds them (default true). */
  readonly keepFloatingIps: boolean;
  /** What happens to a source server while its disk is copied (default suspend, as the original). */
  readonly serverConsistency: 'stop' | 'suspend' | 'live';
  /**
   * On a source whose Nova shows keypairs only to their owner (below microversion 2.10): whose
   * keypairs apply reads as the owner, each read a temporary password in the SOURCE Keystone
   * database. `all` (default): every migrated user's; `used`: only users whose migrated
   * servers use a keypair; `none`: nobody's (those servers boot without their key).
   */
  readonly legacyKeypairs: 'all' | 'used' | 'none';
  /** Destination external network for floating IPs; undefined: the only external one. */
  readonly externalNetwork?: string;
  /** Source flavor name -> destination flavor name, sorted by source name. */
  readonly flavorMap: Readonly<Record<string, string>>;
}

/** The manifest, validated and normalized: defaults applied, lists sorted, deeply frozen. */
export interface DesiredState {
  readonly version: 1;
  readonly tenants: readonly DesiredTenant[];
  readonly identity: IdentityScope;
  readonly images: { readonly public: Selection };
  readonly flavors: 'used' | 'all';
  readonly hosts: readonly DesiredHost[];
  readonly concurrency: ConcurrencyLimits;
  readonly options: MigrationOptions;
}

export interface LoadedManifest {
  /** Absolute path. */
  readonly path: string;
  /** The path as given (used in messages). */
  readonly file: string;
  readonly desired: DesiredState;
  /** sha256 (hex) of the canonical normalized desired state: comments and formatting do not change it. */
  readonly digest: string;
  /** sha256 (hex) of the file's bytes. */
  readonly textSha256: string;
  /** The field path of each tenant (by key) and host (by name) in the file; pass it to locate(). */
  readonly paths: {
    readonly tenants: ReadonlyMap<string, FieldPath>;
    readonly hosts: ReadonlyMap<string, FieldPath>;
  };
  /** Location of any field of the file (nearest existing parent if absent). */
  locate(path: FieldPath): SourceLocation;
}
