// One migration run of an e2e world through the app API: discover the source, plan, apply,
// discover both clouds again and read the state, then plan once more (the "no changes" plan).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apply, plan } from '../../../src/app/index.js';
import type { ApplyResult } from '../../../src/apply/index.js';
import { discoverCloud } from '../../../src/discovery/index.js';
import { MemoryReporter } from '../../../src/events/index.js';
import type { Inventory } from '../../../src/inventory/index.js';
import type { Plan } from '../../../src/plan/index.js';
import type { StateFile } from '../../../src/state/index.js';
import { openAdmin } from '../../app/seed-support.js';
import { checksums, type SimCloud } from '../../../src/sim/index.js';
import { idMapOf, type AreaResult, type MigrationView, type SourceKeypair } from './compare.js';
import type { E2eWorld } from './world.js';

export interface MigrationRun {
  readonly view: MigrationView;
  readonly first: Plan;
  readonly applied: ApplyResult;
  readonly events: MemoryReporter;
  readonly planPath: string;
  /** Every keypair of the tenants' users, from the simulator's store (legacy Nova hides them). */
  readonly sourceKeypairs: readonly SourceKeypair[];
  readonly timings: Readonly<Record<string, number>>;
}

/** Everything one cloud holds, as discovery sees it with no manifest (every project in scope). */
export async function inventoryOf(cloud: SimCloud, role: 'source' | 'destination'): Promise<Inventory> {
  const c = await openAdmin(cloud);
  try {
    return (await discoverCloud(c, { role })).inventory;
  } finally {
    await c.close();
  }
}

export async function migrate(w: E2eWorld): Promise<MigrationRun> {
  const timings: Record<string, number> = {};
  const lap = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timings[name] = Math.round(performance.now() - t0);
    }
  };
  const tenants = w.sim.generated.tenants.map((t) => t.id);
  const users = new Set(w.sim.generated.tenants.flatMap((t) => t.users.map((u) => u.id)));
  const sourceKeypairs = w.sim.source.store.keypairs.all().filter((k) => users.has(k.userId)).map((k) => ({ userId: k.userId, name: k.name, publicKey: k.publicKey, fingerprint: k.fingerprint }));
  const before = await lap('discover source', () => inventoryOf(w.sim.source, 'source'));
  const planPath = join(w.dir, 'migration.plan.json');
  const first = await lap('plan', () => plan({ configPath: w.config, manifestPath: w.manifest, statePath: w.state, out: planPath }));
  const events = new MemoryReporter();
  const applied = await lap('apply', () => apply({ planPath, configPath: w.config, statePath: w.state, reporter: events, ...(first.sha256 ? { expectSha256: first.sha256 } : {}) }));
  const [after, destination] = await lap('discover both', () => Promise.all([inventoryOf(w.sim.source, 'source'), inventoryOf(w.sim.destination, 'destination')]));
  const state = JSON.parse(await readFile(w.state, 'utf8')) as StateFile;
  return { view: { before, after, destination, state, tenants }, first: first.plan, applied, events, planPath, sourceKeypairs, timings };
}

/**
 * The bytes of every migrated volume, read from the simulators' stores (no API gives a
 * volume's bytes): md5 of the source volume against md5 of its copy. Mismatch lines, or none.
 */
export async function compareVolumeBytes(w: E2eWorld, view: MigrationView): Promise<AreaResult> {
  const m = idMapOf(view.state);
  const mismatches: string[] = [];
  let checked = 0;
  const md5 = async (cloud: SimCloud, id: string): Promise<string | undefined> => {
    const v = cloud.store.volumes.get(id);
    return v ? (await checksums(cloud.readData(v.data, 'volume'))).md5 : undefined;
  };
  for (const s of view.before.volumes.filter((x) => view.tenants.includes(x.projectId))) {
    checked++;
    const [a, b] = await Promise.all([md5(w.sim.source, s.id), md5(w.sim.destination, m('volume', s.id))]);
    if (a === undefined || a !== b) mismatches.push(`volume[${s.name}] bytes: source md5 ${a}, destination md5 ${b}`);
  }
  return { checked, mismatches };
}
