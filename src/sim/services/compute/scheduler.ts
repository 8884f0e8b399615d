import { serviceState } from '../../store/hosts.js';
import type { SimStore } from '../../store/store.js';
import type { ComputeServiceRecord, FlavorRecord, HypervisorRecord, ServerRecord } from '../../store/types/compute.js';

/** Nova's default allocation ratios and reserved host memory (nova.conf defaults). */
export const CPU_RATIO = 16;
export const RAM_RATIO = 1.5;
export const DISK_RATIO = 1.0;
export const RESERVED_RAM_MB = 512;

export interface HostUsage {
  vcpus: number;
  ramMb: number;
  diskGb: number;
  servers: number;
  /** Servers with a task in progress (`current_workload`). */
  busy: number;
}

/** What the servers placed on each host use (one pass over the servers). */
export function usageByHost(store: SimStore): Map<string, HostUsage> {
  const out = new Map<string, HostUsage>();
  for (const s of store.servers.values()) {
    if (!s.host) continue;
    const f = store.flavors.get(s.flavorId);
    const u = out.get(s.host) ?? { vcpus: 0, ramMb: 0, diskGb: 0, servers: 0, busy: 0 };
    u.vcpus += f?.vcpus ?? 0;
    u.ramMb += f?.ram ?? 0;
    u.diskGb += (f?.disk ?? 0) + (f?.ephemeral ?? 0);
    u.servers += 1;
    if (s.taskState !== null) u.busy += 1;
    out.set(s.host, u);
  }
  return out;
}

export const EMPTY_USAGE: Readonly<HostUsage> = { vcpus: 0, ramMb: 0, diskGb: 0, servers: 0, busy: 0 };

/** The nova-compute service of a host, if any. */
export function computeServiceOf(store: SimStore, host: string): ComputeServiceRecord | undefined {
  return store.computeServices.find((s) => s.host === host && s.binary === 'nova-compute');
}

/**
 * Why a host cannot take a flavor (down, disabled, no room), or undefined when it can.
 * `ignoreDisabled`: a move to a named host that bypasses the scheduler (legacy conductors
 * checked only that the service was up).
 */
export function refusal(store: SimStore, hyper: HypervisorRecord, flavor: FlavorRecord | undefined, usage: HostUsage, volumeBacked = false, ignoreDisabled = false): string | undefined {
  const svc = computeServiceOf(store, hyper.host);
  if (!svc || serviceState(svc) === 'down') return `Compute service of ${hyper.host} is unavailable at this time.`;
  if (svc.status === 'disabled' && !ignoreDisabled) return `Compute service of ${hyper.host} is disabled.`;
  if (!flavor) return undefined;
  if (usage.vcpus + flavor.vcpus > hyper.vcpus * CPU_RATIO) return `Lack of vcpus (host:${hyper.vcpus * CPU_RATIO - usage.vcpus} < instance:${flavor.vcpus})`;
  const freeRam = hyper.memoryMb * RAM_RATIO - RESERVED_RAM_MB - usage.ramMb;
  if (flavor.ram > freeRam) return `Lack of memory(host:${freeRam} <= instance:${flavor.ram})`;
  const disk = (volumeBacked ? 0 : flavor.disk) + flavor.ephemeral;
  if (usage.diskGb + disk > hyper.localGb * DISK_RATIO) return `Lack of disk (host:${hyper.localGb * DISK_RATIO - usage.diskGb} < instance:${disk})`;
  return undefined;
}

export interface PlacementRequest {
  readonly flavor: FlavorRecord | undefined;
  readonly zone?: string | undefined;
  /** Hosts never chosen (the server's current host for a migration). */
  readonly exclude?: readonly string[];
  /** Only this host (a forced `zone:host` or a migration target). */
  readonly only?: string | undefined;
  readonly volumeBacked?: boolean;
  /** Server group policy and the hosts of its other members. */
  readonly group?: { readonly policy: string; readonly hosts: ReadonlySet<string> };
}

/**
 * The filter scheduler in miniature: enabled nova-compute services that are up, in the zone,
 * with room for the flavor (default allocation ratios), honouring (anti-)affinity; the host
 * with the most free RAM wins (RAMWeigher), ties by name so runs repeat.
 */
export function pickHost(store: SimStore, req: PlacementRequest, usage = usageByHost(store)): HypervisorRecord | undefined {
  let best: { h: HypervisorRecord; free: number } | undefined;
  for (const h of store.hypervisors.values()) {
    if (req.only !== undefined && h.host !== req.only) continue;
    if (req.exclude?.includes(h.host)) continue;
    const svc = computeServiceOf(store, h.host);
    if (req.zone && svc?.zone !== req.zone) continue;
    if (req.group) {
      const { policy, hosts } = req.group;
      // soft-(anti-)affinity only weighs hosts in Nova; the simulator does not filter on them.
      if (policy === 'affinity' && hosts.size > 0 && !hosts.has(h.host)) continue;
      if (policy === 'anti-affinity' && hosts.has(h.host)) continue;
    }
    const u = usage.get(h.host) ?? EMPTY_USAGE;
    if (refusal(store, h, req.flavor, u, req.volumeBacked) !== undefined) continue;
    const free = h.memoryMb * RAM_RATIO - RESERVED_RAM_MB - u.ramMb;
    if (!best || free > best.free || (free === best.free && h.hostname < best.h.hostname)) best = { h, free };
  }
  return best?.h;
}

/** Hosts of a server group's other members. */
export function groupHosts(store: SimStore, members: readonly string[], except: string): Set<string> {
  const hosts = new Set<string>();
  for (const id of members) {
    if (id === except) continue;
    const s: ServerRecord | undefined = store.servers.get(id);
    if (s?.host) hosts.add(s.host);
  }
  return hosts;
}
