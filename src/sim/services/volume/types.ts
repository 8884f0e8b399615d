import { badRequest, conflict, forbidden, notFound } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { SimStore } from '../../store/store.js';
import type { VolumeTypeRecord } from '../../store/types/volume.js';
import { bodyOf, boolParam, str, type CinderCall, type CinderRoute } from './call.js';
import { typeView } from './render.js';

/** Projects given access to private types (Kilo+), beside the store (the type record has no such field). */
const ACCESS = new WeakMap<SimStore, Map<string, Set<string>>>();

function accessOf(store: SimStore, typeId: string): Set<string> {
  let byType = ACCESS.get(store);
  if (!byType) ACCESS.set(store, (byType = new Map()));
  let set = byType.get(typeId);
  if (!set) byType.set(typeId, (set = new Set()));
  return set;
}

/** Public types, and private ones the caller's project was given (admins see all). */
export function typeVisible(c: CinderCall, t: VolumeTypeRecord): boolean {
  return t.isPublic || c.isAdmin || accessOf(c.store, t.id).has(c.projectId);
}

function typeOf(c: CinderCall): VolumeTypeRecord {
  const id = c.req.params['id']!;
  const t = c.store.volumeTypes.get(id);
  if (!t || !typeVisible(c, t)) throw notFound(`Volume type ${id} could not be found.`);
  return t;
}

/**
 * `GET /types`: every type on legacy clouds; Kilo+ lists public types by default and an admin's
 * `is_public=None` adds the private ones (`is_public=false`: only those).
 */
function list(c: CinderCall): SimReply {
  let keep = (t: VolumeTypeRecord) => typeVisible(c, t);
  if (c.profile.cinderTypeAccess) {
    const raw = (c.req.query.get('is_public') ?? 'true').toLowerCase();
    if (c.isAdmin && raw === 'none') keep = () => true;
    else if (c.isAdmin && ['false', '0', 'no', 'f'].includes(raw)) keep = (t) => !t.isPublic;
    else keep = (t) => t.isPublic || accessOf(c.store, t.id).has(c.projectId);
  }
  return json(200, { volume_types: c.store.volumeTypes.filter(keep).map((t) => typeView(c, t)) });
}

/** `POST /types` (admin): 200; a taken name is a 409 `conflictingRequest`. */
async function create(c: CinderCall): Promise<SimReply> {
  const b = await bodyOf(c, 'volume_type');
  const name = str(b['name'])?.trim();
  if (!name || name.length > 255) throw badRequest('Invalid input received: Volume type name can not be empty.');
  if (c.store.volumeTypes.find((t) => t.name === name)) throw conflict(`Volume Type ${name} already exists.`);
  const access = c.profile.cinderTypeAccess;
  const pub = access && b['os-volume-type-access:is_public'] !== undefined ? boolParam(b['os-volume-type-access:is_public'], 'is_public') : true;
  const specs = b['extra_specs'];
  const t = c.store.volumeTypes.insert({
    id: c.store.ids.uuid(), name, description: access ? (str(b['description']) ?? null) : null, isPublic: pub,
    extraSpecs: typeof specs === 'object' && specs !== null ? Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, String(v)])) : {},
  });
  return json(200, { volume_type: typeView(c, t) });
}

/** `PUT /types/{id}` (admin, Kilo+): name, description, is_public. */
async function update(c: CinderCall): Promise<SimReply> {
  const t = typeOf(c);
  const b = await bodyOf(c, 'volume_type');
  const name = str(b['name']);
  if (name !== undefined && name !== t.name && c.store.volumeTypes.find((x) => x.name === name)) throw conflict(`Volume Type ${name} already exists.`);
  if (name !== undefined) t.name = name;
  if (b['description'] !== undefined) t.description = str(b['description']) ?? null;
  if (b['is_public'] !== undefined) t.isPublic = boolParam(b['is_public'], 'is_public');
  return json(200, { volume_type: typeView(c, t) });
}

/** `DELETE /types/{id}` (admin): 202; not while volumes use it, never the default type (Zed). */
function remove(c: CinderCall): SimReply {
  const t = typeOf(c);
  if (c.profile.cinderMaxMicroversion !== null && t.name === '__DEFAULT__') throw badRequest('Default volume type can not be deleted.');
  if (c.store.volumes.find((v) => v.volumeTypeId === t.id)) throw badRequest('Target volume type is still in use.');
  c.store.volumeTypes.delete(t.id);
  ACCESS.get(c.store)?.delete(t.id);
  return empty(202, { 'Content-Type': 'text/html; charset=UTF-8' });
}

