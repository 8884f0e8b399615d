import { badRequest, forbidden, notFound } from '../../http/errors.js';
import { json, type SimReply } from '../../http/reply.js';
import type { FlavorRecord, ServerRecord } from '../../store/types/compute.js';
import type { DataRef } from '../../store/types/image.js';
import type { VolumeRecord } from '../../store/types/volume.js';
import { refreshAddresses } from './addresses.js';
import { bodyOf, str, type NovaCall } from './context.js';
import { bootImage, refId } from './images.js';
import { flavorVisible } from './lookup.js';
import { checkNics, plugNics, type NicRequest } from './nics.js';
import { checkQuota, limitsOf, usageOf } from './quota-usage.js';
import { links } from './render-server.js';
import { computeServiceOf, groupHosts, pickHost } from './scheduler.js';
import { resolveBootGroups } from './security-group-lookup.js';
import { computeState } from './state.js';
import { POWER } from './status.js';
import { bootVolume, recordAttachment } from './volumes.js';

/** A block device a boot asks for, resolved to a volume (made or given) or the image disk. */
interface BootDevice {
  readonly volume: VolumeRecord | undefined;
  readonly device: string;
  readonly deleteOnTermination: boolean;
  readonly boot: boolean;
  /** Cinder made the volume for this boot (image, snapshot or blank source). */
  readonly made: boolean;
}

/** What a build needs after the API answered. */
interface BuildPlan {
  readonly nics: readonly NicRequest[];
  readonly securityGroupIds: readonly string[];
  readonly devices: readonly BootDevice[];
  readonly flavor: FlavorRecord;
  readonly forcedHost: string | undefined;
  readonly zone: string | undefined;
  readonly groupId: string | undefined;
}

/**
 * `POST /servers` (legacy-apis.md §2.1): checks what the API checks before it answers 202
 * (flavor, image or boot volume, key_name of the TOKEN's user, security groups of the TOKEN's
 * project, networks/ports/fixed IPs, zone, server group, quotas), records the server in BUILD
 * and lets the clock build it: scheduling (no valid host -> ERROR with Nova's fault),
 * networking (ports / fixed IPs), block devices, spawning -> ACTIVE after `buildMs`.
 */
