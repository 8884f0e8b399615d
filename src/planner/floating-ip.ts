import type { FloatingIp } from '../inventory/index.js';
import type { Precondition } from '../plan/index.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { describedAs } from './description.js';
import { refTo } from './draft.js';
import { chooseExternal, holds, type ExternalChoice } from './external-network.js';
import { destinationAbsent, sourceMatch } from './facts.js';
import { all } from './indexes.js';
import type { RouterExternals } from './network.js';
import { child, seg } from './names.js';
import { plannedSparePort } from './port.js';
import { byCodeUnits } from '../json/code-unit-order.js';

/**
 * Floating IPs of the migrated tenants (those on migrated servers' ports, and unassociated
 * ones the tenant holds). The source address is kept only when the destination external
 * network's subnets contain it (and options.keep_floating_ips, and Neutron can be asked for
 * an address, and nobody else holds it there); otherwise the plan says the address changes,
 * with one warning diagnostic per address (DESIGN.md §8). Each runs after the router gateway
 * and the router interface on its port's subnet, which association needs.
 */
export function planFloatingIps(ctx: PlanContext, externals: RouterExternals): void {
  for (const t of ctx.tenants) {
    const fips = [...all(ctx.net.floatingIpsByProject, t.project.id)].sort((a, b) => byCodeUnits(a.address, b.address));
    for (const f of fips) planFloatingIp(ctx, t, f, externals);
  }
}

function planFloatingIp(ctx: PlanContext, t: TenantScope, f: FloatingIp, externals: RouterExternals): void {
  const address = child(t.address, seg('floating_ip', f.address));
  let port = f.portId ? ctx.net.portsById.get(f.portId) : undefined;
  if (port && !ctx.migratedServers.has(port.deviceId)) return; // goes with its server
  if (!port && f.serverId && !ctx.migratedServers.has(f.serverId)) return;
  if (f.portId && !port) {
    // A port no device holds (a keepalived VIP) is planned by planPorts: the address follows it.
    port = plannedSparePort(ctx, f.portId);
    if (!port) {
      ctx.draft.warn(`floating IP ${f.address} is bound to port ${f.portId}, not a migrated server NIC; it is skipped`, address);
      ctx.draft.skipped++;
      return;
    }
  }
  const ph = port ? ctx.draft.get('port', port.id) : undefined;
  const subnetId = port ? (port.fixedIps.find((i) => i.ipAddress === f.fixedIpAddress) ?? port.fixedIps[0])?.subnetId : undefined;
  // Old Neutron may omit router_id: the router is the one on the port's subnet.
  const routerId = f.routerId ?? (subnetId ? (ctx.net.routerBySubnet.get(subnetId)?.id ?? null) : null);
  const rh = routerId ? ctx.draft.get('router', routerId) : undefined;
  const ih = routerId && subnetId ? ctx.draft.get('router_interface', `${routerId}/${subnetId}`) : undefined;
  const ext = (routerId && rh ? externals.get(routerId) : undefined) ?? chooseExternal(ctx, [f.address], address);
  if (!ext) {
    ctx.draft.skipped++;
    return;
  }
  const why = whyChanged(ctx, f, ext);
  const kept = why === null;
  const d = decide(ctx.memory.resolve('floating_ip', f.id), { make: 'create' });
  const described = describedAs(f, f.id, 'floating_ip');
  const warnings: string[] = d.action === 'create' ? [...described.warnings] : [];
  if (!kept && d.action !== 'no-op' && d.action !== 'adopt') {
    warnings.push(`the address changes: ${why}`);
    if (ctx.desired.options.keepFloatingIps) {
      ctx.draft.warn(`floating IP ${f.address} will get a new address in the destination`, address, why);
    }
  }
  const preconditions: Precondition[] = [
    ctx.net.translated
      ? sourceMatch('nova', 'floating_ips_bulk', f.address, { serverId: f.serverId })
      : sourceMatch('neutron', 'floatingips', f.id, { address: f.address, portId: f.portId }),
  ];
  if (kept && d.action === 'create' && d.reason.code !== 'tainted_in_state') {
    preconditions.push(destinationAbsent('neutron', 'floatingips', 'floating_ip_address', f.address));
  }
  ctx.draft.add(
    f.id,
    {
      address,
      kind: 'floating_ip',
      action: d.action,
      reason: d.reason,
      deps: [t.handle, ph, rh, ih],
      tenant: t.name,
      scopedTo: t.address,
      source: { cloud: 'source', id: f.id, name: f.address },
      destination: { name: kept ? f.address : '(new address)', ...(d.destinationId ? { id: d.destinationId } : {}) },
      after: {
        floating_network_id: ext.network.id,
        floating_network_name: ext.network.name,
        floating_ip_address: kept ? f.address : null,
        source_address: f.address,
        keeps_address: kept,
        port_id: ph ? refTo(ph) : null,
        fixed_ip_address: ctx.desired.options.keepFixedIps ? f.fixedIpAddress : null,
        project_id: refTo(t.handle),
        ...described.after,
      },
      preconditions,
      ...(ph ? {} : { steps: ['allocate'] }),
      warnings,
    },
    d.destinationId,
  );
}

/** Why the source address cannot be kept, or null when it can. */
function whyChanged(ctx: PlanContext, f: FloatingIp, ext: ExternalChoice): string | null {
  if (!ctx.desired.options.keepFloatingIps) return 'options.keep_floating_ips is false';
  if (ctx.dst.capabilities.floatingIpAddressOnCreate === false) {
    return 'the destination Neutron cannot be asked for a specific address';
  }
  if (!holds(ext, f.address)) {
    const ranges = ext.cidrs.length > 0 ? ext.cidrs.join(', ') : 'no subnets';
    return `${f.address} is outside the destination external network '${ext.network.name}' (${ranges})`;
  }
  const there = ctx.d.floatingIpsByAddress.get(f.address);
  if (there && there.marker?.sourceId !== f.id) return `${f.address} is already allocated in the destination`;
  return null;
}
