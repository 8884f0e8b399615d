// The end-to-end world: a throwaway MariaDB holding both clouds' Keystone databases, a
// simulated legacy source with one generated tenant holding every kind, a modern Neutron
// destination, and the config + manifest (`identity.passwords: copy-hash`) next to a state file.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simConfigYaml, simManifestYaml } from '../../../src/sim/cli/files.js';
import { startSimulator, type CloudSpec, type SimCloud, type Simulator } from '../../../src/sim/index.js';
import { startMariaDb, type ThrowawayMariaDb } from '../../support/mariadb.js';

export interface E2eWorld {
  readonly sim: Simulator;
  readonly db: ThrowawayMariaDb;
  readonly dir: string;
  readonly config: string;
  readonly manifest: string;
  readonly state: string;
  /** Where `identity.passwords: reset` writes the new passwords (apply's default: beside the state). */
  readonly passwords: string;
  /** The Keystone databases as the config names them: a MariaDB user with a password. */
  readonly dbUrls: { readonly source: string; readonly destination: string };
  /** Secrets the world was made with: both admins' passwords and the database password. */
  readonly secrets: { readonly adminPasswords: readonly string[]; readonly dbPassword: string };
  /**
   * Every password presented to either Keystone since start (admins, users, and any temporary
   * password apply gives a keypair owner on a legacy source).
   */
  readonly presented: ReadonlySet<string>;
  /** Every token either simulated Keystone issued since start (ids only, in order). */
  readonly tokens: readonly string[];
  close(): Promise<void>;
}

/** The source profile of each scenario. */
export type SourceProfile = Pick<CloudSpec, 'release' | 'network'>;

/** Private flavor, extra role, quotas, address pairs and DHCP options (Neutron) added to the generated tenant (the generator has none of them on tenant 1). */
export const EXTRA = {
  flavor: { id: 'e2e-flavor', name: 'e2e.private', ram: 1024, vcpus: 2, disk: 5, extraSpecs: { 'hw:cpu_policy': 'shared', 'e2e:purpose': 'migration' } },
  role: 'e2e-observer',
  quotas: { compute: { instances: 17, cores: 33, ram: 65536 }, volume: { volumes: 19, gigabytes: 1900 }, network: { port: 77, floatingip: 7 } },
  addressPairs: [{ ip_address: '192.0.2.10' }, { ip_address: '198.51.100.0/28', mac_address: 'fa:16:3e:00:00:01' }],
  vipPort: 'e2e-vip',
  dhcpOptions: [{ opt_name: 'bootfile-name', opt_value: 'pxelinux.0', ip_version: 4 }, { opt_name: 'domain-search', opt_value: 'example.org', ip_version: 4 }],
} as const;

export interface E2eOptions {
  readonly seed?: number;
  /**
   * Give the destination the source's external range (203.0.113.0/24), as a forklift on the
   * same hardware has: floating IPs can keep their addresses. Otherwise the ranges are
   * disjoint and each floating IP gets a new address (a plan warning).
   */
  readonly sameFloatingRange?: boolean;
  /**
   * `copy-hash` (default): the config names both Keystone databases. `reset`: it names none
   * (the clouds still keep theirs), and apply writes new passwords to `world.passwords`.
   */
  readonly passwords?: 'copy-hash' | 'reset';
  /** Generated tenants (default 1); the extras go to the first. */
  readonly tenants?: number;
}

