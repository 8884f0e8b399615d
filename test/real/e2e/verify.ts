/**
 * What the destination must hold after migrating a SeededTenant, checked object by object
 * against the source's values, and counted (exactly one of each: a resumed apply must not make
 * duplicates). Answers every problem found, so one run shows them all.
 */
import { createHash } from 'node:crypto';
import { existsSync, openSync, readSync, closeSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCloud, type Cloud } from '../../../src/openstack/index.js';
import { volumeDigest } from '../kinds-data-cinder.js';
import type { SeededTenant } from './seed-tenant.js';

const BASE = process.env['PUMPHOUSE_TESTBED_BASE'] ?? '/var/tmp/pumphouse-testbed';

/** The expectations a test may tamper with on purpose (to prove the checks can fail). */
export interface Expectations {
  readonly fixedIp: string;
  readonly volumeBytes: Buffer;
}

export async function verifyDestination(src: Cloud, dst: Cloud, t: SeededTenant, expect: Expectations = { fixedIp: t.fixedIp, volumeBytes: t.volume.bytes }): Promise<string[]> {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const one = <T>(list: readonly T[], what: string): T | undefined => {
    check(list.length === 1, `${what}: ${list.length} found, expected exactly 1`);
    return list[0];
  };

  // Identity: the project once, each user once with its role, and logging in with the SOURCE password.
  const project = one((await dst.identity.projects.list()).filter((p) => p.name === t.name), `project ${t.name}`);
  if (!project) return problems;
  const pid = project.id;
  const users = await dst.identity.users.list();
  const roles = new Map((await dst.identity.roles.list()).map((r) => [r.id, r.name]));
  const grants = await dst.identity.roleAssignments.list({ projectId: pid });
  for (const u of t.users) {
    const du = one(users.filter((x) => x.name === u.name), `user ${u.name}`);
    if (!du) continue;
    const has = grants.filter((g) => g.userId === du.id).map((g) => roles.get(g.roleId));
    check(has.includes(u.role), `user ${u.name} has roles [${has.join(', ')}] in ${t.name}, expected ${u.role}`);
    try {
      const as = await openCloud({ authUrl: dst.session.authUrl, username: u.name, password: u.password, projectId: pid, userDomainName: 'Default' }, { name: `${u.name}@destination` });
      await as.close();
    } catch (e) {
      problems.push(`user ${u.name} cannot log in to the destination with the source password: ${(e as Error).message}`);
    }
  }
  check(!grants.some((g) => g.userId === dst.session.userId), 'the admin membership pumphouse granted is revoked');

  // Keypair: alice's, same public key.
  const alice = users.find((x) => x.name === t.users[0]!.name);
  if (alice) {
    const keys = (await dst.compute.keypairs.list({ userId: alice.id })).filter((k) => k.name === t.keypair.name);
    const k = one(keys, `keypair ${t.keypair.name} of ${alice.name}`);
    if (k) {
      const full = await dst.compute.keypairs.get(k.name, { userId: alice.id });
      check(full.publicKey.trim() === t.keypair.publicKey.trim(), `keypair ${k.name}: public key differs`);
      check(full.fingerprint === t.keypair.fingerprint, `keypair ${k.name}: fingerprint ${full.fingerprint}, expected ${t.keypair.fingerprint}`);
    }
  }

  // Security groups, with the rule that names the other group.
  const net = dst.network!;
  const groups = await net.securityGroups.list({ tenant_id: pid });
  const web = one(groups.filter((g) => g.name === 'web'), 'security group web');
  const db = one(groups.filter((g) => g.name === 'db'), 'security group db');
  one(groups.filter((g) => g.name === 'default'), 'security group default');
  // pumphouse appends its marker to Neutron descriptions (` [pumphouse_source=<id> kind=...]`).
  check(/^web servers( \[pumphouse_source=|$)/.test(web?.description ?? '') && /^databases( \[pumphouse_source=|$)/.test(db?.description ?? ''), `group descriptions '${web?.description}', '${db?.description}'`);
  if (web && db) {
    const rules = await net.securityGroupRules.list({ tenant_id: pid });
    const ingress = (g: string) => rules.filter((r) => r.securityGroupId === g && r.direction === 'ingress');
    one(ingress(web.id).filter((r) => r.protocol === 'tcp' && r.portRangeMin === 80 && r.portRangeMax === 80 && r.remoteIpPrefix === '0.0.0.0/0'), 'web ingress tcp 80 from 0.0.0.0/0');
    one(ingress(db.id).filter((r) => r.protocol === 'tcp' && r.portRangeMin === 3306 && r.portRangeMax === 3306 && r.remoteGroupId === web.id), 'db ingress tcp 3306 from the destination web group');
    check(ingress(web.id).length === 1 && ingress(db.id).length === 1, `ingress rules: web ${ingress(web.id).length}, db ${ingress(db.id).length}, expected 1 each`);
  }

  // Network, subnet, router with its gateway to public and its interface.
  const network = one((await net.networks.list({ tenant_id: pid })).filter((n) => n.name === 'private'), 'network private');
  // Not checked: the network's description ('app network'). The planner does not carry
  // descriptions of networks, subnets, routers, ports or floating IPs; the destination's
  // holds only the marker (docs/operators/real-cloud-notes.md).
  const subnets = await net.subnets.list({ tenant_id: pid });
  const subnet = one(subnets.filter((s) => s.name === 'private-subnet'), 'subnet private-subnet');
  if (subnet) {
    check(subnet.cidr === t.cidr, `subnet CIDR ${subnet.cidr}, expected ${t.cidr}`);
    check(subnet.gatewayIp === t.gateway, `subnet gateway ${subnet.gatewayIp}, expected ${t.gateway}`);
    check(subnet.dnsNameservers.join(',') === '192.0.2.53', `subnet DNS ${subnet.dnsNameservers.join(',')}`);
    check(subnet.networkId === network?.id, 'subnet on the private network');
  }
  const pub = (await net.networks.list({ name: 'public' }))[0];
  const router = one((await net.routers.list({ tenant_id: pid })).filter((r) => r.name === 'r1'), 'router r1');
  if (router) {
    check(router.externalGateway?.networkId === pub?.id, `router r1 gateway on ${router.externalGateway?.networkId ?? 'nothing'}, expected public ${pub?.id}`);
    const ifaces = (await net.ports.list({ device_id: router.id })).filter((p) => p.deviceOwner === 'network:router_interface');
    check(ifaces.length === 1 && ifaces[0]!.fixedIps.some((f) => f.subnetId === subnet?.id && f.ipAddress === t.gateway), `router r1 interface on the subnet at ${t.gateway}`);
  }

  // The server, its port (fixed IP, MAC, groups), its floating IP, its volume.
  const servers = (await dst.compute.servers.list({ allTenants: true, projectId: pid })).filter((s) => s.name === 'app');
  const server = one(servers, 'server app');
  const computePorts = (await net.ports.list({ tenant_id: pid })).filter((p) => p.deviceOwner.startsWith('compute:'));
  const port = one(computePorts, 'server port');
  if (server) {
    const full = await dst.compute.servers.get(server.id);
    check(full.status === 'ACTIVE', `server app is ${full.status}, expected ACTIVE`);
    check(full.keyName === t.keypair.name, `server key ${full.keyName}, expected ${t.keypair.name}`);
    check(full.metadata['role'] === 'app', 'server metadata role=app');
    const groups = (await dst.compute.serverGroups.list({ allProjects: true })).filter((g) => g.members.includes(full.id));
    check(groups.length === 1 && groups[0]!.name === `${t.name}-ha` && groups[0]!.policies[0] === 'anti-affinity' && groups[0]!.projectId === pid, `server groups of the copy: ${JSON.stringify(groups.map((g) => [g.name, g.policies, g.projectId]))}, expected one anti-affinity '${t.name}-ha' in the tenant`);
    const fixed = Object.values(full.addresses).flat().filter((a) => a.type === 'fixed').map((a) => a.addr);
    check(fixed.length === 1 && fixed[0] === expect.fixedIp, `server fixed IPs [${fixed.join(', ')}], expected ${expect.fixedIp}`);
    if (port) {
      check(port.deviceId === full.id, 'the port is the server NIC');
      check(port.fixedIps.length === 1 && port.fixedIps[0]!.ipAddress === expect.fixedIp && port.fixedIps[0]!.subnetId === subnet?.id, `port fixed IPs ${JSON.stringify(port.fixedIps)}, expected ${expect.fixedIp}`);
      check(port.macAddress === t.mac, `port MAC ${port.macAddress}, expected ${t.mac}`);
      check(web !== undefined && db !== undefined && [...port.securityGroupIds].sort().join() === [web.id, db.id].sort().join(), 'port carries web and db');
      const pairs = port.allowedAddressPairs.map((a) => `${a.ipAddress} ${a.macAddress}`);
      check(pairs.join() === `${t.vip} ${t.mac}`, `port address pairs [${pairs.join(', ')}], expected ${t.vip} with the port's MAC`);
    }
    const fips = await net.floatingIps.list({ tenant_id: pid });
    const fip = one(fips, 'floating IP');
    if (fip && port) {
      check(fip.portId === port.id && fip.fixedIpAddress === expect.fixedIp, `floating IP ${fip.floatingIpAddress} on port ${fip.portId} (${fip.fixedIpAddress}), expected the server port at ${expect.fixedIp}`);
      check(fip.floatingNetworkId === pub?.id, 'floating IP on public');
    }
    const volumes = (await dst.volume!.volumes.list({ allTenants: true, projectId: pid })).filter((v) => v.name === t.volume.name);
    const vol = one(volumes, `volume ${t.volume.name}`);
    if (vol) {
      if (t.attached) {
        check(vol.status === 'in-use' && vol.attachments.some((a) => a.serverId === full.id), `volume ${vol.name} is ${vol.status}, attached to [${vol.attachments.map((a) => a.serverId).join(', ')}], expected in-use on the server`);
        check(full.volumesAttached.includes(vol.id), 'the server lists the volume');
      } else {
        check(vol.status === 'available' && vol.attachments.length === 0, `volume ${vol.name} is ${vol.status}, expected available (detached, as in the source)`);
      }
      check(vol.size === 1 && vol.metadata['tier'] === 'gold' && vol.description === 'known bytes', `volume size/metadata/description: ${vol.size} ${JSON.stringify(vol.metadata)} ${vol.description}`);
      const head = volumeHead('destination', vol.id, expect.volumeBytes.length);
      if (head) check(head.equals(expect.volumeBytes), `volume bytes: the first ${expect.volumeBytes.length} bytes differ (sha256 ${sha(head)} vs ${sha(expect.volumeBytes)})`);
      const [a, b] = await Promise.all([volumeDigest(src, 'source', t.volume.id), volumeDigest(dst, 'destination', vol.id)]);
      check(a.digest === b.digest, `volume digest ${b.digest}, source ${a.digest} (${a.how})`);
    }
  }

  // The private image: same bytes (checksum), owner, property; exactly once.
  const images = (await dst.image.list()).filter((i) => i.name === t.image.name);
  const image = one(images, `image ${t.image.name}`);
  if (image) {
    check(image.checksum === t.image.checksum, `image checksum ${image.checksum}, expected ${t.image.checksum}`);
    check(image.owner === pid && image.visibility === 'private', `image owner ${image.owner} ${image.visibility}`);
    check(image.properties['os_distro'] === 'e2e', 'image property os_distro');
  }

  // Quotas.
  const [cq, nq, vq] = await Promise.all([dst.compute.quotas.get(pid), net.quotas.get(pid), dst.volume!.quotas.get(pid)]);
  for (const [what, want, got] of [['compute', t.quotas.compute, cq], ['network', t.quotas.network, nq], ['volume', t.quotas.volume, vq]] as const) {
    for (const [k, v] of Object.entries(want)) check(got[k] === v, `${what} quota ${k} = ${got[k]}, expected ${v}`);
  }

  // No temporary left behind (snapshots and volume uploads are named after the source ids).
  for (const [side, cloud] of [['source', src], ['destination', dst]] as const) {
    const temps = (await cloud.image.list()).filter((i) => i.name.includes(t.serverId) || i.name.includes(t.volume.id));
    check(temps.length === 0, `${side} temporary images left: ${temps.map((i) => i.name).join(', ')}`);
  }
  return problems;
}

/** The first `n` bytes of a volume's file, when the testbed's Cinder share is on this machine. */
export function volumeHead(side: string, id: string, n: number): Buffer | null {
  const mnt = join(BASE, side, 'data', 'cinder', 'mnt');
  if (!existsSync(mnt)) return null;
  for (const dir of readdirSync(mnt)) {
    const f = join(mnt, dir, `volume-${id}`);
    if (!existsSync(f)) continue;
    const fd = openSync(f, 'r');
    try {
      const buf = Buffer.alloc(n);
      const got = readSync(fd, buf, 0, n, 0);
      return buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }
  return null;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex').slice(0, 12);
}
