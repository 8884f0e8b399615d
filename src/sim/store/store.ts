import type { HashCost } from '../auth/passwords.js';
import type { Profile } from '../profile.js';
import { SimRandom } from '../random.js';
import { AddressPool } from './addresses.js';
import { BlobStore } from './data.js';
import { IdentityStore, MemoryPasswordVault } from './identity-store.js';
import { Changes, Table } from './table.js';
import type {
  AggregateRecord, ComputeServiceRecord, FlavorRecord, HypervisorRecord, KeypairRecord, MigrationRecord, QuotaRecord, ServerGroupRecord, ServerRecord,
} from './types/compute.js';
import type { ImageRecord } from './types/image.js';
import type {
  FixedIpRecord, FloatingIpRecord, NetworkRecord, NovaFloatingIpRecord, NovaNetworkRecord, NovaSecurityGroupRecord, PortRecord, RbacPolicyRecord,
  RouterRecord, SecurityGroupRecord, SecurityGroupRuleRecord, SubnetRecord,
} from './types/network.js';
import type { SnapshotRecord, TransferRecord, VolumeRecord, VolumeTypeRecord } from './types/volume.js';

/** Derived views kept at once (SimStore.derived). */
const MAX_VIEWS = 64;

export interface StoreOptions {
  readonly seed: number | string;
  /** Cloud name (`source`, `destination`): part of every derived seed, so two clouds differ. */
  readonly name: string;
  readonly profile: Profile;
  readonly hashCost?: HashCost;
}

/**
 * The in-memory model of one cloud: typed tables of records for every kind, id sources drawn
 * from the seeded PRNG, address pools and the blob store. The store knows nothing about HTTP:
 * service modules read and change records and render them in their API's shape. Mutate
 * records in place; insert through the tables; take ids from `ids`.
 */
export class SimStore {
  readonly seed: number | string;
  readonly name: string;
  readonly profile: Profile;
  readonly identity: IdentityStore;
  /** Ids (uuids, Keystone hex ids, Nova integer ids) from one seeded stream. */
  readonly ids: IdSource;
  /** Other repeatable randomness (MACs, admin passwords, auth keys). */
  readonly rng: SimRandom;
  readonly blobs = new BlobStore();
  /** Bumped by the tables (insert/put/delete) and by `touch()`; declared before the tables. */
  readonly changes = new Changes();
  private readonly views = new Map<string, unknown>();
  private viewsAt = 0;

  // compute
  readonly flavors = new Table<FlavorRecord>('flavor', this.changes);
  readonly keypairs = new Table<KeypairRecord>('keypair', this.changes);
  readonly servers = new Table<ServerRecord>('server', this.changes);
  readonly hypervisors = new Table<HypervisorRecord>('hypervisor', this.changes);
  readonly computeServices = new Table<ComputeServiceRecord>('service', this.changes);
  readonly aggregates = new Table<AggregateRecord>('aggregate', this.changes);
  readonly serverGroups = new Table<ServerGroupRecord>('server group', this.changes);
  readonly migrations = new Table<MigrationRecord>('migration', this.changes);
  readonly quotas = new Table<QuotaRecord>('quota', this.changes);
  /** Availability zone names; hosts sit in `nova` unless an aggregate says otherwise. */
  readonly availabilityZones = new Set<string>(['nova']);

  // nova-network
  readonly novaNetworks = new Table<NovaNetworkRecord>('network', this.changes);
  readonly fixedIps = new Table<FixedIpRecord>('fixed ip', this.changes);
  readonly novaFloatingIps = new Table<NovaFloatingIpRecord>('floating ip', this.changes);
  readonly novaSecurityGroups = new Table<NovaSecurityGroupRecord>('security group', this.changes);

