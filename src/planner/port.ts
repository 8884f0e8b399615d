import type { AddressPair, DhcpOption, Port, Server } from '../inventory/index.js';
import type { AttributeValue, Precondition } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { describedAs } from './description.js';
import { refTo, type Handle } from './draft.js';
import { destinationAbsent, sourceMatch } from './facts.js';
import { childAt, uniqueNames } from './names.js';
import { policyKey } from './rbac.js';

/**
 * One destination port per NIC of every migrated server, made before the server so that it
 * boots on exactly these ports: with the source fixed IPs and MAC when options.keep_fixed_ips,
 * and with the server's security groups (Nova ignores groups for servers booted on ports).
 * Also each port of a tenant that no device holds (a Neutron source's keepalived VIP
 * reservation, a port made for later): without its copy the destination could hand its
 * address to another port.
 */
export function planPorts(ctx: PlanContext): void {
  const spare = ctx.net.translated ? undefined : spareByProject(ctx);
  for (const t of ctx.tenants) {
    const servers: (Server | undefined)[] = [];
    const ports: Port[] = [];
    for (let k = 0; k < t.migrated.length; k++) {
      const sv = t.migrated[k]!;
      for (const p of t.nics[k]!) {
        servers.push(sv);
        ports.push(p);
      }
    }
    for (const p of spare?.get(t.project.id) ?? []) {
      servers.push(undefined);
      ports.push(p);
    }
    const index = ports.map((_, i) => i);
    const names = uniqueNames(
      index,
      (i) => {
        const sv = servers[i];
        const p = ports[i]!;
        return sv ? `${sv.name}/${p.fixedIps[0]?.ipAddress ?? p.macAddress}` : p.name || (p.fixedIps[0]?.ipAddress ?? p.macAddress);
      },
      (i) => ports[i]!.id,
    );
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]!;
      planPort(ctx, t, servers[i], p, childAt(t.address, 'port', names.get(p.id)!));
    }
  }
  for (const u of ctx.net.unplaced) {
    if (!ctx.migratedServers.has(u.serverId)) continue;
    const sv = ctx.s.serversById.get(u.serverId);
    ctx.draft.warn(`server '${sv?.name ?? u.serverId}' has address ${u.address} on no known nova network; that NIC is not migrated`);
    ctx.draft.skipped++;
  }
}

/** The source port `id` when it is a port no device holds and this plan copies it. */
export function plannedSparePort(ctx: PlanContext, id: string): Port | undefined {
  if (!ctx.draft.get('port', id)) return undefined;
  return ctx.src.ports.find((p) => p.id === id && p.deviceOwner === '' && p.deviceId === '');
}

/** Ports no device holds, by project: no owner, no device (DHCP, router and server ports have both). */
function spareByProject(ctx: PlanContext): Map<string, Port[]> {
  const out = new Map<string, Port[]>();
  for (const p of ctx.src.ports) {
    if (p.deviceOwner !== '' || p.deviceId !== '' || !ctx.tenantByProject.has(p.projectId)) continue;
    const list = out.get(p.projectId);
    if (list) list.push(p);
    else out.set(p.projectId, [p]);
  }
  return out;
}

function planPort(ctx: PlanContext, t: TenantScope, sv: Server | undefined, p: Port, address: string): void {
  const nh = ctx.draft.get('network', p.networkId);
  if (!nh) {
    const whose = sv ? `server '${sv.name}' has a port` : `port '${p.name || p.id}' (no device) is`;
    ctx.draft.warn(`${whose} on network ${p.networkId}, which is not migrated; that ${sv ? 'NIC' : 'port'} is skipped`, address);
    ctx.draft.skipped++;
    return;
  }
  const keep = ctx.desired.options.keepFixedIps;
  const subnets: Handle[] = [];
  const fixedIps: AttributeValue[] = [];
  for (const ip of p.fixedIps) {
    const sh = ctx.draft.get('subnet', ip.subnetId);
    if (sh) subnets.push(sh);
    fixedIps.push({ subnet_id: sh ? refTo(sh) : null, ip_address: keep ? ip.ipAddress : null });
  }
  const groups: Handle[] = [];
  for (const id of p.securityGroupIds) {
    const gh = ctx.draft.get('security_group', id);
    if (gh) groups.push(gh);
  }
  const d = decide(ctx.memory.resolve('port', p.id), { make: 'create' });
  const described = describedAs(p, p.id, 'port');
  const preconditions: Precondition[] = [];
  if (!ctx.net.translated) {
    preconditions.push(sourceMatch('neutron', 'ports', p.id, { macAddress: p.macAddress, deviceId: p.deviceId }));
  }
  if (d.action === 'create' && d.reason.code !== 'tainted_in_state' && keep && p.macAddress) {
    preconditions.push(destinationAbsent('neutron', 'ports', 'mac_address', p.macAddress));
  }
  const after: Record<string, AttributeValue> = {
    name: p.name,
    network_id: refTo(nh),
    project_id: refTo(t.handle),
    mac_address: keep && p.macAddress ? p.macAddress : null,
    fixed_ips: fixedIps,
    security_groups: groups.map((g) => refTo(g)),
    admin_state_up: p.adminStateUp,
  };
  // Only when the source tells, so that ports without them keep their text (and 100,000 ports their bytes).
  if (p.allowedAddressPairs) {
    after.allowed_address_pairs = pairsAfter(p.allowedAddressPairs);
  }
  if (p.extraDhcpOpts) {
    after.extra_dhcp_opts = dhcpOptsAfter(p.extraDhcpOpts);
  }
  // Both values: a port with it on may sit on a network whose default is off.
  if (p.portSecurityEnabled !== undefined) after.port_security_enabled = p.portSecurityEnabled;
  if (described.after.description !== undefined) after.description = described.after.description;
  if (described.after.tags !== undefined) after.tags = described.after.tags;
  // Only when not `normal` (the default): an SR-IOV port's copy must bind the same way, or the
  // guest's VF driver finds no NIC.
  if (p.vnicType) after.vnic_type = p.vnicType;
  after.server = sv ? sv.id : null;
  // On another tenant's network, the policy opening it to this tenant: Nova checks the
  // network in the tenant's scope when a server boots on the port.
  const deps: (Handle | undefined)[] = [t.handle, nh, ctx.draft.get('rbac_policy', policyKey(p.networkId, 'access_as_shared', t.project.id))];
  for (const h of subnets) deps.push(h);
  for (const h of groups) deps.push(h);
  if (d.action === 'create') checkPortFeatures(ctx, p, address, keep);
  if (d.action === 'create' && !sv && !keep && p.fixedIps.length > 0) {
    // Such a port exists to hold its address (a keepalived VIP, which other ports' pairs name).
    ctx.draft.warn(
      'this port no device holds reserves its address in the source, and with options.keep_fixed_ips off its copy gets a new one: the destination may give the old address (a VIP that allowed address pairs name) to another port',
      address,
      `source addresses: ${p.fixedIps.map((ip) => ip.ipAddress).join(', ')}`,
    );
  }
  ctx.draft.add(
    p.id,
    {
      address,
      kind: 'port',
      action: d.action,
      reason: d.reason,
      deps,
      tenant: t.name,
      scopedTo: t.address,
      host: sv?.host || undefined,
      source: { cloud: 'source', id: p.id, name: p.name },
      destination: d.destinationId ? { name: p.name, id: d.destinationId } : { name: p.name },
      after,
      preconditions,
      warnings: d.action === 'create' ? portWarnings(p, described.warnings) : undefined,
    },
    d.destinationId,
  );
}

