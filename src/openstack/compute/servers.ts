import { collect, mapItems, pages, type ListSpec } from '../pagination.js';
import { bodyObject, list, member } from '../session/response.js';
import { badResponse } from '../session/response.js';
import type { BlockDevice, Server, ServerFilter, ServerInput, ServerVolumeAttachment } from '../types/compute.js';
import { isRaw, obj, str, strMap, strOrNull } from '../wire.js';
import type { NovaApi } from './nova-api.js';
import { toServer, toServerVolumeAttachment } from './normalize.js';

const PAGE = 1000;
const enc = encodeURIComponent;

export interface LiveMigrateOptions {
  /** Target host; null or absent lets the scheduler choose. */
  readonly host?: string | null;
  /** `auto` (2.25+) lets Nova decide; on older clouds `auto` means false. */
  readonly blockMigration?: boolean | 'auto';
}

export interface EvacuateOptions {
  /** Target host; required by Havana and Icehouse (and Juno without find-host). */
  readonly host?: string;
  /** Ignored from microversion 2.14 on (Nova detects shared storage itself). */
  readonly onSharedStorage?: boolean;
}

/** Servers and their actions, metadata and volume attachments (legacy-apis.md §2.1). */
export class Servers {
  constructor(private readonly api: NovaApi) {}

  /** Every server matching the filter, all pages. `allTenants` needs admin. */
  list(filter: ServerFilter = {}): Promise<Server[]> {
    return collect(pages(this.api, this.spec(filter)), toServer);
  }

  /** Page-by-page variant of list() for very large clouds. */
  iterate(filter: ServerFilter = {}): AsyncIterable<Server> {
    return mapItems(pages(this.api, this.spec(filter)), toServer);
  }

  async get(id: string): Promise<Server> {
    return toServer(member(await this.api.get(`/servers/${enc(id)}`), 'server'));
  }

  /** Boots a server (202); answers its id and, when Nova generated one, its admin password. Not retried. */
  async create(input: ServerInput): Promise<{ readonly id: string; readonly adminPass: string | null }> {
    const server: Record<string, unknown> = { name: input.name, flavorRef: input.flavorId };
    if (input.imageId) server['imageRef'] = input.imageId;
    if (input.keyName) server['key_name'] = input.keyName;
    if (input.availabilityZone) server['availability_zone'] = input.availabilityZone;
    if (input.metadata) server['metadata'] = input.metadata;
    if (input.securityGroups) server['security_groups'] = input.securityGroups.map((name) => ({ name }));
    if (input.networks) {
      server['networks'] = input.networks.map((n) => ({
        ...(n.uuid ? { uuid: n.uuid } : {}),
        ...(n.port ? { port: n.port } : {}),
        ...(n.fixedIp ? { fixed_ip: n.fixedIp } : {}),
      }));
    }
    if (input.blockDevices) server['block_device_mapping_v2'] = input.blockDevices.map(blockDevice);
    if (input.userData) server['user_data'] = input.userData;
    if (input.configDrive !== undefined) server['config_drive'] = input.configDrive;
    const body: Record<string, unknown> = { server };
    if (input.serverGroupId) body['os:scheduler_hints'] = { group: input.serverGroupId };
    const res = await this.api.post('/servers', body);
    const s = member(res, 'server');
    const id = str(s['id']);
    if (!id) throw badResponse(res.call, 'the create answer has no server id', res.status);
    return { id, adminPass: strOrNull(s['adminPass']) };
  }

  async delete(id: string): Promise<void> {
    await this.api.delete(`/servers/${enc(id)}`);
  }

  /**
   * Snapshots a server into a Glance image and answers the image id: from the Location
   * header (below 2.45) or the body (2.45+). The image is `queued`/`saving` at first.
   */
  async createImage(id: string, name: string, metadata?: Readonly<Record<string, string>>): Promise<string> {
    const res = await this.action(id, { createImage: { name, ...(metadata ? { metadata } : {}) } });
    const fromBody = str(obj(res.data)['image_id']);
    const location = res.headers['location'];
    const fromLocation = location ? decodeURIComponent(new URL(location, 'http://x').pathname.split('/').filter(Boolean).at(-1) ?? '') : undefined;
    const imageId = fromBody ?? fromLocation;
    if (!imageId) throw badResponse(res.call, 'createImage answered neither an image_id nor a Location header', res.status);
    return imageId;
  }

  async stop(id: string): Promise<void> {
    await this.action(id, { 'os-stop': null });
  }
  async start(id: string): Promise<void> {
    await this.action(id, { 'os-start': null });
  }
  async suspend(id: string): Promise<void> {
    await this.action(id, { suspend: null });
  }
  async resume(id: string): Promise<void> {
    await this.action(id, { resume: null });
  }
  async pause(id: string): Promise<void> {
    await this.action(id, { pause: null });
  }
  async unpause(id: string): Promise<void> {
    await this.action(id, { unpause: null });
  }

  /** Live-migrates (202); poll the server until its host changes (legacy-apis.md §2.2). */
  async liveMigrate(id: string, opts: LiveMigrateOptions = {}): Promise<void> {
    const host = opts.host ?? null;
    if (this.api.supports('2.25')) {
      // 2.25 drops disk_over_commit and accepts "auto"; later versions add `force`, which we never want.
      await this.action(id, { 'os-migrateLive': { host, block_migration: opts.blockMigration ?? 'auto' } }, this.api.headersFor('2.25', 'live migration'));
      return;
    }
    await this.action(id, { 'os-migrateLive': { host, block_migration: opts.blockMigration === true, disk_over_commit: false } });
  }

