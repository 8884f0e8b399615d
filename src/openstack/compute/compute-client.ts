import type { Session } from '../session/session.js';
import type { AvailabilityZone, Migration } from '../types/compute.js';
import { Flavors } from './flavors.js';
import { ComputeServices, Hypervisors, listAvailabilityZones, listMigrations, type MigrationFilter } from './hosts.js';
import { Keypairs } from './keypairs.js';
import { maxMicroversion } from './microversion.js';
import { NovaApi } from './nova-api.js';
import { QuotaSets } from './quotas.js';
import { ServerGroups } from './server-groups.js';
import { Servers } from './servers.js';

/**
 * Nova. Answers are normalized records; calls send microversion 2.1 unless a feature
 * needs more (see NovaApi). nova-network calls live in NovaNetworkClient.
 */
export class ComputeClient {
  readonly servers: Servers;
  readonly flavors: Flavors;
  readonly keypairs: Keypairs;
  readonly quotas: QuotaSets;
  readonly hypervisors: Hypervisors;
  readonly services: ComputeServices;
  readonly serverGroups: ServerGroups;
  /** @internal shared with NovaNetworkClient. */
  readonly api: NovaApi;

  constructor(session: Session, maxVersion: string | undefined) {
    this.api = new NovaApi(session, maxVersion);
    this.servers = new Servers(this.api);
    this.flavors = new Flavors(this.api);
    this.keypairs = new Keypairs(this.api);
    this.quotas = new QuotaSets(this.api);
    this.hypervisors = new Hypervisors(this.api);
    this.services = new ComputeServices(this.api);
    this.serverGroups = new ServerGroups(this.api);
  }

  /** Discovers the cloud's highest microversion (one call) and builds the client. */
  static async open(session: Session): Promise<ComputeClient> {
    return new ComputeClient(session, await maxMicroversion(session, 'compute', session.endpoint('compute')));
  }

  /** Highest microversion of the cloud; undefined for legacy Nova v2 (no microversions). */
  get maxMicroversion(): string | undefined {
    return this.api.maxVersion;
  }

  supports(microversion: string): boolean {
    return this.api.supports(microversion);
  }

  availabilityZones(opts: { readonly detail?: boolean } = {}): Promise<AvailabilityZone[]> {
    return listAvailabilityZones(this.api, opts.detail ?? false);
  }

  migrations(filter: MigrationFilter = {}): Promise<Migration[]> {
    return listMigrations(this.api, filter);
  }
}
