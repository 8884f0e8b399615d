import { diskLayouts, interfaceLayouts } from '../config/normalize-config.js';
import type { FieldPath } from '../config/input/index.js';
import { CONCURRENCY_KINDS, type ConcurrencyLimits, type DesiredHost, type DesiredState, type DesiredTenant, type HostLayout, type ObjectRef, type Selection, type TenantRef } from './types.js';
import { byCodeUnits } from '../json/code-unit-order.js';

type Raw = Record<string, unknown>;

// Runs on schema-valid data: the casts narrow what the schema has already proved.

/** The key a tenant is known by in a manifest: its name, or `id:<id>`. */
export function tenantKey(ref: TenantRef): string {
  return ref.by === 'name' ? ref.value : `id:${ref.value}`;
}

export function tenantRef(raw: Raw): TenantRef | undefined {
  if (typeof raw.name === 'string') return { by: 'name', value: raw.name };
  if (typeof raw.id === 'string') return { by: 'id', value: raw.id };
  return undefined;
}

export function objectRef(raw: unknown): ObjectRef {
  if (typeof raw === 'string') return { by: 'name-or-id', value: raw };
  const r = raw as Raw;
  return typeof r.name === 'string' ? { by: 'name', value: r.name } : { by: 'id', value: r.id as string };
}

const refKey = (r: ObjectRef): string => `${r.by}\u0000${r.value}`;

function selection(raw: unknown, absent: 'all' | 'none'): Selection {
  if (raw === undefined) return { kind: absent };
  if (raw === 'all' || raw === 'none') return { kind: raw };
  const unique = new Map((raw as unknown[]).map((r) => objectRef(r)).map((r) => [refKey(r), r]));
  return { kind: 'some', refs: [...unique.values()].sort((a, b) => byCodeUnits(refKey(a), refKey(b))) };
}

function tenant(raw: Raw): DesiredTenant {
  const ref = tenantRef(raw)!;
  return {
    key: tenantKey(ref),
    ref,
    placement: 'destination',
    sourceAfter: (raw.source_after as DesiredTenant['sourceAfter'] | undefined) ?? 'keep',
    servers: selection(raw.servers, 'all') as DesiredTenant['servers'],
  };
}

function host(raw: Raw): DesiredHost {
  let layout: HostLayout = { kind: 'plugin' };
  if (typeof raw.copy_from === 'string') layout = { kind: 'copy-from', node: raw.copy_from };
  else if (raw.disks !== undefined || raw.interfaces !== undefined) {
    layout = {
      kind: 'given',
      ...(raw.disks === undefined ? {} : { disks: diskLayouts(raw.disks) }),
      ...(raw.interfaces === undefined ? {} : { interfaces: interfaceLayouts(raw.interfaces) }),
    };
  }
  return {
    name: raw.name as string,
    environment: raw.environment as string,
    roles: [...new Set((raw.roles as string[] | undefined) ?? ['compute'])].sort(byCodeUnits),
    layout,
  };
}

function concurrency(raw: unknown): ConcurrencyLimits {
  if (typeof raw === 'number') return { default: raw, perKind: {} };
  const map = (raw ?? {}) as Raw;
  const perKind = Object.fromEntries(CONCURRENCY_KINDS.filter((k) => typeof map[k] === 'number').map((k) => [k, map[k] as number]));
  // Only when written, so manifests without it keep their digest.
  return { ...(typeof map.default === 'number' ? { default: map.default } : {}), perKind, ...(typeof map.discovery === 'number' ? { discovery: map.discovery } : {}) };
}

/**
 * Applies the defaults and sorts every list whose order carries no meaning, so two
 * manifests that mean the same thing normalize to the same value (and digest). Returns the
 * desired state (deeply frozen) and where each tenant and host was written.
 */
export function normalizeManifest(data: Raw): { desired: DesiredState; tenants: Map<string, FieldPath>; hosts: Map<string, FieldPath> } {
  const rawTenants = (data.tenants as Raw[] | undefined) ?? [];
  const rawHosts = (data.hosts as Raw[] | undefined) ?? [];
  const identity = (data.identity ?? {}) as Raw;
  const images = (data.images ?? {}) as Raw;
  const options = (data.options ?? {}) as Raw;
  const flavorMap = (options.flavor_map ?? {}) as Record<string, string>;
  const tenants = rawTenants.map(tenant);
  const hosts = rawHosts.map(host);
  const desired: DesiredState = {
    version: 1,
    tenants: [...tenants].sort((a, b) => byCodeUnits(a.key, b.key)),
    identity: {
      users: (identity.users as DesiredState['identity']['users'] | undefined) ?? 'tenant-members',
      roles: (identity.roles as DesiredState['identity']['roles'] | undefined) ?? 'used',
      passwords: (identity.passwords as DesiredState['identity']['passwords'] | undefined) ?? 'copy-hash',
    },
    images: { public: selection(images.public, 'none') },
    flavors: (data.flavors as DesiredState['flavors'] | undefined) ?? 'used',
    hosts: [...hosts].sort((a, b) => byCodeUnits(a.name, b.name)),
    concurrency: concurrency(data.concurrency),
    options: {
      keepFixedIps: options.keep_fixed_ips !== false,
      keepFloatingIps: options.keep_floating_ips !== false,
      serverConsistency: (options.server_consistency as DesiredState['options']['serverConsistency'] | undefined) ?? 'suspend',
      legacyKeypairs: (options.legacy_keypairs as DesiredState['options']['legacyKeypairs'] | undefined) ?? 'all',
      ...(typeof options.external_network === 'string' ? { externalNetwork: options.external_network } : {}),
      flavorMap: Object.fromEntries(Object.entries(flavorMap).sort(([a], [b]) => byCodeUnits(a, b))),
    },
  };
  return {
    desired: deepFreeze(desired),
    tenants: new Map(tenants.map((t, i) => [t.key, ['tenants', i]])),
    hosts: new Map(hosts.map((h, i) => [h.name, ['hosts', i]])),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
