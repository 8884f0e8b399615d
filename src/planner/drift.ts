import type { JsonScalar, ResourceKind } from '../plan/index.js';
import type { PlanContext } from './context.js';

type Fields = Readonly<Record<string, JsonScalar>>;

/**
 * Drift: objects an earlier apply made or adopted (state `ready`) that vanished from the
 * destination, or whose recorded attributes no longer match it. Reported in `Plan.drift`,
 * never as actions (what to do about a vanished object is decided by the kind planners from
 * the source, as for any missing object). `changed` compares only the scalar attributes the
 * state recorded, under the plan's `after` key names (`name`, `cidr`, `size`...).
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
      .filter((k) => k in o.attributes && isScalar(o.attributes[k]) && o.attributes[k] !== now[k])
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
  'security_group_rule', 'network', 'subnet', 'router', 'router_interface', 'port', 'floating_ip', 'image',
  'volume', 'server',
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
    network: (id) => pick(d.networksById.get(id), (n) => ({ name: n.name, shared: n.shared })),
    subnet: (id) => pick(d.subnetsById.get(id), (s) => ({ name: s.name, cidr: s.cidr, gateway_ip: s.gatewayIp })),
    router: (id) => pick(routers.get(id), (r) => ({ name: r.name })),
    port: (id) => pick(ports.get(id), (p) => ({ name: p.name, mac_address: p.macAddress })),
    floating_ip: (id) => pick(fips.get(id), (f) => ({ floating_ip_address: f.address })),
    image: (id) => pick(d.imagesById.get(id), (i) => ({ name: i.name, checksum: i.checksum })),
    volume: (id) => pick(d.volumesById.get(id), (v) => ({ name: v.name, size: v.sizeGb })),
    server: (id) => pick(d.serversById.get(id), (s) => ({ name: s.name })),
  };
}

function pick<T>(record: T | undefined, f: (r: T) => Fields): Fields | undefined {
  return record === undefined ? undefined : f(record);
}

function isScalar(v: unknown): v is JsonScalar {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function fmt(v: unknown): string {
  return JSON.stringify(v) ?? 'undefined';
}
