import { loadConfig } from '../../../config/index.js';
import { PumphouseError } from '../../../errors/index.js';
import { emit, type Reporter } from '../../../events/index.js';
import { openCloud } from '../../../openstack/index.js';
import { readPriorState } from '../../prior-state.js';
import { KeystoneSeed } from '../setup/keystone-seed.js';
import { deleteOurs, type Deletion } from './delete-ours.js';
import { inDeletionOrder, type Doomed } from './doomed.js';
import { findOurs, type CleanupSide } from './find-ours.js';
import { stateMade } from './state-made.js';

/** A question for the operator; the answer is 'yes' or 'no'. */
export interface Question {
  readonly id: string;
  readonly text: string;
  readonly default: 'yes' | 'no';
}

export type Asker = (question: Question) => Promise<'yes' | 'no'>;

export interface CleanupOptions {
  readonly configPath: string;
  /** The state: on the destination, what apply recorded creating is deleted too. */
  readonly statePath: string;
  readonly cloud: CleanupSide;
  /** Delete without asking (`--yes`). */
  readonly yes?: boolean;
  /** Asks the operator (the CLI on a terminal); absent = nobody can answer. */
  readonly ask?: Asker;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
}

export interface CleanupResult {
  /** What was found to be ours, in deletion order. */
  readonly found: readonly Doomed[];
  /** The operator said no: nothing was deleted. */
  readonly cancelled: boolean;
  readonly deletion?: Deletion;
}

/**
 * `pumphouse cleanup source|destination`: deletes what setup seeded or pumphouse made in that
 * cloud, found by its markers (and, on the destination, the state's record of what apply
 * created), and nothing else (findOurs), in dependency order (deleteOurs). First every object
 * is listed (`seed_object` events with change `found`), then confirmed: `yes`, or a `question`
 * event answered through `ask` (default no). Without `yes` and without anyone to ask it
 * refuses (PH_USAGE, nothing deleted). A failed deletion does not stop the others; the result
 * lists them (the CLI exits 1).
 */
export async function cleanup(options: CleanupOptions): Promise<CleanupResult> {
  const side = options.cloud;
  if (side !== 'source' && side !== 'destination') throw new PumphouseError('PH_USAGE', `cleanup takes source or destination, not '${String(side)}'`);
  const config = await loadConfig(options.configPath, options.env ? { env: options.env } : {});
  const target = config[side];
  if (!target) {
    throw new PumphouseError('PH_CONFIG_INVALID', `${config.file} names no ${side} cloud (CLOUDS.${side})`, { location: { file: config.file, field: `CLOUDS.${side}` } });
  }
  const state = side === 'destination' ? (await readPriorState(options.statePath, options.reporter)).state : null;
  const signal = options.signal ?? new AbortController().signal;
  const cloud = await openCloud(target.credentials, { name: side, ...(options.reporter ? { reporter: options.reporter } : {}), signal });
  try {
    const keystone = new KeystoneSeed(cloud);
    const found = inDeletionOrder(await findOurs(cloud, keystone, side, stateMade(state)));
    for (const d of found) {
      emit(options.reporter, 'seed_object', 'info', `cleanup will delete ${d.kind} ${d.name} (${d.id}): ${d.why}`, { verb: 'cleanup', cloud: side, kind: d.kind, name: d.name, id: d.id, change: 'found' });
    }
    if (found.length === 0) {
      emit(options.reporter, 'seed_complete', 'info', `cleanup: nothing of setup's or pumphouse's in the ${side} cloud`, { verb: 'cleanup', cloud: side, counts: { found: 0 } });
      return { found, cancelled: false };
    }
    if (!options.yes) {
      const question: Question = { id: 'cleanup.confirm', text: `Delete these ${found.length} object(s) from the ${side} cloud?`, default: 'no' };
      if (!options.ask) {
        throw new PumphouseError(
          'PH_USAGE',
          `cleanup would delete ${found.length} object(s) from the ${side} cloud and asks first, but there is no terminal to ask on: run it on a terminal, or pass --yes; nothing was deleted`,
        );
      }
      emit(options.reporter, 'question', 'info', `${question.text} [y/N]`, question);
      const answer = await options.ask(question);
      if (answer !== 'yes') {
        emit(options.reporter, 'seed_complete', 'info', 'cleanup cancelled: nothing was deleted', { verb: 'cleanup', cloud: side, counts: { found: found.length, deleted: 0 } });
        return { found, cancelled: true };
      }
    }
    const deletion = await deleteOurs(cloud, keystone, side, found, options.reporter, signal);
    emit(options.reporter, 'seed_complete', deletion.failed.length > 0 ? 'warn' : 'info', `cleanup: ${deletion.deleted} deleted, ${deletion.gone} already gone, ${deletion.failed.length} failed`, {
      verb: 'cleanup',
      cloud: side,
      counts: { found: found.length, deleted: deletion.deleted, gone: deletion.gone, failed: deletion.failed.length },
    });
    return { found, cancelled: false, deletion };
  } finally {
    await cloud.close();
  }
}
