import { emit } from '../../events/index.js';
import { PumphouseError, toPumphouseError } from '../../errors/index.js';
import type { DataStep } from '../image/data-step.js';
import { changePower, waitSettled } from './source-power.js';

/** How a running source server is held still while its disks are copied (manifest option). */
export type QuiesceMode = 'stop' | 'suspend';

/** Statuses in which a server's disks do not change: nothing to do before copying them. */
const STILL = new Set(['SHUTOFF', 'SUSPENDED', 'PAUSED']);

interface Hold {
  /** Actions (the server's, its volumes') working on the quiesced server now. */
  readonly holders: Set<string>;
  /** Its status before the first of them quiesced it. */
  original: string;
  /** One of them failed: the server runs again once the last holder lets go. */
  restore: boolean;
}

/**
 * Who holds which source server quiesced, in this process. The volumes of a running server
 * quiesce it (planner step `quiesce_server`) before the server action itself runs; the
 * server stays quiesced through the cut-over when everything succeeds, and runs again
 * (start / resume) when any of them fails, once none of them is still copying, so that a
 * failed migration leaves the source as it was (the original tool left it stopped).
 * Quiesce calls on one server are serialized: two volumes must not both send `suspend`.
 */
export class QuiesceBook {
  readonly #holds = new Map<string, Hold>();
  readonly #locks = new Map<string, Promise<unknown>>();

  /**
   * Quiesces source server `serverId` for `holder` (an action id): `stop` -> SHUTOFF,
   * `suspend` -> SUSPENDED; nothing when it already is SHUTOFF, SUSPENDED or PAUSED. Waits
   * for a running task to finish first. `known` is its status before any quiesce when the
   * caller knows it (the plan's precondition); answers that status (what a failure restores).
   */
  async quiesce(s: DataStep, serverId: string, mode: QuiesceMode, known: string | null): Promise<string> {
    return this.#serialized(serverId, async () => {
      const servers = (await s.ctx.clouds.source()).compute.servers;
      const now = await waitSettled(s, servers, serverId, s.settings.quiesceTimeoutS);
      let hold = this.#holds.get(serverId);
      if (!hold) {
        hold = { holders: new Set(), original: known ?? now.status, restore: false };
        this.#holds.set(serverId, hold);
      }
      hold.holders.add(s.action.id);
      if (STILL.has(now.status)) return hold.original;
      if (now.status !== 'ACTIVE') {
        throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: source server ${serverId} is ${now.status}; it can only be quiesced from ACTIVE`, {
          address: s.address,
          details: { server_id: serverId, status: now.status },
        });
      }
      await s.ctx.remember({ quiesced_server: serverId, status_before: hold.original });
      await changePower(s, servers, serverId, mode, s.settings.quiesceTimeoutS);
      return hold.original;
    });
  }

  /**
   * `holder` is finished with the server. After a failure (or when an earlier holder failed)
   * and once no holder is left, a server that was ACTIVE before is started or resumed.
   * `known` is the status before quiescing from the journal or the plan, used when this
   * process did not quiesce it (a resumed apply). Restore problems are warnings: the
   * action's own error is what the operator must see.
   */
  async release(s: DataStep, serverId: string, failed: boolean, known: string | null): Promise<void> {
    await this.#serialized(serverId, async () => {
      const hold = this.#holds.get(serverId);
      if (hold) {
        hold.holders.delete(s.action.id);
        hold.restore ||= failed;
        if (hold.holders.size > 0) return;
        this.#holds.delete(serverId);
      }
      const restore = hold?.restore ?? failed;
      const original = hold?.original ?? known;
      if (!restore || original !== 'ACTIVE') return;
      try {
        const servers = (await s.ctx.clouds.source()).compute.servers;
        const now = await waitSettled(s, servers, serverId, s.settings.quiesceTimeoutS);
        const change = now.status === 'SHUTOFF' ? 'start' : now.status === 'SUSPENDED' ? 'resume' : null;
        if (!change) return;
        await changePower(s, servers, serverId, change, s.settings.quiesceTimeoutS);
        emit(s.ctx.reporter, 'log', 'info', `${s.address}: source server ${serverId} runs again (${change}) after the failed migration`, {
          text: `source server ${serverId} restored`,
        });
      } catch (err) {
        const e = toPumphouseError(err);
        emit(s.ctx.reporter, 'log', 'warn', `${s.address}: source server ${serverId} could not be restarted after the failure: [${e.code}] ${e.message}; start it by hand`, {
          text: `source server ${serverId} left quiesced`,
        });
      }
    });
  }

  /** True when some action of this process holds the server quiesced now. */
  holds(serverId: string): boolean {
    return (this.#holds.get(serverId)?.holders.size ?? 0) > 0;
  }

  async #serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }
}