  // neutron
  readonly networks = new Table<NetworkRecord>('network', this.changes);
  readonly subnets = new Table<SubnetRecord>('subnet', this.changes);
  readonly ports = new Table<PortRecord>('port', this.changes);
  readonly routers = new Table<RouterRecord>('router', this.changes);
  readonly floatingIps = new Table<FloatingIpRecord>('floatingip', this.changes);
  readonly securityGroups = new Table<SecurityGroupRecord>('security group', this.changes);
  readonly securityGroupRules = new Table<SecurityGroupRuleRecord>('security group rule', this.changes);
  readonly rbacPolicies = new Table<RbacPolicyRecord>('rbac policy', this.changes);

  // glance, cinder
  readonly images = new Table<ImageRecord>('image', this.changes);
  readonly volumes = new Table<VolumeRecord>('volume', this.changes);
  readonly snapshots = new Table<SnapshotRecord>('snapshot', this.changes);
  readonly volumeTypes = new Table<VolumeTypeRecord>('volume type', this.changes);
  readonly transfers = new Table<TransferRecord>('transfer', this.changes);

  /**
   * Address pools by owner id: a Neutron subnet id (its allocation pools), a nova-network
   * network id (its fixed range), or `floating:<pool name>` for nova-network floating pools.
   */
  readonly pools = new Map<string, AddressPool>();

  constructor(options: StoreOptions) {
    this.seed = options.seed;
    this.name = options.name;
    this.profile = options.profile;
    this.ids = new IdSource(SimRandom.derive(options.seed, `${options.name}/ids`));
    this.rng = SimRandom.derive(options.seed, `${options.name}/misc`);
    const vault = new MemoryPasswordVault(options.profile.hashScheme, SimRandom.derive(options.seed, `${options.name}/salts`), options.hashCost ?? 'keystone');
    this.identity = new IdentityStore(vault);
  }

  /**
   * Says records may have changed in place (fields of existing rows, which the tables cannot
   * see). The cloud calls it after every request other than GET/HEAD, every clock transition
   * and every control call; code that edits records outside those must call it too.
   */
  touch(): void {
    this.changes.count++;
  }

  /**
   * A view derived from many records (an index, a sorted list), built by `build` and kept
   * until the store changes (`changes`); at most 64 views at a time (the oldest goes first).
   * For request handlers that only read: a handler that writes must not trust a view across
   * its own edits (its `touch` comes after it returns). `key` must name everything besides
   * the records that the view depends on (caller, query).
   */
  derived<T>(key: string, build: () => T): T {
    if (this.viewsAt !== this.changes.count) {
      this.views.clear();
      this.viewsAt = this.changes.count;
    }
    if (this.views.has(key)) return this.views.get(key) as T;
    const value = build();
    if (this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    this.views.set(key, value);
    return value;
  }

  /** ISO time without fractions (`2014-05-01T12:00:00Z`), the shape most legacy APIs use. */
  now(): string {
    return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Quota limits of a project, falling back to `defaults` (and remembering nothing). */
  quotaOf(service: QuotaRecord['service'], projectId: string, defaults: Readonly<Record<string, number>>): Record<string, number> {
    return { ...defaults, ...(this.quotas.get(`${service}/${projectId}`)?.limits ?? {}) };
  }

  setQuota(service: QuotaRecord['service'], projectId: string, limits: Readonly<Record<string, number>>): void {
    const id = `${service}/${projectId}`;
    const row = this.quotas.get(id) ?? this.quotas.insert({ id, service, projectId, limits: {} });
    Object.assign(row.limits, limits);
  }
}

/** Ids in every format the APIs use, from one seeded stream (runs repeat). */
export class IdSource {
  private readonly counters = new Map<string, number>();

  constructor(private readonly rng: SimRandom) {}

  /** Dashed uuid v4 (Nova, Glance, Cinder, Neutron). */
  uuid(): string {
    return this.rng.uuid();
  }

  /** 32 hex characters (Keystone). */
  hex(): string {
    return this.rng.hex32();
  }

  /** Next integer of a sequence (`'floating_ip'`, `'security_group'`...), from 1. */
  next(sequence: string): number {
    const n = (this.counters.get(sequence) ?? 0) + 1;
    this.counters.set(sequence, n);
    return n;
  }
}
