import { isNotFound, type Keypair, type Keypairs } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { taken, vanished } from '../common/marker.js';

/**
 * A user's keypair: the public key from the plan (Nova never had the private half), imported
 * for the destination user with microversion 2.10 (`user_id`). Natural key (user, name):
 * a keypair of that name with the same fingerprint is adopted (crash after the import), one
 * with another fingerprint stops the action. The destination id is `user/name`.
 *
 * Reading keypairs of other users on a legacy source (before 2.10) is not done here: the
 * public key comes from the plan, which discovery filled.
 */
export const keypairKind: KindHandler = kindHandler('keypair', {
  create: { create: importKeypair },
  adopt: { adopt: checkKeypair },
});

async function find(keypairs: Keypairs, name: string, userId: string): Promise<Keypair | undefined> {
  try {
    return await keypairs.get(name, { userId });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function importKeypair(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const name = a.str('name');
  const userId = a.str('user_id');
  const publicKey = a.str('public_key');
  const type = a.optStr('type');
  const fingerprint = a.optStr('fingerprint');
  const keypairs = (await ctx.clouds.destination()).compute.keypairs;
  const { value } = await createOnce(
    async () => {
      const found = await find(keypairs, name, userId);
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
  const found = await find((await ctx.clouds.destination()).compute.keypairs, name, userId);
  if (!found) throw vanished(action.address, 'keypair', `${userId}/${name}`);
  return { destinationId: `${userId}/${name}`, outputs: { name: found.name, fingerprint: found.fingerprint } };
}
