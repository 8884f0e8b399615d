// A simulated migration for the torture tests: a Juno nova-network FlatDHCP source with one
// generated tenant holding every kind (users, security groups with a group reference, a
// fixed network, an image, an attached and a detached volume, two servers, a floating IP,
// quotas), a modern Neutron destination, the config and manifest `pumphouse sim` writes, and
// the plan the app's plan() makes for them. Two worlds with the same seed start identical.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan, type WholePlan } from '../../src/app/index.js';
import type { Inventory } from '../../src/inventory/index.js';
import { simConfigYaml, simManifestYaml } from '../../src/sim/cli/files.js';
import { startSimulator, type SimKnobs, type Simulator } from '../../src/sim/index.js';
import type { ThrowawayMariaDb } from '../support/mariadb.js';

export interface TortureWorld {
  readonly sim: Simulator;
  readonly dir: string;
  readonly config: string;
  readonly manifest: string;
  readonly state: string;
  /** Where `identity.passwords: reset` writes the new passwords. */
  readonly passwords: string;
  /** Where the owners' original hashes wait while their keypairs are read (legacy sources). */
  readonly ownerPasswords: string;
  /** Plans the manifest against the clouds and the state now; writes the plan file when `out` is given. */
  plan(out?: string): Promise<{ readonly changes: number; readonly path?: string; readonly destination: Inventory; readonly source: Inventory }>;
  close(): Promise<void>;
}

/** Fast simulated timings: builds, copies and snapshots take a few milliseconds. */
export const FAST_KNOBS: Partial<SimKnobs> = { timeScale: 0.01 };

const VOLUME_BYTES = 256 * 1024;

export interface TortureOptions {
  readonly knobs?: Partial<SimKnobs>;
  /** Generated tenants, each with every kind; default 1. */
  readonly tenants?: number;
  /**
   * Keystone databases on this MariaDB (databases `<name>_source`/`_destination` are made):
   * password hashes are then copied (`copy-hash`) and the legacy owners' keypairs read as
   * their owners (a temporary hash, restored), which a kill must not leave changed.
   */
  readonly identityDb?: { readonly db: ThrowawayMariaDb; readonly name: string };
  /** The source cloud; default Juno with nova-network FlatDHCP. */
  readonly source?: TortureSource;
}

/** A source cloud the torture migrates from. */
export interface TortureSource {
  readonly release: 'havana' | 'icehouse' | 'juno';
  readonly network: 'nova-network:flatdhcp' | 'neutron';
}

export const JUNO_NOVA_NETWORK: TortureSource = { release: 'juno', network: 'nova-network:flatdhcp' };
/** Havana with Neutron: Keystone v2.0, Neutron without tags or standard attributes. */
export const HAVANA_NEUTRON: TortureSource = { release: 'havana', network: 'neutron' };

export async function tortureWorld(seed: number, o: TortureOptions = {}): Promise<TortureWorld> {
  const dbs = o.identityDb ? { source: `${o.identityDb.name}_source`, destination: `${o.identityDb.name}_destination` } : undefined;
  if (o.identityDb && dbs) await o.identityDb.db.sql(`CREATE DATABASE ${dbs.source}; CREATE DATABASE ${dbs.destination}`);
  const url = (name: string | undefined) => (o.identityDb && name ? { identityDbUrl: o.identityDb.db.url(name) } : {});
  const sim = await startSimulator({
    seed,
    source: { ...(o.source ?? JUNO_NOVA_NETWORK), hashCost: 'fast', ...url(dbs?.source) },
    destination: { release: 'modern', network: 'neutron', hashCost: 'fast', ...url(dbs?.destination) },
    knobs: o.knobs ?? FAST_KNOBS,
    generate: { tenants: o.tenants ?? 1, usersPerTenant: 2, serversPerTenant: 2, volumesPerTenant: 2, imagesPerTenant: 1, publicImages: 1, floatingIpsPerTenant: 1 },
  });
  // Generated volumes hold `size` GiB of bytes: 2 GiB through loopback per run is too slow
  // to repeat dozens of times. 256 KiB each keeps every step (upload, copy, checksum) real.
  for (const v of sim.source.store.volumes.all()) if (v.data?.kind === 'generated') v.data = { ...v.data, size: VOLUME_BYTES };
  const dir = await mkdtemp(join(tmpdir(), 'ph-torture-'));
  const config = join(dir, 'config.yaml');
  const manifest = join(dir, 'manifest.yaml');
  await writeFile(config, simConfigYaml(sim.source, sim.destination, undefined, dbs && o.identityDb ? { source: o.identityDb.db.url(dbs.source), destination: o.identityDb.db.url(dbs.destination) } : {}));
  await writeFile(manifest, simManifestYaml(sim.generated, dbs !== undefined));
  const state = join(dir, 'state.json');
  return {
    sim,
    dir,
    config,
    manifest,
    state,
    passwords: join(dir, 'passwords.txt'),
    ownerPasswords: join(dir, 'owner-passwords'),
    async plan(out) {
      let whole: WholePlan | undefined;
      const r = await plan({
        configPath: config,
        manifestPath: manifest,
        statePath: state,
        ...(out !== undefined ? { out } : {}),
        // The selector sees both inventories as discovery read them; it selects nothing.
        select: (w) => {
          whole = w;
          return { targets: [], excludes: [] };
        },
      });
      return {
        changes: r.plan.actions.filter((a) => a.action !== 'no-op').length,
        ...(r.path !== undefined ? { path: r.path } : {}),
        destination: whole!.destination,
        source: whole!.source,
      };
    },
    async close() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
