/**
 * The source tenant of the end-to-end migration, built through the APIs the way its people
 * would: the admin makes the project, two users with passwords, their role assignments and the
 * quotas; alice (a member, with her own password and token) makes her keypair, two security
 * groups (db admits web by remote group), a network + subnet + router to `public`, a port with
 * a fixed IP, a private image, a volume holding known bytes, and a server booted from the
 * image on that port, with the volume attached and a floating IP.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openCloud, type Cloud } from '../../../src/openstack/index.js';
import { sshPublicKey } from '../../kinds/support/ssh-key.js';
import { waitVolumeStatus } from '../kinds-data-cinder.js';
import { serverStatus } from '../kinds-data-fixtures.js';
import { until } from '../kinds-data-harness.js';

/** What the source holds, and so what the destination must hold after the migration. */
export interface SeededTenant {
  readonly name: string;
  readonly projectId: string;
  readonly users: readonly { readonly name: string; readonly id: string; readonly password: string; readonly role: string }[];
  readonly keypair: { readonly name: string; readonly publicKey: string; readonly fingerprint: string };
  readonly groups: { readonly web: string; readonly db: string };
  readonly cidr: string;
  readonly gateway: string;
  readonly fixedIp: string;
  readonly mac: string;
  readonly portId: string;
  /** The address pair of the server's port (no MAC: the port's own). */
  readonly vip: string;
  readonly routerId: string;
  readonly floatingIp: string;
  readonly image: { readonly id: string; readonly name: string; readonly checksum: string };
  readonly volume: { readonly id: string; readonly name: string; readonly bytes: Buffer };
  readonly serverId: string;
  /** Whether the volume is attached to the server (see forcedUploadEnabled). */
  readonly attached: boolean;
  readonly quotas: { readonly compute: Record<string, number>; readonly network: Record<string, number>; readonly volume: Record<string, number> };
}


/**
 * Whether the testbed's source Cinder uploads attached volumes (`enable_force_upload`). Its
 * NFS driver cannot clone an in-use volume either, so without it no tool can copy an attached
 * volume's bytes there (pumphouse answers PH_CLOUD_UNSUPPORTED, naming the option).
 */
export function forcedUploadEnabled(): boolean {
  const conf = join(process.env['PUMPHOUSE_TESTBED_BASE'] ?? '/var/tmp/pumphouse-testbed', 'source', 'etc', 'cinder', 'cinder.conf');
  return existsSync(conf) && /^\s*enable_force_upload\s*=\s*true\s*$/im.test(readFileSync(conf, 'utf8'));
}

/**
 * Builds the tenant `name` in `src`; `net` picks the 10.<net>.0.0/24 subnet; the volume is
 * attached to the server when `attach` is true.
 */
