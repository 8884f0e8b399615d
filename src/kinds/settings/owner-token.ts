import { randomBytes } from 'node:crypto';
import { PumphouseError } from '../../errors/index.js';
import { emit, type Reporter } from '../../events/index.js';
import { ComputeClient, Session, type CloudCredentials, type Keypairs } from '../../openstack/index.js';
// sha512_crypt (the simulator verifies with it too): every Keystone that serves
// a Nova below microversion 2.10 (Havana..Liberty) checks $6$ hashes.
import { sha512Crypt } from '../../identity-db/sha512-crypt.js';
import type { IdentityDbAccess } from '../common/identity-db-access.js';
import type { CloudAccess } from '../contract.js';
import type { OwnerPasswordRecovery } from './owner-password-recovery.js';

/** The source user whose token is needed, and the project to scope it to. */
export interface SourceOwner {
  readonly userId: string;
  readonly userName: string;
  /** Keystone v3 domain of the user; null/undefined on v2.0. */
  readonly domainId?: string | null;
  /** A project the user has a role in (the project of the server using the key). */
  readonly projectId: string;
}

export interface OwnerTokensOptions {
  /** The source Keystone database (read and write the owner's hash). */
  readonly sourceDb: IdentityDbAccess;
  /** Where original hashes wait until restored; without one, owner tokens are refused. */
  readonly recovery?: OwnerPasswordRecovery;
  /** The config's source credentials (TLS, region, interface); the owner's name and password replace the admin's. */
  readonly sourceCredentials?: CloudCredentials;
}

/** What a step passes: the clouds (for the source's auth URL), reporter and signal. */
export interface OwnerTokenContext {
  readonly clouds: CloudAccess;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
}

/**
 * Acting as a source user on a legacy cloud (Nova below 2.10 shows a user's keypairs only to
 * that user; legacy-apis.md §2.4). The user's password is unknown, so, one user at a time:
 * read the user's hash from the source Keystone database (kept in memory), append it to the
 * recovery file (fsynced) BEFORE changing anything, write a random temporary sha512_crypt
 * hash through the database (not the API: a v2 password change may revoke the user's tokens
 * and is audited), log in as the user, act, then write the original hash back and drop the
 * recovery line, then revoke the owner's token (best effort), in a `finally`. A crash in between leaves the line: `restoreAll()` (apply
 * start) and `restore()` (each owner step) put the hash back first. Calls are serialized: two
 * keys of one user must never see each other's temporary hash as the "original".
 */
/**
 * Retries of the owner's session: every second of waiting is a second the user's real password
 * does not work in the source. The client's defaults honour a Retry-After of up to 120 s ten
 * times per request (20 minutes of a temporary password on a throttling source); here a
 * throttled or failing request gives up within about a minute and the hash is restored. Three
 * tries still ride out the short 429 bursts and single 5xx a loaded source gives.
 */
const OWNER_RETRY = { attempts: 3, maxRetryAfterMs: 15_000, throttleWaits: 3 } as const;

export class OwnerTokens {
  #queue: Promise<unknown> = Promise.resolve();
  /** Original hashes of the users whose source password is temporary right now (memory only). */
  readonly #held = new Map<string, string>();

  constructor(private readonly options: OwnerTokensOptions) {}

  /** True when the source Keystone database is configured (owner tokens are possible). */
  get available(): boolean {
    return this.options.sourceDb.configured && this.options.recovery !== undefined;
  }

  /**
   * The original hash of `userId` while its source password is temporary, else undefined: the
   * password-hash copy must never read the temporary one from the database.
   */
  originalHash(userId: string): string | undefined {
    return this.#held.get(userId);
  }

