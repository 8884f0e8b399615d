import type { NovaFixedIp, NovaFloatingIp, NovaFloatingIpBulk, NovaNetwork, NovaSecurityGroup, NovaSecurityGroupRule } from '../types/nova-network.js';
import { bool, numOrNull, obj, objs, str, strOrNull, type Raw } from '../wire.js';

export function toNovaNetwork(r: Raw): NovaNetwork {
  return {
    id: str(r['id']) ?? str(r['uuid']) ?? '',
    label: str(r['label']) ?? '',
    cidr: strOrNull(r['cidr']),
    cidrV6: strOrNull(r['cidr_v6']),
    gateway: strOrNull(r['gateway']),
    gatewayV6: strOrNull(r['gateway_v6']),
    netmask: strOrNull(r['netmask']),
    broadcast: strOrNull(r['broadcast']),
    dns1: strOrNull(r['dns1']),
    dns2: strOrNull(r['dns2']),
    vlan: numOrNull(r['vlan']),
    bridge: strOrNull(r['bridge']),
    bridgeInterface: strOrNull(r['bridge_interface']),
    projectId: strOrNull(r['project_id']),
    host: strOrNull(r['host']),
    multiHost: r['multi_host'] === undefined || r['multi_host'] === null ? null : bool(r['multi_host']),
    dhcpStart: strOrNull(r['dhcp_start']),
    mtu: numOrNull(r['mtu']),
    enableDhcp: r['enable_dhcp'] === undefined || r['enable_dhcp'] === null ? null : bool(r['enable_dhcp']),
  };
}

export function toNovaFloatingIp(r: Raw): NovaFloatingIp {
  return {
    id: str(r['id']) ?? '',
    ip: str(r['ip']) ?? '',
    pool: strOrNull(r['pool']),
    fixedIp: strOrNull(r['fixed_ip']),
    instanceId: strOrNull(r['instance_id']),
  };
}

export function toNovaFloatingIpBulk(r: Raw): NovaFloatingIpBulk {
  return {
    address: str(r['address']) ?? '',
    pool: strOrNull(r['pool']),
    interface: strOrNull(r['interface']),
    projectId: strOrNull(r['project_id']),
    instanceUuid: strOrNull(r['instance_uuid']),
  };
}

export function toNovaSecurityGroupRule(r: Raw): NovaSecurityGroupRule {
  const group = obj(r['group']);
  const range = obj(r['ip_range']);
  return {
    id: str(r['id']) ?? '',
    parentGroupId: str(r['parent_group_id']) ?? '',
    ipProtocol: strOrNull(r['ip_protocol']),
    fromPort: numOrNull(r['from_port']),
    toPort: numOrNull(r['to_port']),
    cidr: strOrNull(range['cidr']),
    group: str(group['name']) !== undefined ? { name: str(group['name']) ?? '', tenantId: strOrNull(group['tenant_id']) } : null,
  };
}

export function toNovaSecurityGroup(r: Raw): NovaSecurityGroup {
  return {
    id: str(r['id']) ?? '',
    name: str(r['name']) ?? '',
    description: str(r['description']) ?? '',
    tenantId: str(r['tenant_id']) ?? '',
    rules: objs(r['rules']).map(toNovaSecurityGroupRule),
  };
}

export function toNovaFixedIp(r: Raw): NovaFixedIp {
  return {
    address: str(r['address']) ?? '',
    cidr: strOrNull(r['cidr']),
    hostname: strOrNull(r['hostname']),
    host: strOrNull(r['host']),
    reserved: r['reserved'] === undefined ? null : bool(r['reserved']),
  };
}

