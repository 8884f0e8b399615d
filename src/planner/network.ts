import { groupBy, type FloatingIp, type Network, type Router, type Subnet } from '../inventory/index.js';
import type { JsonScalar, Precondition, Reason } from '../plan/index.js';
import { sourceMatch, sourcePresent } from './facts.js';
import type { PlanContext, TenantScope } from './context.js';
import { decide } from './decide.js';
import { refTo, type Handle } from './draft.js';
import { describedAs } from './description.js';
import { chooseExternal, type ExternalChoice } from './external-network.js';
import { gatewayAddress } from './gateway-address.js';
import { all } from './indexes.js';
import { cidrContains } from './ipv4.js';
import { addr, child, seg, uniqueNames } from './names.js';

/** Where a network-level object lives: in a tenant, or global (shared FlatDHCP networks). */
interface Place {
  readonly tenant: TenantScope | null;
  /** Address prefix: `tenant[acme]` or '' for global objects. */
  readonly prefix: string;
}

/** Router id -> its destination external network (null: none could be chosen). */
export type RouterExternals = Map<string, ExternalChoice | null>;

/**
 * Networks, subnets, routers (gateway on the destination external network) and router
 * interfaces of the migrated tenants, plus the shared networks their servers use. Shared
 * networks that belong to nobody migrated are found in the destination by name.
 */
export function planNetworks(ctx: PlanContext): RouterExternals {
  const net = ctx.net;
  const used = usedNetworks(ctx);
  const places: { n: Network; place: Place }[] = [];
  for (const t of ctx.tenants) {
    for (const n of all(net.networksByProject, t.project.id)) {
      if (n.external) {
        ctx.draft.warn(`external network '${n.name}' of tenant '${t.project.name}' is not migrated; the destination's is used`);
        continue;
      }
      places.push({ n, place: { tenant: t, prefix: t.address } });
    }
  }
  for (const id of [...used].sort()) {
    const n = net.networksById.get(id);
    if (!n || (n.projectId !== '' && ctx.tenantByProject.has(n.projectId))) continue;
    if (net.translated && n.projectId === '') places.push({ n, place: { tenant: null, prefix: '' } });
    else findShared(ctx, n);
  }
  const networkNames = namesPerPlace(places, (n) => n.name || n.id);
  for (const { n, place } of places) planNetwork(ctx, n, place, networkNames.get(n.id)!);

  const subnetPlaces = places.flatMap(({ n, place }) => all(net.subnetsByNetwork, n.id).map((s) => ({ n: s, place })));
  const subnetNames = namesPerPlace(subnetPlaces, (s) => s.name || s.cidr);
  for (const { n: s, place } of subnetPlaces) planSubnet(ctx, s, place, subnetNames.get(s.id)!);

  const routerPlaces: { n: Router; place: Place }[] = [];
  for (const t of ctx.tenants) {
    for (const r of all(net.routersByProject, t.project.id)) routerPlaces.push({ n: r, place: { tenant: t, prefix: t.address } });
  }
  for (const r of all(net.routersByProject, '')) {
    if (r.interfaces.some((i) => used.has(i.subnetId))) routerPlaces.push({ n: r, place: { tenant: null, prefix: '' } });
  }
  const fipsByRouter = groupBy(allFips(ctx), (f) => f.routerId);
  const routerNames = namesPerPlace(routerPlaces, (r) => r.name || r.id);
  const externals: RouterExternals = new Map();
  for (const { n: r, place } of routerPlaces) {
    const addresses = all(fipsByRouter, r.id).map((f) => f.address);
    const name = routerNames.get(r.id)!;
    const address = place.prefix ? child(place.prefix, seg('router', name)) : addr(seg('router', name));
    const ext = r.gateway ? chooseExternal(ctx, addresses, address) : null;
    externals.set(r.id, ext);
    const routes = placeRoutes(ctx, r);
    const rh = planRouter(ctx, r, place, address, ext, routes.left);
    // The routes go with the last interface planned, after the others: Neutron takes a next
    // hop only on a subnet the router is plugged into, and one action writing the routes
    // never races another for the router's list.
    const last = r.interfaces.findLastIndex((i) => ctx.draft.get('subnet', i.subnetId) !== undefined);
    const plugged: Handle[] = [];
    r.interfaces.forEach((i, k) => {
      const carry = k === last && routes.carried.length > 0 ? { routes: routes.carried, after: plugged } : undefined;
      const h = planInterface(ctx, r, rh, i.subnetId, subnetNames.get(i.subnetId), place, address, carry);
      if (h) plugged.push(h);
    });
  }
  return externals;
}

function allFips(ctx: PlanContext): FloatingIp[] {
  return [...ctx.net.floatingIpsByProject.values()].flat();
}