export async function e2eWorld(source: SourceProfile, options: E2eOptions = {}): Promise<E2eWorld> {
  const seed = options.seed ?? 7;
  const db = await startMariaDb();
  let sim: Simulator | undefined;
  try {
    // Random secrets (the simulator's default admin password is `admin`, like the user name):
    // the secret test greps for them.
    const secret = (prefix: string) => `${prefix}-${randomBytes(9).toString('base64url')}`;
    const adminPasswords = [secret('src-admin'), secret('dst-admin')] as const;
    const dbPassword = secret('db');
    await db.sql(
      `CREATE DATABASE ks_source; CREATE DATABASE ks_destination; CREATE USER 'pumphouse'@'%' IDENTIFIED BY '${dbPassword}';` +
        ` GRANT ALL ON ks_source.* TO 'pumphouse'@'%'; GRANT ALL ON ks_destination.* TO 'pumphouse'@'%'`,
    );
    const dbUrls = { source: dbUrlOf(db, dbPassword, 'ks_source'), destination: dbUrlOf(db, dbPassword, 'ks_destination') };
    sim = await startSimulator({
      seed,
      source: { ...source, hashCost: 'fast', identityDbUrl: db.url('ks_source'), adminPassword: adminPasswords[0] },
      destination: {
        release: 'modern', network: 'neutron', hashCost: 'fast', identityDbUrl: db.url('ks_destination'), adminPassword: adminPasswords[1],
        ...(options.sameFloatingRange ? { publicCidr: '203.0.113.0/24' } : {}),
      },
      knobs: { timeScale: 0.01 },
      generate: { tenants: options.tenants ?? 1, usersPerTenant: 2, serversPerTenant: 2, volumesPerTenant: 2, imagesPerTenant: 1, publicImages: 1, floatingIpsPerTenant: 1, imageSize: 32 * 1024 },
    });
    enrich(sim);
    const tokens: string[] = [];
    const presented = new Set<string>();
    for (const cloud of [sim.source, sim.destination]) {
      captureTokens(cloud, tokens);
      capturePasswords(cloud, presented);
    }
    const dir = await mkdtemp(join(tmpdir(), 'ph-e2e-'));
    const config = join(dir, 'config.yaml');
    const manifest = join(dir, 'manifest.yaml');
    const reset = options.passwords === 'reset';
    await writeFile(config, simConfigYaml(sim.source, sim.destination, undefined, reset ? {} : dbUrls));
    await writeFile(manifest, simManifestYaml(sim.generated, !reset));
    const running = sim;
    return {
      sim: running, db, dir, config, manifest, state: join(dir, 'state.json'), passwords: join(dir, 'pumphouse.passwords'), dbUrls, tokens, presented, secrets: { adminPasswords, dbPassword },
      async close() {
        await running.close();
        await db.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sim?.close();
    await db.stop();
    throw err;
  }
}

const dbUrlOf = (db: ThrowawayMariaDb, password: string, database: string): string =>
  `mysql://pumphouse:${encodeURIComponent(password)}@127.0.0.1:${db.port}/${database}`;

const VOLUME_BYTES = 64 * 1024;

/**
 * What the generator leaves out for a single tenant: a private flavor with extra specs and
 * access (used by the second server, which is stopped), a second role granted to the second user, and
 * non-default quotas in every service the source has.
 */
function enrich(sim: Simulator): void {
  const store = sim.source.store;
  const tenant = sim.generated.tenants[0]!;
  const f = EXTRA.flavor;
  store.flavors.insert({ id: f.id, name: f.name, ram: f.ram, vcpus: f.vcpus, disk: f.disk, swap: 0, ephemeral: 0, rxtxFactor: 1, isPublic: false, disabled: false, description: null, extraSpecs: { ...f.extraSpecs }, access: [tenant.id] });
  // The second server is also stopped, and booted with a config drive: its copy must be too.
  const second = store.servers.get(tenant.servers[1]!);
  if (second) Object.assign(second, { flavorId: f.id, vmState: 'stopped', powerState: 4, configDrive: 'True' });
  // Both servers in an affinity group (Icehouse+): their copies must boot into its copy.
  if (store.profile.novaServerGroups) {
    store.serverGroups.insert({ id: store.ids.uuid(), name: 'pair', projectId: tenant.id, userId: tenant.users[0]!.id, policies: ['affinity'], members: [...tenant.servers], metadata: {} });
  }
  const role = store.identity.roles.insert({ id: store.ids.hex(), name: EXTRA.role, description: undefined, domainId: null });
  store.identity.grant({ userId: tenant.users[1]!.id, roleId: role.id, scope: { kind: 'project', id: tenant.id } });
  // A 1 GB volume's data is 1 GiB of generated bytes, copied through both simulated Glances
  // (held in memory there): 64 KiB keeps the copy path whole and the test fast.
  for (const id of sim.generated.tenants.flatMap((t) => t.volumes)) {
    const v = store.volumes.get(id);
    if (v) v.data = { kind: 'generated', key: v.id, size: VOLUME_BYTES };
  }
  // The tenant's image is tagged (automation selects by tag): the copy must be too (Glance v2 sources).
  const tagged = store.images.get(tenant.images[0]!);
  if (tagged && store.profile.glanceV2) tagged.tags = ['backup=daily', 'os:cirros'];
  store.setQuota('compute', tenant.id, EXTRA.quotas.compute);
  store.setQuota('volume', tenant.id, EXTRA.quotas.volume);
  if (store.profile.neutron) store.setQuota('network', tenant.id, EXTRA.quotas.network);
  // A keepalived pair's port: a VIP without a MAC (Neutron shows the port's own) and a CIDR
  // with another MAC; and PXE/DNS DHCP options. The copy must carry them all.
  const nic = store.profile.neutron ? store.ports.find((p) => p.deviceId === tenant.servers[0]) : undefined;
  if (nic) {
    // The VIP's reservation: a port no device holds, on the same subnet.
    const subnetId = nic.fixedIps[0]!.subnetId;
    const ip = store.pools.get(subnetId)!.allocate()!;
    store.ports.insert({
      ...nic, id: store.ids.uuid(), name: EXTRA.vipPort, macAddress: 'fa:16:3e:00:00:02', fixedIps: [{ subnetId, ipAddress: ip }], deviceId: '', deviceOwner: '', status: 'DOWN',
      bindingHostId: '', allowedAddressPairs: [], securityGroups: [...nic.securityGroups], createdAt: store.now(),
    });
    nic.allowedAddressPairs = [...EXTRA.addressPairs];
    // A static route through a VM on the tenant's subnet (a VPN gateway): it must follow the router.
    const router = store.routers.find((r) => r.projectId === tenant.id);
    const cidr = store.subnets.get(subnetId)!.cidr;
    if (router) router.routes = [{ destination: '203.0.113.0/24', nexthop: cidr.replace(/\.0\/\d+$/, '.250') }];
    nic.extraDhcpOpts = EXTRA.dhcpOptions.map((o) => ({ ...o }));
  }
}

/** Records the id of every token the cloud issues (the secret test greps for them). */
function captureTokens(cloud: SimCloud, into: string[]): void {
  const issue = cloud.tokens.issue.bind(cloud.tokens);
  cloud.tokens.issue = (input) => {
    const rec = issue(input);
    into.push(rec.id);
    return rec;
  };
}

/** Records every password the cloud's Keystone is asked to verify. */
function capturePasswords(cloud: SimCloud, into: Set<string>): void {
  const vault = cloud.store.identity.passwords;
  const verify = vault.verify.bind(vault);
  vault.verify = (userId, password) => {
    into.add(password);
    return verify(userId, password);
  };
}
