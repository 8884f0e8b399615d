// The network area of the comparison (see compare.ts): security groups and rules, networks,
// subnets, routers (nova-network translated), the servers' ports and floating IPs.
import { byId, Diff, idMapOf, novaNetworkSource, sorted, type AreaResult, type MigrationView } from './compare.js';

const ruleKey = (r: { direction: string; ethertype: string; protocol: string | null; portMin: number | null; portMax: number | null; remoteIpPrefix: string | null }, remote: string | null): string =>
  [r.direction, r.ethertype, r.protocol ?? 'any', r.portMin ?? 'any', r.portMax ?? 'any', r.remoteIpPrefix ?? 'any', remote ?? 'any'].join(' ');

/**
 * Security groups and rules (group references mapped), networks, subnets, routers with their
 * interfaces and gateway, the servers' ports, floating IPs.
 */
export function compareNetwork(v: MigrationView): AreaResult {
  const d = new Diff();
  const m = idMapOf(v.state);
  const S = v.before;
  const D = v.destination;
  const nova = novaNetworkSource(v);
  const external = D.networks.filter((n) => n.external);
  const externalCidrs = D.subnets.filter((s) => external.some((n) => n.id === s.networkId)).map((s) => s.cidr);

  for (const s of S.securityGroups.filter((g) => v.tenants.includes(g.projectId))) {
    const where = `security_group[${s.name}]`;
    const t = byId(D.securityGroups, m('security_group', s.id));
    if (!d.found(where, t)) continue;
    d.eq(where, 'name', s.name, t.name);
    d.eq(where, 'projectId', m('project', s.projectId), t.projectId);
    // The default group is Neutron's own, adopted: its description is the destination's.
    if (s.name !== 'default') d.eq(where, 'description', s.description, t.description);
    const expected = new Set(s.rules.map((r) => ruleKey(r, r.remoteGroupId === null ? null : m('security_group', r.remoteGroupId))));
    const actual = t.rules.map((r) => ruleKey(r, r.remoteGroupId));
    for (const e of expected) d.ok(where, `rule '${e}' missing`, actual.includes(e));
    // Neutron adds its defaults to every new group (egress to anywhere; the default group also
    // lets its members in). Those the source lacks are removed, except egress from a
    // nova-network source (it filters no egress). Anything else is extra.
    const defaults = new Set(nova ? ['IPv4', 'IPv6'].map((et) => `egress ${et} any any any any any`) : []);
    for (const a of actual) d.ok(where, `extra rule '${a}'`, expected.has(a) || defaults.has(a));
  }

  const servers = S.servers.filter((s) => v.tenants.includes(s.projectId));
  if (nova) {
    const labels = new Set(servers.flatMap((s) => s.addresses.map((a) => a.networkName)));
    for (const s of S.novaNetworks.filter((n) => labels.has(n.label))) {
      const where = `nova-network[${s.label}]`;
      const net = byId(D.networks, m('network', s.id));
      const sub = byId(D.subnets, m('subnet', s.id));
      const router = byId(D.routers, m('router', s.id));
      if (d.found(`${where} -> network`, net)) {
        d.eq(`${where} -> network`, 'name', s.label, net.name);
        d.eq(`${where} -> network`, 'shared', s.projectId === null, net.shared);
        d.eq(`${where} -> network`, 'external', false, net.external);
      }
      if (d.found(`${where} -> subnet`, sub)) {
        d.eq(`${where} -> subnet`, 'networkId', m('network', s.id), sub.networkId);
        d.eq(`${where} -> subnet`, 'cidr', s.cidr, sub.cidr);
        d.eq(`${where} -> subnet`, 'gatewayIp', s.gateway, sub.gatewayIp);
        d.eq(`${where} -> subnet`, 'enableDhcp', true, sub.enableDhcp);
        d.eq(`${where} -> subnet`, 'dnsNameservers', s.dns, sub.dnsNameservers);
        if (s.dhcpStart) d.eq(`${where} -> subnet`, 'first pool address', s.dhcpStart, sub.allocationPools[0]?.start);
      }
      if (d.found(`${where} -> router`, router)) {
        d.ok(`${where} -> router`, 'gateway on the destination external network', external.some((n) => n.id === router.gateway?.networkId));
        d.eq(`${where} -> router`, 'interfaces', [[m('subnet', s.id), s.gateway]], router.interfaces.map((i) => [i.subnetId, i.ipAddress]));
      }
    }
  } else {
    for (const s of S.networks.filter((n) => v.tenants.includes(n.projectId) && !n.external)) {
      const where = `network[${s.name}]`;
      const t = byId(D.networks, m('network', s.id));
      if (!d.found(where, t)) continue;
      for (const f of ['name', 'shared', 'external', 'adminStateUp', 'description'] as const) d.eq(where, f, s[f], t[f]);
      d.eq(where, 'projectId', m('project', s.projectId), t.projectId);
    }
    for (const s of S.subnets.filter((n) => v.tenants.includes(n.projectId))) {
      const where = `subnet[${s.name}]`;
      const t = byId(D.subnets, m('subnet', s.id));
      if (!d.found(where, t)) continue;
      for (const f of ['name', 'cidr', 'ipVersion', 'gatewayIp', 'enableDhcp', 'dnsNameservers', 'allocationPools', 'hostRoutes', 'description'] as const) d.eq(where, f, s[f], t[f]);
      d.eq(where, 'networkId', m('network', s.networkId), t.networkId);
    }
    for (const s of S.routers.filter((r) => v.tenants.includes(r.projectId))) {
      const where = `router[${s.name}]`;
      const t = byId(D.routers, m('router', s.id));
      if (!d.found(where, t)) continue;
      for (const f of ['name', 'adminStateUp', 'routes', 'description'] as const) d.eq(where, f, s[f], t[f]);
      d.eq(where, 'projectId', m('project', s.projectId), t.projectId);
      // External networks are not migrated: the gateway moves to the destination's.
      d.ok(where, 'gateway on the destination external network', (s.gateway === null) === (t.gateway === null) && (t.gateway === null || external.some((n) => n.id === t.gateway!.networkId)));
      if (s.gateway && t.gateway) d.eq(where, 'gateway.enableSnat', s.gateway.enableSnat, t.gateway.enableSnat);
      d.eq(where, 'interfaces', sorted(s.interfaces.map((i) => [m('subnet', i.subnetId), i.ipAddress])), sorted(t.interfaces.map((i) => [i.subnetId, i.ipAddress])));
    }
  }

  // Ports of the servers: same MAC and fixed IP, security groups mapped, bound to the copy.
  for (const server of servers) {
    for (const a of server.addresses.filter((x) => x.type === 'fixed')) {
      const where = `port[${server.name}/${a.ipAddress}]`;
      const sPort = nova ? undefined : S.ports.find((p) => p.deviceId === server.id && p.macAddress === a.macAddress);
      const t = byId(D.ports, m('port', nova ? `${server.id}/${a.macAddress}` : (sPort?.id ?? '?')));
      if (!d.found(where, t)) continue;
      d.eq(where, 'macAddress', a.macAddress, t.macAddress);
      d.eq(where, 'deviceId', m('server', server.id), t.deviceId);
      d.eq(where, 'projectId', m('project', server.projectId), t.projectId);
      if (nova) {
        const net = S.novaNetworks.find((n) => n.label === a.networkName);
        d.eq(where, 'fixedIps', [{ subnetId: m('subnet', net?.id ?? '?'), ipAddress: a.ipAddress }], t.fixedIps);
        d.eq(where, 'networkId', m('network', net?.id ?? '?'), t.networkId);
        const groups = server.securityGroupNames.map((n) => S.securityGroups.find((g) => g.name === n && g.projectId === server.projectId)?.id ?? `?${n}`);
        d.eq(where, 'securityGroupIds', sorted(groups.map((g) => m('security_group', g))), sorted(t.securityGroupIds));
        d.eq(where, 'description (none on nova-network; the marker is not one)', undefined, t.description);
      } else if (sPort) {
        d.eq(where, 'description', sPort.description, t.description);
        d.eq(where, 'fixedIps', sorted(sPort.fixedIps.map((f) => ({ subnetId: m('subnet', f.subnetId), ipAddress: f.ipAddress }))), sorted(t.fixedIps));
        d.eq(where, 'networkId', m('network', sPort.networkId), t.networkId);
        d.eq(where, 'securityGroupIds', sorted(sPort.securityGroupIds.map((g) => m('security_group', g))), sorted(t.securityGroupIds));
        d.eq(where, 'allowedAddressPairs', sPort.allowedAddressPairs, t.allowedAddressPairs);
        // A legacy source does not tell the IP version (IPv4): the copy says 4.
        d.eq(where, 'extraDhcpOpts', sPort.extraDhcpOpts?.map((o) => ({ ipVersion: 4, ...o })), t.extraDhcpOpts);
        // A source without the extension filters every port: its copy has port security on.
        d.eq(where, 'portSecurityEnabled', sPort.portSecurityEnabled ?? true, t.portSecurityEnabled);
      }
    }
  }

  // Ports no device holds (a VIP's reservation): same address, MAC and groups, still on no device.
  if (!nova) {
    for (const s of S.ports.filter((p) => v.tenants.includes(p.projectId) && p.deviceOwner === '' && p.deviceId === '')) {
      const where = `port[${s.name || s.id}]`;
      const t = byId(D.ports, m('port', s.id));
      if (!d.found(where, t)) continue;
      d.eq(where, 'name', s.name, t.name);
      d.eq(where, 'macAddress', s.macAddress, t.macAddress);
      d.eq(where, 'fixedIps', sorted(s.fixedIps.map((f) => ({ subnetId: m('subnet', f.subnetId), ipAddress: f.ipAddress }))), sorted(t.fixedIps));
      d.eq(where, 'securityGroupIds', sorted(s.securityGroupIds.map((g) => m('security_group', g))), sorted(t.securityGroupIds));
      d.eq(where, 'device', '', t.deviceId);
    }
  }

  // Floating IPs: same address when the destination's external network holds it, else a new one there.
  const sourceFips = nova
    ? S.novaFloatingIps.filter((f) => f.projectId !== null && v.tenants.includes(f.projectId)).map((f) => ({ sourceId: f.address, address: f.address, projectId: f.projectId!, serverId: f.serverId, fixed: f.fixedIpAddress, description: undefined }))
    : S.floatingIps.filter((f) => v.tenants.includes(f.projectId)).map((f) => ({ sourceId: f.id, address: f.address, projectId: f.projectId, serverId: f.serverId, fixed: f.fixedIpAddress, description: f.description }));
  for (const s of sourceFips) {
    const where = `floating_ip[${s.address}]`;
    const t = byId(D.floatingIps, m('floating_ip', s.sourceId));
    if (!d.found(where, t)) continue;
    d.eq(where, 'projectId', m('project', s.projectId), t.projectId);
    d.eq(where, 'fixedIpAddress', s.fixed, t.fixedIpAddress);
    d.eq(where, 'description', s.description, t.description);
    d.eq(where, 'serverId', s.serverId === null ? null : m('server', s.serverId), t.serverId);
    d.ok(where, 'on the destination external network', external.some((n) => n.id === t.externalNetworkId));
    if (externalCidrs.some((c) => inCidr(s.address, c))) d.eq(where, 'address', s.address, t.address);
    else d.ok(where, `new address ${t.address} inside the destination external network`, externalCidrs.some((c) => inCidr(t.address, c)));
  }
  return d.result();
}

function inCidr(address: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  if (!net || bits === undefined || address.includes(':')) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(address) / size) === Math.floor(toInt(net) / size);
}