/** Ids of source networks the migrated servers have ports on. */
function usedNetworks(ctx: PlanContext): Set<string> {
  const used = new Set<string>();
  // Each tenant's migrated servers in order: what iterating ctx.migratedServers gives.
  for (const t of ctx.tenants) for (const nics of t.nics) for (const p of nics) used.add(p.networkId);
  return used;
}

/** A shared network owned outside the migration: the destination must have one by that name. */
function findShared(ctx: PlanContext, n: Network): void {
  const address = addr(seg('network', n.name || n.id));
  const match = all(ctx.d.networksByName, n.name).filter((x) => x.shared || x.external);
  const found = match[0] ?? all(ctx.d.networksByName, n.name)[0];
  if (!found) {
    ctx.draft.error(
      `migrated servers use network '${n.name}', owned by a tenant that is not migrated, and the destination has no network of that name`,
      address,
      'migrate its tenant too, or create a shared network of that name in the destination',
    );
    return;
  }
  ctx.draft.existing('network', n.id, found.id, address);
  for (const s of all(ctx.net.subnetsByNetwork, n.id)) {
    const twin = all(ctx.d.subnetsByNetwork, found.id).find((x) => x.cidr === s.cidr);
    if (twin) ctx.draft.existing('subnet', s.id, twin.id, child(address, seg('subnet', s.name || s.cidr)));
  }
}

function namesPerPlace<T extends { readonly id: string }>(
  items: readonly { n: T; place: Place }[],
  name: (x: T) => string,
): Map<string, string> {
  const byPrefix = new Map<string, T[]>();
  for (const { n, place } of items) {
    const list = byPrefix.get(place.prefix) ?? [];
    list.push(n);
    byPrefix.set(place.prefix, list);
  }
  const out = new Map<string, string>();
  for (const list of byPrefix.values()) for (const [k, v] of uniqueNames(list, name, (x) => x.id)) out.set(k, v);
  return out;
}

function makeReason(ctx: PlanContext, what: string): Reason {
  return ctx.net.translated
    ? { code: 'translated_from_nova_network', text: `nova-network ${what} made as its Neutron equivalent` }
    : { code: 'missing_in_destination', text: 'not in the destination yet' };
}

/**
 * The source fact a network object is made from: the Neutron object, or the nova network it
 * is translated from (its CIDR pins it).
 */
function sourceFact(ctx: PlanContext, collection: string, id: string, fields: Record<string, JsonScalar>): Precondition {
  const nova = ctx.net.novaNetworks.get(id);
  if (nova) return sourceMatch('nova', 'networks', id, { cidr: nova.cidr });
  return Object.keys(fields).length > 0 ? sourceMatch('neutron', collection, id, fields) : sourcePresent('neutron', collection, id);
}

function at(place: Place, type: string, name: string): string {
  return place.prefix ? child(place.prefix, seg(type, name)) : addr(seg(type, name));
}

