import { hash } from 'node:crypto';
import type { ServerRecord } from '../../store/types/compute.js';
import type { AddressBook } from './addresses.js';
import type { NovaCall } from './context.js';
import { computeState } from './state.js';
import { PROGRESS_STATUSES, statusOf } from './status.js';

/** `self` + `bookmark` links of a resource. */
export function links(c: NovaCall, collection: string, id: string): Array<{ rel: string; href: string }> {
  const tail = `${collection}/${encodeURIComponent(id)}`;
  return [
    { rel: 'self', href: `${c.apiUrl}/${tail}` },
    { rel: 'bookmark', href: `${c.bookmarkUrl}/${tail}` },
  ];
}

/** Nova's `hostId`: sha224 of project id + host, so tenants can tell co-location without the host name. */
export function hostIdOf(projectId: string, host: string | null): string {
  // One-shot hash: a Hash object per server was a tenth of a 100,000-server listing's time.
  return host ? hash('sha224', projectId + host, 'hex') : '';
}

/** `{"id", "name", "links"}`, the item of `GET /servers`. */
export function serverSummary(c: NovaCall, s: ServerRecord): Record<string, unknown> {
  return { id: s.id, name: s.name, links: links(c, 'servers', s.id) };
}

/**
 * The full server view (`nova/api/openstack/compute/views/servers.py` plus the extensions every
 * release loads): extended status, availability zone, admin-only `OS-EXT-SRV-ATTR:*`, addresses
 * with type and MAC, attached volumes, and what microversions add (2.3, 2.9, 2.16, 2.19, 2.26,
 * 2.47, 2.73).
 */
export function serverView(c: NovaCall, s: ServerRecord, book: AddressBook): Record<string, unknown> {
  const status = statusOf(s);
  const admin = c.auth.isAdmin;
  const { mv } = c;
  const out: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    status,
    tenant_id: s.projectId,
    user_id: s.userId,
    metadata: { ...s.metadata },
    hostId: hostIdOf(s.projectId, s.host),
    image: s.imageId === '' ? '' : { id: s.imageId, links: [{ rel: 'bookmark', href: `${c.bookmarkUrl}/images/${s.imageId}` }] },
    flavor: flavorOf(c, s),
    created: s.createdAt,
    updated: s.updatedAt,
    addresses: book.addressesOf(s),
    accessIPv4: s.accessIPv4,
    accessIPv6: s.accessIPv6,
    links: links(c, 'servers', s.id),
    'OS-DCF:diskConfig': s.diskConfig,
  };
  if (PROGRESS_STATUSES.has(status)) out['progress'] = s.progress ?? 0;
  if (s.fault && (status === 'ERROR' || status === 'DELETED')) {
    out['fault'] = { code: s.fault.code, created: s.fault.created, message: s.fault.message, ...(s.fault.details && (admin || s.fault.code !== 500) ? { details: s.fault.details } : {}) };
  }
  out['OS-EXT-AZ:availability_zone'] = s.availabilityZone;
  out['config_drive'] = s.configDrive;
  out['key_name'] = s.keyName;
  out['OS-SRV-USG:launched_at'] = s.launchedAt ? s.launchedAt.replace('Z', '.000000') : null;
  out['OS-SRV-USG:terminated_at'] = null;
  if (admin) {
    out['OS-EXT-SRV-ATTR:host'] = s.host;
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = s.hypervisorHostname;
    out['OS-EXT-SRV-ATTR:instance_name'] = s.instanceName;
    if (mv >= 3) {
      out['OS-EXT-SRV-ATTR:reservation_id'] = `r-${s.id.slice(0, 8)}`;
      out['OS-EXT-SRV-ATTR:launch_index'] = 0;
      out['OS-EXT-SRV-ATTR:hostname'] = hostnameOf(s.name);
      out['OS-EXT-SRV-ATTR:kernel_id'] = '';
      out['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      out['OS-EXT-SRV-ATTR:root_device_name'] = '/dev/vda';
      out['OS-EXT-SRV-ATTR:user_data'] = null;
    }
  }
  out['OS-EXT-STS:task_state'] = s.taskState;
  out['OS-EXT-STS:vm_state'] = s.vmState;
  out['OS-EXT-STS:power_state'] = s.powerState;
  const dot = computeState(c.store).deleteOnTermination.get(s.id);
  out['os-extended-volumes:volumes_attached'] = s.volumes.map((id) => (mv >= 3 ? { id, delete_on_termination: dot?.has(id) ?? false } : { id }));
  const groups = book.securityGroupsOf(s);
  if (groups.length > 0) out['security_groups'] = groups.map((name) => ({ name }));
  if (mv >= 9) out['locked'] = false;
  if (mv >= 16 && admin) out['host_status'] = s.host ? hostStatus(c, s.host) : '';
  if (mv >= 19) out['description'] = s.description;
  if (mv >= 26) out['tags'] = [...s.tags];
  if (mv >= 63) out['trusted_image_certificates'] = null;
  if (mv >= 73) out['locked_reason'] = null;
  return out;
}

function flavorOf(c: NovaCall, s: ServerRecord): Record<string, unknown> {
  if (c.mv < 47) return { id: s.flavorId, links: [{ rel: 'bookmark', href: `${c.bookmarkUrl}/flavors/${s.flavorId}` }] };
  const f = c.store.flavors.get(s.flavorId);
  return {
    vcpus: f?.vcpus ?? 0,
    ram: f?.ram ?? 0,
    disk: f?.disk ?? 0,
    ephemeral: f?.ephemeral ?? 0,
    swap: f?.swap ?? 0,
    original_name: f?.name ?? s.flavorId,
    extra_specs: { ...(f?.extraSpecs ?? {}) },
  };
}

function hostStatus(c: NovaCall, host: string): string {
  const svc = c.store.computeServices.find((x) => x.host === host && x.binary === 'nova-compute');
  if (!svc) return 'UNKNOWN';
  if (svc.forcedDown || svc.state === 'down') return 'DOWN';
  return svc.status === 'disabled' ? 'MAINTENANCE' : 'UP';
}

/** The guest hostname Nova derives from a display name. */
export function hostnameOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'server';
}
