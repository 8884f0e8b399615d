import { badRequest, conflict, notFound, SimHttpError } from '../../http/errors.js';
import { empty, json, type SimReply } from '../../http/reply.js';
import { serviceState } from '../../store/hosts.js';
import type { SimStore } from '../../store/store.js';
import type { ComputeServiceRecord } from '../../store/types/compute.js';
import { requireAdmin, str, type NovaCall, type NovaRoute } from './context.js';

const RULE = 'os_compute_api:os-services:list';
const INTERNAL = 'internal';

/**
 * The controller's services a real cloud lists besides nova-compute (scheduler, conductor;
 * nova-network on nova-network clouds), added once per store so they get ids like the rest.
 * (Legacy clouds also ran nova-cert and nova-consoleauth; nothing the tool reads depends on them.)
 */
export function addControllerServices(store: SimStore, cloudName: string): void {
  if (store.computeServices.find((s) => s.binary !== 'nova-compute')) return;
  const binaries = ['nova-scheduler', 'nova-conductor'];
  if (!store.profile.neutron) binaries.push('nova-network');
  for (const binary of binaries) {
    store.computeServices.insert({
      id: store.ids.next('service'), uuid: store.ids.uuid(), binary, host: `${cloudName}-controller`, zone: INTERNAL, status: 'enabled', state: 'up',
      forcedDown: false, disabledReason: null, updatedAt: store.now(),
    });
  }
}

/** `2014-05-01T12:00:00.000000`: the heartbeat time (now for a service that is up). */
function heartbeat(c: NovaCall, s: ComputeServiceRecord): string {
  return (serviceState(s) === 'up' && !s.forcedDown ? c.store.now() : s.updatedAt).replace('Z', '.000000');
}

function view(c: NovaCall, s: ComputeServiceRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (c.profile.novaServiceIds) out['id'] = c.mv >= 53 ? s.uuid : s.id;
  Object.assign(out, { binary: s.binary, host: s.host, zone: s.zone, status: s.status, state: serviceState(s), updated_at: heartbeat(c, s), disabled_reason: s.disabledReason });
  if (c.mv >= 11) out['forced_down'] = s.forcedDown;
  return out;
}

function list(c: NovaCall): SimReply {
  requireAdmin(c, RULE);
  const host = c.req.query.get('host');
  const binary = c.req.query.get('binary');
  const items = [...c.store.computeServices.values()].filter((s) => (host === null || s.host === host) && (binary === null || s.binary === binary));
  return json(200, { services: items.sort((a, b) => a.id - b.id).map((s) => view(c, s)) });
}

/** Bad input on the legacy service actions is a 422 (legacy-apis.md §2.6); v2.1 validates with a 400. */
function invalid(c: NovaCall, message: string): SimHttpError {
  return c.microversions ? badRequest(message) : new SimHttpError(422, message, 'HTTPUnprocessableEntity');
}

async function legacyAction(c: NovaCall, action: string): Promise<SimReply> {
  const b = await c.req.json<Record<string, unknown>>();
  const host = str(b['host']);
  const binary = str(b['binary']);
  if (!host || !binary) throw invalid(c, 'Invalid input: host and binary are required.');
  const s = c.store.computeServices.find((x) => x.host === host && x.binary === binary);
  if (!s) throw notFound('Unknown service');
  switch (action) {
    case 'enable':
      s.status = 'enabled';
      s.disabledReason = null;
      return json(200, { service: { host, binary, status: 'enabled' } });
    case 'disable':
      s.status = 'disabled';
      return json(200, { service: { host, binary, status: 'disabled' } });
    case 'disable-log-reason': {
      const reason = str(b['disabled_reason']);
      if (!reason || reason.length > 255) throw invalid(c, 'The string containing the reason for disabling the service contains invalid characters or is too long.');
      s.status = 'disabled';
      s.disabledReason = reason;
      return json(200, { service: { host, binary, status: 'disabled', disabled_reason: reason } });
    }
    case 'force-down': {
      if (c.mv < 11) throw notFound('The resource could not be found.');
      if (typeof b['forced_down'] !== 'boolean') throw badRequest("Invalid input for field/attribute forced_down. 'forced_down' is a required property");
      s.forcedDown = b['forced_down'];
      s.updatedAt = c.store.now();
      return json(200, { service: { host, binary, forced_down: s.forcedDown } });
    }
    default:
      throw notFound('Unknown action');
  }
}

