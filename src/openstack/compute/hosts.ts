import { isNotFound } from '../errors.js';
import { collect, pages } from '../pagination.js';
import { list, member } from '../session/response.js';
import type { AvailabilityZone, ComputeService, Hypervisor, Migration } from '../types/compute.js';
import { isRaw, objs, str } from '../wire.js';
import type { NovaApi } from './nova-api.js';
import { toAvailabilityZone, toComputeService, toHypervisor, toMigration } from './normalize.js';

const enc = encodeURIComponent;

export interface HypervisorServers {
  readonly hypervisorHostname: string;
  /** `instanceName` is Nova's instance name (`instance-0000002a`), not the server's display name. */
  readonly servers: readonly { readonly id: string; readonly instanceName: string }[];
}

/** Hypervisors (legacy-apis.md §2.6). */
export class Hypervisors {
  constructor(private readonly api: NovaApi) {}

  /** Every hypervisor with its resources (`/os-hypervisors/detail`). */
  list(): Promise<Hypervisor[]> {
    return collect(pages(this.api, { path: '/os-hypervisors/detail', key: 'hypervisors', paging: { kind: 'links' } }), toHypervisor);
  }

  async get(id: string): Promise<Hypervisor> {
    return toHypervisor(member(await this.api.get(`/os-hypervisors/${enc(id)}`), 'hypervisor'));
  }

  /**
   * Servers on hypervisors whose hostname CONTAINS `pattern` (Nova's substring match).
   * [] when none matches (Nova answers 404).
   */
  async servers(pattern: string): Promise<HypervisorServers[]> {
    try {
      const res = await this.api.get(`/os-hypervisors/${enc(pattern)}/servers`);
      return list(res, 'hypervisors')
        .filter(isRaw)
        .map((h) => ({
          hypervisorHostname: str(h['hypervisor_hostname']) ?? '',
          servers: objs(h['servers']).map((s) => ({ id: str(s['uuid']) ?? str(s['id']) ?? '', instanceName: str(s['name']) ?? '' })),
        }));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }
}

export interface ServiceRef {
  readonly host: string;
  readonly binary: string;
}

/** Compute services: listing, enable/disable with a reason, forced down (§2.6). */
export class ComputeServices {
  constructor(private readonly api: NovaApi) {}

  async list(filter: Partial<ServiceRef> = {}): Promise<ComputeService[]> {
    const res = await this.api.get('/os-services', { host: filter.host, binary: filter.binary });
    return list(res, 'services').filter(isRaw).map(toComputeService);
  }

  /** Disables scheduling to a service; the reason is recorded where the cloud supports it. */
  async disable(ref: ServiceRef, reason?: string): Promise<void> {
    if (reason !== undefined) {
      await this.api.put('/os-services/disable-log-reason', { host: ref.host, binary: ref.binary, disabled_reason: reason });
    } else {
      await this.api.put('/os-services/disable', { host: ref.host, binary: ref.binary });
    }
  }

  async enable(ref: ServiceRef): Promise<void> {
    await this.api.put('/os-services/enable', { host: ref.host, binary: ref.binary });
  }

  /** Marks a compute service down at once (2.11+), so evacuation need not wait for its heartbeat to lapse. */
  async setForcedDown(ref: ServiceRef, forcedDown: boolean): Promise<void> {
    await this.api.put('/os-services/force-down', { host: ref.host, binary: ref.binary, forced_down: forcedDown }, { headers: this.api.headersFor('2.11', 'forcing a service down') });
  }

  /** Deletes a service record (Icehouse+; Havana has no service ids). */
  async delete(id: string): Promise<void> {
    await this.api.delete(`/os-services/${enc(id)}`);
  }
}

/** Availability zones; `detail` (admin) adds hosts and their services. */
export async function listAvailabilityZones(api: NovaApi, detail = false): Promise<AvailabilityZone[]> {
  const res = await api.get(detail ? '/os-availability-zone/detail' : '/os-availability-zone');
  return list(res, 'availabilityZoneInfo').filter(isRaw).map(toAvailabilityZone);
}

export interface MigrationFilter {
  readonly host?: string;
  readonly status?: string;
  readonly serverId?: string;
}

/**
 * Migration records (`/os-migrations`). Live migrations appear only from Liberty on
 * (and carry `type` from 2.23); older clouds list resizes and cold migrations only.
 */
export async function listMigrations(api: NovaApi, filter: MigrationFilter = {}): Promise<Migration[]> {
  const headers = api.supports('2.23') ? api.headersFor('2.23', 'migration types') : undefined;
  const res = await api.get('/os-migrations', { host: filter.host, status: filter.status, instance_uuid: filter.serverId }, headers);
  return list(res, 'migrations').filter(isRaw).map(toMigration);
}
