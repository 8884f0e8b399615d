/**
 * Source servers and destination tenants for the server real-cloud tests, made directly with
 * the clients (what the part-1 kinds would have made: project with the admin's role, user
 * with keypair, network, subnet, router, port with the source's fixed IP and MAC, floating
 * IP on it), and the cleanup of everything named with the test prefix.
 */
import { Readable } from 'node:stream';
import type { Cloud } from '../../src/openstack/index.js';
import { sshPublicKey } from '../kinds/support/ssh-key.js';
import { until } from './kinds-data-harness.js';
import { sweepTestObjects } from './sweep.js';

export interface SourceServer {
  readonly id: string;
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
}

/** A network, subnet and tiny image in the source admin project (shared by a file's servers). */
export async function sourceNetwork(src: Cloud, prefix: string, cidr: string): Promise<{ networkId: string; subnetId: string; imageId: string }> {
  const net = await src.network!.networks.create({ name: `${prefix}-net` });
  const sub = await src.network!.subnets.create({ networkId: net.id, cidr, name: `${prefix}-sub` });
  const img = await src.image.create({ name: `${prefix}-boot`, diskFormat: 'raw', containerFormat: 'bare' });
  await src.image.upload(img.id, Readable.from([Buffer.alloc(4096, 1)]), 4096);
  return { networkId: net.id, subnetId: sub.id, imageId: img.id };
}

/** An ACTIVE source server on a port with a fixed IP, with metadata. */
export async function sourceServer(src: Cloud, prefix: string, name: string, n: { networkId: string; subnetId: string; imageId: string }, ip: string): Promise<SourceServer> {
  const port = await src.network!.ports.create({ networkId: n.networkId, name: `${prefix}-${name}`, fixedIps: [{ subnetId: n.subnetId, ipAddress: ip }] });
  const tiny = (await src.compute.flavors.list()).find((f) => f.name === 'm1.tiny')!;
  const made = await src.compute.servers.create({ name: `${prefix}-${name}`, flavorId: tiny.id, imageId: n.imageId, networks: [{ port: port.id }], metadata: { role: 'web' } });
  await serverStatus(src, made.id, 'ACTIVE');
  return { id: made.id, name: `${prefix}-${name}`, ip, mac: port.macAddress };
}

/** Nova's instance actions of a server, oldest first (`create`, `suspend`, `createImage`...). */
export async function instanceActions(cloud: Cloud, id: string): Promise<string[]> {
  const res = await cloud.session.request<{ instanceActions: { action: string }[] }>({
    service: 'compute',
    method: 'GET',
    url: `${cloud.session.endpoint('compute')}/servers/${id}/os-instance-actions`,
  });
  // Nova lists newest first (created_at, then id, descending): seconds alone can tie.
  return (res.data?.instanceActions ?? []).map((a) => a.action).reverse();
}

export async function serverStatus(cloud: Cloud, id: string, status: string, timeoutS = 180): Promise<void> {
  await until(
    `server ${id} ${status}`,
    async () => {
      const s = await cloud.compute.servers.get(id);
      if (s.status === 'ERROR') throw new Error(`server ${id} ERROR: ${s.fault?.message ?? ''}`);
      return s.status === status && !s.taskState ? true : undefined;
    },
    timeoutS,
  );
}

export interface DestinationTenant {
  readonly projectId: string;
  readonly userId: string;
  readonly keyName: string;
  readonly networkId: string;
  readonly subnetId: string;
  readonly routerId: string;
  readonly defaultGroupId: string;
  readonly flavorId: string;
}

/** The destination side a server migration relies on, as the part-1 actions leave it. */
export async function destinationTenant(dst: Cloud, prefix: string, cidr: string): Promise<DestinationTenant> {
  const id = dst.identity;
  const p = await id.projects.create({ name: `${prefix}-acme`, description: 'phd server test' });
  const admin = (await id.roles.findByName('admin'))!;
  await id.roleAssignments.grant({ userId: dst.session.userId!, projectId: p.id, roleId: admin.id });
  const alice = await id.users.create({ name: `${prefix}-alice`, password: `${prefix}-pw`, defaultProjectId: p.id });
  const keyName = `${prefix}-k1`;
  await dst.compute.keypairs.create({ name: keyName, publicKey: sshPublicKey().publicKey, userId: alice.id });
  const net = dst.network!;
  const n = await net.networks.create({ name: `${prefix}-net`, tenantId: p.id });
  const sn = await net.subnets.create({ networkId: n.id, cidr, name: `${prefix}-sub`, tenantId: p.id });
  const pub = (await net.networks.list({ name: 'public' }))[0]!;
  const r = await net.routers.create({ name: `${prefix}-r1`, tenantId: p.id, externalGateway: { networkId: pub.id } });
  await net.routers.addInterface(r.id, { subnetId: sn.id });
  const dflt = await until('default group', async () => (await net.securityGroups.list({ tenant_id: p.id, name: 'default' }))[0]);
  const tiny = (await dst.compute.flavors.list()).find((f) => f.name === 'm1.tiny')!;
  return { projectId: p.id, userId: alice.id, keyName, networkId: n.id, subnetId: sn.id, routerId: r.id, defaultGroupId: dflt.id, flavorId: tiny.id };
}

