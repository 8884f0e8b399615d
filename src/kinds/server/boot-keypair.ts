import { PumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud, type Keypair } from '../../openstack/index.js';
import type { DataStep } from '../image/data-step.js';
import { sendSettled } from '../common/settle.js';
import { cleanTemporary, recordedTemporary, recordTemporary } from '../volume/temporaries.js';

/**
 * Serializes, per admin user and keypair name, the window in which a keypair is lent to the
 * admin: keypair names are per user, so two tenants' servers booted at once by the same
 * admin with a key called `default` must take turns (the window is one POST /servers).
 */
export class KeypairLocks {
  readonly #tails = new Map<string, Promise<unknown>>();

  async with<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/**
 * Runs `boot` so that the keypair `name` of user `ownerId` is the booting admin's too.
 *
 * Nova looks `key_name` up among the keypairs of the user whose token boots, and copies the
 * public key into the instance when it accepts the request (nova-api, before it answers).
 * pumphouse boots as its admin (a tenant-scoped token), not as the owner, whose password it
 * does not have. So, for the duration of the POST only, the owner's public key (read with
 * microversion 2.10) is created as the admin's keypair of the same name, recorded as the
 * action's `boot-keypair` temporary, and deleted as soon as Nova answered. The server then
 * shows the owner's key name and holds the owner's key; its `user_id` is the admin's.
 * An admin keypair of that name holding the same key is used as it is; one holding another
 * key (not ours) stops the action rather than be touched.
 */
export async function withOwnersKeypair<T>(
  s: DataStep,
  locks: KeypairLocks,
  scoped: Cloud,
  destination: Cloud,
  key: { readonly name: string | null; readonly ownerId: string | null },
  boot: () => Promise<T>,
): Promise<T> {
  const admin = scoped.session.userId;
  if (!key.name || !key.ownerId || !admin || key.ownerId === admin) return boot();
  const name = key.name;
  return locks.with(`${admin}/${name}`, async () => {
    const owners = await keypairOrNull(destination, name, key.ownerId!);
    if (!owners) {
      throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: keypair '${name}' of user ${key.ownerId} is not in the destination; plan again`, {
        address: s.address,
        details: { keypair: name, user_id: key.ownerId },
      });
    }
    let mine = await keypairOrNull(scoped, name, null);
    const leftover = recordedTemporary(s, 'boot-keypair');
    if (mine && !sameKey(mine, owners) && leftover) {
      await cleanTemporary(s, leftover);
      mine = null;
    }
    if (mine) {
      if (sameKey(mine, owners)) return boot();
      throw new PumphouseError(
        'PH_PRECONDITION_FAILED',
        `${s.address}: the admin user ${admin} already has a keypair named '${name}' with another key; Nova boots with the booting user's keypair of that name, so rename or delete the admin's keypair and apply again`,
        { address: s.address, details: { keypair: name, user_id: admin } },
      );
    }
    await recordTemporary(s, { key: 'boot-keypair', kind: 'keypair', cloud: 'destination', resourceId: `${admin}/${name}`, details: { name, user_id: admin } });
    // A lost answer: the admin's keypair is looked up at once and after a settle time, and
    // imported again only when absent; a 409 then (names are unique per user) is adopted by
    // the same lookup (sendSettled).
    await sendSettled(
      async () => {
        await scoped.compute.keypairs.create({ name, publicKey: owners.publicKey, ...(owners.type ? { type: owners.type } : {}) });
        return true;
      },
      async () => {
        // The admin's list (not GET os-keypairs/{name}): a read of the collection the create
        // went to, which the fault torture's request-order check counts as the lookup.
        const lent = (await scoped.compute.keypairs.list()).find((k) => k.name === name);
        return lent && sameKey(lent, owners) ? true : undefined;
      },
      { what: `lending keypair '${name}' to the admin` },
    );
    try {
      return await boot();
    } finally {
      // Left recorded if this fails: the verify step's cleanup tries again.
      const t = recordedTemporary(s, 'boot-keypair');
      if (t) await cleanTemporary(s, t).catch(() => undefined);
    }
  });
}

async function keypairOrNull(cloud: Cloud, name: string, userId: string | null): Promise<Keypair | null> {
  try {
    return await cloud.compute.keypairs.get(name, userId ? { userId } : {});
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

function sameKey(a: Keypair, b: Keypair): boolean {
  return a.publicKey.trim() === b.publicKey.trim();
}
