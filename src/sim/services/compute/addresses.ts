import type { SimStore } from '../../store/store.js';
import type { ServerRecord } from '../../store/types/compute.js';
import type { FixedIpRecord, FloatingIpRecord, NovaFloatingIpRecord, PortRecord } from '../../store/types/network.js';

/** One entry of a server's `addresses` map. */
export interface RenderedAddress {
  readonly version: 4 | 6;
  readonly addr: string;
  readonly 'OS-EXT-IPS:type': 'fixed' | 'floating';
  readonly 'OS-EXT-IPS-MAC:mac_addr': string;
}

/**
 * A server's addresses and security groups, read from the shared network records as Nova's
 * network info cache would show them: Neutron ports bound to the server (and the floating IPs
 * on them), or nova-network fixed IPs (and floating IPs on those). Built lazily, once per
 * request, with one pass over the address tables, so a page of 1,000 servers costs one scan
 * and a change made through Neutron shows at once.
 */
export class AddressBook {
  private portsByDevice: Map<string, PortRecord[]> | undefined;
  private fipsByPort: Map<string, FloatingIpRecord[]> | undefined;
  private fixedByServer: Map<string, FixedIpRecord[]> | undefined;
  private floatingByFixed: Map<string, NovaFloatingIpRecord[]> | undefined;

  /**
   * `servers`: the only servers that will be asked about (a page): indexes only their records,
   * so a page of 1,000 among 100,000 servers costs one pass without building a 100k-entry map.
   */
  constructor(
    private readonly store: SimStore,
    private readonly servers?: ReadonlySet<string>,
  ) {}

  private wanted(serverId: string): boolean {
    return this.servers === undefined || this.servers.has(serverId);
  }

  /** Ports bound to the server (Neutron), in creation order. */
  portsOf(serverId: string): readonly PortRecord[] {
    if (!this.portsByDevice) {
      this.portsByDevice = new Map();
      for (const p of this.store.ports.values()) {
        if (p.deviceId === '' || !this.wanted(p.deviceId) || !p.deviceOwner.startsWith('compute:')) continue;
        push(this.portsByDevice, p.deviceId, p);
      }
    }
    return this.portsByDevice.get(serverId) ?? [];
  }

  /** A port bound to one of the page's servers. */
  private pagePort(portId: string): boolean {
    const p = this.store.ports.get(portId);
    return p !== undefined && this.wanted(p.deviceId);
  }

  /** nova-network fixed IPs of the server. */
  fixedIpsOf(serverId: string): readonly FixedIpRecord[] {
    if (!this.fixedByServer) {
      this.fixedByServer = new Map();
      for (const f of this.store.fixedIps.values()) if (f.instanceUuid && this.wanted(f.instanceUuid)) push(this.fixedByServer, f.instanceUuid, f);
    }
    return this.fixedByServer.get(serverId) ?? [];
  }

  /** `addresses`: network label -> fixed addresses, then the floating ones on the same NIC. */
  addressesOf(server: ServerRecord): Record<string, RenderedAddress[]> {
    const out: Record<string, RenderedAddress[]> = {};
    const add = (label: string, a: RenderedAddress) => (out[label] ??= []).push(a);
    if (this.store.profile.neutron) {
      if (!this.fipsByPort) {
        this.fipsByPort = new Map();
        for (const f of this.store.floatingIps.values()) if (f.portId && (this.servers === undefined || this.pagePort(f.portId))) push(this.fipsByPort, f.portId, f);
      }
      for (const p of this.portsOf(server.id)) {
        const label = this.store.networks.get(p.networkId)?.name ?? p.networkId;
        for (const ip of p.fixedIps) add(label, address(ip.ipAddress, 'fixed', p.macAddress));
        for (const f of this.fipsByPort.get(p.id) ?? []) add(label, address(f.address, 'floating', p.macAddress));
      }
      return out;
    }
    if (!this.floatingByFixed) {
      this.floatingByFixed = new Map();
      for (const f of this.store.novaFloatingIps.values()) if (f.fixedAddress && (f.instanceUuid === null || this.wanted(f.instanceUuid))) push(this.floatingByFixed, f.fixedAddress, f);
    }
    for (const f of this.fixedIpsOf(server.id)) {
      if (!f.allocated) continue;
      const label = this.store.novaNetworks.get(f.networkId)?.label ?? f.networkId;
      const mac = f.mac ?? '';
      add(label, address(f.id, 'fixed', mac));
      for (const fl of this.floatingByFixed.get(f.id) ?? []) if (fl.instanceUuid === null || fl.instanceUuid === server.id) add(label, address(fl.address, 'floating', mac));
    }
    return out;
  }

  /** Security group names: the ports' groups on Neutron (as Nova asks Neutron), the record's on nova-network. */
  securityGroupsOf(server: ServerRecord): string[] {
    if (!this.store.profile.neutron) return server.securityGroups;
    const ports = this.portsOf(server.id);
    if (ports.length === 0) return [];
    const names: string[] = [];
    for (const p of ports) for (const id of p.securityGroups) names.push(this.store.securityGroups.get(id)?.name ?? id);
    return names;
  }
}

function address(addr: string, type: 'fixed' | 'floating', mac: string): RenderedAddress {
  return { version: addr.includes(':') ? 6 : 4, addr, 'OS-EXT-IPS:type': type, 'OS-EXT-IPS-MAC:mac_addr': mac };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Refreshes the record's `addresses` snapshot from the live records (other modules and tests
 * may read the store field; the API always renders from the live records).
 */
export function refreshAddresses(store: SimStore, server: ServerRecord): void {
  const book = new AddressBook(store, new Set([server.id]));
  const rendered = book.addressesOf(server);
  server.addresses = Object.entries(rendered).flatMap(([network, list]) =>
    list.map((a) => ({ network, addr: a.addr, type: a['OS-EXT-IPS:type'], mac: a['OS-EXT-IPS-MAC:mac_addr'], version: a.version })),
  );
}