export async function createServer(c: NovaCall): Promise<SimReply> {
  const body = await c.req.json<Record<string, unknown>>();
  const b = await bodyOf(c, 'server');
  const { store } = c;
  const admin = c.auth.isAdmin;
  const projectId = c.projectId;
  const name = str(b['name']);
  if (name === undefined || name.trim() === '') throw badRequest(c.root === 'v2' ? 'Server name is not defined' : "Invalid input for field/attribute name. Value: None. None is not of type 'string'");

  const flavorId = refId(b['flavorRef']);
  const flavor = flavorId === undefined ? undefined : store.flavors.get(flavorId);
  if (!flavor || !flavorVisible(c, flavor)) throw badRequest(c.root === 'v2' ? 'Invalid flavorRef provided.' : `Flavor ${flavorId} could not be found.`);

  const imageId = refId(b['imageRef']);
  let bootImageId = '';
  const bdms = Array.isArray(b['block_device_mapping_v2']) ? (b['block_device_mapping_v2'] as unknown[]) : [];
  const bootBdm = bdms.find((d) => typeof d === 'object' && d !== null && Number((d as Record<string, unknown>)['boot_index']) === 0) as Record<string, unknown> | undefined;
  const volumeBacked = bootBdm !== undefined && destinationOf(bootBdm) === 'volume';
  if (!volumeBacked) {
    const id = imageId ?? (bootBdm?.['source_type'] === 'image' ? refId(bootBdm['uuid']) : undefined);
    if (id === undefined) throw badRequest('Missing imageRef attribute');
    const img = bootImage(store, id, projectId, admin);
    if (img.minDisk > flavor.disk && flavor.disk > 0) throw badRequest("Flavor's disk is too small for requested image.");
    if (img.minRam > flavor.ram) throw badRequest("Flavor's memory is too small for requested image.");
    bootImageId = img.id;
  }
  const az = str(b['availability_zone']);
  let zone: string | undefined;
  let forcedHost: string | undefined;
  if (az !== undefined && az !== '') {
    const [z, host] = az.split(':');
    if (host) {
      if (!admin) throw forbidden('Policy does not allow this operation to be performed.');
      if (!computeServiceOf(store, host)) throw badRequest(`Compute host ${host} could not be found.`);
      forcedHost = host;
    }
    if (z && !store.computeServices.find((s) => s.binary === 'nova-compute' && s.zone === z)) throw badRequest('The requested availability zone is not available');
    zone = z || undefined;
  }
  const makers = bdms.map((raw, i) => bootDevice(c, (raw ?? {}) as Record<string, unknown>, flavor, zone ?? 'nova', i));

  const keyName = str(b['key_name']);
  if (keyName !== undefined && keyName !== '' && !store.keypairs.get(`${c.auth.userId}/${keyName}`)) throw badRequest('Invalid key_name provided.');
  const groupNames = Array.isArray(b['security_groups']) ? (b['security_groups'] as unknown[]).map((g) => str((g as Record<string, unknown>)?.['name'])).filter((n): n is string => n !== undefined) : [];
  const groups = resolveBootGroups(store, projectId, c.auth.userId, groupNames);
  const nics = nicsOf(c, b['networks']);
  const metadata = metadataOf(b['metadata']);
  if (Object.keys(metadata).length > (limitsOf(store, projectId)['metadata_items'] ?? 128)) throw forbidden('Quota exceeded for metadata_items: too many metadata items');
  if (b['user_data'] !== undefined && b['user_data'] !== null && (typeof b['user_data'] !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(b['user_data']))) throw badRequest('Userdata content cannot be decoded');
  const hints = body['os:scheduler_hints'] as Record<string, unknown> | undefined;
  const groupId = str(hints?.['group']);
  if (groupId !== undefined) {
    const g = store.serverGroups.get(groupId);
    if (!g || (!admin && g.projectId !== projectId)) throw notFound(`Instance group ${groupId} could not be found.`);
  }
  const count = Math.max(1, Number(b['min_count'] ?? 1) || 1, Number(b['max_count'] ?? 1) || 1);
  if (count > 1 && nics.some((n) => n.kind === 'port' || (n.kind !== 'nova-network-default' && n.fixedIp))) {
    throw badRequest('Unable to launch multiple instances with a single configured port ID or fixed IP.');
  }
  if (count > 1 && makers.length > 0) throw badRequest('min_count/max_count above 1 with block_device_mapping_v2 is not simulated.');
  checkQuota(store, projectId, { instances: count, cores: flavor.vcpus * count, ram: flavor.ram * count }, usageOf(store, projectId));
  // Checked above; only now does Cinder get asked for volumes.
  const devices = makers.map((make) => make());

  const plan: BuildPlan = { nics, securityGroupIds: groups.neutronIds, devices, flavor, forcedHost, zone, groupId };
  let first: ServerRecord | undefined;
  let adminPass = '';
  for (let i = 0; i < count; i++) {
    const now = store.now();
    const server = store.servers.insert({
      id: store.ids.uuid(), name: count > 1 ? `${name}-${i + 1}` : name, projectId, userId: c.auth.userId, vmState: 'building', taskState: 'scheduling',
      powerState: POWER.nostate, flavorId: flavor.id, imageId: bootImageId, keyName: keyName || null, host: null, hypervisorHostname: null,
      availabilityZone: zone ?? 'nova', instanceName: `instance-${store.ids.next('instance').toString(16).padStart(8, '0')}`, createdAt: now, updatedAt: now,
      launchedAt: null, metadata, securityGroups: groups.names, addresses: [], volumes: [], ports: [], configDrive: b['config_drive'] ? 'True' : '',
      progress: 0, fault: null, accessIPv4: str(b['accessIPv4']) ?? '', accessIPv6: str(b['accessIPv6']) ?? '', diskConfig: b['OS-DCF:diskConfig'] === 'AUTO' ? 'AUTO' : 'MANUAL',
      serverGroupId: groupId ?? null, description: c.mv >= 19 ? (str(b['description']) ?? null) : null, tags: [],
    });
    const state = computeState(store);
    state.index.invalidate();
    const pass = store.rng.string(12, 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789');
    state.adminPass.set(server.id, pass);
    if (groupId) store.serverGroups.get(groupId)?.members.push(server.id);
    for (const d of devices) if (d.volume) d.volume.status = 'attaching';
    build(c, server, plan);
    if (!first) {
      first = server;
      adminPass = pass;
    }
  }
  const s = first!;
  return json(
    202,
    { server: { id: s.id, links: links(c, 'servers', s.id), 'OS-DCF:diskConfig': s.diskConfig, security_groups: groups.names.map((n) => ({ name: n })), adminPass } },
    { Location: `${c.apiUrl}/servers/${s.id}` },
  );
}

/**
 * `networks` by microversion: a list (any release), and from 2.37 a required value that may
 * also be `none` (no NIC) or `auto` (the project's network; Nova would otherwise auto-allocate
 * one, which the simulator does not do).
 */
function nicsOf(c: NovaCall, raw: unknown): NicRequest[] {
  if (c.mv >= 37) {
    if (raw === undefined) throw badRequest("Invalid input for field/attribute server. Value: {...}. 'networks' is a required property");
    if (raw === 'none') return [];
    if (raw === 'auto') {
      const nics = checkNics(c.store, c.projectId, c.auth.isAdmin, undefined);
      if (nics.length === 0) throw badRequest(`Unable to automatically allocate a network for project ${c.projectId}`);
      return nics;
    }
  } else if (typeof raw === 'string') {
    throw badRequest(`Invalid input for field/attribute networks. Value: ${raw}. '${raw}' is not of type 'array'`);
  }
  return checkNics(c.store, c.projectId, c.auth.isAdmin, raw);
}

/** `destination_type`, defaulting as Nova does: an image source goes to a local disk, others to a volume. */
function destinationOf(d: Record<string, unknown>): string {
  return str(d['destination_type']) ?? (d['source_type'] === 'image' ? 'local' : 'volume');
}

function metadataOf(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Invalid metadata: must be a dictionary');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === '' || k.length > 255) throw badRequest('Invalid metadata key');
    if (typeof v !== 'string') throw badRequest(`Invalid metadata value for key ${k}: must be a string`);
    if (v.length > 255) throw badRequest(`Invalid metadata size: value of ${k} is longer than 255 characters`);
    out[k] = v;
  }
  return out;
}

