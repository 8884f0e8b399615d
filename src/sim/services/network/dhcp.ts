import { macFrom } from '../../store/addresses.js';
import type { SimStore } from '../../store/store.js';
import type { NetworkRecord, PortRecord, SubnetRecord } from '../../store/types/network.js';
import { nextAddress, releaseAddress } from './addresses.js';
import { forget } from './standard-attrs.js';

/**
 * The DHCP agent's port: one per network (device_owner `network:dhcp`, device_id
 * `dhcp-<network id>` as the generator names it), with one address on every DHCP-enabled
 * IPv4 subnet. A real cloud's agent makes it moments after the subnet; the simulator makes it
 * with the subnet, so the first free address of the pool goes to DHCP as it would there.
 */
export function dhcpPortOf(store: SimStore, networkId: string): PortRecord | undefined {
  return store.ports.find((p) => p.networkId === networkId && p.deviceOwner === 'network:dhcp');
}

/** Gives the network's DHCP port an address on the subnet (making the port if needed). */
export function addDhcpAddress(store: SimStore, network: NetworkRecord, subnet: SubnetRecord): void {
  if (subnet.ipVersion !== 4) return;
  const port = dhcpPortOf(store, network.id);
  if (port?.fixedIps.some((f) => f.subnetId === subnet.id)) return;
  const ip = nextAddress(store, subnet);
  if (ip === undefined) return; // a full subnet: the agent would log it and serve nothing
  if (port) {
    port.fixedIps.push({ subnetId: subnet.id, ipAddress: ip });
    return;
  }
  store.ports.insert({
    id: store.ids.uuid(), name: '', networkId: network.id, projectId: network.projectId, macAddress: macFrom(store.rng),
    fixedIps: [{ subnetId: subnet.id, ipAddress: ip }], deviceId: `dhcp-${network.id}`, deviceOwner: 'network:dhcp', status: 'ACTIVE',
    adminStateUp: true, securityGroups: [], bindingHostId: '', allowedAddressPairs: [], description: '', createdAt: store.now(),
  });
}

/** Takes the subnet's address off the DHCP port; the port goes when it has none left. */
export function removeDhcpAddress(store: SimStore, subnet: SubnetRecord): void {
  const port = dhcpPortOf(store, subnet.networkId);
  if (!port) return;
  for (const f of port.fixedIps) if (f.subnetId === subnet.id) releaseAddress(store, subnet.id, f.ipAddress);
  port.fixedIps = port.fixedIps.filter((f) => f.subnetId !== subnet.id);
  if (port.fixedIps.length === 0) {
    store.ports.delete(port.id);
    forget(store, port.id);
  }
}
