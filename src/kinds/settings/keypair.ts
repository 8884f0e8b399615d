import { isNotFound, type Keypair, type Keypairs } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { taken, vanished } from '../common/marker.js';
import type { OwnerTokens } from './owner-token.js';

/**
 * A user's keypair, imported for the destination user with microversion 2.10 (`user_id`).
 * Natural key (user, name): a keypair of that name with the same fingerprint is adopted
 * (crash after the import), one with another fingerprint stops the action. The destination
 * id is `user/name`.
 *
 * The public key comes from the plan (discovery read it), or, when the plan says
 * `read_as_owner` (a legacy source, below microversion 2.10, where only the owner sees its
 * keypairs), from step `read_as_owner`: the source keypair read with a token of its owner
 * (OwnerTokens: a temporary password, the original hash restored before the step ends), its
 * public key recorded as a step output for `create`. Without OwnerTokens such a step fails
 * before changing anything.
 */
export function keypairKindWith(owners?: OwnerTokens): KindHandler {
  return kindHandler('keypair', {
    create: { read_as_owner: (action, ctx) => readAsOwner(action, ctx, owners), create: importKeypair },
    adopt: { adopt: checkKeypair },
  });
}

/** The keypair kind without owner tokens (plans whose public keys discovery read). */
export const keypairKind: KindHandler = keypairKindWith();

/** A user's keypair of that name (microversion 2.10 `user_id`), or undefined when it has none. */
export async function findUserKeypair(keypairs: Keypairs, name: string, userId: string): Promise<Keypair | undefined> {
  try {
    return await keypairs.get(name, { userId });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function readAsOwner(action: Action, ctx: StepContext, owners: OwnerTokens | undefined): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const owner = {
    userId: a.str('source_user_id'),
    userName: a.str('source_user_name'),
    domainId: a.optStr('source_user_domain_id'),
    projectId: a.str('source_project_id'),
  };
  if (!owners?.available) {
    throw new PumphouseError(
      'PH_CONFIG_INVALID',
      `${action.address}: the keypair must be read as its owner in the source, which needs the source Keystone database (CLOUDS.source.identity.connection)`,
      { address: action.address, details: { field: 'CLOUDS.source.identity.connection' } },
    );
  }
  const key = await owners.asOwner(action.address, owner, ctx, async (keypairs) => {
    const found = await findUserKeypair(keypairs, name, owner.userId);
    if (!found) {
      throw new PumphouseError('PH_PRECONDITION_FAILED', `${action.address}: the source keypair '${name}' of user ${owner.userId} is gone; plan again`, {
        address: action.address,
        details: { source_id: `${owner.userId}/${name}` },
      });
    }
    return found;
  });
  return { outputs: { public_key: key.publicKey, fingerprint: key.fingerprint, ...(key.type ? { type: key.type } : {}) } };
}

async function importKeypair(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const userId = a.str('user_id');
  const read = ctx.recorded.outputs;
  const fromOwner = a.optStr('public_key') === null && typeof read['public_key'] === 'string';
  const publicKey = fromOwner ? (read['public_key'] as string) : a.str('public_key');
  const type = fromOwner ? (typeof read['type'] === 'string' ? read['type'] : null) : a.optStr('type');
  const fingerprint = fromOwner ? (typeof read['fingerprint'] === 'string' ? read['fingerprint'] : null) : a.optStr('fingerprint');
  const keypairs = (await ctx.clouds.destination()).compute.keypairs;
  const { value } = await createOnce(
    async () => {
      const found = await findUserKeypair(keypairs, name, userId);
      if (found && fingerprint !== null && found.fingerprint !== fingerprint) {
        throw taken(action.address, `a keypair '${name}' of user ${userId} with another key`, `${userId}/${name}`, `fingerprint ${found.fingerprint}`);
      }
      return found;
    },
    () => keypairs.create({ name, publicKey, userId, ...(type ? { type } : {}) }),
  );
  return { destinationId: `${userId}/${name}`, outputs: { name: value.name, fingerprint: value.fingerprint } };
}

async function checkKeypair(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const userId = a.str('user_id');
  const found = await findUserKeypair((await ctx.clouds.destination()).compute.keypairs, name, userId);
  if (!found) throw vanished(action.address, 'keypair', `${userId}/${name}`);
  return { destinationId: `${userId}/${name}`, outputs: { name: found.name, fingerprint: found.fingerprint } };
}