async function updateByUuid(c: NovaCall, uuid: string): Promise<SimReply> {
  const s = c.store.computeServices.find((x) => x.uuid === uuid);
  if (!s) throw notFound(`Service with ID ${uuid} could not be found.`);
  const b = await c.req.json<Record<string, unknown>>();
  const status = b['status'];
  if (status !== undefined && status !== 'enabled' && status !== 'disabled') throw badRequest(`Invalid input for field/attribute status. Value: ${String(status)}.`);
  if (b['disabled_reason'] !== undefined && status !== 'disabled') throw badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
  if (b['forced_down'] !== undefined) {
    if (typeof b['forced_down'] !== 'boolean') throw badRequest('Invalid input for field/attribute forced_down.');
    if (s.binary !== 'nova-compute') throw badRequest(`Updating a ${s.binary} service is not supported. Only nova-compute services can be updated.`);
    s.forcedDown = b['forced_down'];
  }
  if (status === 'enabled') {
    s.status = 'enabled';
    s.disabledReason = null;
  } else if (status === 'disabled') {
    s.status = 'disabled';
    s.disabledReason = str(b['disabled_reason']) ?? null;
  }
  s.updatedAt = c.store.now();
  return json(200, { service: view(c, s) });
}

async function update(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-services:update');
  const id = c.req.params['id']!;
  if (c.mv >= 53) return updateByUuid(c, id);
  return legacyAction(c, id);
}

function remove(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-services:delete');
  const id = c.req.params['id']!;
  if (!c.profile.novaServiceIds) throw notFound('The resource could not be found.');
  const s = c.mv >= 53 ? c.store.computeServices.find((x) => x.uuid === id) : c.store.computeServices.get(Number(id));
  if (!s) throw notFound(`Service ${id} could not be found.`);
  if (s.binary === 'nova-compute') {
    if (c.microversions && c.store.servers.find((x) => x.host === s.host)) throw conflict('Unable to delete compute service that is hosting instances. Migrate or delete the instances first.');
    for (const h of c.store.hypervisors.filter((x) => x.host === s.host)) c.store.hypervisors.delete(h.id);
  }
  c.store.computeServices.delete(s.id);
  return empty(204);
}

/** Availability zones: enabled services make a zone available; the internal one only in detail (admin). */
function zones(detail: boolean) {
  return (c: NovaCall): SimReply => {
    if (detail) requireAdmin(c, 'os_compute_api:os-availability-zone:detail');
    const byZone = new Map<string, ComputeServiceRecord[]>();
    for (const s of c.store.computeServices.values()) {
      if (!detail && s.zone === INTERNAL) continue;
      const list = byZone.get(s.zone) ?? [];
      list.push(s);
      byZone.set(s.zone, list);
    }
    const info = [...byZone.entries()].map(([zone, services]) => {
      const available = services.some((s) => s.status === 'enabled');
      let hosts: Record<string, Record<string, unknown>> | null = null;
      if (detail) {
        hosts = {};
        for (const s of services) {
          (hosts[s.host] ??= {})[s.binary] = { available: s.status === 'enabled' && serviceState(s) === 'up', active: s.status === 'enabled', updated_at: heartbeat(c, s) };
        }
      }
      return { zoneName: zone, zoneState: { available }, hosts };
    });
    return json(200, { availabilityZoneInfo: info });
  };
}

/** os-services and os-availability-zone (legacy-apis.md §2.6). */
export function serviceRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-services', auth: 'token', handler: list },
    { method: 'PUT', path: '/os-services/{id}', auth: 'token', handler: update },
    { method: 'DELETE', path: '/os-services/{id}', auth: 'token', handler: remove },
    { method: 'GET', path: '/os-availability-zone', auth: 'token', handler: zones(false) },
    { method: 'GET', path: '/os-availability-zone/detail', auth: 'token', handler: zones(true) },
  ];
}
