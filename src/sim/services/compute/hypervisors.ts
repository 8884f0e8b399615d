import { badRequest, notFound } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import { nextHref } from '../../http/pagination.js';
import { serviceState } from '../../store/hosts.js';
import type { HypervisorRecord } from '../../store/types/compute.js';
import { requireAdmin, truthy, type NovaCall, type NovaRoute } from './context.js';
import { computeServiceOf, EMPTY_USAGE, RESERVED_RAM_MB, usageByHost, type HostUsage } from './scheduler.js';
import { limitOf } from './server-list.js';

const RULE = 'os_compute_api:os-hypervisors:list';

/** Hypervisor id as the microversion shows it: an integer below 2.53, the uuid from 2.53. */
const idOf = (c: NovaCall, h: HypervisorRecord): number | string => (c.mv >= 53 ? h.uuid : h.id);

/** Id + hostname, with the nova-compute service's state/status (Juno+) as the short view. */
function brief(c: NovaCall, h: HypervisorRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: idOf(c, h), hypervisor_hostname: h.hostname };
  if (c.profile.novaHypervisorStatus) {
    const svc = computeServiceOf(c.store, h.host);
    out['state'] = svc ? serviceState(svc) : 'down';
    out['status'] = svc?.status ?? 'disabled';
  }
  return out;
}

/** The detail view (legacy-apis.md §2.6); 2.88 drops the resource fields. */
function detail(c: NovaCall, h: HypervisorRecord, u: HostUsage, resources = c.mv < 88): Record<string, unknown> {
  const svc = computeServiceOf(c.store, h.host);
  const out = brief(c, h);
  out['hypervisor_type'] = h.type;
  out['hypervisor_version'] = h.version;
  if (c.profile.novaHypervisorHostIp) out['host_ip'] = h.hostIp;
  out['service'] = { host: h.host, id: c.mv >= 53 ? (svc?.uuid ?? null) : (svc?.id ?? h.serviceId), ...(c.profile.novaHypervisorStatus ? { disabled_reason: svc?.disabledReason ?? null } : {}) };
  if (!resources) {
    out['uptime'] = null;
    return out;
  }
  const memUsed = u.ramMb + RESERVED_RAM_MB;
  Object.assign(out, {
    vcpus: h.vcpus,
    memory_mb: h.memoryMb,
    local_gb: h.localGb,
    vcpus_used: u.vcpus,
    memory_mb_used: memUsed,
    local_gb_used: u.diskGb,
    free_ram_mb: h.memoryMb - memUsed,
    free_disk_gb: h.localGb - u.diskGb,
    current_workload: u.busy,
    running_vms: u.servers,
    cpu_info: h.cpuInfo,
    disk_available_least: h.localGb - u.diskGb,
  });
  return out;
}

function sorted(c: NovaCall): HypervisorRecord[] {
  return [...c.store.hypervisors.values()].sort((a, b) => a.id - b.id);
}