export async function seedTenant(src: Cloud, name: string, net: number, attach: boolean): Promise<SeededTenant> {
  const id = src.identity;
  const [project, member, reader] = await Promise.all([
    id.projects.create({ name, description: `pumphouse e2e tenant ${name}` }),
    id.roles.findByName('member'),
    id.roles.findByName('reader'),
  ]);
  if (!member || !reader) throw new Error('test: the testbed has no member or reader role');
  const users = [
    { name: `${name}-alice`, password: `Alice-${randomBytes(6).toString('hex')}`, role: 'member', roleId: member.id },
    { name: `${name}-bob`, password: `Bob-${randomBytes(6).toString('hex')}`, role: 'reader', roleId: reader.id },
  ];
  const made = await Promise.all(users.map((u) => id.users.create({ name: u.name, password: u.password, defaultProjectId: project.id, email: `${u.role}@example.com` })));
  await Promise.all(made.map((u, i) => id.roleAssignments.grant({ userId: u.id, projectId: project.id, roleId: users[i]!.roleId })));
  const quotas = {
    compute: { instances: 13, cores: 23, ram: 40960 },
    network: { floatingip: 9, security_group: 17, port: 70 },
    volume: { volumes: 17, gigabytes: 77 },
  };
  await Promise.all([src.compute.quotas.update(project.id, quotas.compute), src.network!.quotas.update(project.id, quotas.network), src.volume!.quotas.update(project.id, quotas.volume)]);

  const alice = made[0]!;
  const as = await openCloud({ authUrl: src.session.authUrl, username: alice.name, password: users[0]!.password, projectId: project.id, userDomainName: 'Default' }, { name: `${name}-alice` });
  try {
    const key = sshPublicKey(`${name}-alice`);
    const n = as.network!;
    const cidr = `10.${net}.0.0/24`;
    const gateway = `10.${net}.0.1`;
    const fixedIp = `10.${net}.0.50`;
    const vip = `10.${net}.0.200`;
    const pub = (await n.networks.list({ name: 'public' }))[0];
    if (!pub) throw new Error('test: no public network in the source');
    const volumeBytes = randomBytes(2 * 1024 * 1024);
    const imageBytes = randomBytes(96 * 1024);
    const [web, db, network] = await Promise.all([
      n.securityGroups.create({ name: 'web', description: 'web servers' }),
      n.securityGroups.create({ name: 'db', description: 'databases' }),
      n.networks.create({ name: 'private', description: 'app network' }),
      as.compute.keypairs.create({ name: `${name}-k1`, publicKey: key.publicKey }),
    ]);
    await Promise.all([
      n.securityGroupRules.create({ securityGroupId: web.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80, remoteIpPrefix: '0.0.0.0/0' }),
      n.securityGroupRules.create({ securityGroupId: db.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 3306, portRangeMax: 3306, remoteGroupId: web.id }),
    ]);
    const subnet = await n.subnets.create({ networkId: network.id, cidr, gatewayIp: gateway, name: 'private-subnet', dnsNameservers: ['192.0.2.53'] });
    const router = await n.routers.create({ name: 'r1', externalGateway: { networkId: pub.id } });
    await n.routers.addInterface(router.id, { subnetId: subnet.id });
    // A keepalived VIP the server may also answer for.
    const port = await n.ports.create({ networkId: network.id, name: 'app-port', fixedIps: [{ subnetId: subnet.id, ipAddress: fixedIp }], securityGroupIds: [web.id, db.id], allowedAddressPairs: [{ ipAddress: vip }] });

    // Known bytes in the volume: Cinder writes a raw image's bytes at the start of the volume.
    const [image, seed] = await Promise.all([upload(as, `${name}-app-image`, imageBytes, { os_distro: 'e2e' }), upload(as, `${name}-seed`, volumeBytes, {})]);
    const vol = await as.volume!.volumes.create({ size: 1, name: 'data', description: 'known bytes', imageId: seed.id, metadata: { tier: 'gold' } });
    await waitVolumeStatus(src, vol.id, 'available');
    await as.image.delete(seed.id);

    const tiny = (await as.compute.flavors.list()).find((f) => f.name === 'm1.tiny');
    if (!tiny) throw new Error('test: no m1.tiny flavor in the source');
    // Its copy must boot into a copy of the group (anti-affinity: the testbed has two hosts).
    // Test-named: Nova keeps a group after its project, and the sweep knows ours by name.
    const group = await as.compute.serverGroups.create(`${name}-ha`, 'anti-affinity');
    const server = await as.compute.servers.create({ name: 'app', flavorId: tiny.id, imageId: image.id, keyName: `${name}-k1`, networks: [{ port: port.id }], metadata: { role: 'app' }, serverGroupId: group.id });
    await serverStatus(src, server.id, 'ACTIVE');
    if (attach) {
      await as.compute.servers.attachVolume(server.id, vol.id);
      await waitVolumeStatus(src, vol.id, 'in-use');
    }
    const fip = await n.floatingIps.create({ floatingNetworkId: pub.id, portId: port.id });
    await until('source floating IP on the port', async () => ((await src.network!.floatingIps.get(fip.id)).portId === port.id ? true : undefined));
    return {
      name,
      projectId: project.id,
      users: users.map((u, i) => ({ name: u.name, id: made[i]!.id, password: u.password, role: u.role })),
      keypair: { name: `${name}-k1`, publicKey: key.publicKey, fingerprint: key.fingerprint },
      groups: { web: web.id, db: db.id },
      cidr,
      gateway,
      fixedIp,
      vip,
      mac: port.macAddress,
      portId: port.id,
      routerId: router.id,
      floatingIp: fip.floatingIpAddress,
      image: { id: image.id, name: `${name}-app-image`, checksum: image.checksum },
      volume: { id: vol.id, name: 'data', bytes: volumeBytes },
      serverId: server.id,
      attached: attach,
      quotas,
    };
  } finally {
    await as.close();
  }
}

async function upload(cloud: Cloud, name: string, data: Buffer, properties: Record<string, string>): Promise<{ id: string; checksum: string }> {
  const img = await cloud.image.create({ name, diskFormat: 'raw', containerFormat: 'bare', visibility: 'private', properties });
  await cloud.image.upload(img.id, Readable.from([data]), data.length);
  const checksum = await until(`image ${name} active`, async () => {
    const i = await cloud.image.get(img.id);
    return i.status === 'active' ? (i.checksum ?? '') : undefined;
  });
  const md5 = createHash('md5').update(data).digest('hex');
  if (checksum !== md5) throw new Error(`test: Glance checksum ${checksum} of ${name}, expected ${md5}`);
  return { id: img.id, checksum };
}
