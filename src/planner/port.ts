import type { Port, Server } from '../inventory/index.js';
import type { AttributeValue, Precondition } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { describedAs } from './description.js';
import { refTo, type Handle } from './draft.js';
import { destinationAbsent, sourceMatch } from './facts.js';
import { all } from './indexes.js';
import { child, seg, uniqueNames } from './names.js';

/**
 * One destination port per NIC of every migrated server, made before the server so that it
 * boots on exactly these ports: with the source fixed IPs and MAC when options.keep_fixed_ips,
 * and with the server's security groups (Nova ignores groups for servers booted on ports).
 */
export function planPorts(ctx: PlanContext): void {
  for (const t of ctx.tenants) {
    const servers = t.servers.filter((sv) => ctx.migratedServers.has(sv.id));
    const entries: { sv: Server; p: Port }[] = [];
    for (const sv of servers) for (const p of all(ctx.net.portsByServer, sv.id)) entries.push({ sv, p });
    const names = uniqueNames(entries, (e) => `${e.sv.name}/${e.p.fixedIps[0]?.ipAddress ?? e.p.macAddress}`, (e) => e.p.id);
    for (const e of entries) planPort(ctx, t, e.sv, e.p, child(t.address, seg('port', names.get(e.p.id)!)));
  }
  for (const u of ctx.net.unplaced) {
    if (!ctx.migratedServers.has(u.serverId)) continue;
    const sv = ctx.s.serversById.get(u.serverId);
    ctx.draft.warn(`server '${sv?.name ?? u.serverId}' has address ${u.address} on no known nova network; that NIC is not migrated`);
    ctx.draft.skipped++;
  }
}

function planPort(ctx: PlanContext, t: TenantScope, sv: Server, p: Port, address: string): void {
  const nh = ctx.draft.get('network', p.networkId);
  if (!nh) {
    ctx.draft.warn(`server '${sv.name}' has a port on network ${p.networkId}, which is not migrated; that NIC is skipped`, address);
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
  ctx.draft.add(
    p.id,
    {
      address,
      kind: 'port',
      action: d.action,
      reason: d.reason,
      deps: [t.handle, nh, ...subnets, ...groups],
      tenant: t.name,
      scopedTo: t.address,
      ...(sv.host ? { host: sv.host } : {}),
      source: { cloud: 'source', id: p.id, name: p.name },
      destination: { name: p.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      after: {
        name: p.name,
        network_id: refTo(nh),
        project_id: refTo(t.handle),
        mac_address: keep && p.macAddress ? p.macAddress : null,
        fixed_ips: fixedIps,
        security_groups: groups.map((g) => refTo(g)),
        admin_state_up: p.adminStateUp,
        ...described.after,
        server: sv.id,
      },
      preconditions,
      ...(d.action === 'create' && described.warnings.length > 0 ? { warnings: described.warnings } : {}),
    },
    d.destinationId,
  );
}
