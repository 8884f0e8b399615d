import { PumphouseError } from '../../errors/index.js';
import type { Cloud, ComputeService, Flavor, Hypervisor, Server } from '../../openstack/index.js';
import { oneOfHosts, sameHost } from './host-names.js';

/** Nova's default allocation ratios (nova.conf `cpu_allocation_ratio` 16, `ram_...` 1.5, `disk_...` 1.0). */
export const DEFAULT_RATIOS = { cpu: 16, ram: 1.5, disk: 1.0 } as const;

/** The nova-compute services a server of `host` could move to: other hosts, enabled and up. */
export function otherComputeHosts(services: readonly ComputeService[], host: string): ComputeService[] {
  return services.filter((s) => s.binary === 'nova-compute' && !sameHost(s.host, host) && s.status === 'enabled' && s.state === 'up');
}

/**
 * Whether a hypervisor has room for a flavor at Nova's default allocation ratios, from the
 * usage it reports (`memory_mb_used` includes the reserved memory). `unknown` when the
 * hypervisor does not report resources (microversion 2.88+).
 */
export function hasRoom(h: Hypervisor, flavor: Pick<Flavor, 'vcpus' | 'ramMb' | 'diskGb' | 'ephemeralGb'>, volumeBacked: boolean): boolean | 'unknown' {
  if (h.vcpus === null || h.memoryMb === null || h.localGb === null) return 'unknown';
  const cpuOk = (h.vcpusUsed ?? 0) + flavor.vcpus <= h.vcpus * DEFAULT_RATIOS.cpu;
  const ramOk = (h.memoryMbUsed ?? 0) + flavor.ramMb <= h.memoryMb * DEFAULT_RATIOS.ram;
  const disk = (volumeBacked ? 0 : flavor.diskGb) + flavor.ephemeralGb;
  const diskOk = (h.localGbUsed ?? 0) + disk <= h.localGb * DEFAULT_RATIOS.disk;
  return cpuOk && ramOk && diskOk;
}

/**
 * Whether any other enabled, up compute host of the cloud has room for `server` (`none`,
 * `some`, or `unknown` when the flavor or the resources cannot be read). Used to explain a
 * live migration Nova rolled back without saying why (modern Nova reports NoValidHost only
 * in the instance actions, not in the server).
 */
export async function roomElsewhere(cloud: Cloud, host: string, server: Server): Promise<'none' | 'some' | 'unknown'> {
  const services = otherComputeHosts(await cloud.compute.services.list({ binary: 'nova-compute' }), host);
  if (services.length === 0) return 'none';
  let flavor: Flavor;
  try {
    flavor = await cloud.compute.flavors.get(server.flavorId);
  } catch {
    return 'unknown';
  }
  const names = services.map((s) => s.host);
  const candidates = (await cloud.compute.hypervisors.list()).filter((h) => oneOfHosts(h.servicehost ?? h.hostname, names));
  let unknown = candidates.length === 0;
  for (const h of candidates) {
    const room = hasRoom(h, flavor, server.imageId === null);
    if (room === true) return 'some';
    if (room === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'none';
}

/** PH_CAPACITY naming the server and the host it cannot leave. */
export function capacityError(address: string, server: Pick<Server, 'id' | 'name'>, host: string, why: string): PumphouseError {
  return new PumphouseError(
    'PH_CAPACITY',
    `${address}: server ${server.name} (${server.id}) cannot leave host ${host}: ${why}; free capacity on another host (or enable one) and apply again`,
    { address, details: { server_id: server.id, server_name: server.name, host, reason: why } },
  );
}

/** Nova's NoValidHost wording, in a 400 answer (synchronous checks) or an instance fault. */
export function saysNoValidHost(message: string | null | undefined): boolean {
  return message !== null && message !== undefined && /no valid host|novalidhost|not enough hosts available/i.test(message);
}