/**
 * One `block_device_mapping_v2` entry, checked now: a given volume (available, the project's)
 * or one Nova has Cinder make (from an image, a snapshot, or blank), made when the answer runs.
 */
function bootDevice(c: NovaCall, d: Record<string, unknown>, flavor: FlavorRecord, az: string, index: number): () => BootDevice {
  const { store } = c;
  const source = str(d['source_type']);
  const dest = destinationOf(d);
  const uuid = refId(d['uuid']);
  const boot = Number(d['boot_index']) === 0;
  const device = str(d['device_name']) ?? (boot ? '/dev/vda' : `/dev/vd${String.fromCharCode(98 + index)}`);
  const dot = d['delete_on_termination'] === true || d['delete_on_termination'] === 'true' || d['delete_on_termination'] === 'True';
  if (dest === 'local') {
    if (source === 'image' || source === 'blank') return () => ({ volume: undefined, device, deleteOnTermination: true, boot, made: false });
    throw badRequest('Block Device Mapping is Invalid: destination_type local needs source_type image or blank.');
  }
  const size = Number(d['volume_size'] ?? 0) || flavor.disk || 1;
  const base = { projectId: c.projectId, userId: c.auth.userId, az };
  switch (source) {
    case 'volume': {
      const vol = uuid === undefined ? undefined : store.volumes.get(uuid);
      if (!vol || (!c.auth.isAdmin && vol.projectId !== c.projectId)) throw badRequest(`Block Device Mapping is Invalid: failed to get volume ${uuid}.`);
      if (vol.status !== 'available') throw badRequest(`Invalid volume: volume '${vol.id}' status must be 'available'. Currently in '${vol.status}'`);
      return () => ({ volume: vol, device, deleteOnTermination: dot, boot, made: false });
    }
    case 'image': {
      const img = bootImage(store, uuid ?? '', c.projectId, c.auth.isAdmin);
      const meta: Record<string, string> = { image_id: img.id, image_name: img.name ?? '', checksum: img.checksum ?? '', disk_format: img.diskFormat ?? '', container_format: img.containerFormat ?? '', size: String(img.size ?? 0), min_ram: String(img.minRam), min_disk: String(img.minDisk) };
      return () => ({ volume: bootVolume(store, { ...base, size, data: img.data, imageMetadata: meta, snapshotId: null }), device, deleteOnTermination: dot, boot, made: true });
    }
    case 'snapshot': {
      const snap = uuid === undefined ? undefined : store.snapshots.get(uuid);
      if (!snap || (!c.auth.isAdmin && snap.projectId !== c.projectId)) throw badRequest(`Block Device Mapping is Invalid: failed to get snapshot ${uuid}.`);
      const from = store.volumes.get(snap.volumeId);
      const data: DataRef = from?.data ?? { kind: 'generated', key: snap.id, size: snap.size * 1024 ** 3 };
      return () => ({ volume: bootVolume(store, { ...base, size: Math.max(size, snap.size), data, imageMetadata: from?.imageMetadata ?? null, snapshotId: snap.id }), device, deleteOnTermination: dot, boot, made: true });
    }
    case 'blank':
      return () => ({ volume: bootVolume(store, { ...base, size, data: { kind: 'generated', key: `${c.projectId}/blank/${index}`, size: 0 }, imageMetadata: null, snapshotId: null }), device, deleteOnTermination: dot, boot, made: true });
    default:
      throw badRequest(`Block Device Mapping is Invalid: unknown source_type ${String(source)}.`);
  }
}

