import type { Profile } from '../../profile.js';
import type {
  FloatingIpRecord, NetworkRecord, PortRecord, RbacPolicyRecord, RouterRecord, SecurityGroupRecord, SecurityGroupRuleRecord, SubnetRecord,
} from '../../store/types/network.js';
import { cached, OMIT, type Field, type FieldSet, type RenderContext } from './fields.js';
import { parseCidrAny } from './ip.js';
import { sharedWith } from './rbac-records.js';
import { attrsOf, standardAttrId, type TaggableKind } from './standard-attrs.js';

/**
 * The wire shape of every Neutron resource, per profile and caller, in the order Neutron
 * renders attributes: legacy (Havana–Juno, legacy-apis.md §5) or modern (the Zed recordings in
 * test/fixtures/real-zed/network.json). Admin-only attributes (provider:*, binding:*, router
 * distributed/ha) are left out for other callers, as the policy engine does.
 */

type Rec = { readonly id: string; readonly projectId: string; readonly createdAt: string };

/** tenant_id first; the standard attributes and project_id last (modern). */
function standard<T extends Rec>(kind: TaggableKind, p: Profile, withDescription: boolean): { readonly head: FieldSet<T>; readonly tail: FieldSet<T> } {
  const tail: Field<T>[] = [];
  if (p.neutronModernApi) {
    if (withDescription) tail.push(['description', (r) => (r as unknown as { description: string }).description]);
    tail.push(
      ['tags', (r, c) => [...attrsOf(c.store, kind, r.id, r.createdAt).tags]],
      ['created_at', (r) => r.createdAt],
      ['updated_at', (r, c) => attrsOf(c.store, kind, r.id, r.createdAt).updatedAt],
      ['revision_number', (r, c) => attrsOf(c.store, kind, r.id, r.createdAt).revision],
    );
  }
  if (p.neutronProjectId) tail.push(['project_id', (r) => r.projectId]);
  return { head: [['id', (r) => r.id]], tail };
}

const adminOnly = <T>(c: RenderContext, v: (r: T) => unknown) => (r: T) => (c.isAdmin ? v(r) : OMIT);

export function networkFields(c: RenderContext, opts: { readonly created?: boolean } = {}): FieldSet<NetworkRecord> {
  const p = c.profile;
  const { head, tail } = standard<NetworkRecord>('networks', p, false);
  const f: Field<NetworkRecord>[] = [...head, ['name', (r) => r.name], ['tenant_id', (r) => r.projectId], ['admin_state_up', (r) => r.adminStateUp]];
  if (p.neutronModernApi) f.push(['mtu', (r) => r.mtu]);
  // Shared with everyone, or (RBAC) with the caller's project: an admin too sees `false` for a
  // network shared with other projects only (Zed's `_is_network_shared`).
  f.push(['status', (r) => r.status], ['subnets', (r) => [...r.subnets]], ['shared', (r) => sharedWith(c.store, r, c.projectId)]);
  if (p.neutronModernApi) {
    f.push(
      ['availability_zone_hints', () => []],
      ['availability_zones', () => []],
      ['ipv4_address_scope', () => null],
      ['ipv6_address_scope', () => null],
    );
  }
  f.push(['router:external', (r) => r.external]);
  if (p.neutronModernApi) {
    f.push(['description', (r) => r.description], ['port_security_enabled', (r) => r.portSecurityEnabled ?? true]);
    // auto-allocated-topology shows is_default on external networks (and in create answers).
    f.push(['is_default', (r) => (r.external || opts.created ? false : OMIT)]);
  }
  f.push(...tail);
  f.push(
    ['provider:network_type', adminOnly(c, (r: NetworkRecord) => r.networkType)],
    ['provider:physical_network', adminOnly(c, (r: NetworkRecord) => r.physicalNetwork)],
    ['provider:segmentation_id', adminOnly(c, (r: NetworkRecord) => r.segmentationId)],
  );
  return f;
}

export function subnetFields(c: RenderContext): FieldSet<SubnetRecord> {
  const p = c.profile;
  const { head, tail } = standard<SubnetRecord>('subnets', p, true);
  const f: Field<SubnetRecord>[] = [...head, ['name', (r) => r.name], ['tenant_id', (r) => r.projectId], ['network_id', (r) => r.networkId], ['ip_version', (r) => r.ipVersion]];
  if (p.neutronModernApi) f.push(['subnetpool_id', () => null]);
  f.push(['enable_dhcp', (r) => r.enableDhcp]);
  if (p.ipv6Modes !== 'absent') f.push(['ipv6_ra_mode', (r) => r.ipv6RaMode], ['ipv6_address_mode', (r) => r.ipv6AddressMode]);
  f.push(
    ['gateway_ip', (r) => r.gatewayIp],
    ['cidr', (r) => r.cidr],
    ['allocation_pools', (r) => r.allocationPools.map((a) => ({ start: a.start, end: a.end }))],
    ['host_routes', (r) => r.hostRoutes.map((h) => ({ destination: h.destination, nexthop: h.nexthop }))],
    ['dns_nameservers', (r) => [...r.dnsNameservers]],
  );
  const [desc, ...rest] = tail;
  if (p.neutronModernApi && desc) f.push(desc, ['service_types', () => []], ...rest);
  else f.push(...tail);
  return f;
}

