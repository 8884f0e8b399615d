import type * as os from '../../openstack/index.js';
import type { DiscoveryNote } from '../types.js';
import type { NovaFloatingIp, NovaNetwork, SecurityGroup, SecurityGroupRule, Server } from '../../inventory/index.js';

/** nova-network records (legacy sources), and nova security groups in Neutron's terms. */

export function toNovaNetwork(n: os.NovaNetwork): NovaNetwork {
  return {
    id: n.id,
    label: n.label,
    cidr: n.cidr ?? '',
    cidrV6: n.cidrV6,
    gateway: n.gateway,
    netmask: n.netmask,
    broadcast: n.broadcast,
    dhcpStart: n.dhcpStart,
    dns: [n.dns1, n.dns2].filter((d): d is string => d !== null && d !== ''),
    vlan: n.vlan,
    bridge: n.bridge,
    bridgeInterface: n.bridgeInterface,
    multiHost: n.multiHost ?? false,
    projectId: n.projectId,
  };
}

/**
 * The admin-wide bulk list says which server holds an address but not the fixed address it
 * points at: that is the fixed address on the same NIC (same MAC) of the server's addresses.
 */
export function toNovaFloatingIp(f: os.NovaFloatingIpBulk, serversById: ReadonlyMap<string, Server>): NovaFloatingIp {
  const server = f.instanceUuid ? serversById.get(f.instanceUuid) : undefined;
  return {
    address: f.address,
    pool: f.pool ?? '',
    interface: f.interface,
    projectId: f.projectId,
    serverId: f.instanceUuid,
    fixedIpAddress: server ? fixedBehind(server, f.address) : null,
  };
}

function fixedBehind(server: Server, floating: string): string | null {
  const nic = server.addresses.find((a) => a.type === 'floating' && a.ipAddress === floating);
  if (!nic) return null;
  const fixed = server.addresses.find((a) => a.type === 'fixed' && a.version === 4 && (nic.macAddress === null || a.macAddress === nic.macAddress) && a.networkName === nic.networkName);
  return fixed?.ipAddress ?? null;
}

/**
 * nova-network security groups as Neutron sees them: every rule is IPv4 ingress; ICMP's
 * `-1` (any type/code) is Neutron's null; a group rule names its source group by name in the
 * rule's tenant, resolved here to that group's id. nova-network lets all egress through, which
 * the egress rules Neutron puts in every new group reproduce.
 */
export function toNovaSecurityGroups(groups: readonly os.NovaSecurityGroup[], notes: DiscoveryNote[]): SecurityGroup[] {
  const byTenantAndName = new Map(groups.map((g) => [`${g.tenantId}\u0000${g.name}`, g.id]));
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    description: g.description,
    projectId: g.tenantId,
    rules: g.rules.flatMap((r) => toNovaRule(r, g, byTenantAndName, notes)),
  }));
}

function toNovaRule(r: os.NovaSecurityGroupRule, g: os.NovaSecurityGroup, groupIds: ReadonlyMap<string, string>, notes: DiscoveryNote[]): SecurityGroupRule[] {
  const protocol = r.ipProtocol === null || r.ipProtocol === '' ? null : r.ipProtocol.toLowerCase();
  const anyPort = (p: number | null): number | null => (p === null || (protocol === 'icmp' && p === -1) ? null : p);
  const remoteGroupId = r.group ? (groupIds.get(`${r.group.tenantId ?? g.tenantId}\u0000${r.group.name}`) ?? null) : null;
  if (r.group && remoteGroupId === null) {
    // Without its source group the rule would read as "from anywhere": leave it out, loudly.
    notes.push({
      severity: 'warning',
      summary: `security group rule ${r.id} of group '${g.name}' (project ${g.tenantId}) names source group '${r.group.name}', which does not exist; the rule is left out`,
    });
    return [];
  }
  return [{
    id: r.id,
    direction: 'ingress',
    ethertype: 'IPv4',
    protocol,
    portMin: anyPort(r.fromPort),
    portMax: anyPort(r.toPort),
    remoteIpPrefix: r.group ? null : (r.cidr ?? null),
    remoteGroupId,
  }];
}