function list(withDetail: boolean) {
  return (c: NovaCall): SimReply => {
    requireAdmin(c, RULE);
    const q = c.req.query;
    let hypers = sorted(c);
    const pattern = c.mv >= 33 ? q.get('hypervisor_hostname_pattern') : null;
    if (pattern !== null) {
      hypers = hypers.filter((h) => h.hostname.includes(pattern));
      if (hypers.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
    }
    const usage = usageByHost(c.store);
    let links: unknown;
    if (c.mv >= 33 && (q.has('limit') || q.has('marker'))) {
      const limit = limitOf(q.get('limit'));
      const marker = q.get('marker');
      if (marker) {
        const i = hypers.findIndex((h) => String(idOf(c, h)) === marker);
        if (i < 0) throw badRequest(`marker [${marker}] not found`);
        hypers = hypers.slice(i + 1);
      }
      hypers = hypers.slice(0, limit);
      const last = hypers.at(-1);
      if (hypers.length === limit && last) links = [{ rel: 'next', href: nextHref(`${c.apiUrl}/os-hypervisors${withDetail ? '/detail' : ''}`, q, String(idOf(c, last))) }];
    }
    const withServers = c.mv >= 53 && truthy(q.get('with_servers'));
    const items = hypers.map((h) => {
      const v = withDetail ? detail(c, h, usage.get(h.host) ?? EMPTY_USAGE) : brief(c, h);
      if (withServers) v['servers'] = serversOn(c, h);
      return v;
    });
    return json(200, { hypervisors: items, ...(links ? { hypervisors_links: links } : {}) });
  };
}

function serversOn(c: NovaCall, h: HypervisorRecord): Array<{ name: string; uuid: string }> {
  return c.store.servers.filter((s) => s.hypervisorHostname === h.hostname).map((s) => ({ name: s.instanceName, uuid: s.id }));
}

function hypervisorOf(c: NovaCall): HypervisorRecord {
  const id = c.req.params['id']!;
  const h = c.mv >= 53 ? c.store.hypervisors.find((x) => x.uuid === id) : /^\d+$/.test(id) ? c.store.hypervisors.get(Number(id)) : undefined;
  if (!h) throw notFound(`Hypervisor with ID ${id} could not be found.`);
  return h;
}

function show(c: NovaCall): SimReply {
  requireAdmin(c, RULE);
  const h = hypervisorOf(c);
  const v = detail(c, h, usageByHost(c.store).get(h.host) ?? EMPTY_USAGE);
  if (c.mv >= 53 && truthy(c.req.query.get('with_servers'))) v['servers'] = serversOn(c, h);
  return json(200, { hypervisor: v });
}

/** `/os-hypervisors/{pattern}/servers`: a SUBSTRING match on hypervisor_hostname (404 when none). */
function servers(c: NovaCall): SimReply {
  requireAdmin(c, RULE);
  if (c.mv >= 53) throw notFound('The resource could not be found.');
  const pattern = c.req.params['pattern']!;
  const hypers = sorted(c).filter((h) => h.hostname.includes(pattern));
  if (hypers.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
  return json(200, {
    hypervisors: hypers.map((h) => {
      const v = brief(c, h);
      const list = serversOn(c, h);
      if (list.length > 0) v['servers'] = list;
      return v;
    }),
  });
}

function search(c: NovaCall): SimReply {
  requireAdmin(c, RULE);
  if (c.mv >= 53) throw notFound('The resource could not be found.');
  const pattern = c.req.params['pattern']!;
  const hypers = sorted(c).filter((h) => h.hostname.includes(pattern));
  if (hypers.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
  return json(200, { hypervisors: hypers.map((h) => brief(c, h)) });
}

function statistics(c: NovaCall): SimReply {
  requireAdmin(c, RULE);
  if (c.mv >= 88) throw notFound('The resource could not be found.');
  const usage = usageByHost(c.store);
  const t = { count: 0, vcpus: 0, memory_mb: 0, local_gb: 0, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, free_ram_mb: 0, free_disk_gb: 0, current_workload: 0, running_vms: 0, disk_available_least: 0 };
  for (const h of c.store.hypervisors.values()) {
    const d = detail(c, h, usage.get(h.host) ?? EMPTY_USAGE, true) as Record<string, number>;
    t.count += 1;
    for (const k of Object.keys(t) as Array<keyof typeof t>) if (k !== 'count') t[k] += d[k] ?? 0;
  }
  return json(200, { hypervisor_statistics: t });
}

function uptime(c: NovaCall): SimReply {
  requireAdmin(c, RULE);
  const h = hypervisorOf(c);
  const v = brief(c, h);
  v['uptime'] = ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14';
  return json(200, { hypervisor: v });
}

/** os-hypervisors (admin; legacy-apis.md §2.6). */
export function hypervisorRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-hypervisors', auth: 'token', handler: list(false) },
    { method: 'GET', path: '/os-hypervisors/detail', auth: 'token', handler: list(true) },
    { method: 'GET', path: '/os-hypervisors/statistics', auth: 'token', handler: statistics },
    { method: 'GET', path: '/os-hypervisors/{pattern}/servers', auth: 'token', handler: servers },
    { method: 'GET', path: '/os-hypervisors/{pattern}/search', auth: 'token', handler: search },
    { method: 'GET', path: '/os-hypervisors/{id}/uptime', auth: 'token', handler: uptime },
    { method: 'GET', path: '/os-hypervisors/{id}', auth: 'token', handler: show },
  ];
}
