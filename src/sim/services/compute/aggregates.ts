import { badRequest, conflict, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { AggregateRecord } from '../../store/types/compute.js';
import { bodyOf, requireAdmin, str, type NovaCall, type NovaRoute } from './context.js';
import { computeServiceOf } from './scheduler.js';

const RULE = 'os_compute_api:os-aggregates:index';

function view(c: NovaCall, a: AggregateRecord): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    availability_zone: a.availabilityZone,
    hosts: [...a.hosts],
    metadata: { ...a.metadata, ...(a.availabilityZone ? { availability_zone: a.availabilityZone } : {}) },
    created_at: a.createdAt.replace('Z', '.000000'),
    updated_at: null,
    deleted_at: null,
    deleted: false,
    ...(c.mv >= 41 ? { uuid: a.uuid } : {}),
  };
}

function aggregateOf(c: NovaCall): AggregateRecord {
  const id = c.req.params['id']!;
  const a = c.store.aggregates.get(Number(id));
  if (!a) throw notFound(`Aggregate ${id} could not be found.`);
  return a;
}

/** A host's zone is its aggregate's availability zone, `nova` (Nova's default zone) otherwise. */
function rezone(c: NovaCall, hosts: readonly string[]): void {
  for (const host of hosts) {
    const svc = computeServiceOf(c.store, host);
    if (!svc) continue;
    const agg = [...c.store.aggregates.values()].find((a) => a.availabilityZone && a.hosts.includes(host));
    svc.zone = agg?.availabilityZone ?? 'nova';
    c.store.availabilityZones.add(svc.zone);
  }
}

async function create(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-aggregates:create');
  const b = await bodyOf(c, 'aggregate');
  const name = str(b['name'])?.trim();
  if (!name) throw badRequest("Invalid input for field/attribute name. Value: None. None is not of type 'string'");
  if (c.store.aggregates.find((a) => a.name === name)) throw conflict(`Aggregate ${name} already exists.`);
  const a = c.store.aggregates.insert({
    id: c.store.ids.next('aggregate'), uuid: c.store.ids.uuid(), name, availabilityZone: str(b['availability_zone']) || null, hosts: [], metadata: {}, createdAt: c.store.now(),
  });
  return json(200, { aggregate: view(c, a) });
}

async function update(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-aggregates:update');
  const a = aggregateOf(c);
  const b = await bodyOf(c, 'aggregate');
  const name = str(b['name']);
  if (name !== undefined) {
    if (c.store.aggregates.find((x) => x.name === name && x.id !== a.id)) throw conflict(`Aggregate ${name} already exists.`);
    a.name = name;
  }
  if ('availability_zone' in b) {
    a.availabilityZone = str(b['availability_zone']) || null;
    rezone(c, a.hosts);
  }
  return json(200, { aggregate: view(c, a) });
}

function remove(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-aggregates:delete');
  const a = aggregateOf(c);
  if (a.hosts.length > 0) throw badRequest(`Cannot perform action 'delete' on aggregate ${a.id}. Reason: Host aggregate is not empty.`);
  c.store.aggregates.delete(a.id);
  return empty(200);
}

/** `add_host`, `remove_host`, `set_metadata` (a null value removes a key; `availability_zone` moves the hosts). */
async function action(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-aggregates:add_host');
  const a = aggregateOf(c);
  const body = await c.req.json<Record<string, unknown>>();
  const arg = (key: string) => (body[key] ?? {}) as Record<string, unknown>;
  if ('add_host' in body) {
    const host = str(arg('add_host')['host']) ?? '';
    if (!computeServiceOf(c.store, host)) throw notFound(`Compute host ${host} could not be found.`);
    if (a.hosts.includes(host)) throw conflict(`Aggregate ${a.id} already has host ${host}.`);
    a.hosts.push(host);
    rezone(c, [host]);
  } else if ('remove_host' in body) {
    const host = str(arg('remove_host')['host']) ?? '';
    if (!a.hosts.includes(host)) throw notFound(`Cannot remove host ${host} in aggregate ${a.id}`);
    a.hosts = a.hosts.filter((h) => h !== host);
    rezone(c, [host]);
  } else if ('set_metadata' in body) {
    const meta = arg('set_metadata')['metadata'];
    if (typeof meta !== 'object' || meta === null) throw badRequest('Invalid input for field/attribute metadata.');
    for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
      if (k === 'availability_zone') {
        a.availabilityZone = v === null ? null : String(v);
        continue;
      }
      if (v === null) delete a.metadata[k];
      else a.metadata[k] = String(v);
    }
    rezone(c, a.hosts);
  } else {
    throw badRequest(`There is no such action: ${Object.keys(body).join(', ')}`);
  }
  return json(200, { aggregate: view(c, a) });
}

/** os-aggregates (admin; legacy-apis.md §2.6): host aggregates and the availability zones they give hosts. */
export function aggregateRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-aggregates', auth: 'token', handler: (c) => (requireAdmin(c, RULE), json(200, { aggregates: [...c.store.aggregates.values()].map((a) => view(c, a)) })) },
    { method: 'POST', path: '/os-aggregates', auth: 'token', handler: create },
    { method: 'GET', path: '/os-aggregates/{id}', auth: 'token', handler: (c) => (requireAdmin(c, RULE), json(200, { aggregate: view(c, aggregateOf(c)) })) },
    { method: 'PUT', path: '/os-aggregates/{id}', auth: 'token', handler: update },
    { method: 'DELETE', path: '/os-aggregates/{id}', auth: 'token', handler: remove },
    { method: 'POST', path: '/os-aggregates/{id}/action', auth: 'token', handler: action },
  ];
}
