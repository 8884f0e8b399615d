/**
 * A small in-memory Nova for the host kinds' logic tests: servers with host, status and task
 * state; compute services; hypervisors; flavors; live migrations that land, roll back or are
 * refused as scripted. Only the calls the host kinds make, shaped like the real clients'
 * normalized records. The full simulated Nova (src/sim/services/compute) covers the wire.
 */
import { CloudHttpError, type Cloud, type ComputeService, type Flavor, type Hypervisor, type Server } from '../../src/openstack/index.js';

export interface FakeServer {
  id: string;
  name: string;
  status: string;
  taskState: string | null;
  host: string | null;
  imageId: string | null;
  flavorId: string;
  fault: { code: number; message: string } | null;
}

/** What a live migration request does: land on a target after `polls` GETs, roll back, or be refused. */
export type MigrationScript =
  | { readonly kind: 'land'; readonly polls?: number; readonly to?: string }
  | { readonly kind: 'rollback'; readonly polls?: number; readonly fault?: string }
  | { readonly kind: 'refuse'; readonly status: number; readonly message: string };

/** A compute service whose fields tests may change. */
export type FakeService = { -readonly [K in keyof ComputeService]: ComputeService[K] } & { id: string };

export class FakeNova {
  readonly servers = new Map<string, FakeServer>();
  readonly services: FakeService[] = [];
  readonly hypervisors: Hypervisor[] = [];
  readonly flavors = new Map<string, Flavor>();
  /** Every os-migrateLive request: server id and block_migration value. */
  readonly migrateCalls: { id: string; block: boolean | 'auto' }[] = [];
  readonly disableCalls: { host: string; reason: string | undefined }[] = [];
  readonly deletedServices: string[] = [];
  /** Per server: what its next migration requests do (shifted one per request); default land. */
  readonly scripts = new Map<string, MigrationScript[]>();
  /** Highest number of migrations in flight at once. */
  maxInFlight = 0;
  private readonly pending = new Map<string, { left: number; script: MigrationScript }>();
  private nextService = 1;

  /** `microversion` null: a legacy Nova v2 without microversions. */
  constructor(readonly microversion: string | null = '2.93') {
    this.flavors.set('1', { id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1, ephemeralGb: 0, swapMb: 0, rxtxFactor: 1, isPublic: true, disabled: false, extraSpecs: {} });
  }

  addHost(host: string, opts: { status?: string; state?: string; memoryMb?: number } = {}): void {
    this.services.push({
      id: String(this.nextService++),
      binary: 'nova-compute',
      host,
      zone: 'nova',
      status: opts.status ?? 'enabled',
      state: opts.state ?? 'up',
      disabledReason: null,
      forcedDown: false,
      updatedAt: null,
    });
    this.hypervisors.push({
      id: String(this.hypervisors.length + 1),
      hostname: host,
      state: 'up',
      status: 'enabled',
      servicehost: host,
      hypervisorType: 'QEMU',
      vcpus: 8,
      vcpusUsed: 0,
      memoryMb: opts.memoryMb ?? 16384,
      memoryMbUsed: 512,
      localGb: 100,
      localGbUsed: 0,
      runningVms: 0,
    });
  }

  addServer(s: Partial<FakeServer> & { id: string; host: string }): FakeServer {
    const server: FakeServer = { name: s.id, status: 'ACTIVE', taskState: null, imageId: 'img', flavorId: '1', fault: null, ...s };
    this.servers.set(s.id, server);
    return server;
  }

  onHost(host: string): FakeServer[] {
    return [...this.servers.values()].filter((s) => s.host === host);
  }

  private inFlight(): number {
    return this.pending.size;
  }

  private tick(s: FakeServer): void {
    const p = this.pending.get(s.id);
    if (!p) return;
    if (p.left-- > 0) return;
    this.pending.delete(s.id);
    s.taskState = null;
    if (p.script.kind === 'land') {
      const to = p.script.to ?? this.services.find((x) => x.host !== s.host && x.status === 'enabled' && x.state === 'up')?.host ?? null;
      s.host = to;
      s.status = s.status === 'MIGRATING' ? 'ACTIVE' : s.status;
    } else if (p.script.kind === 'rollback') {
      s.status = 'ACTIVE';
      if (p.script.fault) s.fault = { code: 400, message: p.script.fault };
    }
  }

