import { PumphouseError } from '../../errors/index.js';
import { openIdentityDb, type IdentityDb } from '../../identity-db/index.js';

/** How a Keystone database is opened (tests pass their own). */
export type IdentityDbOpener = (url: string, label: string) => Promise<IdentityDb>;

const defaultOpener: IdentityDbOpener = (url, label) => openIdentityDb(url, { label });

/** Idle pools close after this long, so a finished apply does not hold the process open. */
const IDLE_CLOSE_MS = 2000;

/**
 * One cloud's Keystone database, opened on first use and shared by every step and secret
 * fetch of the run, closed when idle for two seconds (and by `close()`): the kinds have no
 * end-of-apply hook, and an open mysql2 pool would keep the process alive.
 */
export class IdentityDbAccess {
  #db: Promise<IdentityDb> | undefined;
  #busy = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string | undefined,
    /** `source` or `destination`, for messages. */
    readonly label: string,
    private readonly open: IdentityDbOpener = defaultOpener,
  ) {}

  /** True when the config gave this cloud's Keystone database. */
  get configured(): boolean {
    return this.url !== undefined;
  }

  /** Runs `fn` with the database; PH_CONFIG_INVALID when the config has no URL for it. */
  async use<T>(what: string, fn: (db: IdentityDb) => Promise<T>): Promise<T> {
    if (this.url === undefined) {
      throw new PumphouseError(
        'PH_CONFIG_INVALID',
        `${what} needs the ${this.label} Keystone database, but the config has no CLOUDS.${this.label}.identity.connection`,
        { details: { field: `CLOUDS.${this.label}.identity.connection` } },
      );
    }
    const url = this.url;
    clearTimeout(this.#timer);
    this.#busy++;
    try {
      if (!this.#db) {
        const opening = this.open(url, this.label);
        this.#db = opening;
        // A failed open is not cached: the next use tries again.
        opening.catch(() => {
          if (this.#db === opening) this.#db = undefined;
        });
      }
      return await fn(await this.#db);
    } finally {
      this.#busy--;
      if (this.#busy === 0) {
        this.#timer = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
        this.#timer.unref();
      }
    }
  }

  /** Closes the pool if open. Safe to call twice; a later `use` opens it again. */
  async close(): Promise<void> {
    clearTimeout(this.#timer);
    const db = this.#db;
    this.#db = undefined;
    if (db) await (await db.catch(() => undefined))?.close();
  }
}
