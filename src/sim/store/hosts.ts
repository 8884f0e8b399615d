import type { SimStore } from './store.js';
import type { ComputeServiceRecord, HypervisorRecord } from './types/compute.js';

/** Capacity a simulated hypervisor reports (like the testbed's fake driver, but modest). */
const CAPACITY = { vcpus: 64, memoryMb: 262144, localGb: 2048 } as const;

/**
 * Adds a compute host: its nova-compute service (enabled, up) and its hypervisor. What Fuel
 * does when it deploys a compute node into this cloud's environment. Idempotent: an existing
 * host is brought back up and returned.
 */
export function addComputeHost(store: SimStore, name: string, zone = 'nova'): { readonly service: ComputeServiceRecord; readonly hypervisor: HypervisorRecord } {
  const existing = store.computeServices.find((s) => s.host === name && s.binary === 'nova-compute');
  const hyper = store.hypervisors.find((h) => h.host === name);
  if (existing && hyper) {
    existing.state = 'up';
    existing.forcedDown = false;
    existing.updatedAt = store.now();
    return { service: existing, hypervisor: hyper };
  }
  const serviceId = store.ids.next('service');
  const service = store.computeServices.insert({
    id: serviceId,
    uuid: store.ids.uuid(),
    binary: 'nova-compute',
    host: name,
    zone,
    status: 'enabled',
    state: 'up',
    forcedDown: false,
    disabledReason: null,
    updatedAt: store.now(),
  });
  const n = store.ids.next('hypervisor');
  const hypervisor = store.hypervisors.insert({
    id: n,
    uuid: store.ids.uuid(),
    hostname: name,
    host: name,
    serviceId,
    hostIp: `192.168.0.${(n % 250) + 3}`,
    type: 'QEMU',
    version: 2000000,
    ...CAPACITY,
    cpuInfo: JSON.stringify({ arch: 'x86_64', model: 'Westmere', vendor: 'Intel', topology: { cores: 8, threads: 2, sockets: 2 }, features: [] }),
  });
  store.availabilityZones.add(zone);
  return { service, hypervisor };
}

/**
 * Removes a compute host's hypervisor and nova-compute service (Fuel removed the node).
 * Servers still placed there keep their `host` (as in Nova: they become orphans that
 * evacuation must move). Returns false when there was no such host.
 */
export function removeComputeHost(store: SimStore, name: string): boolean {
  let found = false;
  for (const s of store.computeServices.filter((x) => x.host === name && x.binary === 'nova-compute')) found = store.computeServices.delete(s.id) || found;
  for (const h of store.hypervisors.filter((x) => x.host === name)) found = store.hypervisors.delete(h.id) || found;
  return found;
}

/** Marks a host's nova-compute down (heartbeats stopped), or up again. */
export function markHostDown(store: SimStore, name: string, down = true): boolean {
  const s = store.computeServices.find((x) => x.host === name && x.binary === 'nova-compute');
  if (!s) return false;
  s.state = down ? 'down' : 'up';
  s.updatedAt = store.now();
  return true;
}

/** Service `state` as Nova reports it: down when heartbeats stopped or forced down. */
export function serviceState(s: ComputeServiceRecord): 'up' | 'down' {
  return s.forcedDown ? 'down' : s.state;
}
