import { emit } from '../../events/index.js';
import { PumphouseError } from '../../errors/index.js';
import { detectHashAlgorithm, hashVerifiable } from '../../identity-db/index.js';
import { Session } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { kindHandler } from '../common/handler.js';
import type { IdentityDbAccess } from '../common/identity-db-access.js';
import type { ResetPasswordSink } from './reset-passwords.js';

export interface PasswordOptions {
  /** The destination Keystone database (hash writes and read-back). */
  readonly destinationDb: IdentityDbAccess;
  /**
   * The destination Keystone release (`zed`, `2025.1`...), to warn when a copied hash will
   * not verify there. Unknown: no warning here (the planner already warned from discovery).
   */
  readonly destinationKeystoneRelease?: string;
  /** Where `passwords: reset` delivers new passwords; without one, reset actions fail before changing anything. */
  readonly resetPasswords?: ResetPasswordSink;
}

/**
 * A migrated user's password. Mode `copy-hash` (steps read_source_hash,
 * write_destination_hash, verify): the source hash (a `$secret` the SecretResolver reads from
 * the source Keystone database) is written over the throwaway password of the destination
 * user through the destination database, then read back and compared. A hash the destination
 * release cannot verify is written anyway with a warning (the plan said so). Mode `reset`
 * (generate_password, write_destination_password, verify): a random password (the
 * `pumphouse/user/<id>/reset_password` secret) is set through the API, delivered to the
 * operator's ResetPasswordSink, and verified by logging in as the user. Nothing here touches
 * the source cloud. The destination id is the destination user id.
 */
export function passwordHashKind(options: PasswordOptions): KindHandler {
  return kindHandler('password_hash', {
    update: {
      read_source_hash: (action, ctx) => readSourceHash(action, ctx, options),
      write_destination_hash: (action, ctx) => writeDestinationHash(action, ctx, options),
      generate_password: (action, ctx) => generatePassword(action, ctx, options),
      write_destination_password: (action, ctx) => writeDestinationPassword(action, ctx, options),
      verify: (action, ctx) => verify(action, ctx, options),
    },
  });
}

async function after(action: Action, ctx: StepContext): Promise<AfterValues> {
  return new AfterValues(await ctx.resolveAfter(), action.address);
}

async function readSourceHash(action: Action, ctx: StepContext, options: PasswordOptions): Promise<StepResult> {
  const a = await after(action, ctx);
  const userId = a.str('user_id');
  const algorithm = detectHashAlgorithm(a.secret('password_hash').reveal());
  const release = options.destinationKeystoneRelease;
  const verifiable = release === undefined ? null : hashVerifiable(algorithm, release);
  if (verifiable === false) {
    const summary = `${action.address}: the destination Keystone (${release}) cannot verify ${algorithm} hashes; the copied password will not log in`;
    emit(ctx.reporter, 'diagnostic', 'warn', summary, {
      severity: 'warning',
      summary,
      detail: 'set identity.passwords: reset in the manifest to give such users new passwords',
      address: action.address,
    });
  }
  return { destinationId: userId, outputs: { algorithm, verifiable } };
}

async function writeDestinationHash(action: Action, ctx: StepContext, options: PasswordOptions): Promise<StepResult> {
  const a = await after(action, ctx);
  const userId = a.str('user_id');
  const hash = a.secret('password_hash');
  const outcome = await options.destinationDb.use(action.address, (db) => db.writePasswordHash(userId, hash.reveal()));
  return { destinationId: userId, outputs: { outcome } };
}

async function generatePassword(action: Action, ctx: StepContext, options: PasswordOptions): Promise<StepResult> {
  const a = await after(action, ctx);
  const userId = a.str('user_id');
  // Fetching the secret makes the password; refuse now, before anything changes, if it has nowhere to go.
  a.secret('password');
  requireSink(action, options);
  return { destinationId: userId };
}

async function writeDestinationPassword(action: Action, ctx: StepContext, options: PasswordOptions): Promise<StepResult> {
  const a = await after(action, ctx);
  const userId = a.str('user_id');
  await setAndDeliver(action, ctx, options, userId, a);
  return { destinationId: userId };
}

async function setAndDeliver(action: Action, ctx: StepContext, options: PasswordOptions, userId: string, a: AfterValues): Promise<void> {
  const sink = requireSink(action, options);
  const password = a.secret('password');
  const cloud = await ctx.clouds.destination();
  await cloud.identity.users.setPassword(userId, password.reveal());
  await sink.deliver({ address: action.address, userName: action.source?.name ?? userId, userId, password });
}

async function verify(action: Action, ctx: StepContext, options: PasswordOptions): Promise<StepResult> {
  const a = await after(action, ctx);
  const userId = a.str('user_id');
  if (a.str('mode') === 'reset') {
    // The reset password lives only in this process: after a crash the secret is a new one,
    // so a failed login sets (and delivers) the current one again before checking once more.
    if (!(await logsIn(ctx, userId, a))) {
      await setAndDeliver(action, ctx, options, userId, a);
      if (!(await logsIn(ctx, userId, a))) {
        throw new PumphouseError('PH_AUTH_FAILED', `${action.address}: the destination refuses the password just set for user ${userId}`, {
          address: action.address,
        });
      }
    }
    return { destinationId: userId, outputs: { verified: 'login' } };
  }
  const want = a.secret('password_hash').reveal();
  const now = await options.destinationDb.use(action.address, (db) => db.readPasswordHash(userId));
  if (!now || !now.equals(want)) {
    throw new PumphouseError(
      'PH_IDENTITY_DB',
      `${action.address}: the destination user ${userId} does not hold the copied password hash (${now ? `it holds a ${now.algorithm} hash` : 'it has none'}); something changed it meanwhile`,
      { address: action.address, details: { user_id: userId } },
    );
  }
  return { destinationId: userId, outputs: { verified: 'hash' } };
}

async function logsIn(ctx: StepContext, userId: string, a: AfterValues): Promise<boolean> {
  const cloud = await ctx.clouds.destination();
  const user = await cloud.identity.users.get(userId);
  let session: Session | undefined;
  try {
    session = await Session.login(
      { authUrl: cloud.session.authUrl, username: user.name, password: a.secret('password').reveal(), userDomainId: user.domainId },
      // The client's default retries (5 attempts): a login answered 5xx or cut off is retried
      // (logins create nothing); a wrong password (401) is never retried. Two attempts failed
      // the step on two faults in a row (the fault torture, Havana seed 7).
      { name: 'destination', signal: ctx.signal },
    );
    return true;
  } catch (err) {
    if (PumphouseError.is(err) && err.code === 'PH_AUTH_FAILED') return false;
    throw err;
  } finally {
    await session?.close();
  }
}

function requireSink(action: Action, options: PasswordOptions): ResetPasswordSink {
  if (options.resetPasswords) return options.resetPasswords;
  throw new PumphouseError(
    'PH_CONFIG_INVALID',
    `${action.address}: identity.passwords is reset, but this apply has nowhere to deliver new passwords`,
    { address: action.address, details: { field: 'identity.passwords' } },
  );
}
