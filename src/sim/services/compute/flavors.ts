import { badRequest, conflict, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import { nextHref } from '../../http/pagination.js';
import type { FlavorRecord } from '../../store/types/compute.js';
import { bodyOf, requireAdmin, str, truthy, type NovaCall, type NovaRoute } from './context.js';
import { flavorVisible } from './lookup.js';
import { links } from './render-server.js';
import { limitOf } from './server-list.js';

/** The flavor view (legacy-apis.md §2.3): `swap` is "" when 0 (an integer from 2.75); 2.55 adds description, 2.61 extra_specs. */
function flavorView(c: NovaCall, f: FlavorRecord, detail = true): Record<string, unknown> {
  if (!detail) return { id: f.id, name: f.name, links: links(c, 'flavors', f.id), ...(c.mv >= 55 ? { description: f.description } : {}) };
  return {
    id: f.id,
    name: f.name,
    ram: f.ram,
    disk: f.disk,
    swap: f.swap === 0 && c.mv < 75 ? '' : f.swap,
    vcpus: f.vcpus,
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral,
    'OS-FLV-DISABLED:disabled': f.disabled,
    'os-flavor-access:is_public': f.isPublic,
    rxtx_factor: f.rxtxFactor,
    links: links(c, 'flavors', f.id),
    ...(c.mv >= 55 ? { description: f.description } : {}),
    ...(c.mv >= 61 ? { extra_specs: { ...f.extraSpecs } } : {}),
  };
}

function flavorOf(c: NovaCall, id: string | undefined): FlavorRecord {
  const f = id === undefined ? undefined : c.store.flavors.get(id);
  if (!f || !flavorVisible(c, f)) throw notFound(`Flavor ${id} could not be found.`);
  return f;
}

/**
 * `GET /flavors[/detail]`: public flavors plus the private ones granted to the project; an
 * admin's `is_public=None` (or `none`) lists all, `is_public=false` the private ones. Sorted by
 * flavor id; `minRam`, `minDisk`, `limit`, `marker` (400 when unknown), `flavors_links`.
 */
function listFlavors(detail: boolean) {
  return (c: NovaCall): SimReply => {
    const q = c.req.query;
    const admin = c.auth.isAdmin;
    const raw = q.get('is_public');
    let isPublic: boolean | null = true;
    if (admin && raw !== null) isPublic = raw.toLowerCase() === 'none' ? null : truthy(raw);
    const minRam = Number(q.get('minRam') ?? 0) || 0;
    const minDisk = Number(q.get('minDisk') ?? 0) || 0;
    const all = [...c.store.flavors.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const visible = all.filter((f) => {
      if (f.ram < minRam || f.disk < minDisk) return false;
      if (isPublic === null) return true;
      if (isPublic) return f.isPublic || f.access.includes(c.projectId);
      return !f.isPublic;
    });
    const limit = limitOf(q.get('limit'));
    const marker = q.get('marker');
    let start = 0;
    if (marker !== null && marker !== '') {
      const i = visible.findIndex((f) => f.id === marker);
      if (i < 0) throw badRequest(`marker [${marker}] not found`);
      start = i + 1;
    }
    const page = visible.slice(start, start + limit);
    const body: Record<string, unknown> = { flavors: page.map((f) => flavorView(c, f, detail)) };
    const last = page.at(-1);
    if (page.length === limit && last) body['flavors_links'] = [{ rel: 'next', href: nextHref(`${c.apiUrl}/flavors${detail ? '/detail' : ''}`, q, last.id) }];
    return json(200, body);
  };
}

async function createFlavor(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-flavor-manage:create');
  const b = await bodyOf(c, 'flavor');
  const name = str(b['name'])?.trim();
  const num = (key: string, dflt?: number): number => {
    const v = b[key] ?? dflt;
    const n = typeof v === 'string' && v !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw badRequest(`Invalid input received: ${key} must be a non-negative integer.`);
    return n;
  };
  if (!name) throw badRequest('Invalid input received: name is required.');
  const ram = num('ram');
  const vcpus = num('vcpus');
  const disk = num('disk');
  if (ram < 1 || vcpus < 1) throw badRequest('Invalid input received: ram and vcpus must be at least 1.');
  const swap = num('swap', 0);
  const ephemeral = num('OS-FLV-EXT-DATA:ephemeral', 0);
  const rxtx = Number(b['rxtx_factor'] ?? 1);
  if (!(rxtx > 0)) throw badRequest('Invalid input received: rxtx_factor must be positive.');
  const given = b['id'];
  const id = given === undefined || given === null || given === '' ? c.store.ids.uuid() : String(given);
  if (c.store.flavors.has(id)) throw conflict(`Flavor with ID ${id} already exists.`);
  if (c.store.flavors.find((f) => f.name === name)) throw conflict(`Flavor with name ${name} already exists.`);
  const isPublic = b['os-flavor-access:is_public'] === undefined ? true : truthy(b['os-flavor-access:is_public']);
  const f = c.store.flavors.insert({
    id, name, ram, vcpus, disk, swap, ephemeral, rxtxFactor: rxtx, isPublic, disabled: false, description: c.mv >= 55 ? (str(b['description']) ?? null) : null, extraSpecs: {}, access: [],
  });
  return json(200, { flavor: flavorView(c, f) });
}

function deleteFlavor(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-flavor-manage:delete');
  const id = c.req.params['id']!;
  if (!c.store.flavors.delete(id)) throw notFound(`Flavor ${id} could not be found.`);
  return empty(202);
}

function accessList(c: NovaCall, f: FlavorRecord): SimReply {
  return json(200, { flavor_access: f.access.map((t) => ({ flavor_id: f.id, tenant_id: t })) });
}

function showAccess(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-flavor-access');
  const f = flavorOf(c, c.req.params['id']);
  if (f.isPublic) throw notFound('Access list not available for public flavors.');
  return accessList(c, f);
}

async function flavorAction(c: NovaCall): Promise<SimReply> {
  const f = flavorOf(c, c.req.params['id']);
  const body = await c.req.json<Record<string, unknown>>();
  const add = body['addTenantAccess'] as Record<string, unknown> | undefined;
  const remove = body['removeTenantAccess'] as Record<string, unknown> | undefined;
  if (add !== undefined) {
    requireAdmin(c, 'os_compute_api:os-flavor-access:add_tenant_access');
    const tenant = str(add?.['tenant']);
    if (!tenant) throw badRequest('Missing tenant parameter');
    if (f.isPublic) throw conflict('Can not add access to a public flavor.');
    if (f.access.includes(tenant)) throw conflict(`Flavor access already exists for flavor ${f.id} and project ${tenant} combination.`);
    f.access.push(tenant);
    return accessList(c, f);
  }
  if (remove !== undefined) {
    requireAdmin(c, 'os_compute_api:os-flavor-access:remove_tenant_access');
    const tenant = str(remove?.['tenant']);
    if (!tenant) throw badRequest('Missing tenant parameter');
    if (!f.access.includes(tenant)) throw notFound(`Flavor access not found for ${f.id} / ${tenant} combination.`);
    f.access = f.access.filter((t) => t !== tenant);
    return accessList(c, f);
  }
  throw badRequest(`There is no such action: ${Object.keys(body).join(', ')}`);
}

function specsOf(b: Record<string, unknown>, key: string): Record<string, string> {
  const specs = b[key];
  if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) throw badRequest(`Invalid input for field/attribute ${key}.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(specs as Record<string, unknown>)) {
    if (k === '' || k.length > 255) throw badRequest('Invalid extra_specs key');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw badRequest(`Invalid input for field/attribute ${k}: value must be a string.`);
    out[k] = String(v);
  }
  return out;
}

async function setSpecs(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-flavor-extra-specs:create');
  const f = flavorOf(c, c.req.params['id']);
  const specs = specsOf(await c.req.json(), 'extra_specs');
  Object.assign(f.extraSpecs, specs);
  return json(200, { extra_specs: specs });
}

async function putSpec(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-flavor-extra-specs:update');
  const f = flavorOf(c, c.req.params['id']);
  const key = c.req.params['key']!;
  const body = await c.req.json<Record<string, unknown>>();
  if (Object.keys(body).length !== 1 || !(key in body)) throw badRequest('Request body and URI mismatch');
  const spec = specsOf({ spec: body }, 'spec');
  f.extraSpecs[key] = spec[key]!;
  return json(200, spec);
}

function showSpec(c: NovaCall): SimReply {
  const f = flavorOf(c, c.req.params['id']);
  const key = c.req.params['key']!;
  const v = f.extraSpecs[key];
  if (v === undefined) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
  return json(200, { [key]: v });
}

function deleteSpec(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-flavor-extra-specs:delete');
  const f = flavorOf(c, c.req.params['id']);
  const key = c.req.params['key']!;
  if (!(key in f.extraSpecs)) throw notFound(`Flavor ${f.id} has no extra specs with key ${key}.`);
  delete f.extraSpecs[key];
  return empty(200);
}

/** Flavors, os-flavor-access and os-extra_specs (legacy-apis.md §2.3). */
export function flavorRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/flavors', auth: 'token', handler: listFlavors(false) },
    { method: 'GET', path: '/flavors/detail', auth: 'token', handler: listFlavors(true) },
    { method: 'POST', path: '/flavors', auth: 'token', handler: createFlavor },
    { method: 'GET', path: '/flavors/{id}', auth: 'token', handler: (c) => json(200, { flavor: flavorView(c, flavorOf(c, c.req.params['id'])) }) },
    { method: 'DELETE', path: '/flavors/{id}', auth: 'token', handler: deleteFlavor },
    { method: 'GET', path: '/flavors/{id}/os-flavor-access', auth: 'token', handler: showAccess },
    { method: 'POST', path: '/flavors/{id}/action', auth: 'token', handler: flavorAction },
    { method: 'GET', path: '/flavors/{id}/os-extra_specs', auth: 'token', handler: (c) => json(200, { extra_specs: { ...flavorOf(c, c.req.params['id']).extraSpecs } }) },
    { method: 'POST', path: '/flavors/{id}/os-extra_specs', auth: 'token', handler: setSpecs },
    { method: 'GET', path: '/flavors/{id}/os-extra_specs/{key}', auth: 'token', handler: showSpec },
    { method: 'PUT', path: '/flavors/{id}/os-extra_specs/{key}', auth: 'token', handler: putSpec },
    { method: 'DELETE', path: '/flavors/{id}/os-extra_specs/{key}', auth: 'token', handler: deleteSpec },
  ];
}
