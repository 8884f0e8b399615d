import type {
  DesiredState,
  HostLayout,
  IdentityScope,
  MigrationOptions,
  ObjectRef,
  TenantRef,
} from '../manifest/index.js';

/**
 * The manifest's normalized DesiredState as the planner reads it: the same facts, plus where
 * each tenant and host entry sits in the manifest so diagnostics can name it.
 */
export interface PlannerTenant {
  /** The manifest key (name, or `id:<id>`). */
  readonly key: string;
  readonly ref: TenantRef;
  /** How diagnostics name the entry (`tenants[acme]`, or a file:line from the loader). */
  readonly entry: string;
  readonly sourceAfter: 'keep' | 'stop' | 'delete';
  /** The servers to migrate: all of the tenant's, or these. */
  readonly servers: 'all' | readonly ObjectRef[];
}

export interface PlannerHost {
  readonly name: string;
  readonly entry: string;
  /** Destination Fuel environment, by name or id. */
  readonly environment: string;
  readonly roles: readonly string[];
  readonly layout: HostLayout;
}

export interface PlannerDesired {
  readonly tenants: readonly PlannerTenant[];
  readonly identity: IdentityScope;
  readonly images: { readonly public: 'all' | 'none' | readonly ObjectRef[] };
  readonly flavors: 'used' | 'all';
  readonly hosts: readonly PlannerHost[];
  readonly options: MigrationOptions;
}

/** Where manifest entries are, by tenant key and host name (e.g. `manifest.yaml:12`). */
export interface ManifestEntries {
  readonly tenants?: ReadonlyMap<string, string>;
  readonly hosts?: ReadonlyMap<string, string>;
}

/** Adapts the manifest loader's DesiredState to the planner's view. */
export function plannerDesired(desired: DesiredState, entries: ManifestEntries = {}): PlannerDesired {
  return {
    tenants: desired.tenants.map((t) => ({
      key: t.key,
      ref: t.ref,
      entry: entries.tenants?.get(t.key) ?? `tenants[${t.key}]`,
      sourceAfter: t.sourceAfter,
      servers: t.servers.kind === 'all' ? 'all' : t.servers.refs,
    })),
    identity: desired.identity,
    images: { public: desired.images.public.kind === 'some' ? desired.images.public.refs : desired.images.public.kind },
    flavors: desired.flavors,
    hosts: desired.hosts.map((h) => ({
      name: h.name,
      entry: entries.hosts?.get(h.name) ?? `hosts[${h.name}]`,
      environment: h.environment,
      roles: h.roles,
      layout: h.layout,
    })),
    options: desired.options,
  };
}

/** True when the object with this id and name is what `ref` names. */
export function refMatches(ref: ObjectRef | TenantRef, id: string, name: string): boolean {
  if (ref.by === 'id') return id === ref.value;
  if (ref.by === 'name') return name === ref.value;
  return id === ref.value || name === ref.value;
}

/** `ref` as written in the manifest, for messages. */
export function refText(ref: ObjectRef | TenantRef): string {
  return ref.by === 'name-or-id' ? ref.value : `${ref.by} ${ref.value}`;
}
