import { badRequest, conflict } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import type { RouterRecord } from '../../store/types/network.js';
import {
  ADMIN_RW, bool, describedAttrs, invalidInput, list, ownerFor, readOnly, resourceBody, RW, tenantAttrs, text,
  type AttributeTable, type NeutronCall, type NeutronRoute,
} from './call.js';
import { renderContext, render } from './fields.js';
import { setGateway } from './gateway.js';
import { inCidr, parseCidrAny, parseIp } from './ip.js';
import { listReply } from './listing.js';
import { notFoundOf, ownerVisible, requireOwner, routerOf } from './lookup.js';
import { checkQuota } from './quotas.js';
import { routerFields } from './render.js';
import { interfacePortsOf } from './router-interfaces.js';
import { attrsOf, forget, touch } from './standard-attrs.js';

function attributes(c: NeutronCall): AttributeTable {
  const p = c.profile;
  return {
    ...readOnly('id', 'status'),
    name: RW,
    admin_state_up: RW,
    external_gateway_info: RW,
    // extraroute: routes are set by update only.
    routes: { post: false, put: true },
    ...(p.neutronRouterDvrHa ? { distributed: ADMIN_RW, ha: ADMIN_RW } : {}),
    ...tenantAttrs(p),
    ...describedAttrs(p),
    ...(p.neutronModernApi ? { availability_zone_hints: { post: true, put: false }, flavor_id: { post: true, put: false } } : {}),
  };
}

const reply = (c: NeutronCall, status: number, r: RouterRecord) => {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return json(status, { router: render(routerFields(ctx), r, ctx) });
};

function listRouters(c: NeutronCall): SimReply {
  const ctx = renderContext(c.store, c.profile, c.isAdmin);
  return listReply(c, {
    collection: 'routers', urlPath: '/v2.0/routers', rows: c.store.routers.values(), visible: (r) => ownerVisible(c, r), fields: routerFields(ctx), ctx,
    notFound: notFoundOf.router, exists: (id) => c.store.routers.has(id), tagsOf: (r) => attrsOf(c.store, 'routers', r.id, r.createdAt).tags,
  });
}

async function create(c: NeutronCall): Promise<SimReply> {
  const b = await resourceBody(c, 'router', attributes(c), 'create');
  const projectId = ownerFor(c, b);
  checkQuota(c, 'router', projectId);
  const r: RouterRecord = {
    id: c.store.ids.uuid(),
    name: b['name'] === undefined ? '' : text('name', b['name']),
    projectId,
    adminStateUp: b['admin_state_up'] === undefined ? true : bool('admin_state_up', b['admin_state_up']),
    status: 'ACTIVE',
    gateway: null,
    routes: [],
    distributed: b['distributed'] === undefined ? false : bool('distributed', b['distributed']),
    ha: b['ha'] === undefined ? false : bool('ha', b['ha']),
    description: b['description'] === undefined ? '' : text('description', b['description']),
    createdAt: c.store.now(),
  };
  // The gateway is checked (and its port made) before the router exists, as Neutron does.
  c.store.routers.insert(r);
  try {
    if (b['external_gateway_info'] !== undefined) setGateway(c, r, b['external_gateway_info']);
  } catch (err) {
    c.store.routers.delete(r.id);
    throw err;
  }
  return reply(c, 201, r);
}

/** Extra routes: each next hop must sit on a subnet the router has an interface on. */
function checkedRoutes(c: NeutronCall, r: RouterRecord, raw: unknown): RouterRecord['routes'] {
  const routes = raw === null ? [] : list('routes', raw);
  const cidrs = interfacePortsOf(c.store, r.id).flatMap((p) => p.fixedIps.map((f) => c.store.subnets.get(f.subnetId)?.cidr)).flatMap((x) => (x ? [parseCidrAny(x)] : []));
  return routes.map((item) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const destination = o['destination'];
    const nexthop = o['nexthop'];
    if (typeof destination !== 'string' || !parseCidrAny(destination) || typeof nexthop !== 'string' || !parseIp(nexthop)) throw invalidInput(`Invalid data format for hostroute: '${JSON.stringify(item)}'`);
    if (!cidrs.some((cidr) => cidr !== undefined && inCidr(cidr, nexthop))) {
      throw badRequest(`Invalid format for routes: ${JSON.stringify([item])}, the nexthop is not connected with router`, 'InvalidRoutes');
    }
    return { destination, nexthop };
  });
}

async function update(c: NeutronCall): Promise<SimReply> {
  const r = routerOf(c, c.req.params['id']);
  requireOwner(c, r, 'update_router');
  const b = await resourceBody(c, 'router', attributes(c), 'update');
  const routes = b['routes'] === undefined ? undefined : checkedRoutes(c, r, b['routes']);
  if (b['external_gateway_info'] !== undefined) setGateway(c, r, b['external_gateway_info']);
  if (routes) r.routes = routes;
  if (b['name'] !== undefined) r.name = text('name', b['name']);
  if (b['description'] !== undefined) r.description = text('description', b['description']);
  if (b['admin_state_up'] !== undefined) r.adminStateUp = bool('admin_state_up', b['admin_state_up']);
  if (b['distributed'] !== undefined) r.distributed = bool('distributed', b['distributed']);
  if (b['ha'] !== undefined) r.ha = bool('ha', b['ha']);
  touch(c.store, 'routers', r.id, r.createdAt);
  return reply(c, 200, r);
}

/** 409 `RouterInUse` while interfaces remain; the gateway (and its port) goes with the router. */
function remove(c: NeutronCall): SimReply {
  const r = routerOf(c, c.req.params['id']);
  requireOwner(c, r, 'delete_router');
  const ports = interfacePortsOf(c.store, r.id);
  if (ports.length > 0) {
    const msg = c.profile.neutronModernApi ? `Router ${r.id} has ports still attached: ${ports.map((p) => p.id).join(', ')}` : `Router ${r.id} still has ports`;
    throw conflict(msg, 'RouterInUse');
  }
  if (r.gateway) setGateway(c, r, null);
  c.store.routers.delete(r.id);
  forget(c.store, r.id);
  return empty(204);
}

export function routerRoutes(): NeutronRoute[] {
  return [
    { method: 'GET', path: '/routers', handler: listRouters },
    { method: 'POST', path: '/routers', handler: create },
    { method: 'GET', path: '/routers/{id}', handler: (c) => reply(c, 200, routerOf(c, c.req.params['id'])) },
    { method: 'PUT', path: '/routers/{id}', handler: update },
    { method: 'DELETE', path: '/routers/{id}', handler: remove },
  ];
}