/** OVS binding details of a bound port (what the openvswitch mechanism driver reports). */
function vifDetails(p: Profile, r: PortRecord): Record<string, unknown> {
  if (r.bindingHostId === '') return {};
  return p.neutronModernApi ? { port_filter: true, ovs_hybrid_plug: true, bound_drivers: { '0': 'openvswitch' } } : { port_filter: true, ovs_hybrid_plug: true };
}

export function portFields(c: RenderContext): FieldSet<PortRecord> {
  const p = c.profile;
  const { head, tail } = standard<PortRecord>('ports', p, true);
  const f: Field<PortRecord>[] = [
    ...head,
    ['name', (r) => r.name],
    ['network_id', (r) => r.networkId],
    ['tenant_id', (r) => r.projectId],
    ['mac_address', (r) => r.macAddress],
    ['admin_state_up', (r) => r.adminStateUp],
    ['status', (r) => r.status],
    ['device_id', (r) => r.deviceId],
    ['device_owner', (r) => r.deviceOwner],
    ['fixed_ips', (r) => r.fixedIps.map((x) => ({ subnet_id: x.subnetId, ip_address: x.ipAddress }))],
    ['allowed_address_pairs', (r) => r.allowedAddressPairs.map((a) => ({ ip_address: a.ip_address, mac_address: a.mac_address ?? r.macAddress }))],
    // ip_version is Kilo+.
    ['extra_dhcp_opts', (r) => (r.extraDhcpOpts ?? []).map((o) => (p.neutronModernApi ? { ...o } : { opt_name: o.opt_name, opt_value: o.opt_value }))],
    ['security_groups', (r) => [...r.securityGroups]],
  ];
  const [desc, ...rest] = tail;
  if (p.neutronModernApi && desc) f.push(desc);
  if (p.portBindingDetails) f.push(['binding:vnic_type', (r: PortRecord) => r.vnicType ?? 'normal']);
  f.push(
    ['binding:profile', adminOnly(c, () => ({}))],
    ['binding:host_id', adminOnly(c, (r: PortRecord) => r.bindingHostId)],
    ['binding:vif_type', adminOnly(c, (r: PortRecord) => (r.bindingHostId === '' ? 'unbound' : 'ovs'))],
  );
  if (p.portBindingDetails) f.push(['binding:vif_details', adminOnly(c, (r: PortRecord) => vifDetails(p, r))]);
  else f.push(['binding:capabilities', adminOnly(c, () => ({ port_filter: true }))]);
  if (p.neutronModernApi) f.push(['port_security_enabled', (r) => portSecurityOf(c.store.networks.get(r.networkId), r)], ...rest);
  else f.push(...tail);
  return f;
}

/**
 * A port's port security: its own, else its network's (Neutron's default, on) when it was
 * made. Router ports the simulator makes show it off.
 */
export function portSecurityOf(network: NetworkRecord | undefined, r: PortRecord): boolean {
  if (r.portSecurityEnabled !== undefined) return r.portSecurityEnabled;
  return !r.deviceOwner.startsWith('network:router_') && (network?.portSecurityEnabled ?? true);
}

export function gatewayInfo(p: Profile, r: RouterRecord): Record<string, unknown> | null {
  const g = r.gateway;
  if (!g) return null;
  const out: Record<string, unknown> = { network_id: g.networkId };
  if (p.routerExternalFixedIps) out['external_fixed_ips'] = g.externalFixedIps.map((x) => ({ subnet_id: x.subnetId, ip_address: x.ipAddress }));
  out['enable_snat'] = g.enableSnat;
  return out;
}

export function routerFields(c: RenderContext): FieldSet<RouterRecord> {
  const p = c.profile;
  const { head, tail } = standard<RouterRecord>('routers', p, true);
  const f: Field<RouterRecord>[] = [
    ...head,
    ['name', (r) => r.name],
    ['tenant_id', (r) => r.projectId],
    ['admin_state_up', (r) => r.adminStateUp],
    ['status', (r) => r.status],
    ['external_gateway_info', (r) => gatewayInfo(p, r)],
  ];
  const [desc, ...rest] = tail;
  if (p.neutronModernApi && desc) f.push(desc, ['availability_zones', () => []]);
  if (p.neutronRouterDvrHa) f.push(['distributed', adminOnly(c, (r: RouterRecord) => r.distributed)], ['ha', adminOnly(c, (r: RouterRecord) => r.ha)]);
  if (p.neutronModernApi) f.push(['availability_zone_hints', () => []]);
  f.push(['routes', (r) => r.routes.map((x) => ({ destination: x.destination, nexthop: x.nexthop }))]);
  if (p.neutronModernApi) f.push(['flavor_id', () => null], ...rest);
  else f.push(...tail);
  return f;
}