/** The build as the clock runs it: schedule at 30 % of buildMs, then plug and attach, ACTIVE at 100 %. */
function build(c: NovaCall, server: ServerRecord, plan: BuildPlan): void {
  const { store, cloud } = c;
  const alive = () => store.servers.get(server.id) === server && server.taskState !== 'deleting';
  const total = cloud.knobs.buildMs;
  cloud.clock.after(total * 0.3, () => {
    if (!alive()) return releaseDevices(c, plan);
    const group = plan.groupId ? store.serverGroups.get(plan.groupId) : undefined;
    const policy = group?.policies[0];
    const hyper = pickHost(store, {
      flavor: plan.flavor,
      zone: plan.zone,
      only: plan.forcedHost,
      volumeBacked: plan.devices.some((d) => d.boot && d.volume),
      ...(group && policy ? { group: { policy, hosts: groupHosts(store, group.members, server.id) } } : {}),
    });
    if (!hyper) return fail(c, server, plan, 'No valid host was found. There are not enough hosts available.', 'NoValidHost');
    server.host = hyper.host;
    server.hypervisorHostname = hyper.hostname;
    server.availabilityZone = computeServiceOf(store, hyper.host)?.zone ?? server.availabilityZone;
    server.taskState = 'networking';
    server.updatedAt = store.now();
    try {
      plugNics(store, server, plan.nics, plan.securityGroupIds);
    } catch (err) {
      return fail(c, server, plan, (err as Error).message, 'BuildAbortException');
    }
    refreshAddresses(store, server);
    server.taskState = 'block_device_mapping';
    const dot = computeState(store).deleteOnTermination;
    for (const d of plan.devices) {
      if (!d.volume) continue;
      recordAttachment(store, server, d.volume, d.device);
      if (d.deleteOnTermination) {
        const set = dot.get(server.id) ?? new Set<string>();
        set.add(d.volume.id);
        dot.set(server.id, set);
      }
    }
    server.taskState = 'spawning';
    cloud.clock.after(total * 0.7, () => {
      if (!alive()) return;
      server.vmState = 'active';
      server.taskState = null;
      server.powerState = POWER.running;
      server.launchedAt = store.now();
      server.updatedAt = server.launchedAt;
      server.progress = 0;
    });
  });
}

/** Gives back the volumes a build reserved: given ones are `available` again, the ones Cinder made for it go. */
function releaseDevices(c: NovaCall, plan: BuildPlan): void {
  for (const d of plan.devices) {
    if (!d.volume || d.volume.status !== 'attaching') continue;
    d.volume.status = 'available';
    if (d.made && d.deleteOnTermination) c.store.volumes.delete(d.volume.id);
  }
}

function fail(c: NovaCall, server: ServerRecord, plan: BuildPlan, message: string, kind: string): void {
  const { store } = c;
  server.vmState = 'error';
  server.taskState = null;
  server.powerState = POWER.nostate;
  server.updatedAt = store.now();
  server.fault = { code: 500, message, created: store.now(), details: `${kind}: ${message}` };
  for (const d of plan.devices) if (d.volume && d.volume.status === 'attaching') d.volume.status = 'available';
}
