import { badRequest, conflict, SimHttpError } from '../../http/errors.js';
import { AddressPool, cidrContains, macFrom, parseCidr } from '../../store/addresses.js';
import type { SimStore } from '../../store/store.js';
import type { ServerRecord } from '../../store/types/compute.js';
import type { NetworkRecord, NovaNetworkRecord, PortRecord } from '../../store/types/network.js';
import { sharedWith } from '../network/rbac-records.js';

/** One NIC a boot asked for, checked at the API (what Nova validates before answering 202). */
export type NicRequest =
  | { readonly kind: 'port'; readonly portId: string }
  | { readonly kind: 'neutron'; readonly networkId: string; readonly fixedIp: string | undefined }
  | { readonly kind: 'nova-network'; readonly networkId: string; readonly fixedIp: string | undefined }
  /** nova-network without a request: decided at build (flat: every shared network; VLAN: the project's). */
  | { readonly kind: 'nova-network-default' };

/**
 * Validates a boot's `networks` the way the API does before it answers: ports exist, belong to
 * the project and are free (409 otherwise), networks exist and are usable by the project, fixed
 * IPs are inside the network and free. No list: Neutron picks the project's only network (409
 * when there are several), nova-network decides at build.
 */
export function checkNics(store: SimStore, projectId: string, admin: boolean, raw: unknown): NicRequest[] {
  if (raw !== undefined && !Array.isArray(raw)) throw badRequest('Bad networks format');
  const list = (raw ?? []) as unknown[];
  const out: NicRequest[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) throw badRequest('Bad networks format');
    const r = item as Record<string, unknown>;
    const port = typeof r['port'] === 'string' && r['port'] !== '' ? r['port'] : undefined;
    const uuid = typeof r['uuid'] === 'string' && r['uuid'] !== '' ? r['uuid'] : undefined;
    const fixedIp = typeof r['fixed_ip'] === 'string' && r['fixed_ip'] !== '' ? r['fixed_ip'] : undefined;
    if (port !== undefined) {
      if (!store.profile.neutron) throw badRequest('Unknown argument: port');
      const p = store.ports.get(port);
      if (!p || (!admin && p.projectId !== projectId)) throw badRequest(`Port id ${port} could not be found.`);
      if (p.deviceId !== '') throw conflict(`Port ${port} is still in use.`);
      out.push({ kind: 'port', portId: port });
      continue;
    }
    if (uuid === undefined) throw badRequest('Bad network format: missing uuid');
    if (fixedIp !== undefined && !/^\d+\.\d+\.\d+\.\d+$/.test(fixedIp)) throw badRequest(`Invalid fixed IP address (${fixedIp})`);
    if (store.profile.neutron) {
      const n = store.networks.get(uuid);
      if (!n || (!admin && n.projectId !== projectId && !sharedWith(store, n, projectId))) throw badRequest(`Network ${uuid} could not be found.`);
      if (n.subnets.length === 0) throw badRequest(`Network ${uuid} requires a subnet in order to boot instances on.`);
      if (fixedIp !== undefined) {
        const sub = n.subnets.map((id) => store.subnets.get(id)).find((s) => s && s.ipVersion === 4 && cidrContains(s.cidr, fixedIp));
        if (!sub) throw badRequest(`Fixed IP address ${fixedIp} is not valid on network ${uuid}.`);
        if (store.pools.get(sub.id)?.has(fixedIp) || portWithIp(store, n.id, fixedIp)) throw badRequest(`Fixed IP address ${fixedIp} is already in use.`);
      }
      out.push({ kind: 'neutron', networkId: uuid, fixedIp });
      continue;
    }
    const n = store.novaNetworks.get(uuid);
    if (!n || (n.projectId !== null && n.projectId !== projectId && !admin)) throw badRequest(`Network ${uuid} could not be found.`);
    if (fixedIp !== undefined) {
      if (!cidrContains(n.cidr, fixedIp)) throw badRequest(`Fixed IP address ${fixedIp} is not valid on network ${uuid}.`);
      const row = store.fixedIps.get(fixedIp);
      if ((row && (row.allocated || row.reserved)) || store.pools.get(n.id)?.has(fixedIp)) throw badRequest(`Fixed IP address ${fixedIp} is already in use.`);
    }
    out.push({ kind: 'nova-network', networkId: uuid, fixedIp });
  }
  if (out.length > 0) return out;
  if (!store.profile.neutron) return [{ kind: 'nova-network-default' }];
  const usable = store.networks.filter((n) => !n.external && n.subnets.length > 0 && (n.projectId === projectId || sharedWith(store, n, projectId)));
  if (usable.length > 1) throw new SimHttpError(409, 'Multiple possible networks found, use a Network ID to be more specific.', 'Conflict');
  return usable.map((n) => ({ kind: 'neutron' as const, networkId: n.id, fixedIp: undefined }));
}

