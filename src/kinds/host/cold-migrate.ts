import { isAmbiguous, isCloudHttpError, type Cloud, type Server } from '../../openstack/index.js';
import type { StepContext } from '../contract.js';
import { sendSettled } from '../common/settle.js';
import { capacityError, saysNoValidHost } from './capacity.js';
import { sameHost } from './host-names.js';
import type { Evacuation } from './live-migrate.js';
import { serverOrNull, waitOffHost } from './move-outcome.js';
import { describeServer, serverPosition } from './server-position.js';

const KEY = 'cold_migrated_';

/**
 * The servers this step cold-migrated, remembered in the journal before each request (so a
 * resumed step confirms a migration left in VERIFY_RESIZE, which no longer lists on the
 * host). Writes are chained: the pool runs several moves at once.
 */
export class ColdMoves {
  #chain: Promise<void> = Promise.resolve();
  constructor(private readonly ctx: StepContext) {}

  /** Server ids an earlier run of this step remembered. */
  remembered(): string[] {
    return Object.keys(this.ctx.recorded.remembered ?? {})
      .filter((k) => k.startsWith(KEY))
      .map((k) => k.slice(KEY.length));
  }

  note(serverId: string): Promise<void> {
    this.#chain = this.#chain.then(() => this.ctx.remember({ [`${KEY}${serverId}`]: true }));
    return this.#chain;
  }
}

/**
 * Servers moved off `host` by a cold migration that still wait in VERIFY_RESIZE: those this
 * step remembered, and those `/os-migrations` lists as finished cold migrations from the
 * host (cold migrations are listed on every release; a `resize` is someone's and not
 * confirmed for them). A cloud refusing the migration list leaves the remembered ones.
 */
export async function unconfirmedOffHost(e: Evacuation, cloud: Cloud, moves: ColdMoves): Promise<Server[]> {
  const ids = new Set(moves.remembered());
  try {
    for (const m of await cloud.compute.migrations({ host: e.host, status: 'finished' })) {
      if (m.type === 'migration' && sameHost(m.sourceCompute, e.host)) ids.add(m.serverId);
    }
  } catch (err) {
    if (!isCloudHttpError(err, 403, 404)) throw err;
  }
  const out: Server[] = [];
  for (const id of [...ids].sort()) {
    const s = await serverOrNull(cloud, id);
    if (s && ['unconfirmed', 'resizing'].includes(serverPosition(s, e.host).kind)) out.push(s);
  }
  return out;
}

/**
 * Moves one SHUTOFF server off the host by cold migration (`migrate`, the scheduler picks the
 * target), confirms it once it waits in VERIFY_RESIZE on another host, and waits until it is
 * SHUTOFF there with no task. Done is judged by host and state, never by `/os-migrations`.
 * A server found resizing or unconfirmed (an earlier run's migration) is waited for or
 * confirmed, never migrated twice. NoValidHost is PH_CAPACITY; a migration Nova rolls back is
 * PH_CAPACITY or PH_CLOUD_OBJECT_FAILED (as for live migration).
 */
export async function coldMove(e: Evacuation, cloud: Cloud, initial: Server, moves: ColdMoves): Promise<string | null> {
  if (serverPosition(initial, e.host).kind === 'stopped') await submit(e, cloud, initial, moves);
  let confirmed = false;
  return waitOffHost(e, cloud, initial, {
    move: 'cold migration',
    rolledBackAs: 'stopped',
    during: 'during its cold migration',
    async unconfirmed(s) {
      if (!confirmed) {
        await confirm(cloud, s);
        confirmed = true;
      }
      return { done: false, status: `${describeServer(s)}, resize confirmed` };
    },
  });
}

async function submit(e: Evacuation, cloud: Cloud, server: Server, moves: ColdMoves): Promise<void> {
  await moves.note(server.id);
  const started = async () => (['resizing', 'unconfirmed', 'elsewhere', 'gone'].includes(serverPosition(await serverOrNull(cloud, server.id), e.host).kind) ? true : undefined);
  try {
    // A lost answer: the server is read at once and after a settle time, and the migration
    // asked for again only when it still sits stopped on the host (sendSettled).
    await sendSettled(
      async () => {
        await cloud.compute.servers.coldMigrate(server.id);
        return true;
      },
      started,
      { what: `the cold migration of server ${server.id}` },
    );
  } catch (err) {
    if (isCloudHttpError(err, 400, 409) && saysNoValidHost(err.cloudMessage)) throw capacityError(e.address, server, e.host, err.cloudMessage);
    // A conflict: an earlier run's request (or someone else) may have started it.
    if (isCloudHttpError(err, 409) && (await started())) return;
    throw err;
  }
}

/** confirmResize; a 400/409 after which the server no longer waits for it (confirmed meanwhile) is fine. */
async function confirm(cloud: Cloud, server: Server): Promise<void> {
  try {
    await cloud.compute.servers.confirmResize(server.id);
  } catch (err) {
    if (!(isCloudHttpError(err, 400, 409) || isAmbiguous(err))) throw err;
    const now = await serverOrNull(cloud, server.id);
    if (now && now.status === 'VERIFY_RESIZE' && now.taskState === null) throw err;
  }
}
