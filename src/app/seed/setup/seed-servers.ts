import { PumphouseError } from '../../../errors/index.js';
import type { Cloud } from '../../../openstack/index.js';
import type { Server } from '../../../openstack/types/compute.js';
import type { Volume } from '../../../openstack/types/volume.js';
import { SETUP_ENTRIES, SETUP_TAG, setupDescription } from '../marks.js';
import type { SeedContext } from './seed-context.js';
import type { GlobalSeeds } from './seed-global.js';
import type { SeededNetwork } from './seed-network.js';
import type { ServerSpec, TenantSpec, VolumeSpec } from './spec.js';

/**
 * The tenant's servers (booted by the tenant's user with its own token, on its network, in
 * `default` and the test group, metadata `pumphouse_setup=1`, waited for ACTIVE), their
 * volumes (made inside the tenant, metadata marker, attached), the detached volumes, and a
 * floating IP on the first server.
 */
export async function seedServers(ctx: SeedContext, t: TenantSpec, projectId: string, scoped: Cloud, network: SeededNetwork, globals: GlobalSeeds): Promise<Server[]> {
  const servers: Server[] = [];
  const existing = await scoped.compute.servers.list();
  for (const s of t.servers) {
    const server = await seedServer(ctx, s, scoped, network, globals, existing);
    for (const v of s.volumes) await seedVolume(ctx, v, scoped, projectId, server.id);
    servers.push(server);
  }
  for (const v of t.volumes) await seedVolume(ctx, v, scoped, projectId, undefined);
  if (t.floatingIp && servers[0]) await seedFloatingIp(ctx, t, projectId, scoped, network, servers[0]);
  return servers;
}

async function seedServer(ctx: SeedContext, s: ServerSpec, scoped: Cloud, network: SeededNetwork, globals: GlobalSeeds, existing: readonly Server[]): Promise<Server> {
  const server = await ctx.once(
    'server',
    s.name,
    async () => {
      const found = existing.find((x) => x.name === s.name && x.status !== 'DELETED');
      return found ? { value: found, ours: true } : undefined;
    },
    async () => {
      const [flavorId, imageId] = await Promise.all([globals.flavor(s.flavor), globals.image(s.image)]);
      const made = await scoped.compute.servers.create({
        name: s.name,
        flavorId,
        imageId,
        networks: [{ uuid: network.networkId }],
        securityGroups: ['default', network.securityGroup],
        metadata: SETUP_ENTRIES,
      });
      return { id: made.id };
    },
  );
  return ctx.wait('server ACTIVE', `server[${s.name}]`, ctx.timeouts.serverS, async () => {
    const now = await scoped.compute.servers.get(server.id);
    if (now.status === 'ACTIVE') return { done: true, value: now };
    if (now.status === 'ERROR') {
      throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `test server ${s.name} (${server.id}) went ERROR${now.fault ? `: ${now.fault.message}` : ''}`, { details: { server: server.id } });
    }
    return { done: false, status: now.status };
  });
}

async function seedVolume(ctx: SeedContext, v: VolumeSpec, scoped: Cloud, projectId: string, serverId: string | undefined): Promise<Volume> {
  const cinder = scoped.volume;
  if (!cinder) throw new PumphouseError('PH_CATALOG_MISSING', 'the source cloud has no block storage (Cinder): run setup with --num-volumes 0, or without volumes in CLOUDS.source.workloads');
  const volume = await ctx.once(
    'volume',
    v.name,
    async () => {
      // The scoped token lists only the tenant's own volumes: the project is setup's.
      const found = (await cinder.volumes.list({ name: v.name })).find((x) => x.name === v.name && (x.tenantId === null || x.tenantId === projectId));
      return found ? { value: found, ours: true } : undefined;
    },
    () => cinder.volumes.create({ size: v.sizeGb, name: v.name, description: setupDescription('pumphouse test volume'), metadata: SETUP_ENTRIES }),
  );
  const settled = await ctx.wait('volume available', `volume[${v.name}]`, ctx.timeouts.volumeS, async () => {
    const now = await cinder.volumes.get(volume.id);
    if (now.status === 'available' || now.status === 'in-use') return { done: true, value: now };
    if (now.status === 'error') throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `test volume ${v.name} (${volume.id}) went error`);
    return { done: false, status: now.status };
  });
  if (!serverId || settled.attachments.some((a) => a.serverId === serverId)) return settled;
  await scoped.compute.servers.attachVolume(serverId, volume.id);
  return ctx.wait('volume in-use', `volume[${v.name}]`, ctx.timeouts.volumeS, async () => {
    const now = await cinder.volumes.get(volume.id);
    if (now.status === 'in-use') return { done: true, value: now };
    if (now.status === 'error' || now.status === 'error_attaching') throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `test volume ${v.name} (${volume.id}) failed to attach (${now.status})`);
    return { done: false, status: now.status };
  });
}

/** Neutron: a floating IP on the server's port; nova-network: one allocated from the first pool and added to the server. */
async function seedFloatingIp(ctx: SeedContext, t: TenantSpec, projectId: string, scoped: Cloud, network: SeededNetwork, server: Server): Promise<void> {
  const name = `${t.name} floating IP`;
  const net = ctx.cloud.network;
  if (net) {
    if (!network.externalNetworkId) return;
    const externalNetworkId = network.externalNetworkId;
    const port = (await net.ports.list({ device_id: server.id, network_id: network.networkId }))[0];
    if (!port) throw new PumphouseError('PH_CLOUD_BAD_RESPONSE', `test server ${server.name} (${server.id}) has no port on ${t.network.name}`);
    const described = net.extensions.has('standard-attr-description');
    await ctx.once(
      'floating_ip',
      name,
      async () => {
        const found = (await net.floatingIps.list({ tenant_id: projectId })).find((f) => f.portId === port.id);
        return found ? { value: found, ours: true } : undefined;
      },
      async () => {
        const made = await net.floatingIps.create({ floatingNetworkId: externalNetworkId, tenantId: projectId, portId: port.id, ...(described ? { description: setupDescription('pumphouse test address') } : {}) });
        if (net.supportsTags('floatingips')) await net.addTag('floatingips', made.id, SETUP_TAG);
        return made;
      },
    );
    return;
  }
  const nn = scoped.novaNetwork!;
  const pools = await nn.floatingIpPools();
  if (pools.length === 0) {
    ctx.warn(`the source has no floating IP pool: tenant ${t.name} gets no floating IP`);
    return;
  }
  await ctx.once(
    'floating_ip',
    name,
    async () => {
      const found = (await nn.floatingIps.list()).find((f) => f.instanceId === server.id);
      return found ? { value: found, ours: true } : undefined;
    },
    async () => {
      const made = await nn.floatingIps.allocate(pools[0]);
      await scoped.compute.servers.addFloatingIp(server.id, made.ip);
      return made;
    },
  );
}
