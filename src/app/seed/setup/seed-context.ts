import { waitFor } from '../../../apply/wait.js';
import { PumphouseError } from '../../../errors/index.js';
import { emit, silentReporter, type Reporter } from '../../../events/index.js';
import type { WaitPoll } from '../../../kinds/contract.js';
import type { Cloud } from '../../../openstack/index.js';
import type { KeystoneSeed } from './keystone-seed.js';

/** How long setup waits for a cloud object (servers boot, volumes attach). */
export interface SeedTimeouts {
  readonly serverS: number;
  readonly volumeS: number;
}

export const DEFAULT_SEED_TIMEOUTS: SeedTimeouts = { serverS: 600, volumeS: 300 };

/** What every seeding step shares: the admin cloud, the counters, the reporter. */
export class SeedContext {
  readonly counts = { create: 0, adopt: 0 };
  readonly reporter: Reporter;

  constructor(
    readonly cloud: Cloud,
    readonly keystone: KeystoneSeed,
    readonly signal: AbortSignal,
    readonly timeouts: SeedTimeouts,
    reporter: Reporter | undefined,
  ) {
    this.reporter = reporter ?? silentReporter;
  }

  /** One `seed_object` event, counted. */
  record(kind: string, name: string, id: string, change: 'create' | 'adopt'): void {
    this.counts[change]++;
    emit(this.reporter, 'seed_object', 'info', `setup: ${change === 'create' ? 'created' : 'found (made by an earlier setup)'} ${kind} ${name} (${id})`, {
      verb: 'setup',
      cloud: 'source',
      kind,
      name,
      id,
      change,
    });
  }

  warn(text: string): void {
    emit(this.reporter, 'log', 'warn', text, { text });
  }

  /**
   * Finds the object (adopting what an earlier setup made) or creates it. `found.ours` false is
   * an object of that name setup did not make: setup refuses (PH_PRECONDITION_FAILED) rather
   * than take over, or later delete, someone else's object.
   */
  async once<T extends { readonly id: string }>(
    kind: string,
    name: string,
    find: () => Promise<{ readonly value: T; readonly ours: boolean } | undefined>,
    create: () => Promise<T>,
  ): Promise<T> {
    this.signal.throwIfAborted();
    const found = await find();
    if (found && !found.ours) {
      throw new PumphouseError(
        'PH_PRECONDITION_FAILED',
        `the source already has a ${kind} named '${name}' (${found.value.id}) that setup did not make (it carries no pumphouse_setup marker): rename or remove it, or name the test objects otherwise in CLOUDS.source.workloads`,
        { details: { kind, name, id: found.value.id } },
      );
    }
    if (found) {
      this.record(kind, name, found.value.id, 'adopt');
      return found.value;
    }
    const made = await create();
    this.record(kind, name, made.id, 'create');
    return made;
  }

  /** Polls until done, with `wait` events; PH_TIMEOUT / PH_ABORTED as apply's waits. */
  wait<T>(what: string, address: string, timeoutS: number, poll: () => Promise<WaitPoll<T>>): Promise<T> {
    return waitFor(`setup:${address}`, what, poll, { timeoutS, intervalMs: 500, maxIntervalMs: 5000 }, this.reporter, this.signal);
  }
}