function portWithIp(store: SimStore, networkId: string, ip: string): PortRecord | undefined {
  return store.ports.find((p) => p.networkId === networkId && p.fixedIps.some((f) => f.ipAddress === ip));
}

/**
 * Makes the server's NICs at build time (task `networking`): Neutron ports (device_owner
 * `compute:<az>`, bound to the host, the boot's security groups) or pre-made ports bound to
 * it; nova-network fixed IP rows from the network's pool. Throws a message for the instance
 * fault when addresses run out.
 */
export function plugNics(store: SimStore, server: ServerRecord, nics: readonly NicRequest[], securityGroupIds: readonly string[]): void {
  for (const nic of nics) {
    switch (nic.kind) {
      case 'port': {
        const p = store.ports.get(nic.portId);
        if (!p) throw new Error(`Port id ${nic.portId} could not be found.`);
        if (p.deviceId !== '' && p.deviceId !== server.id) throw new Error(`Port ${nic.portId} is still in use.`);
        bindPort(p, server);
        break;
      }
      case 'neutron': {
        const n = store.networks.get(nic.networkId);
        if (!n) throw new Error(`Network ${nic.networkId} could not be found.`);
        const p = newPort(store, server, n, nic.fixedIp, securityGroupIds);
        server.ports.push(p.id);
        break;
      }
      case 'nova-network': {
        const n = store.novaNetworks.get(nic.networkId);
        if (!n) throw new Error(`Network ${nic.networkId} could not be found.`);
        fixedIp(store, server, n, nic.fixedIp);
        break;
      }
      case 'nova-network-default':
        for (const n of defaultNovaNetworks(store, server.projectId)) fixedIp(store, server, n, undefined);
        break;
    }
  }
}

function bindPort(p: PortRecord, server: ServerRecord): void {
  p.deviceId = server.id;
  p.deviceOwner = `compute:${server.availabilityZone}`;
  p.bindingHostId = server.host ?? '';
  p.status = 'ACTIVE';
}

function newPort(store: SimStore, server: ServerRecord, n: NetworkRecord, wanted: string | undefined, securityGroupIds: readonly string[]): PortRecord {
  let fixed: { subnetId: string; ipAddress: string } | undefined;
  for (const subnetId of n.subnets) {
    const sub = store.subnets.get(subnetId);
    const pool = store.pools.get(subnetId);
    if (!sub || !pool || sub.ipVersion !== 4) continue;
    if (wanted !== undefined) {
      if (!cidrContains(sub.cidr, wanted)) continue;
      if (!pool.take(wanted) && pool.contains(wanted)) throw new Error(`Fixed IP address ${wanted} is already in use.`);
      fixed = { subnetId, ipAddress: wanted };
      break;
    }
    const ip = pool.allocate();
    if (ip) {
      fixed = { subnetId, ipAddress: ip };
      break;
    }
  }
  if (!fixed) throw new Error(`No more IP addresses available on network ${n.id}.`);
  return store.ports.insert({
    id: store.ids.uuid(), name: '', networkId: n.id, projectId: server.projectId, macAddress: macFrom(store.rng), fixedIps: [fixed],
    deviceId: server.id, deviceOwner: `compute:${server.availabilityZone}`, status: 'ACTIVE', adminStateUp: true, securityGroups: [...securityGroupIds],
    bindingHostId: server.host ?? '', allowedAddressPairs: [], description: '', createdAt: store.now(),
  });
}