function planNetwork(ctx: PlanContext, n: Network, place: Place, name: string): void {
  const t = place.tenant;
  const dstProject = t?.handle?.destinationId ?? null;
  const same = dstProject ? all(ctx.d.networksByProject, dstProject).filter((x) => x.name === n.name) : [];
  const natural = same.length === 1 ? { id: same[0]!.id, why: `the destination project has a network '${n.name}'` } : null;
  const d = decide(ctx.memory.resolve('network', n.id), { make: 'create', natural, makeReason: makeReason(ctx, 'network') });
  const nova = ctx.net.novaNetworks.get(n.id);
  const described = describedAs(n, n.id, 'network');
  if (d.action === 'create' && n.portSecurityEnabled === false && ctx.dst.capabilities.neutron?.portSecurity === false) {
    ctx.draft.error(
      'the network has port security off and the destination Neutron has no port-security extension',
      at(place, 'network', name),
      'enable the port_security extension driver of ML2 in the destination, or exclude the network\'s tenant',
    );
  }
  ctx.draft.add(
    n.id,
    {
      address: at(place, 'network', name),
      kind: 'network',
      action: d.action,
      reason: d.reason,
      deps: [t?.handle],
      ...(t ? { tenant: t.name, scopedTo: t.address } : {}),
      source: { cloud: 'source', id: n.id, name: n.name },
      destination: { name: n.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: d.destinationId ? { name: ctx.d.networksById.get(d.destinationId)?.name ?? n.name } : null,
      after: {
        name: n.name,
        project_id: t ? refTo(t.handle) : null,
        shared: n.shared,
        admin_state_up: n.adminStateUp,
        mtu: n.mtu,
        // Only when the source tells (the port-security extension).
        ...(n.portSecurityEnabled !== undefined ? { port_security_enabled: n.portSecurityEnabled } : {}),
        ...described.after,
        ...(nova
          ? {
              translated_from: {
                manager: ctx.src.capabilities.novaNetworkManager ?? null,
                vlan: nova.vlan,
                bridge: nova.bridge,
                cidr: nova.cidr,
              },
            }
          : {}),
      },
      preconditions: d.action === 'create' ? [sourceFact(ctx, 'networks', n.id, { name: n.name })] : [],
      ...(d.action === 'create' && described.warnings.length > 0 ? { warnings: described.warnings } : {}),
    },
    d.destinationId,
  );
}

function planSubnet(ctx: PlanContext, s: Subnet, place: Place, name: string): void {
  const t = place.tenant;
  const nh = ctx.draft.get('network', s.networkId);
  const twin = nh?.destinationId ? all(ctx.d.subnetsByNetwork, nh.destinationId).find((x) => x.cidr === s.cidr) : undefined;
  const natural = twin ? { id: twin.id, why: `the destination network has a subnet ${s.cidr}` } : null;
  const d = decide(ctx.memory.resolve('subnet', s.id), { make: 'create', natural, makeReason: makeReason(ctx, 'subnet') });
  const described = describedAs(s, s.id, 'subnet');
  ctx.draft.add(
    s.id,
    {
      address: at(place, 'subnet', name),
      kind: 'subnet',
      action: d.action,
      reason: d.reason,
      deps: [nh],
      ...(t ? { tenant: t.name, scopedTo: t.address } : {}),
      source: { cloud: 'source', id: s.id, name: s.name },
      destination: { name: s.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: twin ? { name: twin.name, cidr: twin.cidr, gateway_ip: twin.gatewayIp } : null,
      after: {
        name: s.name,
        network_id: refTo(nh),
        project_id: t ? refTo(t.handle) : null,
        cidr: s.cidr,
        ip_version: s.ipVersion,
        gateway_ip: s.gatewayIp,
        enable_dhcp: s.enableDhcp,
        ...subnetLists(s),
        // Without them an IPv6 subnet's hosts get no addresses (no RA, no DHCPv6).
        ...(s.ipv6RaMode ? { ipv6_ra_mode: s.ipv6RaMode } : {}),
        ...(s.ipv6AddressMode ? { ipv6_address_mode: s.ipv6AddressMode } : {}),
        ...described.after,
      },
      preconditions: d.action === 'create' ? [sourceFact(ctx, 'subnets', s.id, { cidr: s.cidr })] : [],
      ...(d.action === 'create' && described.warnings.length > 0 ? { warnings: described.warnings } : {}),
    },
    d.destinationId,
  );
}

type StaticRoute = { destination: string; nexthop: string };

/**
 * A router's static routes split by where their next hop is: on a subnet one of its migrated
 * interfaces plugs (carried, with that interface) or not (left: a warning on the router). IPv6
 * next hops are left too (the containment test is IPv4 only).
 */
function placeRoutes(ctx: PlanContext, r: Router): { carried: StaticRoute[]; left: StaticRoute[] } {
  const cidrs: string[] = [];
  for (const i of r.interfaces) {
    const s = ctx.net.subnetsById.get(i.subnetId);
    if (s && ctx.draft.get('subnet', i.subnetId)) cidrs.push(s.cidr);
  }
  const carried: StaticRoute[] = [];
  const left: StaticRoute[] = [];
  for (const route of r.routes) (cidrs.some((c) => cidrContains(c, route.nexthop)) ? carried : left).push({ destination: route.destination, nexthop: route.nexthop });
  return { carried, left };
}

function planRouter(ctx: PlanContext, r: Router, place: Place, address: string, ext: ExternalChoice | null, unrouted: readonly StaticRoute[]): Handle {
  const t = place.tenant;
  const dstProject = t?.handle?.destinationId ?? null;
  const same = dstProject ? all(ctx.d.routersByProject, dstProject).filter((x) => x.name === r.name) : [];
  const natural = same.length === 1 ? { id: same[0]!.id, why: `the destination project has a router '${r.name}'` } : null;
  const d = decide(ctx.memory.resolve('router', r.id), { make: 'create', natural, makeReason: makeReason(ctx, 'router') });
  const described = describedAs(r, r.id, 'router');
  const warnings = [
    ...(unrouted.length > 0
      ? [`${unrouted.length} static route(s) with a next hop on no migrated interface's subnet are not migrated: ${unrouted.map((x) => `${x.destination} via ${x.nexthop}`).join(', ')}`]
      : []),
    ...(d.action === 'create' ? described.warnings : []),
  ];
  const pinned = ext && d.action === 'create' ? gatewayAddress(ctx, r, ext) : null;
  const modes = routerModes(ctx, r);
  if (d.action === 'create') warnings.push(...modes.warnings);
  return ctx.draft.add(
    r.id,
    {
      address,
      kind: 'router',
      action: d.action,
      reason: d.reason,
      deps: [t?.handle],
      ...(t ? { tenant: t.name, scopedTo: t.address } : {}),
      source: { cloud: 'source', id: r.id, name: r.name },
      destination: { name: r.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: same[0] ? { name: same[0].name, external_network_id: same[0].gateway?.networkId ?? null } : null,
      after: {
        name: r.name,
        project_id: t ? refTo(t.handle) : null,
        admin_state_up: r.adminStateUp,
        ...modes.after,
        ...described.after,
        external_gateway: ext
          ? {
              network_id: ext.network.id,
              network_name: ext.network.name,
              enable_snat: r.gateway?.enableSnat ?? null,
              ...(pinned ? { ip_address: pinned.ip, subnet_id: pinned.subnetId } : {}),
            }
          : null,
      },
      preconditions: d.action === 'create' ? [sourceFact(ctx, 'routers', r.id, {})] : [],
      warnings,
    },
    d.destinationId,
  );
}

function planInterface(
  ctx: PlanContext,
  r: Router,
  rh: Handle,
  subnetId: string,
  subnetName: string | undefined,
  place: Place,
  routerAddress: string,
  carry?: { readonly routes: readonly StaticRoute[]; readonly after: readonly Handle[] },
): Handle | undefined {
  const sh = ctx.draft.get('subnet', subnetId);
  const subnet = ctx.net.subnetsById.get(subnetId);
  const address = child(routerAddress, seg('interface', subnetName ?? subnet?.cidr ?? subnetId));
  if (!sh) {
    ctx.draft.warn(`router '${r.name}' has an interface on subnet ${subnetId}, which is not migrated; it is skipped`, address);
    return undefined;
  }
  const key = `${r.id}/${subnetId}`;
  const has =
    rh.destinationId && sh.destinationId
      ? ctx.memory.exists('router_interface', `${rh.destinationId}/${sh.destinationId}`)
      : false;
  const natural = has ? { id: `${rh.destinationId}/${sh.destinationId}`, why: 'the destination router already has it' } : null;
  const d = decide(ctx.memory.resolve('router_interface', key), { make: 'create', natural });
  const t = place.tenant;
  const routes = carry?.routes ?? [];
  const warnings =
    routes.length > 0 && !ctx.desired.options.keepFixedIps && d.action !== 'no-op'
      ? ['its static routes keep their next hops, and with options.keep_fixed_ips off the hosts at those addresses (a VPN or firewall VM) get new ones: check the routes after the cut-over']
      : undefined;
  return ctx.draft.add(
    key,
    {
      address,
      kind: 'router_interface',
      action: d.action,
      reason: d.reason,
      deps: [rh, sh, ...(carry?.after ?? [])],
      ...(t ? { tenant: t.name, scopedTo: t.address } : {}),
      source: { cloud: 'source', id: key, name: `${r.name}/${subnet?.name ?? subnetId}` },
      after: { router_id: refTo(rh), subnet_id: refTo(sh), ...(routes.length > 0 ? { routes: routes.map((x) => ({ destination: x.destination, nexthop: x.nexthop })) } : {}) },
      preconditions: d.action === 'create' ? [sourceFact(ctx, 'routers', r.id, {})] : [],
      ...(warnings ? { warnings } : {}),
    },
    d.destinationId,
  );
}

/** A subnet's lists as `after` says them (drift compares the destination's the same way). */
export function subnetLists(s: Subnet): { dns_nameservers: string[]; allocation_pools: { start: string; end: string }[]; host_routes: StaticRoute[] } {
  return {
    dns_nameservers: [...s.dnsNameservers],
    allocation_pools: s.allocationPools.map((p) => ({ start: p.start, end: p.end })),
    host_routes: s.hostRoutes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
  };
}

/**
 * An HA or distributed source router's copy is made HA or distributed too, where the
 * destination Neutron has the extension (without, Neutron refuses the attribute): a warning
 * says the copy is a legacy router then. Only true is carried: a legacy source router gets the
 * destination's defaults (a destination that makes routers HA by default keeps doing so).
 */
function routerModes(ctx: PlanContext, r: Router): { after: { ha?: true; distributed?: true }; warnings: string[] } {
  const has = ctx.dst.capabilities.neutron;
  const after: { ha?: true; distributed?: true } = {};
  const warnings: string[] = [];
  if (r.ha) {
    if (has?.l3Ha) after.ha = true;
    else warnings.push('it is an HA router (VRRP across network nodes) and the destination Neutron has no l3-ha extension: its copy is a legacy router, on one network node');
  }
  if (r.distributed) {
    if (has?.dvr) after.distributed = true;
    else warnings.push('it is a distributed (DVR) router and the destination Neutron has no dvr extension: its copy is centralized, so east-west traffic goes through a network node');
  }
  return { after, warnings };
}
