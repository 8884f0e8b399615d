// A small world for keypairs read as their owner: a throwaway MariaDB holding both clouds'
// Keystone databases, a Juno nova-network source (Nova below 2.10: an admin sees only its own
// keypairs) with one tenant, one non-admin user owning `key-1` and one server using it, a
// modern Neutron destination, and config + manifest (`passwords: copy-hash`) in a temp folder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIdentityDb } from '../../../src/identity-db/index.js';
import { simConfigYaml, simManifestYaml } from '../../../src/sim/cli/files.js';
import { startSimulator, type Simulator } from '../../../src/sim/index.js';
import type { ThrowawayMariaDb } from '../../support/mariadb.js';

export interface OwnerKeypairWorld {
  readonly sim: Simulator;
  readonly dir: string;
  readonly config: string;
  readonly manifest: string;
  readonly state: string;
  readonly recovery: string;
  readonly sourceDbUrl: string;
  /** The key owner: a member of the tenant, not the admin. */
  readonly owner: { readonly id: string; readonly name: string; readonly password: string; readonly tenant: string };
  /** The owner's hash in the source Keystone database, as it is now. */
  sourceHash(): Promise<string | null>;
  close(): Promise<void>;
}

/** Builds the world in databases `<prefix>_src` and `<prefix>_dst` of `db`. */
export async function ownerKeypairWorld(db: ThrowawayMariaDb, prefix: string, seed = 11): Promise<OwnerKeypairWorld> {
  await db.sql(`CREATE DATABASE ${prefix}_src; CREATE DATABASE ${prefix}_dst`);
  const sourceDbUrl = db.url(`${prefix}_src`);
  const sim = await startSimulator({
    seed,
    source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast', identityDbUrl: sourceDbUrl },
    destination: { release: 'modern', network: 'neutron', hashCost: 'fast', identityDbUrl: db.url(`${prefix}_dst`) },
    knobs: { timeScale: 0.01 },
    generate: { tenants: 1, usersPerTenant: 1, serversPerTenant: 1, volumesPerTenant: 0, imagesPerTenant: 1, publicImages: 0, floatingIpsPerTenant: 0, imageSize: 16 * 1024 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'ph-owner-key-'));
  const config = join(dir, 'config.yaml');
  const manifest = join(dir, 'manifest.yaml');
  await writeFile(config, simConfigYaml(sim.source, sim.destination, undefined, { source: sourceDbUrl, destination: db.url(`${prefix}_dst`) }));
  await writeFile(manifest, simManifestYaml(sim.generated, true));
  const t = sim.generated.tenants[0]!;
  const u = t.users[0]!;
  return {
    sim, dir, config, manifest, sourceDbUrl,
    state: join(dir, 'state.json'),
    recovery: join(dir, 'pumphouse.owner-passwords'),
    owner: { id: u.id, name: u.name, password: u.password, tenant: t.name },
    async sourceHash() {
      const c = await openIdentityDb(sourceDbUrl);
      try {
        return (await c.readPasswordHash(u.id))?.value ?? null;
      } finally {
        await c.close();
      }
    },
    async close() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