  private httpError(method: string, path: string, status: number, message: string): CloudHttpError {
    return new CloudHttpError({ cloud: 'source', service: 'compute', method, path, requestId: undefined, ambiguous: false, status, cloudMessage: message, faultType: undefined });
  }

  /** A Cloud whose compute client is this fake (everything else absent). */
  cloud(): Cloud {
    const self = this;
    const view = (s: FakeServer): Server =>
      ({
        id: s.id,
        name: s.name,
        tenantId: 'p',
        userId: 'u',
        status: s.status,
        vmState: null,
        taskState: s.taskState,
        powerState: null,
        host: s.host,
        hypervisorHostname: s.host,
        instanceName: null,
        availabilityZone: 'nova',
        flavorId: s.flavorId,
        imageId: s.imageId,
        keyName: null,
        configDrive: false,
        securityGroups: [],
        addresses: {},
        metadata: {},
        volumesAttached: [],
        created: '',
        updated: null,
        fault: s.fault,
      }) as Server;
    const compute = {
      supports: (v: string) => self.microversion !== null && Number(self.microversion.split('.')[1]) >= Number(v.split('.')[1]),
      servers: {
        async list(filter: { host?: string }) {
          // Like Nova: an exact match on the host column.
          return [...self.servers.values()].filter((s) => filter.host === undefined || s.host === filter.host).map(view);
        },
        async get(id: string) {
          const s = self.servers.get(id);
          if (!s) throw self.httpError('GET', `/servers/${id}`, 404, `Instance ${id} could not be found.`);
          self.tick(s);
          return view(s);
        },
        async liveMigrate(id: string, opts: { host?: string | null; blockMigration?: boolean | 'auto' }) {
          const s = self.servers.get(id)!;
          self.migrateCalls.push({ id, block: opts.blockMigration ?? 'auto' });
          if (s.taskState !== null || !['ACTIVE', 'PAUSED'].includes(s.status)) {
            throw self.httpError('POST', `/servers/${id}/action`, 409, `Cannot 'os-migrateLive' instance ${id} while it is in task_state ${s.taskState}`);
          }
          const script = self.scripts.get(id)?.shift() ?? { kind: 'land' };
          if (script.kind === 'refuse') throw self.httpError('POST', `/servers/${id}/action`, script.status, script.message);
          s.taskState = 'migrating';
          if (s.status === 'ACTIVE') s.status = 'MIGRATING';
          self.pending.set(id, { left: script.polls ?? 1, script });
          self.maxInFlight = Math.max(self.maxInFlight, self.inFlight());
        },
      },
      services: {
        async list(filter: { host?: string; binary?: string } = {}) {
          return self.services.filter((s) => (filter.host === undefined || s.host === filter.host) && (filter.binary === undefined || s.binary === filter.binary));
        },
        async disable(ref: { host: string }, reason?: string) {
          self.disableCalls.push({ host: ref.host, reason });
          for (const s of self.services) if (s.host === ref.host) Object.assign(s, { status: 'disabled', disabledReason: reason ?? null });
        },
        async delete(id: string) {
          const i = self.services.findIndex((s) => s.id === id);
          if (i < 0) throw self.httpError('DELETE', `/os-services/${id}`, 404, 'Service not found');
          const [gone] = self.services.splice(i, 1);
          self.deletedServices.push(gone!.host);
          const h = self.hypervisors.findIndex((x) => x.servicehost === gone!.host);
          if (h >= 0) self.hypervisors.splice(h, 1);
        },
      },
      // Cold migrations are not scripted here (the simulated Nova covers them): none finished.
      async migrations() {
        return [];
      },
      hypervisors: {
        async list() {
          return self.hypervisors.map((h) => ({ ...h, runningVms: self.onHost(h.hostname).length }));
        },
      },
      flavors: {
        async get(id: string) {
          const f = self.flavors.get(id);
          if (!f) throw self.httpError('GET', `/flavors/${id}`, 404, 'Flavor not found');
          return f;
        },
      },
    };
    return { compute } as unknown as Cloud;
  }
}