/** The port a port action makes for a server NIC: same fixed IP and MAC, the server's groups. */
export async function destinationPort(dst: Cloud, t: DestinationTenant, s: SourceServer): Promise<string> {
  const port = await dst.network!.ports.create({
    networkId: t.networkId,
    name: s.name,
    tenantId: t.projectId,
    macAddress: s.mac,
    fixedIps: [{ subnetId: t.subnetId, ipAddress: s.ip }],
    securityGroupIds: [t.defaultGroupId],
  });
  return port.id;
}

/** A floating IP on the public network associated with `portId` (what a floating_ip action does). */
export async function floatingIpOn(dst: Cloud, t: DestinationTenant, portId: string): Promise<{ id: string; address: string }> {
  const pub = (await dst.network!.networks.list({ name: 'public' }))[0]!;
  const f = await dst.network!.floatingIps.create({ floatingNetworkId: pub.id, tenantId: t.projectId, portId });
  return { id: f.id, address: f.floatingIpAddress };
}

/**
 * Deletes every object named with `prefix` (and the temporaries named after the given source
 * ids) in both clouds; answers what could not be deleted.
 */
export async function wipeServers(clouds: readonly Cloud[], prefix: string, sourceIds: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      if ((e as { status?: number }).status !== 404) left.push(`${what}: ${(e as Error).message}`);
    }
  };
  const ours = (name: string) => name.startsWith(prefix) || sourceIds.some((id) => name.includes(id));
  for (const c of clouds) {
    for (const s of await c.compute.servers.list({ allTenants: true })) {
      if (ours(s.name)) await attempt(`server ${s.id}`, async () => {
        await c.compute.servers.delete(s.id);
        await until(`server ${s.id} gone`, async () => (await c.compute.servers.get(s.id).then(() => undefined, () => true)));
      });
    }
    for (const v of await c.volume!.volumes.list({ allTenants: true })) {
      if (ours(v.name) || sourceIds.includes(v.metadata['pumphouse_source'] ?? '')) await attempt(`volume ${v.id}`, async () => {
        await c.volume!.volumes.delete(v.id);
        await until(`volume ${v.id} gone`, async () => (await c.volume!.volumes.get(v.id).then(() => undefined, () => true)));
      });
    }
    for (const i of await c.image.list()) if (ours(i.name)) await attempt(`image ${i.id}`, () => c.image.delete(i.id));
    const net = c.network!;
    for (const f of await net.floatingIps.list({})) {
      const port = f.portId ? await net.ports.get(f.portId).catch(() => null) : null;
      if (port && ours(port.name)) await attempt(`floating ip ${f.id}`, () => net.floatingIps.delete(f.id));
    }
    for (const p of await net.ports.list({})) if (ours(p.name)) await attempt(`port ${p.id}`, () => net.ports.delete(p.id));
    for (const r of await net.routers.list({})) {
      if (!ours(r.name)) continue;
      for (const sn of await net.subnets.list({})) if (ours(sn.name)) await net.routers.removeInterface(r.id, { subnetId: sn.id }).catch(() => undefined);
      await attempt(`router ${r.id}`, () => net.routers.delete(r.id));
    }
    for (const n of await net.networks.list({})) if (ours(n.name)) await attempt(`network ${n.id}`, () => net.networks.delete(n.id));
    for (const k of await c.compute.keypairs.list()) if (ours(k.name)) await attempt(`admin keypair ${k.name}`, () => c.compute.keypairs.delete(k.name));
    for (const u of await c.identity.users.list()) if (ours(u.name)) await attempt(`user ${u.id}`, () => c.identity.users.delete(u.id));
    for (const p of await c.identity.projects.list()) if (ours(p.name)) await attempt(`project ${p.id}`, () => c.identity.projects.delete(p.id));
  }
  return left;
}

/**
 * Deletes everything named with `prefix` and everything its projects own, in one cloud (the
 * test:real sweep narrowed to one run: test/real/sweep.ts); answers what could not be deleted.
 */
export async function wipeTenants(cloud: Cloud, prefix: string): Promise<string[]> {
  return [...(await sweepTestObjects(cloud, { names: (n) => n.startsWith(prefix) })).failed];
}
