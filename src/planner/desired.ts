/**
 * The part of the normalized manifest (manifest/'s DesiredState) the planner reads, with
 * every default already applied. Kept as the planner's own narrow view so the planner does
 * not depend on how the manifest file is spelled; `fromDesiredState` adapts the manifest
 * loader's output to it.
 */

/** One `tenants[]` entry of the manifest. */
export interface DesiredTenant {
  /** The name or id the manifest gave; matched against source project ids first, then names. */
  readonly ref: string;
  /** Where the entry sits in the manifest, for diagnostics (`tenants[2]`, `manifest.yaml:14`). */
  readonly entry: string;
  readonly placement: 'destination';
  /** What happens to each source server once its copy runs in the destination. */
  readonly sourceAfter: 'keep' | 'stop' | 'delete';
  /** Names or ids of the servers to migrate; absent = every server of the tenant. */
  readonly servers?: readonly string[];
}

/** One `hosts[]` entry: a source hypervisor to evacuate and reassign in Fuel. */
export interface DesiredHost {
  /** Compute service host name (also the Fuel node hostname). */
  readonly name: string;
  readonly entry: string;
  /** Destination Fuel environment, by name or id. */
  readonly environment: string;
  /** Roles in the destination environment (`compute`, `cinder`...). */
  readonly roles: readonly string[];
  /** Hostname of a destination node whose disk and NIC layout is copied. */
  readonly copyFrom?: string;
}

export interface DesiredOptions {
  /** Create ports with the source fixed IPs and MACs. */
  readonly keepFixedIps: boolean;
  /** Ask for the source floating address where the destination external network holds it. */
  readonly keepFloatingIps: boolean;
  /** How a server is made consistent before its disk is copied. */
  readonly serverConsistency: 'stop' | 'suspend' | 'live';
  /** Destination external network (name or id) for router gateways and floating IPs. */
  readonly externalNetwork?: string;
  /** Source flavor name -> destination flavor name, for flavors that differ between clouds. */
  readonly flavorMap: Readonly<Record<string, string>>;
}

/** The desired state, as the planner sees it. */
export interface PlannerDesired {
  readonly tenants: readonly DesiredTenant[];
  readonly identity: {
    /** `all`: every source user; `tenant-members`: users with a role in a migrated tenant. */
    readonly users: 'all' | 'tenant-members';
    readonly passwords: 'copy-hash' | 'reset' | 'skip';
  };
  /** Public images: all, none, or these names/ids. Tenants' private images always go. */
  readonly images: { readonly public: 'all' | 'none' | readonly string[] };
  /** `used`: flavors of migrated servers; `all`: every source flavor. */
  readonly flavors: 'used' | 'all';
  readonly hosts: readonly DesiredHost[];
  readonly options: DesiredOptions;
}
