import type { Cloud, FloatingIp, Network, Port, RbacPolicy, Router, SecurityGroup, SecurityGroupRule, Subnet } from '../../openstack/index.js';
import type { Facts } from '../contract.js';
import { badRef, facts, firstById, orNull, type ParsedRef } from './ref.js';

type Reader = (cloud: NonNullable<Cloud['network']>, ref: ParsedRef) => Promise<Facts | null>;

/**
 * Neutron facts, by id or by any Neutron attribute (`ports?mac_address=...`,
 * `floatingips?floating_ip_address=...`), under the Inventory's field names.
 */
export async function neutronFacts(cloud: Cloud, ref: ParsedRef, raw: string): Promise<Facts | null> {
  const net = cloud.network;
  if (!net) throw badRef(raw, 'names Neutron, which this cloud does not have');
  const read = READERS[ref.collection];
  if (!read) throw badRef(raw, 'names no Neutron collection pumphouse reads');
  return read(net, ref);
}

function by<T extends { readonly id: string }>(
  pick: (net: NonNullable<Cloud['network']>) => { get(id: string): Promise<T>; list(filter: Record<string, string>): Promise<T[]> },
  toFacts: (x: T) => Facts,
): Reader {
  return async (net, ref) => {
    const api = pick(net);
    const x = ref.form === 'path' ? await orNull(() => api.get(ref.id)) : (firstById(await api.list({ [ref.key]: ref.value })) ?? null);
    return x && toFacts(x);
  };
}

const READERS: Readonly<Record<string, Reader>> = {
  networks: by(
    (n) => n.networks,
    (x: Network) =>
      facts({ id: x.id, name: x.name, projectId: x.tenantId, shared: x.shared, external: x.external, adminStateUp: x.adminStateUp, mtu: x.mtu }),
  ),
  subnets: by(
    (n) => n.subnets,
    (x: Subnet) =>
      facts({ id: x.id, name: x.name, networkId: x.networkId, projectId: x.tenantId, cidr: x.cidr, ipVersion: x.ipVersion, gatewayIp: x.gatewayIp, enableDhcp: x.enableDhcp }),
  ),
  routers: by(
    (n) => n.routers,
    (x: Router) => facts({ id: x.id, name: x.name, projectId: x.tenantId, adminStateUp: x.adminStateUp, externalNetworkId: x.externalGateway?.networkId ?? null }),
  ),
  ports: by(
    (n) => n.ports,
    (x: Port) =>
      facts({
        id: x.id,
        name: x.name,
        networkId: x.networkId,
        projectId: x.tenantId,
        macAddress: x.macAddress,
        deviceId: x.deviceId,
        deviceOwner: x.deviceOwner,
        adminStateUp: x.adminStateUp,
        fixedIps: x.fixedIps.map((f) => f.ipAddress),
      }),
  ),
  floatingips: by(
    (n) => n.floatingIps,
    (x: FloatingIp) =>
      facts({
        id: x.id,
        address: x.floatingIpAddress,
        projectId: x.tenantId,
        externalNetworkId: x.floatingNetworkId,
        portId: x.portId,
        fixedIpAddress: x.fixedIpAddress,
        routerId: x.routerId,
      }),
  ),
  rbac_policies: by(
    (n) => n.rbacPolicies,
    (x: RbacPolicy) => facts({ id: x.id, objectType: x.objectType, objectId: x.objectId, action: x.action, targetProject: x.targetTenant, projectId: x.tenantId }),
  ),
  security_groups: by(
    (n) => n.securityGroups,
    (x: SecurityGroup) => facts({ id: x.id, name: x.name, description: x.description, projectId: x.tenantId }),
  ),
  security_group_rules: by(
    (n) => n.securityGroupRules,
    (x: SecurityGroupRule) =>
      facts({
        id: x.id,
        groupId: x.securityGroupId,
        direction: x.direction,
        ethertype: x.ethertype,
        protocol: x.protocol,
        portMin: x.portRangeMin,
        portMax: x.portRangeMax,
        remoteIpPrefix: x.remoteIpPrefix,
        remoteGroupId: x.remoteGroupId,
      }),
  ),
};
