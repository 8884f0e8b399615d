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
 * Who holds which address, indexed once over the address tables: Neutron ports by the server
 * they are bound to and floating IPs by port; nova-network fixed IPs by instance and floating
 * IPs by fixed address. Each map is built on first use, in the tables' (creation) order.
 */
export class AddressIndex {
  private portsByDevice: Map<string, PortRecord[]> | undefined;
  private fipsByPort: Map<string, FloatingIpRecord[]> | undefined;
  private fixedByServer: Map<string, FixedIpRecord[]> | undefined;
  private floatingByFixed: Map<string, NovaFloatingIpRecord[]> | undefined;

  /** `wanted`: only these servers' records are indexed (a page, one server); all when absent. */
  constructor(
    private readonly store: SimStore,
    private readonly wanted?: ReadonlySet<string>,
  ) {}

  ports(serverId: string): readonly PortRecord[] {
    if (!this.portsByDevice) {
      const map = (this.portsByDevice = new Map());
      const wanted = this.wanted;
      for (const p of this.store.ports.values()) {
        if (p.deviceId === '' || (wanted !== undefined && !wanted.has(p.deviceId)) || !p.deviceOwner.startsWith('compute:')) continue;
        push(map, p.deviceId, p);
      }
    }
    return this.portsByDevice.get(serverId) ?? EMPTY;
  }

  floatingOfPort(portId: string): readonly FloatingIpRecord[] {
    if (!this.fipsByPort) {
      const map = (this.fipsByPort = new Map());
      const wanted = this.wanted;
      for (const f of this.store.floatingIps.values()) {
        if (!f.portId) continue;
        if (wanted !== undefined) {
          const p = this.store.ports.get(f.portId);
          if (p === undefined || !wanted.has(p.deviceId)) continue;
        }
        push(map, f.portId, f);
      }
    }
    return this.fipsByPort.get(portId) ?? EMPTY;
  }

  fixed(serverId: string): readonly FixedIpRecord[] {
    if (!this.fixedByServer) {
      const map = (this.fixedByServer = new Map());
      const wanted = this.wanted;
      for (const f of this.store.fixedIps.values()) if (f.instanceUuid && (wanted === undefined || wanted.has(f.instanceUuid))) push(map, f.instanceUuid, f);
    }
    return this.fixedByServer.get(serverId) ?? EMPTY;
  }

  floatingOfFixed(address: string): readonly NovaFloatingIpRecord[] {
    if (!this.floatingByFixed) {
      const map = (this.floatingByFixed = new Map());
      const wanted = this.wanted;
      for (const f of this.store.novaFloatingIps.values()) {
        if (f.fixedAddress && (f.instanceUuid === null || wanted === undefined || wanted.has(f.instanceUuid))) push(map, f.fixedAddress, f);
      }
    }
    return this.floatingByFixed.get(address) ?? EMPTY;
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A server's addresses and security groups, read from the shared network records as Nova's
 * network info cache would show them: Neutron ports bound to the server (and the floating IPs
 * on them), or nova-network fixed IPs (and floating IPs on those).
 *
 * Two ways to get one:
 * - `AddressBook.reading(store)`, for handlers that only read (GET): one index of the whole
 *   cloud, kept by the store until anything changes (`SimStore.derived`), so paging through
 *   100,000 servers costs one pass over the address tables, not one per page.
 * - `new AddressBook(store, servers?)`, for code that has just changed records (a write
 *   handler, a clock transition): indexed afresh (only `servers`' records when given), so it
 *   sees its own edits before the store is marked changed.
 */
export class AddressBook {
  private readonly index: AddressIndex;

  /** `from`: the only servers that will be asked about (indexed afresh), or an index already built. */
  constructor(
    private readonly store: SimStore,
    from?: ReadonlySet<string> | AddressIndex,
  ) {
    this.index = from instanceof AddressIndex ? from : new AddressIndex(store, from);
  }

  /** The book of a read-only request: the store's current index of every address. */
  static reading(store: SimStore): AddressBook {
    return new AddressBook(store, store.derived('compute/address-index', () => new AddressIndex(store)));
  }

  /** Ports bound to the server (Neutron), in creation order. */
  portsOf(serverId: string): readonly PortRecord[] {
    return this.index.ports(serverId);
  }

  /** nova-network fixed IPs of the server. */
  fixedIpsOf(serverId: string): readonly FixedIpRecord[] {
    return this.index.fixed(serverId);
  }

  /** `addresses`: network label -> fixed addresses, then the floating ones on the same NIC. */
  addressesOf(server: ServerRecord): Record<string, RenderedAddress[]> {
    const out: Record<string, RenderedAddress[]> = {};
    const add = (label: string, a: RenderedAddress) => (out[label] ??= []).push(a);
    if (this.store.profile.neutron) {
      for (const p of this.index.ports(server.id)) {
        // A port the index holds may have moved since (a write handler reading its own edits
        // uses a fresh index; this guards the shared one against in-place edits it missed).
        if (p.deviceId !== server.id) continue;
        const label = this.store.networks.get(p.networkId)?.name ?? p.networkId;
        for (const ip of p.fixedIps) add(label, address(ip.ipAddress, 'fixed', p.macAddress));
        for (const f of this.index.floatingOfPort(p.id)) if (f.portId === p.id) add(label, address(f.address, 'floating', p.macAddress));
      }
      return out;
    }
    for (const f of this.index.fixed(server.id)) {
      if (!f.allocated || f.instanceUuid !== server.id) continue;
      const label = this.store.novaNetworks.get(f.networkId)?.label ?? f.networkId;
      const mac = f.mac ?? '';
      add(label, address(f.id, 'fixed', mac));
      for (const fl of this.index.floatingOfFixed(f.id)) if (fl.fixedAddress === f.id && (fl.instanceUuid === null || fl.instanceUuid === server.id)) add(label, address(fl.address, 'floating', mac));
    }
    return out;
  }

  /** Security group names: the ports' groups on Neutron (as Nova asks Neutron), the record's on nova-network. */
  securityGroupsOf(server: ServerRecord): string[] {
    if (!this.store.profile.neutron) return server.securityGroups;
    const ports = this.index.ports(server.id);
    if (ports.length === 0) return [];
    const names: string[] = [];
    for (const p of ports) {
      if (p.deviceId !== server.id) continue;
      for (const id of p.securityGroups) names.push(this.store.securityGroups.get(id)?.name ?? id);
    }
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