  /**
   * Cold-migrates (admin, 202) to a host the scheduler picks: the move for a stopped server.
   * The server ends in VERIFY_RESIZE on the new host until `confirmResize` (legacy-apis.md §2.2).
   */
  async coldMigrate(id: string): Promise<void> {
    await this.action(id, { migrate: null });
  }
  /** Ends a resize or cold migration waiting in VERIFY_RESIZE (the old host's copy is dropped). */
  async confirmResize(id: string): Promise<void> {
    await this.action(id, { confirmResize: null });
  }

  /** Rebuilds a server of a dead host elsewhere; answers the new admin password when Nova made one. */
  async evacuate(id: string, opts: EvacuateOptions = {}): Promise<string | null> {
    let res;
    if (this.api.supports('2.14')) {
      // 2.14 drops onSharedStorage; 2.29 adds force and 2.95 leaves the server stopped: stay at 2.14.
      res = await this.action(id, { evacuate: opts.host ? { host: opts.host } : {} }, this.api.headersFor('2.14', 'evacuate'));
    } else {
      res = await this.action(id, { evacuate: { ...(opts.host ? { host: opts.host } : {}), onSharedStorage: opts.onSharedStorage ?? false } });
    }
    return strOrNull(obj(res.data)['adminPass']);
  }

  /** nova-network (and Neutron proxy below 2.44): associate a floating address. */
  async addFloatingIp(id: string, address: string, fixedAddress?: string): Promise<void> {
    await this.action(id, { addFloatingIp: { address, ...(fixedAddress ? { fixed_address: fixedAddress } : {}) } });
  }
  async removeFloatingIp(id: string, address: string): Promise<void> {
    await this.action(id, { removeFloatingIp: { address } });
  }
  async addSecurityGroup(id: string, name: string): Promise<void> {
    await this.action(id, { addSecurityGroup: { name } });
  }
  async removeSecurityGroup(id: string, name: string): Promise<void> {
    await this.action(id, { removeSecurityGroup: { name } });
  }
  /** Admin: force the vm_state (`active` or `error`). */
  async resetState(id: string, state: 'active' | 'error'): Promise<void> {
    await this.action(id, { 'os-resetState': { state } });
  }

  async getMetadata(id: string): Promise<Readonly<Record<string, string>>> {
    return strMap(bodyObject(await this.api.get(`/servers/${enc(id)}/metadata`))['metadata']);
  }
  /** Adds or replaces the given keys, keeps the others; answers the full metadata. */
  async mergeMetadata(id: string, metadata: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
    return strMap(bodyObject(await this.api.post(`/servers/${enc(id)}/metadata`, { metadata }, { idempotent: true }))['metadata']);
  }
  /** Replaces the whole metadata. */
  async replaceMetadata(id: string, metadata: Readonly<Record<string, string>>): Promise<Readonly<Record<string, string>>> {
    return strMap(bodyObject(await this.api.put(`/servers/${enc(id)}/metadata`, { metadata }))['metadata']);
  }
  async deleteMetadataItem(id: string, key: string): Promise<void> {
    await this.api.delete(`/servers/${enc(id)}/metadata/${enc(key)}`);
  }

  async listVolumeAttachments(id: string): Promise<ServerVolumeAttachment[]> {
    return list(await this.api.get(`/servers/${enc(id)}/os-volume_attachments`), 'volumeAttachments').filter(isRaw).map(toServerVolumeAttachment);
  }
  async attachVolume(id: string, volumeId: string, device?: string): Promise<ServerVolumeAttachment> {
    const res = await this.api.post(`/servers/${enc(id)}/os-volume_attachments`, { volumeAttachment: { volumeId, ...(device ? { device } : {}) } });
    return toServerVolumeAttachment(member(res, 'volumeAttachment'));
  }
  async detachVolume(id: string, volumeId: string): Promise<void> {
    await this.api.delete(`/servers/${enc(id)}/os-volume_attachments/${enc(volumeId)}`);
  }

  private action(id: string, body: unknown, headers?: Readonly<Record<string, string>>) {
    return this.api.post(`/servers/${enc(id)}/action`, body, headers ? { headers } : {});
  }

  private spec(f: ServerFilter): ListSpec {
    return {
      path: '/servers/detail',
      key: 'servers',
      paging: { kind: 'links', limit: PAGE },
      // tenant_id is mapped to project_id by every release; all_tenants=0 would be ignored, so omit it.
      query: { all_tenants: f.allTenants ? 1 : undefined, tenant_id: f.projectId, host: f.host, status: f.status, name: f.name },
    };
  }
}

function blockDevice(b: BlockDevice): Record<string, unknown> {
  const out: Record<string, unknown> = { boot_index: b.bootIndex, source_type: b.sourceType, destination_type: b.destinationType };
  if (b.uuid) out['uuid'] = b.uuid;
  if (b.volumeSizeGb !== undefined) out['volume_size'] = b.volumeSizeGb;
  if (b.deleteOnTermination !== undefined) out['delete_on_termination'] = b.deleteOnTermination;
  if (b.deviceName) out['device_name'] = b.deviceName;
  return out;
}
