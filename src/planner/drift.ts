import stableStringify from 'json-stable-stringify';
import type { Port, Subnet } from '../inventory/index.js';
import type { JsonScalar, ResourceKind } from '../plan/index.js';
import type { PlanContext } from './context.js';
import { subnetLists } from './network.js';
import { dhcpOptsAfter, pairsAfter } from './port.js';

/** A list fact in the plan's `after` shape (pairs, DHCP options, pools...). */
type ListFact = readonly unknown[];
type Fields = Readonly<Record<string, JsonScalar | ListFact | undefined>>;

/**
 * Drift: objects an earlier apply made or adopted (state `ready`) that vanished from the
 * destination, or whose recorded attributes no longer match it. Reported in `Plan.drift`,
 * never as actions (what to do about a vanished object is decided by the kind planners from
 * the source, as for any missing object). `changed` compares the attributes the state
 * recorded, under the plan's `after` key names: scalars (`name`, `cidr`, `size`...) and the
 * lists plan/recorded-facts.ts names (a port's allowed address pairs...).
 */
export function detectDrift(ctx: PlanContext): void {
  const prior = ctx.input.prior;
  if (!prior) return;
  const read = readers(ctx);
  for (const o of prior.objects) {
    if (o.status !== 'ready' || o.destination_id === null) continue;
    const kind = o.kind as ResourceKind;
    if (!TRACKED.has(kind)) continue;
    if (!ctx.memory.exists(kind, o.destination_id)) {
      ctx.drift.push({
        address: o.address,
        kind,
        cloud: 'destination',
        change: 'deleted',
        text: `${o.destination_id} was deleted in the destination after pumphouse made it`,
      });
      continue;
    }
    const now = read[kind]?.(o.destination_id);
    if (!now) continue;
    const fields = Object.keys(now)
      .filter((k) => k in o.attributes && comparable(o.attributes[k]) && now[k] !== undefined && !same(k, o.attributes[k], now[k]))
      .sort();
    if (fields.length > 0) {
      ctx.drift.push({
        address: o.address,
        kind,
        cloud: 'destination',
        change: 'changed',
        fields,
        text: `changed in the destination since apply: ${fields.map((f) => `${f} ${fmt(o.attributes[f])} -> ${fmt(now[f])}`).join(', ')}`,
      });
    }
  }
  ctx.drift.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Kinds whose destination copy can be looked up (source-side and temporary kinds cannot). */
const TRACKED: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'project', 'user', 'role', 'role_assignment', 'flavor', 'flavor_access', 'keypair', 'security_group',
  'security_group_rule', 'network', 'subnet', 'router', 'router_interface', 'rbac_policy', 'port', 'floating_ip', 'image',
  'volume', 'server_group', 'server',
]);

function readers(ctx: PlanContext): Partial<Record<ResourceKind, (id: string) => Fields | undefined>> {
  const d = ctx.d;
  const fips = new Map(ctx.dst.floatingIps.map((f) => [f.id, f]));
  const routers = new Map(ctx.dst.routers.map((r) => [r.id, r]));
  const ports = new Map(ctx.dst.ports.map((p) => [p.id, p]));
  return {
    project: (id) => pick(d.projectsById.get(id), (p) => ({ name: p.name, description: p.description, enabled: p.enabled })),
    user: (id) => pick(d.usersById.get(id), (u) => ({ name: u.name, email: u.email, enabled: u.enabled })),
    flavor: (id) => pick(d.flavorsById.get(id), (f) => ({ name: f.name, vcpus: f.vcpus, ram: f.ramMb, disk: f.diskGb })),
    security_group: (id) => pick(d.securityGroupsById.get(id), (g) => ({ name: g.name })),
    network: (id) => pick(d.networksById.get(id), (n) => ({ name: n.name, shared: n.shared, port_security_enabled: n.portSecurityEnabled })),
    subnet: (id) => pick(d.subnetsById.get(id), subnetFacts),
    router: (id) => pick(routers.get(id), (r) => ({ name: r.name })),
    port: (id) => pick(ports.get(id), portFacts),
    floating_ip: (id) => pick(fips.get(id), (f) => ({ floating_ip_address: f.address })),
    image: (id) => pick(d.imagesById.get(id), (i) => ({ name: i.name, checksum: i.checksum, tags: i.tags ?? [] })),
    volume: (id) => pick(d.volumesById.get(id), (v) => ({ name: v.name, size: v.sizeGb })),
    server: (id) => pick(d.serversById.get(id), (s) => ({ name: s.name })),
  };
}

/** A port in the plan's `after` terms: a record without pairs or DHCP options has none ([]). */
function portFacts(p: Port): Fields {
  return {
    name: p.name,
    mac_address: p.macAddress,
    admin_state_up: p.adminStateUp,
    port_security_enabled: p.portSecurityEnabled,
    allowed_address_pairs: pairsAfter(p.allowedAddressPairs ?? []),
    extra_dhcp_opts: dhcpOptsAfter(p.extraDhcpOpts ?? []),
  };
}

function subnetFacts(s: Subnet): Fields {
  return {
    name: s.name,
    cidr: s.cidr,
    gateway_ip: s.gatewayIp,
    enable_dhcp: s.enableDhcp,
    ipv6_ra_mode: s.ipv6RaMode ?? undefined,
    ipv6_address_mode: s.ipv6AddressMode ?? undefined,
    ...subnetLists(s),
  };
}

/**
 * Lists Neutron and Glance keep as sets (they list them in no fixed order) are compared as sets; DNS
 * servers keep their order (it is the resolvers' order). A DHCP option the source did not
 * give a version (Havana-Juno) is IPv4, which newer clouds say.
 */
const SETS: ReadonlySet<string> = new Set(['allowed_address_pairs', 'extra_dhcp_opts', 'allocation_pools', 'host_routes', 'tags']);

function same(key: string, recorded: unknown, now: unknown): boolean {
  if (!Array.isArray(recorded) || !Array.isArray(now)) return recorded === now;
  if (recorded.length !== now.length) return false;
  const texts = (list: unknown[]) => {
    const out = list.map((x) => stableStringify(key === 'extra_dhcp_opts' && isObject(x) && x['ip_version'] === undefined ? { ...x, ip_version: 4 } : x) ?? '');
    return SETS.has(key) ? out.sort() : out;
  };
  const a = texts(recorded);
  const b = texts(now);
  return a.every((t, i) => t === b[i]);
}

/** What the state may hold that drift compares: scalars and lists (an object a step reported is not a fact drift knows). */
function comparable(v: unknown): boolean {
  return v === null || Array.isArray(v) || ['string', 'number', 'boolean'].includes(typeof v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function pick<T>(record: T | undefined, f: (r: T) => Fields): Fields | undefined {
  return record === undefined ? undefined : f(record);
}

function fmt(v: unknown): string {
  return JSON.stringify(v) ?? 'undefined';
}