/** A created port's warnings: its description's, and what a special binding needs. */
function portWarnings(p: Port, described: readonly string[]): readonly string[] | undefined {
  if (!p.vnicType) return described;
  return [
    ...described,
    `its vnic_type is '${p.vnicType}' (SR-IOV or another non-OVS binding): its copy binds only on a destination host that provides one (PCI passthrough, the SR-IOV NIC agent, a matching physical network), and its server's boot fails elsewhere`,
  ];
}

/** Pairs as `after` says them: a MAC only where the record has one (not the port's own). */
export function pairsAfter(pairs: readonly AddressPair[]): { ip_address: string; mac_address?: string }[] {
  return pairs.map((a) => (a.macAddress === undefined ? { ip_address: a.ipAddress } : { ip_address: a.ipAddress, mac_address: a.macAddress }));
}

/** DHCP options as `after` says them: `ip_version` only where the source tells it. */
export function dhcpOptsAfter(opts: readonly DhcpOption[]): { opt_name: string; opt_value: string; ip_version?: number }[] {
  return opts.map((o) => (o.ipVersion === undefined ? { opt_name: o.name, opt_value: o.value } : { opt_name: o.name, opt_value: o.value, ip_version: o.ipVersion }));
}

/**
 * What the copy of `p` may not get as planned. A destination Neutron without the extension
 * would refuse the attribute (400), or, worse, turn port security on for a port that had it
 * off and no groups (all its traffic dropped): plan errors, before anything is made. A pair
 * naming a MAC while MACs are not kept: a warning.
 */
function checkPortFeatures(ctx: PlanContext, p: Port, address: string, keepMacs: boolean): void {
  const has = ctx.dst.capabilities.neutron;
  const withMac = (p.allowedAddressPairs ?? []).filter((a) => a.macAddress !== undefined);
  if (!keepMacs && withMac.length > 0) {
    ctx.draft.warn(
      'an allowed address pair names a MAC, and with options.keep_fixed_ips off the migrated ports get new MACs: the pair may name a MAC no port has',
      address,
      pairsText(p),
    );
  }
  if (p.allowedAddressPairs && has && !has.allowedAddressPairs) {
    ctx.draft.error('the port has allowed address pairs and the destination Neutron has no allowed-address-pairs extension', address, pairsText(p));
  }
  if (p.extraDhcpOpts && has && !has.extraDhcpOpts) {
    const opts = p.extraDhcpOpts.map((o) => `${o.name}=${o.value}`).join(', ');
    ctx.draft.error('the port has extra DHCP options and the destination Neutron has no extra_dhcp_opt extension', address, `extra DHCP options: ${opts}`);
  }
  if (p.portSecurityEnabled === false && has && !has.portSecurity) {
    ctx.draft.error(
      'the port has port security off and the destination Neutron has no port-security extension',
      address,
      'enable the port_security extension driver of ML2 in the destination, or exclude the port\'s tenant',
    );
  }
}

function pairsText(p: Port): string {
  return `allowed address pairs: ${(p.allowedAddressPairs ?? []).map((a) => (a.macAddress ? `${a.ipAddress} (${a.macAddress})` : a.ipAddress)).join(', ')}`;
}