/** Flat: every shared network; VLAN: the project's networks, associating a free one if it has none. */
function defaultNovaNetworks(store: SimStore, projectId: string): NovaNetworkRecord[] {
  if (store.profile.network === 'nova-network:flatdhcp') return store.novaNetworks.filter((n) => n.projectId === null);
  const own = store.novaNetworks.filter((n) => n.projectId === projectId);
  if (own.length > 0) return own;
  const free = store.novaNetworks.find((n) => n.projectId === null);
  if (!free) throw new Error('No more available networks.');
  free.projectId = projectId;
  return [free];
}

function fixedIp(store: SimStore, server: ServerRecord, n: NovaNetworkRecord, wanted: string | undefined): void {
  let pool = store.pools.get(n.id);
  if (!pool) {
    // A network made without a pool (another module's record): its hosts after the gateway.
    const c = parseCidr(n.cidr);
    pool = new AddressPool(c.first + 1, c.last);
    store.pools.set(n.id, pool);
  }
  let ip: string | undefined;
  if (wanted !== undefined) {
    const row = store.fixedIps.get(wanted);
    if ((row && (row.allocated || row.reserved)) || (!pool.take(wanted) && pool.contains(wanted))) throw new Error(`Fixed IP address ${wanted} is already in use.`);
    ip = wanted;
  } else {
    ip = pool.allocate();
  }
  if (!ip) throw new Error(`Zero fixed ips available.`);
  const mac = macFrom(store.rng);
  const row = store.fixedIps.get(ip);
  if (row) Object.assign(row, { networkId: n.id, instanceUuid: server.id, mac, allocated: true, host: server.host });
  else store.fixedIps.insert({ id: ip, dbId: store.ids.next('fixed_ip'), networkId: n.id, instanceUuid: server.id, mac, allocated: true, reserved: false, host: server.host });
}

/**
 * Undoes a server's NICs when it is deleted: deletes the ports Nova made (DESIGN §8: a port
 * made beforehand survives, unbound), frees their addresses and drops floating IP
 * associations; nova-network: frees fixed IPs and disassociates floating ones (the project
 * keeps them allocated).
 */
export function unplugNics(store: SimStore, server: ServerRecord): void {
  if (store.profile.neutron) {
    for (const p of store.ports.filter((x) => x.deviceId === server.id && x.deviceOwner.startsWith('compute:'))) {
      for (const f of store.floatingIps.values()) {
        if (f.portId !== p.id) continue;
        f.portId = null;
        f.fixedIpAddress = null;
        f.routerId = null;
        f.status = 'DOWN';
      }
      if (server.ports.includes(p.id)) {
        for (const ip of p.fixedIps) store.pools.get(ip.subnetId)?.release(ip.ipAddress);
        store.ports.delete(p.id);
      } else {
        p.deviceId = '';
        p.deviceOwner = '';
        p.bindingHostId = '';
        p.status = 'DOWN';
      }
    }
    server.ports = [];
    return;
  }
  for (const f of store.fixedIps.filter((x) => x.instanceUuid === server.id)) {
    for (const fl of store.novaFloatingIps.values()) {
      if (fl.fixedAddress !== f.id) continue;
      fl.fixedAddress = null;
      fl.instanceUuid = null;
      fl.host = null;
    }
    if (f.reserved) {
      Object.assign(f, { instanceUuid: null, allocated: false, mac: null, host: null });
      continue;
    }
    store.pools.get(f.networkId)?.release(f.id);
    store.fixedIps.delete(f.id);
  }
}

/** Points the server's NICs at its (new) host: port binding, fixed IP and floating IP hosts. */
export function rebindNics(store: SimStore, server: ServerRecord): void {
  if (store.profile.neutron) {
    for (const p of store.ports.values()) if (p.deviceId === server.id && p.deviceOwner.startsWith('compute:')) p.bindingHostId = server.host ?? '';
    return;
  }
  for (const f of store.fixedIps.values()) {
    if (f.instanceUuid !== server.id) continue;
    f.host = server.host;
    for (const fl of store.novaFloatingIps.values()) if (fl.fixedAddress === f.id) fl.host = server.host;
  }
}