function portDetails(r: FloatingIpRecord, c: RenderContext): Record<string, unknown> | null {
  const port = r.portId ? c.store.ports.get(r.portId) : undefined;
  if (!port) return null;
  return { name: port.name, network_id: port.networkId, mac_address: port.macAddress, admin_state_up: port.adminStateUp, status: port.status, device_id: port.deviceId, device_owner: port.deviceOwner };
}

export function floatingIpFields(c: RenderContext): FieldSet<FloatingIpRecord> {
  const p = c.profile;
  const { head, tail } = standard<FloatingIpRecord>('floatingips', p, true);
  const f: Field<FloatingIpRecord>[] = [
    ...head,
    ['tenant_id', (r) => r.projectId],
    ['floating_ip_address', (r) => r.address],
    ['floating_network_id', (r) => r.floatingNetworkId],
    ['router_id', (r) => r.routerId],
    ['port_id', (r) => r.portId],
    ['fixed_ip_address', (r) => r.fixedIpAddress],
  ];
  if (p.floatingIpStatus) f.push(['status', (r) => r.status]);
  if (p.neutronModernApi) {
    const [desc, tags, ...rest] = tail;
    if (desc && tags) f.push(desc, ['port_details', portDetails], tags, ...rest);
  } else f.push(...tail);
  return f;
}

/** A rule as `security-group-rules` answers it, or embedded in its group (`embedded`: Zed adds standard_attr_id and tags there). */
export function ruleFields(c: RenderContext, embedded: boolean): FieldSet<SecurityGroupRuleRecord> {
  const p = c.profile;
  const created = (r: SecurityGroupRuleRecord) => c.store.securityGroups.get(r.securityGroupId)?.createdAt ?? '';
  const f: Field<SecurityGroupRuleRecord>[] = [
    ['id', (r) => r.id],
    ['tenant_id', (r) => r.projectId],
    ['security_group_id', (r) => r.securityGroupId],
    ['ethertype', (r) => r.ethertype],
    ['direction', (r) => r.direction],
    ['protocol', (r) => r.protocol],
    ['port_range_min', (r) => r.portRangeMin],
    ['port_range_max', (r) => r.portRangeMax],
    ['remote_ip_prefix', (r) => r.remoteIpPrefix],
  ];
  if (p.neutronModernApi) {
    f.push(['remote_address_group_id', () => null], ['normalized_cidr', (r) => (r.remoteIpPrefix ? (parseCidrAny(r.remoteIpPrefix)?.text ?? r.remoteIpPrefix) : null)]);
  }
  f.push(['remote_group_id', (r) => r.remoteGroupId]);
  if (p.neutronModernApi) {
    if (embedded) f.push(['standard_attr_id', (r) => standardAttrId(r.id)]);
    f.push(['description', (r) => r.description]);
    if (embedded) f.push(['tags', () => []]);
    f.push(
      ['created_at', (r) => attrsOf(c.store, 'security-group-rules', r.id, created(r)).updatedAt],
      ['updated_at', (r) => attrsOf(c.store, 'security-group-rules', r.id, created(r)).updatedAt],
      ['revision_number', () => 0],
    );
  }
  if (p.neutronProjectId) f.push(['project_id', (r) => r.projectId]);
  return f;
}

/** Rules by group, built once per request (a page of groups costs one pass over the rules). */
export function rulesOf(c: RenderContext, groupId: string): SecurityGroupRuleRecord[] {
  const byGroup = cached(c, 'rulesByGroup', () => {
    const m = new Map<string, SecurityGroupRuleRecord[]>();
    for (const r of c.store.securityGroupRules.values()) {
      const l = m.get(r.securityGroupId);
      if (l) l.push(r);
      else m.set(r.securityGroupId, [r]);
    }
    return m;
  });
  return byGroup.get(groupId) ?? [];
}

export function securityGroupFields(c: RenderContext): FieldSet<SecurityGroupRecord> {
  const p = c.profile;
  const { head, tail } = standard<SecurityGroupRecord>('security-groups', p, false);
  const rules = ruleFields(c, true);
  const renderRule = (r: SecurityGroupRuleRecord) => Object.fromEntries(rules.map(([n, g]) => [n, g(r, c)]));
  const f: Field<SecurityGroupRecord>[] = [...head, ['name', (r) => r.name]];
  if (p.neutronModernApi) f.push(['stateful', () => true]);
  f.push(['tenant_id', (r) => r.projectId], ['description', (r) => r.description]);
  if (p.neutronModernApi) f.push(['shared', () => false]);
  f.push(['security_group_rules', (r) => rulesOf(c, r.id).map(renderRule)], ...tail);
  return f;
}

/** An RBAC policy in Zed's order (`rbac_policy` answers; no standard attributes). */
export function rbacPolicyFields(): FieldSet<RbacPolicyRecord> {
  return [
    ['id', (r) => r.id],
    ['project_id', (r) => r.projectId],
    ['action', (r) => r.action],
    ['object_id', (r) => r.objectId],
    ['target_tenant', (r) => r.targetTenant],
    ['object_type', (r) => r.objectType],
    ['tenant_id', (r) => r.projectId],
  ];
}