  /** Restores every hash an interrupted apply left in the recovery file; returns how many. */
  restoreAll(reporter: Reporter): Promise<number> {
    return this.#serial(async () => {
      const recovery = this.options.recovery;
      if (!recovery) return 0;
      const entries = await recovery.entries();
      for (const userId of entries.keys()) await this.#restoreOne(userId, entries, 'apply start', reporter);
      return entries.size;
    });
  }

  /** Runs `fn` with the source Nova keypairs as `owner`, the owner's password being restored before returning. */
  asOwner<T>(address: string, owner: SourceOwner, ctx: OwnerTokenContext, fn: (keypairs: Keypairs) => Promise<T>): Promise<T> {
    return this.#serial(() => this.#asOwner(address, owner, ctx, fn));
  }

  async #asOwner<T>(address: string, owner: SourceOwner, ctx: OwnerTokenContext, fn: (keypairs: Keypairs) => Promise<T>): Promise<T> {
    const recovery = this.#recovery(address);
    const db = this.options.sourceDb;
    // A line left by a crash holds the original: restore it before reading the "current" hash.
    const left = await recovery.entries();
    if (left.has(owner.userId)) await this.#restoreOne(owner.userId, left, address, ctx.reporter);
    const original = await db.use(address, (d) => d.readPasswordHash(owner.userId));
    if (!original) {
      throw new PumphouseError('PH_IDENTITY_DB', `${address}: source user ${owner.userId} has no password in the Keystone database (federated or LDAP): its keypairs cannot be read`, {
        address,
        details: { user_id: owner.userId },
      });
    }
    await recovery.record(owner.userId, original.value);
    this.#held.set(owner.userId, original.value);
    const password = randomBytes(24).toString('base64url');
    const salt = randomBytes(12).toString('base64').replace(/\+/g, '.');
    let session: Session | undefined;
    try {
      await db.use(address, (d) => d.writePasswordHash(owner.userId, sha512Crypt(password, salt)));
      session = await this.#login(owner, password, ctx);
      const compute = await ComputeClient.open(session);
      return await fn(compute.keypairs);
    } finally {
      try {
        await db.use(address, (d) => d.writePasswordHash(owner.userId, original));
        this.#held.delete(owner.userId);
        await recovery.forget(owner.userId);
      } finally {
        // After the restore: the window with the temporary password stays as short as it was.
        if (session) await this.#revoke(address, owner, session, ctx);
        await session?.close().catch(() => undefined);
      }
    }
  }

  /**
   * Best effort: the owner's token, got with the temporary password, is revoked by the source
   * admin (Keystone v2.0 lets only an admin revoke) rather than left to expire; a failure is a
   * warning event naming the user, never the token.
   */
  async #revoke(address: string, owner: SourceOwner, session: Session, ctx: OwnerTokenContext): Promise<void> {
    try {
      await session.revokeWith((await ctx.clouds.source()).session);
    } catch (err) {
      const summary = `${address}: the source token of user ${owner.userId} (got with its temporary password) could not be revoked; it expires with the source Keystone's token lifetime`;
      const why = err instanceof PumphouseError ? err.code : 'unexpected error';
      emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address, detail: `revocation failed: ${why}` });
    }
  }

  async #login(owner: SourceOwner, password: string, ctx: OwnerTokenContext): Promise<Session> {
    const base = this.options.sourceCredentials;
    const authUrl = base?.authUrl ?? (await ctx.clouds.source()).session.authUrl;
    const creds: CloudCredentials = {
      ...(base ?? {}),
      authUrl,
      username: owner.userName,
      password,
      projectId: owner.projectId,
      projectName: undefined,
      projectDomainId: undefined,
      projectDomainName: undefined,
      userDomainName: undefined,
      userDomainId: owner.domainId ?? 'default',
    };
    return Session.login(creds, { name: 'source', signal: ctx.signal, reporter: ctx.reporter, retry: OWNER_RETRY });
  }

  async #restoreOne(userId: string, entries: ReadonlyMap<string, string>, where: string, reporter: Reporter): Promise<void> {
    const hash = entries.get(userId);
    if (hash === undefined) return;
    this.#held.set(userId, hash);
    const outcome = await this.options.sourceDb.use(where, (d) => d.writePasswordHash(userId, hash));
    this.#held.delete(userId);
    await this.#recovery(where).forget(userId);
    if (outcome !== 'unchanged') {
      const summary = `restored the source password of user ${userId}, left temporary by an interrupted apply`;
      emit(reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, detail: `from ${this.#recovery(where).path}` });
    }
  }

  #recovery(address: string): OwnerPasswordRecovery {
    if (this.options.recovery && this.options.sourceDb.configured) return this.options.recovery;
    throw new PumphouseError(
      'PH_CONFIG_INVALID',
      `${address}: reading a keypair as its owner needs the source Keystone database (CLOUDS.source.identity.connection) and a password recovery file`,
      { address, details: { field: 'CLOUDS.source.identity.connection' } },
    );
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
