import type { Server } from '../inventory/index.js';
import type { PlanContext } from './context.js';
import { decide } from './decide.js';
import { refTo } from './draft.js';
import { sourceMatch } from './facts.js';
import { all } from './indexes.js';
import { child, seg, uniqueNames } from './names.js';
import { ownerOnlyKeypairs, planOwnerKeypairs, unreadable } from './owner-keypairs.js';

/**
 * Keypairs belong to users, not projects: every keypair of every user in scope is copied
 * (public key only; Nova never stored the private half) and owned by that user's copy.
 * Keypairs discovery could not read (a legacy Nova shows them only to their owner) are
 * planned per user, listed as their owner at apply time: see planOwnerKeypairs.
 */
export function planKeypairs(ctx: PlanContext): void {
  planListedKeypairs(ctx);
  planOwnerKeypairs(ctx);
}

function planListedKeypairs(ctx: PlanContext): void {
  for (const u of ctx.users.values()) {
    const keys = all(ctx.s.keypairsByUser, u.user.id);
    if (keys.length === 0) continue;
    const names = uniqueNames(keys, (k) => k.name, (k) => k.name);
    const dstUser = u.handle?.destinationId ?? null;
    const dstKeys = dstUser ? all(ctx.d.keypairsByUser, dstUser) : [];
    for (const k of keys) {
      const key = `${k.userId}/${k.name}`;
      const address = child(u.address, seg('keypair', names.get(k.name)!));
      const same = dstKeys.find((x) => x.name === k.name);
      if (same && same.fingerprint !== k.fingerprint && ctx.memory.resolve('keypair', key).state === 'none') {
        ctx.draft.error(
          `user '${u.user.name}' already has a different keypair named '${k.name}' in the destination`,
          address,
          `source fingerprint ${k.fingerprint}, destination ${same.fingerprint}`,
        );
        ctx.draft.skipped++;
        continue;
      }
      const natural = same ? { id: `${dstUser}/${same.name}`, why: 'the destination user already has this key' } : null;
      const d = decide(ctx.memory.resolve('keypair', key), { make: 'create', natural });
      ctx.draft.add(
        key,
        {
          address,
          kind: 'keypair',
          action: d.action,
          reason: d.reason,
          deps: [u.handle],
          source: { cloud: 'source', id: key, name: k.name },
          after: { name: k.name, user_id: refTo(u.handle), public_key: k.publicKey, type: k.type, fingerprint: k.fingerprint },
          preconditions: d.action === 'create' ? [sourceMatch('nova', 'keypairs', key, { fingerprint: k.fingerprint })] : [],
        },
        d.destinationId,
      );
    }
  }
}

/**
 * The warning of a server booting without its keypair (called by the server planner when no
 * keypair action exists for its `key_name`): the reason, and what would enable the copy.
 */
export function missingKeypairWarning(ctx: PlanContext, sv: Server): string {
  const base = `keypair '${sv.keyName}' of its owner is not in the source; the server boots without it`;
  if (!ownerOnlyKeypairs(ctx) || sv.userId === ctx.src.session?.userId) return base;
  if (ctx.draft.get('owner_keypairs', sv.userId)?.action === 'no-op') {
    return `keypair '${sv.keyName}' is not among the keypairs an earlier apply copied from its owner (this Nova shows keypairs only to their owner); the server boots without it`;
  }
  if (ctx.desired.options.legacyKeypairs === 'none') {
    return `keypair '${sv.keyName}' of its owner is not copied (this Nova shows keypairs only to their owner and options.legacy_keypairs is none); the server boots without it`;
  }
  const why = unreadable(ctx, sv.userId);
  return why ? `${base} (this Nova shows keypairs only to their owner; ${why})` : base;
}