function specsRoutes(): CinderRoute[] {
  return [
    { method: 'GET', path: '/types/{id}/extra_specs', handler: (c) => json(200, { extra_specs: { ...typeOf(c).extraSpecs } }) },
    {
      method: 'POST',
      path: '/types/{id}/extra_specs',
      auth: 'admin',
      handler: async (c) => {
        const t = typeOf(c);
        const b = await c.req.json<Record<string, unknown>>();
        const specs = b['extra_specs'];
        if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) throw badRequest("Missing required element 'extra_specs' in request body.");
        const given = Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, String(v)]));
        Object.assign(t.extraSpecs, given);
        return json(200, { extra_specs: given });
      },
    },
    {
      method: 'GET',
      path: '/types/{id}/extra_specs/{key}',
      handler: (c) => {
        const t = typeOf(c);
        const k = c.req.params['key']!;
        if (!(k in t.extraSpecs)) throw notFound(`Volume Type ${t.id} has no extra specs with key ${k}.`);
        return json(200, { [k]: t.extraSpecs[k] });
      },
    },
    {
      method: 'PUT',
      path: '/types/{id}/extra_specs/{key}',
      auth: 'admin',
      handler: async (c) => {
        const t = typeOf(c);
        const k = c.req.params['key']!;
        const b = await c.req.json<Record<string, unknown>>();
        if (!(k in b) || Object.keys(b).length > 1) throw badRequest('Request body and URI mismatch');
        t.extraSpecs[k] = String(b[k]);
        return json(200, { [k]: t.extraSpecs[k] });
      },
    },
    {
      method: 'DELETE',
      path: '/types/{id}/extra_specs/{key}',
      auth: 'admin',
      handler: (c) => {
        const t = typeOf(c);
        const k = c.req.params['key']!;
        if (!(k in t.extraSpecs)) throw notFound(`Volume Type ${t.id} has no extra specs with key ${k}.`);
        delete t.extraSpecs[k];
        return empty(202, { 'Content-Type': 'text/html; charset=UTF-8' });
      },
    },
  ];
}

/** Private type access (Kilo+): list, and the add/removeProjectAccess actions. */
function accessRoutes(): CinderRoute[] {
  return [
    {
      method: 'GET',
      path: '/types/{id}/os-volume-type-access',
      auth: 'admin',
      handler: (c) => {
        const t = typeOf(c);
        if (t.isPublic) throw notFound(`Volume type access not found for ${t.id} / public type.`);
        return json(200, { volume_type_access: [...accessOf(c.store, t.id)].map((p) => ({ volume_type_id: t.id, project_id: p })) });
      },
    },
    {
      method: 'POST',
      path: '/types/{id}/action',
      auth: 'admin',
      handler: async (c) => {
        const t = typeOf(c);
        const b = await c.req.json<Record<string, Record<string, unknown> | undefined>>();
        const add = b['addProjectAccess'];
        const del = b['removeProjectAccess'];
        const project = str((add ?? del)?.['project']);
        if (!project) throw badRequest('Missing required element: project');
        if (t.isPublic) throw badRequest('Invalid volume type: Type access modification is not applicable to public volume type.');
        const set = accessOf(c.store, t.id);
        if (add) {
          if (set.has(project)) throw conflict(`Volume type access for ${t.id} / ${project} combination already exists.`);
          set.add(project);
        } else {
          if (!set.delete(project)) throw notFound(`Volume type access not found for ${t.id} / ${project} combination.`);
        }
        return empty(202, { 'Content-Type': 'text/html; charset=UTF-8' });
      },
    },
  ];
}

export function typeRoutes(p: { readonly cinderTypeAccess: boolean }): CinderRoute[] {
  const write = (handler: CinderRoute['handler']) => (c: CinderCall) => {
    if (!c.isAdmin) throw forbidden('Policy does not allow this operation to be performed.');
    return handler(c);
  };
  return [
    { method: 'GET', path: '/types', handler: list },
    { method: 'POST', path: '/types', auth: 'admin', handler: create },
    ...specsRoutes(),
    ...(p.cinderTypeAccess ? accessRoutes() : []),
    { method: 'GET', path: '/types/{id}', handler: (c) => json(200, { volume_type: typeView(c, typeOf(c)) }) },
    ...(p.cinderTypeAccess ? [{ method: 'PUT' as const, path: '/types/{id}', handler: write(update) }] : []),
    { method: 'DELETE', path: '/types/{id}', auth: 'admin', handler: remove },
  ];
}
